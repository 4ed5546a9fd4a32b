"""Per-file counts from an evaluate --per-file output; leave-one-file-out choice among variants (pooled F1 over
valve1's 16 files + anomaly-free, which contributes false alarms only), per seed."""
import re, sys, glob, csv, os
D='/work/shared/datasets/skab-dev'
def pn(name):
    rows=list(csv.DictReader(open(os.path.join(D,name)),delimiter=';'))[400:]
    p=sum(1 for r in rows if float(r['anomaly'])==1.0); return p,len(rows)-p
PN={}
def counts(path):
    t=open(path).read(); c={}
    for m in re.finditer(r'^(valve1/\S+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$',t,re.M):
        f=m.group(1); PN.setdefault(f,pn(f)); P,N=PN[f]
        far,mar=float(m.group(4)),float(m.group(5))
        fn=round(mar/100*P); fp=round(far/100*N); c[f]=(P-fn,fp,fn)
    a=re.search(r'anomaly-free.csv: (\d+) rows, all normal; ensemble FAR=([\d.]+)',t)
    c['anomaly-free']=(0,round(float(a.group(2))/100*int(a.group(1))),0)
    return c
def f1(cs):
    tp=sum(x[0] for x in cs); fp=sum(x[1] for x in cs); fn=sum(x[2] for x in cs)
    return tp/(tp+(fp+fn)/2)
# usage: lofo.py variantA variantB ...  (files <variant>-s<seed>.txt)
variants=sys.argv[1:]
for seed in (42,43,44):
    C={}
    for v in variants:
        p=f'/work/rcf-exp-results/{v}-s{seed}.txt'
        if os.path.exists(p) and 'ensemble F1=' in open(p).read(): C[v]=counts(p)
    if not C: continue
    files=list(next(iter(C.values())).keys())
    picked=[]; lofo=[]
    for f in files:
        best=max(C, key=lambda v: f1([C[v][g] for g in files if g!=f]))
        picked.append(best); lofo.append(C[best][f])
    print(f'seed {seed}: pooled F1 '+'  '.join(f'{v}={f1(list(C[v].values())):.3f}' for v in C)
          + f'  | LOFO-chosen pooled F1={f1(lofo):.3f}, picks: '+', '.join(f'{v} x{picked.count(v)}' for v in C if picked.count(v)))
