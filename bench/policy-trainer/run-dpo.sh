#!/usr/bin/env bash
# DPO step benchmark: policy-trainer's DpoTrainer (DJL) vs the same steps in PyTorch eager on the
# same weights and rows, 2 threads each, one run (README: "DPO step").
# Needs: apt-get install -y python3-torch libopenblas0-pthread
# Usage: [SKIP_BUILD=1] [TORCH_OMP_WAIT_POLICY=...] bench/policy-trainer/run-dpo.sh [out-dir] [steps]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(realpath -m "${1:-$root/policy-trainer/target/bench-dpo}")"
steps="${2:-8}"
mkdir -p "$out"
cd "$root"
if [[ "${SKIP_BUILD:-}" != "1" || ! -f "$out/classpath.txt" ]]; then
  mvn -B -q -pl policy-trainer -am install -DskipTests
  mvn -B -q -pl policy-trainer dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
fi
cp="policy-trainer/target/test-classes:policy-trainer/target/classes:$(cat "$out/classpath.txt")"
echo "== DJL, 2 threads, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}"
# DpoStepBench writes the initial weights and every step's rows into $out for the PyTorch side.
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" dev.rlhf.policy.bench.DpoStepBench "$steps" "$out" | grep --line-buffered -E "^djl " | tee "$out/results.txt"
# The same wait policies as run.sh, for the reasons given in README.md: PyTorch's OpenBLAS and
# OpenMP threads share the cores, so that side waits passively; DJL keeps the caller's setting.
torch_wait="${TORCH_OMP_WAIT_POLICY:-PASSIVE}"
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads, OMP_WAIT_POLICY=$torch_wait"
OMP_WAIT_POLICY="$torch_wait" /usr/bin/python3 "$here/bench_torch_dpo.py" "$out" | tee "$out/torch.txt"
