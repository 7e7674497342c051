#!/usr/bin/env bash
# A trainer's label store at a million-label scale: opening a store file of N rankings, the heap it
# keeps, reading a snapshot of M of them (the events the store gives a run), and the heap those
# events take as objects. Both trainers use the same store (module training).
# Usage: bench/reward-trainer/run-label-store.sh [events (2000000)] [snapshot (1000000)] [dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/training/target/bench"
mkdir -p "$out"
dir="${3:-$out/store}"
mkdir -p "$dir"

cd "$root"
mvn -B -q -pl training -am test-compile -DskipTests
mvn -B -q -pl training dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
cp="training/target/test-classes:training/target/classes:events/target/classes"
cp="$cp:language-model/target/classes:$(cat "$out/classpath.txt")"
java -Xmx12g -cp "$cp" dev.rlhf.training.LabelStoreBench "${1:-2000000}" "${2:-1000000}" "$dir"
rm -f "$dir/rankings.jsonl"
