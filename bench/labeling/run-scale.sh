#!/usr/bin/env bash
# The labeling service on a generated 10k-task project and a 1M-task project (1M prompts, 2M
# labels): next task + ranking submission at 64 clients, saturated and paced at half that rate; the
# label browser, dashboard statistics, the streamed preference export and a training snapshot.
# Prints one table; not a test. Sizes: -Dbench.small=10000 -Dbench.large=1000000
# -Dbench.perClient=40 -Dbench.warmUpPasses=3 (the defaults).
set -euo pipefail
BENCH_MAIN=dev.rlhf.labeling.bench.ScaleBenchmark exec "$(dirname "$0")/run.sh" "$@"
