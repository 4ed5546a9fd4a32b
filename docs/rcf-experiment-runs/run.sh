#!/bin/bash
# usage: run.sh <label> <seed> [ENV=VALUE ...]   (from /work/rcf-exp; a copy of the jar per build)
label=$1; seed=$2; shift 2
cd /work/rcf-exp
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
out=/work/rcf-exp-results/$label-s$seed.txt
start=$(date +%s)
env "$@" TRAINING_SEED=$seed OMP_NUM_THREADS=1 nice -n 10 $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -jar ${JAR:-target/anomaly-detection-service.jar} evaluate --skab /work/shared/datasets/skab-dev --per-file --threads 1 --model-cache /work/rcf-exp-results/${CACHE:-cache-s$seed} > $out 2> ${out%.txt}.err
echo "exit=$? seconds=$(( $(date +%s) - start )) env: $*" >> $out
