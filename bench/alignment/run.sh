#!/usr/bin/env bash
# Alignment benchmark: labeler crews with their own preference functions drive the whole loop on
# the packaged platform through its HTTP API with default hyper-parameters; the versions are judged
# on held-out prompts. Prints one table per run and the medians over seeds (README: how to read it).
# Usage: bench/alignment/run.sh [work-dir] [AlignmentBench options: --judges concise,polite,harmless
#        --seeds 1,2,3 --sizes demos,rankingPrompts,k,overlap,heldOut,crew --set STAGE.name=value]
# SKIP_BUILD=1 reuses the last build. The demo base is pretrained once into the work directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(realpath -m "${1:-$root/launcher/target/alignment}")"
shift || true
cd "$root"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  # One reactor build, so the platform's own modules are taken from this checkout's targets.
  ./mvnw -B -q -pl launcher -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile="$root/launcher/target/test-classpath.txt"
fi
cp="launcher/target/test-classes:launcher/target/classes:$(cat launcher/target/test-classpath.txt)"
mkdir -p "$work"
export OMP_WAIT_POLICY=PASSIVE
java_opts=(-Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1
  -Dorg.slf4j.simpleLogger.logFile="$work/infrastructure.log")
if [[ ! -f "$work/base/demo-base/checkpoint.json" ]]; then
  echo "== pretraining the demo base once into $work/base"
  java "${java_opts[@]}" -cp "$cp" dev.rlhf.lm.demo.BaseModels "$work/base"
fi
# DATA=<an earlier run's directory> with --from REWARD|PPO goes on from that stage on its labels.
data="${DATA:-$work/run-$(date +%Y%m%d-%H%M%S)}"
echo "== platform data in $data"
java "${java_opts[@]}" -cp "$cp" dev.rlhf.launcher.alignment.AlignmentBench \
  "$work/base/demo-base" "$data" "$@" 2>&1 | tee -a "$data.txt"
