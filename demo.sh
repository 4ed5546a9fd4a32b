#!/usr/bin/env bash
# One-command demo: builds the jar if needed, then runs broker + service + sensor simulator (Ctrl+C stops all).
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ ! -f target/anomaly-detection-service.jar ] || [ -n "$(find src routes pom.xml application.properties -newer target/anomaly-detection-service.jar -print -quit)" ]; then
  echo "Building target/anomaly-detection-service.jar..."
  mvn -q -B -DskipTests package
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec "$JAVA" -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -jar target/anomaly-detection-service.jar demo "$@"
