#!/usr/bin/env bash
# Continuous batching in model-runtime: tokens/s with 1, 4 and 16 concurrent clients, one request at
# a time (max batch rows 1, as before batching) against batched, on the demo base's shapes and on
# GPT-2 small's (random weights), and the time to draw K=4 completions for 500 prompts.
# Usage: [THREADS=2] bench/model-runtime/run-batching.sh [seconds] [warm-up seconds] [prompts] \
#        [shapes] [batched max rows]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/model-runtime/target/bench"
mkdir -p "$out"
threads="${THREADS:-2}"
# libgomp's default spin-waiting makes small ops many times slower when the cores are shared.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

cd "$root"
./mvnw -B -q -o -pl model-runtime -am test-compile
./mvnw -B -q -o -pl model-runtime dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
cp="model-runtime/target/test-classes:model-runtime/target/classes:language-model/target/classes:$(cat "$out/classpath.txt")"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $threads intra-op threads"
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" dev.rlhf.runtime.bench.BatchingBench "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
