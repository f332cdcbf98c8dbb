#!/usr/bin/env bash
# Install what the tests need on a Debian 12 machine (npm run setup; .ci/run runs it first):
# Chromium, OpenSSH's sshd, PostgreSQL 15 + pgBackRest, restic, borg, Xvfb, jq, OpenSSL, and
# moto_server (S3) in its own Python venv. Runs apt-get as root, or through sudo.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

need=()
for pair in chromium:chromium sshd:openssh-server pgbackrest:pgbackrest restic:restic borg:borgbackup \
            xvfb-run:xvfb jq:jq openssl:openssl git:git mkfifo:coreutils; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || need+=("${pair#*:}")
done
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
# Debian's Python refuses pip installs outside a venv (PEP 668): moto gets a venv of its own.
command -v moto_server >/dev/null 2>&1 || python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Debian postgresql package starts a cluster on 5432; tests start their own on free ports.

if ! command -v moto_server >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then venv=/opt/dapple-moto bin=/usr/local/bin; else
    venv="$HOME/.local/share/dapple-moto" bin="$HOME/.local/bin"; fi
  echo "setup: installing moto[server] into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "moto[server]"
  mkdir -p "$bin"
  ln -sf "$venv/bin/moto_server" "$bin/moto_server"
  command -v moto_server >/dev/null 2>&1 || echo "setup: add $bin to PATH so the tests find moto_server"
fi
echo "setup: the servers and tools the tests need are installed; run npm test"
