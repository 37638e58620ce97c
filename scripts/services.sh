#!/usr/bin/env bash
# Starts the scale-out services for tests: PostgreSQL on 127.0.0.1:5432 (role+db `parley`) and
# NATS with JetStream on 127.0.0.1:4222. Idempotent. Logs go to stderr; stdout carries only the
# `export PARLEY_PG_URL=… PARLEY_NATS_URL=…` lines, so use: eval "$(scripts/services.sh)"
# (or `source scripts/services.sh`, which runs it in a child shell and exports the two variables).
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  eval "$(bash "${BASH_SOURCE[0]}")"
  return $?
fi
set -euo pipefail

PG_PORT="${PARLEY_PG_PORT:-5432}"
NATS_PORT="${PARLEY_NATS_PORT:-4222}"
NATS_DIR="${PARLEY_NATS_DIR:-/var/tmp/parley-nats}"
PG_URL="postgres://parley:parley@127.0.0.1:${PG_PORT}/parley"
NATS_URL="nats://127.0.0.1:${NATS_PORT}"

log() { echo "services: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port name
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  log "$2 did not answer on 127.0.0.1:$1"; return 1
}

# 1. Packages, only when missing.
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
[ -d /usr/lib/postgresql ] && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# 2. PostgreSQL: the newest installed major version, cluster `main`.
PG_VER="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VER main"; then
  log "creating PostgreSQL $PG_VER cluster main"
  as_root pg_createcluster -p "$PG_PORT" "$PG_VER" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$PG_VER" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting PostgreSQL $PG_VER/main"
  as_root pg_ctlcluster "$PG_VER" main start >&2
fi
wait_port "$PG_PORT" PostgreSQL
psql_su() { as_root su postgres -s /bin/sh -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -qtAc \"$1\"" ; }
for _ in $(seq 1 20); do psql_su "select 1" >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$(psql_su "select 1 from pg_roles where rolname='parley'")" != 1 ]; then
  log "creating role parley"
  psql_su "create role parley login password 'parley'" >&2
fi
if [ "$(psql_su "select 1 from pg_database where datname='parley'")" != 1 ]; then
  log "creating database parley"
  psql_su "create database parley owner parley" >&2
fi

# 3. NATS with JetStream, in the background, state in $NATS_DIR.
if ! port_open "$NATS_PORT"; then
  mkdir -p "$NATS_DIR"
  log "starting nats-server -js on 127.0.0.1:$NATS_PORT (store $NATS_DIR)"
  setsid nohup nats-server -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$NATS_DIR" >"$NATS_DIR/nats.log" 2>&1 < /dev/null &
fi
wait_port "$NATS_PORT" nats-server

log "PostgreSQL and NATS are up"
echo "export PARLEY_PG_URL=$PG_URL"
echo "export PARLEY_NATS_URL=$NATS_URL"
