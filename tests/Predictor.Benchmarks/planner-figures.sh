#!/usr/bin/env bash
# Evacuation plans against their lower bound with the CLI's defaults (the daemon's limits): 1% of 50,000 hosts at
# risk on `predictor simulate` inventories (one per seed, at-risk hosts drawn with the same seed) and on the benchmark
# generator's inventory (at-risk hosts drawn with each seed), then --update-all on the benchmark inventory. Every plan
# is made REPS times; prints moves, unplaced, makespan over lower bound, and planningS (plan.json's compute time) and
# the CPU seconds `predictor plan` reports, min and median, with the 1-minute load average before each plan (each plan
# waits for the load the previous one left to decay to 1, for up to 3 minutes). Above a
# load of 1 it says so loudly: such timings are loaded figures, not idle ones. The plans are validated by the CLI (a
# violation stops the script).
# Usage: tests/Predictor.Benchmarks/planner-figures.sh [REPS [SEED...]]   (defaults: 3 repetitions; seeds 1 2 3 7)
# Inventories are kept in ${PLANNER_FIGURES_DIR:-/tmp/predictor-planner-figures} between runs.
set -euo pipefail
for tool in dotnet python3; do
  command -v "$tool" >/dev/null || { echo "planner-figures: '$tool' not found" >&2; exit 2; }
done
reps=${1:-3}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 7)
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${PLANNER_FIGURES_DIR:-/tmp/predictor-planner-figures}
mkdir -p "$dir"

echo "building predictor and the benchmark generator (Release) ..." >&2
dotnet build "$root/src/Predictor" -c Release -nologo -v quiet >&2
dotnet build "$root/tests/Predictor.Benchmarks" -c Release -nologo -v quiet >&2
predictor="$root/src/Predictor/bin/Release/net10.0/predictor"
bench="$root/tests/Predictor.Benchmarks/bin/Release/net10.0/Predictor.Benchmarks"

for seed in "${seeds[@]}"; do
  [ -s "$dir/sim$seed/inventory.json" ] || "$predictor" simulate --hosts 50000 --vms-per-host 10 --days 0 --seed "$seed" --out "$dir/sim$seed" >/dev/null
done
[ -s "$dir/bench-inventory.json" ] || "$bench" --export-inventory "$dir/bench-inventory.json" >/dev/null

load() { cut -d' ' -f1 /proc/loadavg; }
# Waits (up to 3 minutes) for the 1-minute load to decay to 1: the previous plan's own process (loading a
# 50,000-host inventory takes a few CPU seconds) keeps it above 1 for a while, which says nothing about other work.
settle() {
  local waited=0
  while python3 -c "import sys; sys.exit(0 if float('$(load)') > 1 else 1)" && [ $waited -lt 180 ]; do
    sleep 5
    waited=$((waited + 5))
  done
}
loaded=0

# One row: label, inventory, then the plan options; REPS plans, each validated by predictor plan itself.
row() {
  local label=$1 inventory=$2
  shift 2
  local loads=() i
  for ((i = 1; i <= reps; i++)); do
    settle
    loads+=("$(load)")
    "$predictor" plan --inventory "$inventory" "$@" --out "$dir/plan-$i.json" >"$dir/plan-$i.out" 2>"$dir/plan-$i.err" \
      || { cat "$dir/plan-$i.err" "$dir/plan-$i.out" >&2; exit 1; }
  done
  python3 - "$label" "$dir" "$reps" "${loads[@]}" <<'PY'
import json, re, statistics, sys
label, folder, reps, loads = sys.argv[1], sys.argv[2], int(sys.argv[3]), [float(x) for x in sys.argv[4:]]
plans = [json.load(open(f"{folder}/plan-{i}.json")) for i in range(1, reps + 1)]
cpu = [float(re.search(r"; ([0-9.]+) s of CPU", open(f"{folder}/plan-{i}.out").read()).group(1)) for i in range(1, reps + 1)]
wall = [p["summary"]["planningS"] for p in plans]
s = plans[0]["summary"]
if any(p["summary"]["makespanS"] != s["makespanS"] for p in plans):
    sys.exit(f"{label}: the same request gave different plans")
ratio = s["makespanS"] / s["lowerBoundS"] if s["lowerBoundS"] > 0 else 1
print(f"{label:<34} {len(plans[0]['migrations']):>7} {len(plans[0]['unplaced']):>8} {s['makespanS']:>11.1f} {s['lowerBoundS']:>11.1f} "
      f"{ratio:>7.4f} {min(wall):>7.3f} {statistics.median(wall):>7.3f} {min(cpu):>7.3f} {statistics.median(cpu):>7.3f}   "
      + " ".join(f"{x:.2f}" for x in loads))
PY
  for l in "${loads[@]}"; do
    if python3 -c "import sys; sys.exit(0 if float('$l') > 1 else 1)"; then loaded=1; fi
  done
}

echo "machine: $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $reps plans per row"
printf '%-34s %7s %8s %11s %11s %7s %15s %15s   %s\n' "inventory / plan" moves unplaced makespanS lowerBoundS ratio "planningS min/med" "CPU s min/med" "load before each plan"
for seed in "${seeds[@]}"; do
  row "simulate seed $seed, 1% at risk" "$dir/sim$seed/inventory.json" --at-risk-fraction 0.01 --seed "$seed"
done
for seed in "${seeds[@]}"; do
  row "benchmark, 1% at risk seed $seed" "$dir/bench-inventory.json" --at-risk-fraction 0.01 --seed "$seed"
done
row "benchmark, --update-all seed 1" "$dir/bench-inventory.json" --update-all --seed 1
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$loaded" = 1 ]; then
  echo "WARNING: the load average was above 1 during the runs: planningS and CPU figures are LOADED, not idle." >&2
fi
