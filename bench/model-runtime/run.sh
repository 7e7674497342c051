#!/usr/bin/env bash
# HTTP-level figures for model-runtime: requests/s and tokens/s through POST /v1/completions at
# n=1 and n=8. The language-model engineer's bench/language-model measures the Generator alone.
# Usage: bench/model-runtime/run.sh [base-checkpoint-dir] [seconds-per-case] [concurrency]
#   base-checkpoint-dir: defaults to the demo base under ~/.rlhf/checkpoints (pretrained on first
#   start if missing, which takes minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base="${1:-}"
seconds="${2:-20}"
concurrency="${3:-2}"
port="${BENCH_PORT:-18081}"
threads="${BENCH_THREADS:-2}"
work="$(mktemp -d)"
# The runtime serves callers with a key only; the bench calls it with a service key of its own.
export RUNTIME_SERVICE_KEY="${RUNTIME_SERVICE_KEY:-$(head -c 32 /dev/urandom | base64 | tr -d '=+/')}"

cd "$root"
mvn -B -q -pl model-runtime -am package -DskipTests

# No broker is needed for HTTP: Kafka clients keep retrying in the background while HTTP serves.
# PASSIVE: idle OpenMP threads sleep instead of spinning, which matters on a shared CPU.
OMP_WAIT_POLICY=PASSIVE BASE_CHECKPOINT="$base" HTTP_PORT="$port" CHECKPOINTS_DIR="${CHECKPOINTS_DIR:-$HOME/.rlhf/checkpoints}" \
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 \
  java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dquarkus.log.category.\"org.apache.kafka\".level=ERROR \
  -jar model-runtime/target/quarkus-app/quarkus-run.jar >"$work/runtime.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

python3 "$here/load.py" "http://127.0.0.1:$port" "$seconds" "$concurrency"
echo "(runtime log: $work/runtime.log)"
