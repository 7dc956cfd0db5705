#!/usr/bin/env bash
# The server profile on one machine, without Docker: a PostgreSQL cluster (catalogue, lexical index,
# facts), a `chroma run` server (vectors), N app replicas (`danvan serve`) on loopback ports and a tiny
# round-robin proxy (ui/roundrobin.py) in front of them.
#
#   scripts/server-stack.sh start [N]   # default N=2; prints the URL
#   scripts/server-stack.sh stop
#   scripts/server-stack.sh status
#
# Environment: STACK_DIR (default ./danvan-stack, relative to where you run it), STACK_PORT (the proxy,
# default 7860; replicas take the next N ports, PostgreSQL STACK_PORT+100, Chroma STACK_PORT+101),
# DANVAN_PYTHON (default the checkout's .venv), and any DANVAN_* setting, passed to every replica.
# PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${DANVAN_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
STACK_DIR="$(mkdir -p "${STACK_DIR:-./danvan-stack}" && cd "${STACK_DIR:-./danvan-stack}" && pwd)"
PORT="${STACK_PORT:-7860}"
PG_PORT=$((PORT + 100))
CHROMA_PORT=$((PORT + 101))
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
[ -x "$PG_BIN/pg_ctl" ] || PG_BIN="$(dirname "$(command -v pg_ctl || echo /usr/bin/pg_ctl)")"
PGDATA="$STACK_DIR/pg/data"
DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/danvan"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

wait_http() {  # url seconds
  local deadline=$((SECONDS + $2))
  until "$PY" -c "
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass  # it answers (a login may be required)" "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "không khởi động được: $1 (xem $STACK_DIR/*.log)" >&2; return 1; }
    sleep 0.5
  done
}

start_pg() {
  mkdir -p "$STACK_DIR/pg"
  if [ "$(id -u)" = 0 ]; then chmod o+x "$STACK_DIR"; chown postgres:postgres "$STACK_DIR/pg"; chmod 700 "$STACK_DIR/pg"; fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  fi
  if ! as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='danvan'" | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres danvan
  fi
}

start_bg() {  # name command...
  local name="$1"; shift
  nohup "$@" >"$STACK_DIR/$name.log" 2>&1 &
  echo $! >"$STACK_DIR/$name.pid"
}

start() {
  local n="${1:-2}" backends="" i
  start_pg
  start_bg chroma "$(dirname "$PY")/chroma" run --path "$STACK_DIR/chroma" --host 127.0.0.1 --port "$CHROMA_PORT"
  wait_http "http://127.0.0.1:$CHROMA_PORT/api/v2/heartbeat" 60
  for i in $(seq 1 "$n"); do
    local p=$((PORT + i))
    ( cd "$ROOT" && start_bg "app$i" env DANVAN_DATABASE_URL="$DB_URL" \
        DANVAN_CHROMA_URL="http://127.0.0.1:$CHROMA_PORT" DANVAN_DATA_DIR="$STACK_DIR/app$i" \
        DANVAN_HOST=127.0.0.1 DANVAN_PORT="$p" "$PY" -m ui.cli serve )
    backends="$backends${backends:+,}http://127.0.0.1:$p"
  done
  for i in $(seq 1 "$n"); do wait_http "http://127.0.0.1:$((PORT + i))/config" 300; done
  ( cd "$ROOT" && start_bg proxy "$PY" -m ui.roundrobin --port "$PORT" --backends "$backends" )
  wait_http "http://127.0.0.1:$PORT/config" 60
  echo "$n" >"$STACK_DIR/replicas"
  echo "Trợ lý Dân vận (máy chủ): http://127.0.0.1:$PORT  ($n bản sao, PostgreSQL :$PG_PORT, Chroma :$CHROMA_PORT)"
}

stop() {
  local f pid
  for f in "$STACK_DIR"/proxy.pid "$STACK_DIR"/app*.pid "$STACK_DIR"/chroma.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$PGDATA/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; fi
  echo "Đã dừng."
}

status() {
  local f
  for f in "$STACK_DIR"/*.pid; do
    [ -f "$f" ] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then echo "$(basename "$f" .pid): chạy"; else echo "$(basename "$f" .pid): dừng"; fi
  done
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && echo "postgresql: chạy" || echo "postgresql: dừng"
}

case "${1:-start}" in
  start) start "${2:-2}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "cách dùng: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
