#!/usr/bin/env bash
# The server profile on one machine, without Docker: a PostgreSQL cluster (catalogue, lexical index,
# facts, accounts, login sessions, chat history), a `chroma run` server (vectors), N app replicas
# (`danvan serve`) on loopback ports and HAProxy in front of them with the shipped deploy/haproxy.cfg (sticky
# sessions for Gradio's queue, /healthz checks, dead replicas taken out, the upload limit).
#
#   scripts/server-stack.sh start [N]   # default N=2 (2 to 4); prints the URL
#   scripts/server-stack.sh restart I   # start replica I again after it died
#   scripts/server-stack.sh stop
#   scripts/server-stack.sh status
#
# Environment: STACK_DIR (default ./danvan-stack, relative to where you run it), STACK_PORT (the proxy,
# default 7860; replicas take the next N ports, PostgreSQL STACK_PORT+100, Chroma STACK_PORT+101),
# DANVAN_PYTHON (default the checkout's .venv), DANVAN_UPLOAD_FILES (files in one upload request the
# proxy lets through at DANVAN_MAX_FILE_MB each, default 10), and any DANVAN_* setting, passed to every
# replica. HAProxy: Debian's `haproxy` package (HAPROXY, default the one on PATH).
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
HAPROXY="${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}"
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

alive() {  # pid: running (a killed process not yet reaped, a zombie, is not)
  case "$(ps -o stat= -p "$1" 2>/dev/null)" in ""|Z*) return 1 ;; *) return 0 ;; esac
}

start_bg() {  # name command...
  local name="$1"; shift
  nohup "$@" >"$STACK_DIR/$name.log" 2>&1 &
  echo $! >"$STACK_DIR/$name.pid"
}

proxy_env() {  # n: the environment deploy/haproxy.cfg reads
  local n="$1" i max_mb files
  max_mb="${DANVAN_MAX_FILE_MB:-20}"
  files="${DANVAN_UPLOAD_FILES:-10}"
  echo "DANVAN_PROXY_BIND=127.0.0.1:$PORT" "DANVAN_PROXY_LOG=stdout" \
    "DANVAN_PROXY_MAX_BODY=$("$PY" -c "import sys; print(int((float(sys.argv[1]) * int(sys.argv[2]) + 1) * 1048576))" "$max_mb" "$files")"
  for i in $(seq 1 "$n"); do echo "DANVAN_REPLICA_$i=127.0.0.1:$((PORT + i))"; done
}

start_replica() {  # i
  local i="$1"
  ( cd "$ROOT" && start_bg "app$i" env DANVAN_DATABASE_URL="$DB_URL" \
      DANVAN_CHROMA_URL="http://127.0.0.1:$CHROMA_PORT" DANVAN_DATA_DIR="$STACK_DIR/app$i" \
      DANVAN_HOST=127.0.0.1 DANVAN_PORT="$((PORT + i))" "$PY" -m ui.cli serve )
}

start() {
  local n="${1:-2}" i
  if [ "$n" -lt 2 ] || [ "$n" -gt 4 ]; then echo "số bản sao phải từ 2 đến 4" >&2; exit 2; fi
  [ -x "$HAPROXY" ] || { echo "cần HAProxy: apt-get install haproxy" >&2; exit 1; }
  # shellcheck disable=SC2046
  env $(proxy_env "$n") "$HAPROXY" -c -q -f "$ROOT/deploy/haproxy.cfg" >/dev/null
  start_pg
  start_bg chroma "$(dirname "$PY")/chroma" run --path "$STACK_DIR/chroma" --host 127.0.0.1 --port "$CHROMA_PORT"
  wait_http "http://127.0.0.1:$CHROMA_PORT/api/v2/heartbeat" 180
  for i in $(seq 1 "$n"); do start_replica "$i"; done
  for i in $(seq 1 "$n"); do wait_http "http://127.0.0.1:$((PORT + i))/healthz" 300; done
  # shellcheck disable=SC2046
  start_bg proxy env $(proxy_env "$n") "$HAPROXY" -db -f "$ROOT/deploy/haproxy.cfg"
  wait_http "http://127.0.0.1:$PORT/healthz" 60
  echo "$n" >"$STACK_DIR/replicas"
  echo "Trợ lý Dân vận (máy chủ): http://127.0.0.1:$PORT  ($n bản sao, PostgreSQL :$PG_PORT, Chroma :$CHROMA_PORT)"
}

stop() {
  local f pid
  for f in "$STACK_DIR"/proxy.pid "$STACK_DIR"/app*.pid "$STACK_DIR"/chroma.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
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
    if alive "$(cat "$f")"; then echo "$(basename "$f" .pid): chạy"; else echo "$(basename "$f" .pid): dừng"; fi
  done
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && echo "postgresql: chạy" || echo "postgresql: dừng"
}

restart_replica() {  # i: start replica i again (after a crash); the proxy's checks bring it back
  local i="$1"
  [ -f "$STACK_DIR/app$i.pid" ] && alive "$(cat "$STACK_DIR/app$i.pid")" && { echo "app$i: đang chạy"; return 0; }
  start_replica "$i"
  wait_http "http://127.0.0.1:$((PORT + i))/healthz" 300
  echo "app$i: đã khởi động lại"
}

case "${1:-start}" in
  start) start "${2:-2}" ;;
  restart) restart_replica "${2:?cách dùng: $0 restart I}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "cách dùng: $0 start [N] | restart I | stop | status" >&2; exit 2 ;;
esac
