#!/usr/bin/env bash
# Misbehavior-report ingestion benchmark: builds labeling-service and the launcher's runtime
# classpath (embedded PostgreSQL and Kafka), streams reports over Kafka at each offered rate, then
# posts reports over HTTP from concurrent clients. Prints reports in against reports stored.
# Usage: bench/reports/run.sh [rates per second, comma-separated] [seconds per rate] [HTTP clients]
# SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATES="${1:-100,250,500,1000}"
SECONDS_PER_RATE="${2:-20}"
HTTP_CLIENTS="${3:-8}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -B -q -pl labeling-service,launcher -am package -DskipTests
fi
exec java -Xmx1g -cp "launcher/target/lib/*" bench/reports/ReportIngestionBench.java \
  labeling-service/target/quarkus-app/quarkus-run.jar "$RATES" "$SECONDS_PER_RATE" "$HTTP_CLIENTS"
