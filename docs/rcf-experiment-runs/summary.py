import re,sys,glob
P,N,NA=6309,5451,9005
for f in sorted(sys.argv[1:]):
    t=open(f).read()
    m=re.search(r'ensemble F1=([\d.]+) FAR=([\d.]+) MAR=([\d.]+)',t)
    a=re.search(r'anomaly-free.csv: \d+ rows, all normal; ensemble FAR=([\d.]+)',t)
    r=re.search(r'random_cut_forest\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)',t)
    us=re.search(r'([\d.]+) us per record',t)
    sec=re.search(r'seconds=(\d+)',t)
    if not m: print(f,'incomplete'); continue
    F1,FAR,MAR=map(float,m.groups()); af=float(a.group(1))
    FN=MAR/100*P; TP=P-FN; FP=FAR/100*N+af/100*NA
    pooled=TP/(TP+(FP+FN)/2)
    print(f"{f:28s} valve1 F1={F1:.3f} FAR={FAR:5.2f} MAR={MAR:5.2f}  AF FAR={af:5.2f}  pooled F1={pooled:.3f}"
          + (f"  rcf-vote-line F1/FAR/MAR={r.group(1)}/{r.group(2)}/{r.group(3)}" if r else "")
          + (f"  {us.group(1)} us/rec" if us else "") + (f"  {sec.group(1)} s" if sec else ""))
