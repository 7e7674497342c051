#!/usr/bin/env bash
# The dashboard statistics on generated projects (ScaleSeed): read from the figures V83 keeps,
# against the recount the service ran before; the recount of the figures (the migration's
# backfill), and what V83's triggers cost a ranking submission. SQL over JDBC, no HTTP, no Kafka.
# Prints one table; not a test. Sizes: -Dbench.small=10000 -Dbench.large=100000 -Dbench.repeats=3
# -Dbench.submissions=2000 (the defaults), passed to the JVM: ./run-statistics.sh -Dbench.large=1000000
set -euo pipefail
cd "$(dirname "$0")/../.."

classpath="$(mktemp)"
./mvnw -B -q -pl labeling-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$classpath" -Dmdep.includeScope=test
exec java -Xmx3g "$@" \
  -cp "labeling-service/target/test-classes:labeling-service/target/classes:$(cat "$classpath")" \
  dev.rlhf.labeling.bench.StatisticsBenchmark
