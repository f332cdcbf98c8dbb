#!/bin/sh
# The db host's own tool to stop and start a PostgreSQL 15 cluster by its data folder, as ops
# scripts (or pg_ctlcluster) do on a real host. Runbook ssh steps call it as root; it acts as postgres.
#   pg-cluster stop DATADIR          stop the cluster if one runs there (fast shutdown); else say so
#   pg-cluster start DATADIR [PORT]  start it on PORT (default: the host's ports file gives the
#                                    folder its port) and wait until it accepts writes (promoted)
set -eu
action=${1:?usage: pg-cluster stop|start DATADIR [PORT]}
data=${2:?usage: pg-cluster stop|start DATADIR [PORT]}
bin=/usr/lib/postgresql/15/bin
logs="$(dirname "$(dirname "$(readlink -f "$0")")")/server-logs"
as_pg() { runuser -u postgres -- "$@"; }

case "$action" in
stop)
  if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 120 stop
  else
    echo "No PostgreSQL runs in $data: nothing to stop."
  fi
  ;;
start)
  ports="$(dirname "$(dirname "$(readlink -f "$0")")")/ports"
  port=${3:-$(awk -v d="$data" '$1 == d { print $2 }' "$ports" 2>/dev/null)}
  [ -n "$port" ] || { echo "pg-cluster: no port for $data (give one, or list it in $ports)" >&2; exit 2; }
  case "$port" in *[!0-9]*) echo "pg-cluster: port '$port' is not a number" >&2; exit 2 ;; esac
  as_pg "$bin/pg_ctl" -D "$data" -o "-p $port" -l "$logs/$(basename "$data").log" -w -t 300 start
  # pg_ctl -w returns once connections are accepted, which is during recovery (read-only).
  # A restore ends with promotion: wait for it, as PostgreSQL offers no event to wait on.
  tries=0
  while [ "$(as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -XAtqc 'select pg_is_in_recovery()' postgres)" != f ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 1200 ]; then
      echo "PostgreSQL in $data on port $port is still recovering after 2 minutes: see $logs" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "PostgreSQL in $data accepts writes on port $port."
  ;;
*)
  echo "pg-cluster: unknown action '$action' (stop or start)" >&2
  exit 2
  ;;
esac
