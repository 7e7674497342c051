#!/usr/bin/env bash
# Label-quality benchmark: a simulated crowd (careful, noisy and bad labelers) ranks the demo base
# model's completions on the packaged platform through its HTTP API; the platform's contractor
# quality table is scored against the true bad actors, then reward models trained on all,
# quality-controlled and careful-only labels, and on random against uncertainty selection, are
# scored on a clean held-out set (README: how it is measured).
# Usage: bench/quality/run.sh [work-dir] [QualityBench options: --crowd 20 --prompts 330 --k 4
#        --overlap 3 --gold 16 --gold-rate 0.05 --seed 1 --held-out 100 --selection-steps 80,160]
# Builds, copies and starts the platform exactly as bench/alignment/run.sh does (it is called);
# SKIP_BUILD=1 reuses the last build. The demo base is pretrained once into the work directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(realpath -m "${1:-$root/launcher/target/quality}")"
shift || true
BENCH_MAIN=dev.rlhf.launcher.alignment.QualityBench exec "$root/bench/alignment/run.sh" "$work" "$@"
