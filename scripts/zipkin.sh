#!/usr/bin/env bash
# Fetches the Zipkin server (a runnable jar from Maven Central) into a cache
# and starts it in the background on 127.0.0.1:9411, for the tracing
# integration spec. Idempotent: a Zipkin already answering is left alone.
#   scripts/zipkin.sh          fetch if needed, then start
#   scripts/zipkin.sh fetch    only fetch
set -euo pipefail

VERSION=3.5.1
CACHE=${NUCLEON_CI_CACHE:-$HOME/.cache/nucleon-ci}/zipkin
JAR=$CACHE/zipkin-server-$VERSION-exec.jar
LOG=$CACHE/zipkin.log

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -s "$JAR" ]; then
  mkdir -p "$CACHE"
  mvn -q dependency:copy -Dartifact="io.zipkin:zipkin-server:$VERSION:jar:exec" -DoutputDirectory="$CACHE"
fi
[ "${1:-start}" = fetch ] && exit 0

if port_open 9411; then echo "Zipkin already answers on 9411"; exit 0; fi
# In-memory storage; loopback only. setsid + nohup: it outlives this script.
setsid nohup java -Xmx512m -jar "$JAR" --armeria.ports[0].ip=127.0.0.1 --armeria.ports[0].port=9411 --armeria.ports[0].protocols[0]=http \
  --logging.level.root=WARN >"$LOG" 2>&1 </dev/null &
echo "Zipkin starting (pid $!, log $LOG)"
