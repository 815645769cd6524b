#!/usr/bin/env bash
# Side-by-side push ingest: the same line-protocol payload POSTed with wrk to `predictor ingest` (parse + signal
# mapping) and to a real influxd (parse + index + WAL), one after the other on the same machine. Then end to end into
# the windows: the payload without timestamps (so every request's points are new) POSTed to the daemon,
# `predictor run --Telemetry:Source=Push` with 5000 simulated hosts named like the payload's, and to influxd.
# Usage: tests/Predictor.Benchmarks/Telemetry/push-vs-influxd.sh [seconds] [connections]
# Needs: influxdb and wrk (apt-get install -y influxdb wrk), the .NET SDK.
set -euo pipefail
for tool in influxd wrk bc curl python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "push-vs-influxd: '$tool' not found; install it (apt-get install -y influxdb wrk bc curl python3)" >&2; exit 2; }
done
secs=${1:-20}
conns=${2:-4}
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# 5000 lines, 10 fields each (the host-telemetry shape), 5000 hosts, one timestamp in seconds.
python3 - "$work/payload.lp" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "w") as f:
    for i in range(5000):
        f.write(f"host,host=h{i + 1:04d},rack=r{i%40:02d} cpu_load={r.random():.3f},cpu_temp_c={40+r.random()*30:.1f},"
                f"inlet_temp_c={18+r.random()*8:.1f},mce_total={r.randrange(3)}i,mem_ce_total={r.randrange(500)}i,"
                f"mem_ue_total=0i,fan_rpm={r.randrange(3000,9000)},psu_ok=1i,nic_errors_total={r.randrange(100000)}i,"
                f"smart_5_raw={r.randrange(10)}i 1767225600\n")
PY
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$work/payload.lp", "rb"); wrk.body = f:read("*all"); f:close()
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
LUA
sed 's/ 1767225600$//' "$work/payload.lp" >"$work/payload-now.lp"
sed "s/payload.lp/payload-now.lp/" "$work/post.lua" >"$work/post-now.lua"

wait_ping() { for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ping")" = 204 ] && return 0; sleep 0.1; done; echo "no /ping on $1" >&2; exit 1; }

# predictor ingest (Release)
dotnet build -c Release -v q -nologo "$root/src/Predictor" >/dev/null
pport=$(free_port)
dotnet "$root/src/Predictor/bin/Release/net10.0/predictor.dll" ingest --listen "127.0.0.1:$pport" >"$work/predictor.log" 2>&1 &
pids+=($!)
wait_ping "$pport"

# influxd
iport=$(free_port); rport=$(free_port)
cat > "$work/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$rport"
[meta]
  dir = "$work/influx/meta"
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$iport"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
influxd run -config "$work/influxdb.conf" >"$work/influxd.log" 2>&1 &
pids+=($!)
wait_ping "$iport"
curl -s -XPOST "http://127.0.0.1:$iport/query" --data-urlencode 'q=CREATE DATABASE bench' >/dev/null

run() { # name port path [lua]
  wrk -t2 -c"$conns" -d"${secs}s" -s "$work/${4:-post.lua}" "http://127.0.0.1:$2$3" >"$work/$1.wrk"
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$1.wrk"); non2xx=${non2xx:-0}
  printf '%-12s %10.1f req/s  %12.0f lines/s  non-2xx: %s\n' "$1" "$rps" "$(echo "$rps * 5000" | bc)" "$non2xx"
}
# warm up both, then measure
wrk -t1 -c1 -d3s -s "$work/post.lua" "http://127.0.0.1:$pport/write?db=bench&precision=s" >/dev/null
wrk -t1 -c1 -d3s -s "$work/post.lua" "http://127.0.0.1:$iport/write?db=bench&precision=s" >/dev/null
run predictor "$pport" "/write?db=bench&precision=s"
run influxd "$iport" "/write?db=bench&precision=s"

# end to end into the daemon's windows (the pipeline runs beside it, on a simulated 5000-host datacenter)
dport=$(free_port)
(cd "$work" && exec dotnet "$root/src/Predictor/bin/Release/net10.0/predictor.dll" run --Telemetry:Source=Push --Simulation:Emit=None \
  --Simulation:Hosts=5000 --Urls="http://127.0.0.1:$dport" --Executor:JournalPath=:memory: \
  --Notifications:OwnerEvents:DatabasePath=:memory: --Logging:LogLevel:Default=Warning >"$work/daemon.log" 2>&1) &
pids+=($!)
wait_ping "$dport"
# the status call returns once the daemon is composed (simulated fleet built, a day of warm-up history loaded); the
# longer warm-up lets the first pipeline pass over 5000 hosts finish before measuring
curl -s -o /dev/null "http://127.0.0.1:$dport/api/v1/status"
wrk -t1 -c1 -d15s -s "$work/post-now.lua" "http://127.0.0.1:$dport/write?db=bench" >/dev/null
run run-windows "$dport" "/write?db=bench" post-now.lua
run influxd-now "$iport" "/write?db=bench" post-now.lua
echo "daemon status: $(curl -s "http://127.0.0.1:$dport/api/v1/status" | grep -o '"mapped":[0-9]*,"unmappedValues":[0-9]*,"unknownHostSamples":[0-9]*')"
