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
# --rebuild may come anywhere; the launcher gets the other arguments.
args=()
for arg in "$@"; do
  if [[ "$arg" == "--rebuild" ]]; then missing=1; else args+=("$arg"); fi
done
set -- "${args[@]+"${args[@]}"}"
# Stopping or asking for help needs no build, unless the launcher itself is missing.
case "${1:-}" in
  stop | help | -h | --help)
    if [[ -f launcher/target/launcher.jar ]]; then missing=0; fi
    ;;
esac
if [[ $missing == 1 ]]; then
  echo "Building the platform (first run only; ./run.sh --rebuild forces it) ..."
  ./mvnw -B -q install -DskipTests
fi

exec java -Dai.djl.offline=true -Drlhf.home="$PWD" -jar launcher/target/launcher.jar "$@"
