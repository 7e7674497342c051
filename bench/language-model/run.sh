#!/usr/bin/env bash
# Generation benchmark: the DJL network vs the same weights in PyTorch (Debian's python3-torch).
# Needs: apt-get install -y python3-torch libopenblas0-pthread
# Usage: [THREADS=2] [BLAS_THREADS=] [ROUNDS=1] [WARMUP_S=3] [MEASURE_S=3] [SHAPES=tiny,gpt2-small] \
#        bench/language-model/run.sh [out-dir] [least repetitions]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(realpath -m "${1:-$root/language-model/target/bench}")"
reps="${2:-3}"
# Seconds each measurement decodes before timing (JIT, allocators), and the least seconds timed.
warm_up="${WARMUP_S:-3}"
measure="${MEASURE_S:-3}"
# Intra-op threads for both sides; 2 matches the target machine, 1 is steadier on a contended one.
threads="${THREADS:-2}"
# libgomp's default spin-waiting makes small ops 10-100x slower when the cores are shared;
# both sides get the same policy.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# BLAS_THREADS=1 keeps each side's BLAS (DJL's bundled MKL, Debian's OpenBLAS) on one thread while
# the other ops keep THREADS. DJL leaves MKL's thread count alone only when its own is not set, so
# its intra-op threads are then the engine's default, one a core: THREADS must match the cores.
djl_threads=(-Dai.djl.pytorch.num_threads="$threads")
if [ -n "${BLAS_THREADS:-}" ]; then
  if [ "$threads" != "$(nproc)" ]; then
    echo "BLAS_THREADS needs THREADS equal to the cores ($(nproc))" >&2
    exit 2
  fi
  export MKL_NUM_THREADS="$BLAS_THREADS" OPENBLAS_NUM_THREADS="$BLAS_THREADS"
  djl_threads=()
fi
mkdir -p "$out"

cd "$root"
mvn -B -q -pl language-model -am test-compile
mvn -B -q -pl language-model dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
cp="language-model/target/test-classes:language-model/target/classes:$(cat "$out/classpath.txt")"

# The host's speed drifts by tens of percent over minutes; the two sides take turns, ROUNDS times.
rounds="${ROUNDS:-1}"
rm -f "$out"/djl-*.json "$out"/torch-*.json
for round in $(seq "$rounds"); do
  echo "== round $round of $rounds: DJL (PyTorch $(ls ~/.m2/repository/ai/djl/pytorch/pytorch-native-cpu 2>/dev/null | tail -1), $threads threads${BLAS_THREADS:+, BLAS $BLAS_THREADS})"
  BENCH_RESULT="djl-$round.json" java -Xmx4g -Dai.djl.offline=true "${djl_threads[@]}" \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" dev.rlhf.lm.bench.GenerationBench \
    "$out" "$reps" "${SHAPES:-tiny,gpt2-small}" "$warm_up" "$measure"
  echo "== round $round of $rounds: PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), $threads threads${BLAS_THREADS:+, BLAS $BLAS_THREADS}"
  BENCH_RESULT="torch-$round.json" /usr/bin/python3 "$here/bench_torch.py" \
    "$out" "$reps" "$threads" "${SHAPES:-tiny,gpt2-small}" "$warm_up" "$measure"
done

echo "== DJL side: choosing a token over GPT-2's vocabulary (plain Java, no PyTorch counterpart)"
java -cp "$cp" dev.rlhf.lm.sample.SamplerBench

echo "== comparison"
/usr/bin/python3 "$here/compare.py" "$out"
