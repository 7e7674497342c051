#!/usr/bin/env bash
# Ranking submissions through the labeling service's HTTP API at 64 concurrent clients, side by
# side with pgbench running the same SQL on the same embedded PostgreSQL, then "next task" with
# 200 concurrent contractors (double assignments must be 0). Prints the figures; not a test.
# BENCH_MAIN names another benchmark class of labeling-service's tests (run-scale.sh uses it).
set -euo pipefail
cd "$(dirname "$0")/../.."

main="${BENCH_MAIN:-dev.rlhf.labeling.bench.LabelingBenchmark}"
if [[ "$main" == *LabelingBenchmark ]] && ! command -v pgbench >/dev/null; then
  apt-get install -y postgresql-client
fi

mvn -B -q -pl labeling-service -am install -DskipTests
mvn -B -q -pl labeling-service org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass="$main" \
  -Dexec.cleanupDaemonThreads=false \
  "$@"
