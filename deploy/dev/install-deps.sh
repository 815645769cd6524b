#!/usr/bin/env bash
# Installs what Predictor's tests and a development machine need, on Debian 12: the .NET SDK is assumed
# (global.json names the version); real servers come from Debian's packages. Idempotent: installs only
# what is missing, so it is cheap to run before every test run.
set -euo pipefail

packages=(
  # one line per package: name  # what needs it
  sqlite3            # inspecting the embedded journal by hand
  prometheus-alertmanager  # Predictor.IntegrationTests: Alertmanager end-to-end (fire, dedup, group, resolve)
  influxdb           # telemetry store: Influx client and push-forwarding integration tests (influxd)
  prometheus-node-exporter  # telemetry scrape integration tests (node_exporter)
  qemu-system-x86    # Predictor.IntegrationTests: real QEMU VMs (TCG) for live migration, pause/resume, crash test
  libvirt-clients    # Predictor.IntegrationTests: virsh, for the daemon's libvirt mode against an unreachable libvirtd
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian starts some servers as system services on install; tests start their own on free ports.
  for svc in influxdb prometheus-alertmanager prometheus-node-exporter postgresql libvirtd; do
    $sudo_cmd systemctl disable --now "$svc" >/dev/null 2>&1 || true
  done
else
  echo "install-deps: all ${#packages[@]} packages present"
fi
