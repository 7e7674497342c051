#!/usr/bin/env bash
# PPO step benchmark: policy-trainer (DJL) vs the same step in PyTorch eager, same shapes, one run.
# Needs: apt-get install -y python3-torch libopenblas0-pthread
# Usage: [TORCH_OMP_WAIT_POLICY=...] bench/policy-trainer/run.sh [out-dir] [ppo-steps]
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
echo "== DJL, 2 threads, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}"
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" dev.rlhf.policy.bench.PpoStepBench "$steps" | grep -E "^djl " | tee -a "$out/results.txt"
# PyTorch's OpenBLAS threads and its OpenMP threads share the cores; OpenMP's default spinning
# between ops starves the BLAS threads (README), so that side waits passively by default. The DJL
# side keeps the caller's setting (libgomp's default unless set): it is faster than passive there.
torch_wait="${TORCH_OMP_WAIT_POLICY:-PASSIVE}"
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads, OMP_WAIT_POLICY=$torch_wait"
# The PyTorch loop takes each step's prompt width and real token count from DJL's lines.
OMP_WAIT_POLICY="$torch_wait" /usr/bin/python3 "$here/bench_torch.py" "$steps" "$out/results.txt" \
  | tee "$out/torch.txt"
cat "$out/torch.txt" >> "$out/results.txt"
echo "== comparison (median of steps after the first)"
/usr/bin/python3 "$here/compare.py" "$out/results.txt"
