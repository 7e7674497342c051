#!/usr/bin/env bash
# The one command: builds what is missing, then runs the whole platform on embedded defaults
# (PostgreSQL, Kafka, labeling-service, model-runtime, reward-trainer, policy-trainer) until
# Ctrl-C. `./run.sh stop` stops it from another terminal; `./run.sh --help` lists the options.
set -euo pipefail
cd "$(dirname "$0")"

needed=(
  launcher/target/launcher.jar
  labeling-service/target/quarkus-app/quarkus-run.jar
  model-runtime/target/quarkus-app/quarkus-run.jar
  reward-trainer/target/quarkus-app/quarkus-run.jar
  policy-trainer/target/quarkus-app/quarkus-run.jar
)
missing=0
for jar in "${needed[@]}"; do [[ -f "$jar" ]] || missing=1; done
if [[ "${1:-}" == "--rebuild" ]]; then missing=1; shift; fi
if [[ $missing == 1 && "${1:-}" != "stop" ]]; then
  echo "Building the platform (first run only; ./run.sh --rebuild forces it) ..."
  ./mvnw -B -q install -DskipTests
fi

exec java -Dai.djl.offline=true -Drlhf.home="$PWD" -jar launcher/target/launcher.jar "$@"
