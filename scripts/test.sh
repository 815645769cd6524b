#!/usr/bin/env bash
# The test command: installs what the tests need (real servers from Debian's packages), builds, and runs
# every test project. Ends with one line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/dev/install-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Predictor.sln -c Release -nologo -v quiet

log=$(mktemp)
status=0
# Test assemblies run one after another so server fixtures don't compete for the 2 cores.
dotnet test Predictor.sln -c Release --no-build -nologo -m:1 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
