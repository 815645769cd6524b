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
  chromium           # Predictor.IntegrationTests: the dashboard rendered by a real headless browser
  prometheus         # Predictor.IntegrationTests: promtool checks the daemon's /metrics exposition
  systemd            # Predictor.IntegrationTests: systemd-analyze verifies deploy/systemd/predictor.service
  libvirt-daemon     # Predictor.IntegrationTests: two real libvirtd (QEMU driver, TCG domains) live-migrating between each other
  libvirt-clients    # virsh, which the libvirt hypervisor adapter drives (also the daemon's libvirt mode test)
  postgresql         # shared state and leader election (Ha:ConnectionString): the tests start their own server with initdb/pg_ctl
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
  for svc in influxdb prometheus prometheus-alertmanager prometheus-node-exporter postgresql libvirtd; do
    $sudo_cmd systemctl disable --now "$svc" >/dev/null 2>&1 || true
  done
else
  echo "install-deps: all ${#packages[@]} packages present"
fi

# libvirtd's QEMU driver resolves its compiled-in default user 'libvirt-qemu' before it reads qemu.conf, and
# only libvirt-daemon-system (which pulls in systemd) would create it; create the same system account.
if ! getent passwd libvirt-qemu >/dev/null; then
  echo "install-deps: creating the system account libvirt-qemu"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  getent group libvirt-qemu >/dev/null || $sudo_cmd groupadd --system libvirt-qemu
  $sudo_cmd useradd --system --gid libvirt-qemu --home-dir /var/lib/libvirt --no-create-home --shell /usr/sbin/nologin libvirt-qemu
fi
