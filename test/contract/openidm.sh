#!/usr/bin/env bash
# A real OpenIDM 6.1.0 (Open Identity Platform) as the contract suite's second server, built by the
# shared kit's assemble.sh (../shared/openidm/README.md: start command, readiness, observed behaviours).
#   build   build the server once into .cache/openidm-server (ignored by git); seconds when already built
#   start   lay out a fresh tree (assemble.sh --reset) on free ports, start its JVM, wait for ACTIVE_READY,
#           print the URL (last line of stdout)
#   stop    stop that JVM by its own PID; with --keep-logs DIR, copy the server's logs into DIR first
# Exit codes: 0 ok; 3 the server cannot be built here (the reason is in .cache/openidm-server/unavailable.txt:
# no shared kit, no Java 17+, no Maven...); anything else is a real failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE=$ROOT/.cache/openidm-server
TREE=$CACHE/openidm
READY_TIMEOUT=${OPENIDM_READY_TIMEOUT:-240}
# The shared kit sits beside the clone (CI) or the work tree (development); SCANJOBS_SHARED overrides.
SHARED=${SCANJOBS_SHARED:-$ROOT/../shared}
ASSEMBLE=$SHARED/openidm/assemble.sh
mkdir -p "$CACHE"

log() { echo "openidm.sh: $*" >&2; }

unavailable() { # reason...: record why the server cannot be had here, say it, exit 3
  echo "$*" >"$CACHE/unavailable.txt"
  log "$*"
  exit 3
}

# Java's major version, or 0 when there is no java.
java_major() {
  command -v java >/dev/null || { echo 0; return; }
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | head -n1
}

check_tools() {
  [ -x "$ASSEMBLE" ] || unavailable "OpenIDM skipped: the shared kit's assemble.sh is not at $ASSEMBLE (set SCANJOBS_SHARED to the folder that holds openidm/)"
  local major
  major=$(java_major)
  [ "${major:-0}" -ge 17 ] 2>/dev/null || unavailable "OpenIDM skipped: it needs Java 17 or newer on PATH (found: ${major:-none})"
  command -v mvn >/dev/null || unavailable "OpenIDM skipped: Maven (mvn) is not on PATH, and assemble.sh builds the server with it"
  for tool in npm unzip python3; do
    command -v "$tool" >/dev/null || unavailable "OpenIDM skipped: '$tool' is not on PATH, and assemble.sh needs it"
  done
}

build() {
  check_tools
  if [ -f "$CACHE/build/openidm-zip/target/openidm-6.1.0.zip" ]; then return 0; fi
  log "building OpenIDM 6.1.0 with $ASSEMBLE (a few minutes the first time)"
  if ! bash "$ASSEMBLE" "$CACHE" >"$CACHE/build.log" 2>&1; then
    tail -n 20 "$CACHE/build.log" >&2
    unavailable "OpenIDM skipped: assemble.sh failed; the last lines of its log are in $CACHE/build.log"
  fi
  rm -f "$CACHE/unavailable.txt"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

ping() { # prints the ping reply, empty when nothing answers
  curl -s --max-time 5 -H 'X-OpenIDM-Username: openidm-admin' -H 'X-OpenIDM-Password: openidm-admin' \
    -H 'X-OpenIDM-NoSession: true' "$1/openidm/info/ping" 2>/dev/null
}

start() {
  local port https mutual pid started url
  if [ -f "$CACHE/pid" ] && kill -0 "$(cat "$CACHE/pid")" 2>/dev/null; then
    cat "$CACHE/url"
    return 0
  fi
  build
  port=$(free_port) https=$(free_port) mutual=$(free_port)
  # A fresh tree for every lane run: the repository, configs written back as conf/schedule-*.json and
  # logs of an earlier run are gone.
  OPENIDM_HTTP_PORT=$port OPENIDM_HTTPS_PORT=$https OPENIDM_MUTUAL_PORT=$mutual \
    bash "$ASSEMBLE" --reset "$CACHE" >"$CACHE/layout.log" 2>&1 || {
    cat "$CACHE/layout.log" >&2
    return 1
  }
  mkdir -p "$TREE/logs"
  started=$(date +%s)
  # The README's command line, started directly so that $! is the JVM's own id (the vendor's
  # shutdown.sh kills by parent id).
  cd "$TREE"
  nohup java -Xmx1g \
    -Djava.util.logging.config.file="$TREE/conf/logging.properties" \
    --add-opens=java.base/jdk.internal.loader=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
    --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED \
    -Dlogback.configurationFile=conf/logging-config.groovy -Djava.endorsed.dirs= \
    -classpath "$TREE/bin/*:$TREE/framework/*" -Dopenidm.system.server.root="$TREE" -Djava.awt.headless=true \
    org.forgerock.commons.launcher.Main -c "$TREE/bin/launcher.json" -p "$TREE" >logs/console.out 2>&1 </dev/null &
  pid=$!
  cd "$ROOT"
  echo "$pid" >"$CACHE/pid"
  url="http://127.0.0.1:$port"
  echo "$url" >"$CACHE/url"
  while ! ping "$url" | grep -q '"state":"ACTIVE_READY"'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "OpenIDM exited while starting; the last lines of its console:"
      tail -n 20 "$TREE/logs/console.out" >&2
      rm -f "$CACHE/pid"
      return 1
    fi
    if grep -q 'BindException' "$TREE/logs/console.out" 2>/dev/null; then
      log "OpenIDM could not bind its ports ($port, $https, $mutual); the last lines of its console:"
      grep -m3 'BindException' "$TREE/logs/console.out" >&2
      stop
      return 1
    fi
    if [ $(($(date +%s) - started)) -gt "$READY_TIMEOUT" ]; then
      log "OpenIDM not ACTIVE_READY after ${READY_TIMEOUT}s"
      stop
      return 1
    fi
    sleep 1
  done
  log "OpenIDM ACTIVE_READY in $(($(date +%s) - started))s at $url (pid $pid)"
  echo "$url"
}

stop() {
  local pid keep=""
  if [ "${1:-}" = "--keep-logs" ]; then keep=${2:?--keep-logs needs a folder}; fi
  if [ -n "$keep" ] && [ -d "$TREE/logs" ]; then
    mkdir -p "$keep" && cp -r "$TREE/logs/." "$keep/" && log "OpenIDM's logs kept in $keep"
  fi
  [ -f "$CACHE/pid" ] || return 0
  pid=$(cat "$CACHE/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$CACHE/pid" "$CACHE/url"
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) shift; stop "$@" ;;
  *)
    echo "usage: $0 build | start | stop [--keep-logs DIR]" >&2
    exit 2
    ;;
esac
