#!/usr/bin/env bash
# Cairn's Kafka listener against a Kafka broker (KRaft, one combined node, kafka_2.13 4.4.0) in one run.
#
#   mvn -B -q install -DskipTests -Dcheckstyle.skip -Dmaven.javadoc.skip=true
#   mvn -B -q -f benchmarks/pom.xml package
#   bash benchmarks/kafka-benchmark.sh [heap|startup|throughput|all] [options of that program]
#
# heap:       KafkaIdleHeap, heap after full GCs before and after starting an idle listener.
# startup:    KafkaStartupBenchmark, from nothing to ApiVersions answered and to a first record
#             produced and consumed, warm and in a fresh JVM per trial, against the broker.
# throughput: KafkaThroughputBenchmark, kafka-clients producer then consumer records per second,
#             each server in its own JVM, against the broker.
# Each program's class Javadoc says what it measures and lists its options.
#
# Every JVM of the run (the harness, the server JVMs and the fresh JVMs it starts, which inherit
# its flags) runs with KAFKA_BENCH_JAVA_OPTS, by default the same heap and GC for both servers:
# -Xms2g -Xmx2g -XX:+UseG1GC (G1 is the JVM's default collector and the one Kafka's scripts use;
# 2 GiB because the in-memory Cairn of the throughput run keeps deleted topics' bytes, see
# KafkaThroughputBenchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
opts=${KAFKA_BENCH_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}
what=${1:-all}
shift || true

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"\
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(java -version 2>&1 | head -2 | tail -1); flags: $opts"
run() {
  echo "# java $opts -cp $jar dev.cairn.benchmarks.server.kafka.$*"
  # shellcheck disable=SC2086
  java $opts -cp "$jar" "dev.cairn.benchmarks.server.kafka.$@"
}
case "$what" in
  heap) run KafkaIdleHeap "$@" ;;
  startup) run KafkaStartupBenchmark "$@" ;;
  throughput) run KafkaThroughputBenchmark "$@" ;;
  all)
    run KafkaIdleHeap
    run KafkaStartupBenchmark
    run KafkaThroughputBenchmark
    ;;
  *) echo "usage: $0 [heap|startup|throughput|all] [options]" >&2; exit 2 ;;
esac
