#!/usr/bin/env bash
# The fault drills of launcher/src/test/java/dev/rlhf/launcher/FaultDrillsIT.java at a larger scale
# (LABELS labels from CLIENTS contractors per drill; 400 and 8 unless set), on the packaged platform
# as ./run.sh starts it. Prints the machine and the drills' table; the drills also assert, as in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
LABELS=${LABELS:-400}
CLIENTS=${CLIENTS:-8}
log=$(mktemp -t reliability-bench.XXXXXX)

lscpu | grep 'Model name' || true
echo "nproc: $(nproc); $LABELS labels from $CLIENTS clients per drill"
status=0
# shellcheck disable=SC2086 # MAVEN_FLAGS holds several flags, e.g. -o
./mvnw -B ${MAVEN_FLAGS:-} -pl launcher -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=FaultDrillsIT -Ddrill.labels="$LABELS" -Ddrill.clients="$CLIENTS" > "$log" 2>&1 || status=$?
# The table, the clients' HTTP answers and the supervisor's lines, as the test printed them.
sed -n '/^Fault drills/,/^\[/p' "$log" | sed '$d'
grep -E 'Tests run:.*FaultDrillsIT|BUILD' "$log" || true
echo "full output: $log"
exit $status
