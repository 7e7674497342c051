#!/usr/bin/env bash
# Alignment benchmark: labeler crews with their own preference functions drive the whole loop on
# the packaged platform through its HTTP API with default hyper-parameters; the versions are judged
# on held-out prompts. Prints one table per run and the medians over seeds (README: how to read it).
# Usage: bench/alignment/run.sh [work-dir] [AlignmentBench options: --judges concise,polite,harmless
#        --seeds 1,2,3 --sizes demos,rankingPrompts,k,overlap,heldOut,crew --set STAGE.name=value]
# SKIP_BUILD=1 reuses the last build. The demo base is pretrained once into the work directory.
# BENCH_MAIN names another benchmark on the same machinery (bench/quality/run.sh uses it).
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
mkdir -p "$work"
# The platform and the benchmark run from a copy of this build, so rebuilding the checkout while a
# run goes on (it takes a while) changes nothing under it.
app="$work/app"
rm -rf "$app"
mkdir -p "$app/classpath"
for module in labeling-service model-runtime reward-trainer policy-trainer; do
  mkdir -p "$app/$module/target"
  cp -r "$module/target/quarkus-app" "$app/$module/target/"
done
cp -r launcher/target/test-classes "$app/classpath/launcher-test-classes"
cp -r launcher/target/classes "$app/classpath/launcher-classes"
cp="$app/classpath/launcher-test-classes:$app/classpath/launcher-classes"
IFS=':' read -ra entries < launcher/target/test-classpath.txt || true
for entry in "${entries[@]}"; do
  if [[ "$entry" == "$root"/* && -f "$entry" ]]; then
    copy="$app/classpath/$(echo "${entry#$root/}" | tr '/' '_')"
    cp "$entry" "$copy"
    cp="$cp:$copy"
  else
    cp="$cp:$entry"
  fi
done
export OMP_WAIT_POLICY=PASSIVE
java_opts=(-Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1
  -Dorg.slf4j.simpleLogger.logFile="$work/infrastructure.log")
if [[ ! -f "$work/base/demo-base/checkpoint.json" ]]; then
  echo "== pretraining the demo base once into $work/base"
  java "${java_opts[@]}" -cp "$cp" dev.rlhf.lm.demo.BaseModels "$work/base"
fi
# DATA=<an earlier run's directory> with --from REWARD|PPO|DPO goes on from that stage on its labels.
data="${DATA:-$work/run-$(date +%Y%m%d-%H%M%S)}"
echo "== platform data in $data"
cd "$app"
java "${java_opts[@]}" -cp "$cp" "${BENCH_MAIN:-dev.rlhf.launcher.alignment.AlignmentBench}" \
  "$work/base/demo-base" "$data" "$@" 2>&1 | tee -a "$data.txt"
