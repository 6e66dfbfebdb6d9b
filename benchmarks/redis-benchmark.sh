#!/usr/bin/env bash
# Cairn's Redis listener against redis-server 7 with redis-benchmark, alternating in one run.
#
#   mvn -B -q package -DskipTests && bash benchmarks/redis-benchmark.sh [rounds] [requests]
#
# Each round runs every test against redis-server, then against Cairn (the runnable jar, in
# memory, default JVM flags plus those in CAIRN_JAVA_OPTS), for -P 1 and -P 16, 50 clients.
# Prints one CSV line per test: server, pipeline, test, requests per second, p50 ms, p99 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
requests=${2:-100000}
tests=set,get,incr,lpush,lpop,sadd,hset,zadd,lrange_100
jar=$(ls target/cairn-*-all.jar | head -1)
redis_port=16380
cairn_port=16381

redis-server --port "$redis_port" --save "" --appendonly no --daemonize no --loglevel warning &
redis_pid=$!
# shellcheck disable=SC2086
java ${CAIRN_JAVA_OPTS:-} -jar "$jar" --in-memory --redis-port "$cairn_port" >/dev/null &
cairn_pid=$!
trap 'kill $redis_pid $cairn_pid 2>/dev/null || true' EXIT
for port in $redis_port $cairn_port; do
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.2
  done
done

echo "server,pipeline,test,rps,p50_ms,p99_ms"
for round in $(seq 1 "$rounds"); do
  for pipeline in 1 16; do
    for server in redis cairn; do
      port=$redis_port
      [ "$server" = cairn ] && port=$cairn_port
      redis-cli -p "$port" flushall >/dev/null
      redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" -t "$tests" --csv -q 2>/dev/null \
        | tail -n +2 | tr -d '"' \
        | awk -F, -v s="$server" -v p="$pipeline" -v r="$round" '{print s "," p "," $1 "," $2 "," $5 "," $7 ",round " r}'
    done
  done
done
