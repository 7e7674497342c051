#!/usr/bin/env bash
# PPO step benchmark: policy-trainer (DJL) vs the same step in PyTorch eager, same shapes, one run.
# Needs: apt-get install -y python3-torch libopenblas0-pthread
# Usage: bench/policy-trainer/run.sh [out-dir] [ppo-steps]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(realpath -m "${1:-$root/policy-trainer/target/bench}")"
steps="${2:-4}"
mkdir -p "$out"
cd "$root"
mvn -B -q -pl policy-trainer -am install -DskipTests
mvn -B -q -pl policy-trainer dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
cp="policy-trainer/target/test-classes:policy-trainer/target/classes:$(cat "$out/classpath.txt")"
: > "$out/results.txt"
echo "== DJL, 2 threads"
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" dev.rlhf.policy.bench.PpoStepBench "$steps" | grep -E "^djl " | tee -a "$out/results.txt"
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads"
/usr/bin/python3 "$here/bench_torch.py" "$steps" | tee -a "$out/results.txt"
echo "== comparison (median of steps after the first)"
/usr/bin/python3 "$here/compare.py" "$out/results.txt"
