#!/bin/sh
# Issue 15: 20 random kill -9 of a training run (KillNineIT with nanolab.kills=20), each followed by a check that
# best.safetensors and last.safetensors verify and agree (or are in the one state a resume repairs), then a final
# resume compared bit for bit with an uninterrupted run. Prints the KillNineIT summary line. About 3 minutes.
# Usage: distribution/kill9.sh [KILLS] [SEED]
root=$(cd "$(dirname "$0")/.." && pwd)
kills=${1:-20}
seed=${2:-15}
cd "$root" && ./mvnw -B -q -o -pl distribution -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KillNineIT -Dnanolab.kills="$kills" -Dnanolab.kill.seed="$seed" \
  && grep -h "KillNineIT:" distribution/target/failsafe-reports/*KillNineIT-output.txt 2>/dev/null
