#!/usr/bin/env bash
# Reward-model training throughput: our trainer (DJL) vs the same model and loss in PyTorch eager
# (Debian's python3-torch), same machine, one run; plus the share of the fp32 matmul peak.
# Needs: apt-get install -y python3-torch libopenblas0-pthread
# Usage: bench/reward-trainer/run.sh [steps-per-repetition] [repetitions]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
steps="${1:-6}"
reps="${2:-3}"
out="$root/reward-trainer/target/bench"
mkdir -p "$out"

cd "$root"
mvn -B -q -pl reward-trainer -am test-compile -DskipTests
mvn -B -q -pl reward-trainer dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
# The reactor's own classes first: the shared local repository may hold other branches' snapshots.
cp="reward-trainer/target/test-classes:reward-trainer/target/classes:events/target/classes"
cp="$cp:language-model/target/classes:$(cat "$out/classpath.txt")"
# Idle OpenMP threads sleep instead of spinning on a shared machine; the same for both sides.
export OMP_WAIT_POLICY=PASSIVE

echo "== DJL $(ls ~/.m2/repository/ai/djl/api 2>/dev/null | tail -1) (PyTorch native), 2 threads"
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" dev.rlhf.reward.training.RewardTrainerBench "$steps" "$reps" | tee "$out/djl.json"

echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') eager, 2 threads"
/usr/bin/python3 "$here/bench_torch.py" "$steps" "$reps" | tee "$out/torch.json"

echo "== comparison"
/usr/bin/python3 - "$out/djl.json" "$out/torch.json" <<'PY'
import json, sys
djl = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
torch = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
print(f"pairs/s: trainer {djl['pairs_per_s']:.1f}, pytorch eager {torch['pairs_per_s']:.1f}, "
      f"ratio {djl['pairs_per_s'] / torch['pairs_per_s']:.2f}x (target >= 2x)")
print(f"trainer: {djl['model_gflops']:.1f} GFLOP/s of a {djl['matmul_peak_gflops']:.1f} GFLOP/s "
      f"1024x1024 fp32 matmul peak = {100 * djl['peak_share']:.1f}% (target >= 40%)")
print(f"pytorch: {torch['model_gflops']:.1f} GFLOP/s of {torch['matmul_peak_gflops']:.1f} GFLOP/s "
      f"= {100 * torch['peak_share']:.1f}%")
PY
