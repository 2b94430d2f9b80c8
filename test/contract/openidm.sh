#!/usr/bin/env bash
# OpenIDM (Open Identity Platform) as the contract suite's second server.
#   fetch  resolve the newest openidm-zip the Maven repository serves and copy it into the cache
#   start  unpack it, bind it to 127.0.0.1 on free ports, start it, wait for "OpenIDM ready"
#   stop   shut it down and leave no process behind
# Idempotent. Everything lives under .cache/openidm/ (ignored by git).
# Exit codes: 0 ok; 3 the artifact cannot be had (the reason is in .cache/openidm/unavailable.txt);
# anything else is a real failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE=$ROOT/.cache/openidm
GROUP=org.openidentityplatform.openidm
ARTIFACT=openidm-zip
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
READY_TIMEOUT=${OPENIDM_READY_TIMEOUT:-240}
mkdir -p "$CACHE"

log() { echo "openidm.sh: $*" >&2; }

# Release versions to try, newest first: the ones listed for openidm-zip itself, or, when that
# artifact has no metadata, the releases listed for openidm-core (every release builds both).
candidate_versions() {
  rm -f "$CACHE/version.note"
  if [ -n "${OPENIDM_VERSION:-}" ]; then echo "$OPENIDM_VERSION"; return 0; fi
  local a meta
  for a in "$ARTIFACT" openidm-core; do
    mvn -B -q -U "$DEP_PLUGIN:get" -Dartifact="$GROUP:$a:RELEASE:pom" -Dtransitive=false >"$CACHE/resolve-$a.log" 2>&1
    meta=$HOME/.m2/repository/${GROUP//.//}/$a/maven-metadata-central.xml
    if [ -f "$meta" ]; then
      [ "$a" = "$ARTIFACT" ] ||
        echo "$GROUP:$ARTIFACT lists no versions (its maven-metadata.xml is not served); tried the releases listed for $GROUP:$a, newest first" >"$CACHE/version.note"
      sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$meta" | grep -v SNAPSHOT | sort -V -r
      return 0
    fi
  done
  return 1
}

# A failure is remembered for an hour, so setup and the lane in one CI run ask the repository once.
recent_failure() {
  [ -f "$CACHE/unavailable.txt" ] && [ -n "$(find "$CACHE/unavailable.txt" -mmin -60 2>/dev/null)" ]
}

fetch() {
  local zip versions version cmd first="" tried=""
  if zip=$(ls "$CACHE"/openidm-zip-*.zip 2>/dev/null | sort -V | tail -n1) && [ -n "$zip" ]; then
    echo "$zip"
    return 0
  fi
  if recent_failure && [ -z "${OPENIDM_REFETCH:-}" ]; then
    log "$(cat "$CACHE/unavailable.txt")"
    return 3
  fi
  if ! versions=$(candidate_versions) || [ -z "$versions" ]; then
    {
      echo "The OpenIDM artifact cannot be had: no version of $GROUP could be resolved."
      tail -n 5 "$CACHE"/resolve-*.log | sed -E 's# \(https?://[^)]*\)##'
    } >"$CACHE/unavailable.txt"
    log "$(cat "$CACHE/unavailable.txt")"
    return 3
  fi
  for version in $versions; do
    cmd="mvn -B -U $DEP_PLUGIN:copy -Dartifact=$GROUP:$ARTIFACT:$version:zip -DoutputDirectory=.cache/openidm"
    log "$cmd"
    if $cmd >"$CACHE/fetch.log" 2>&1; then
      rm -f "$CACHE/unavailable.txt"
      ls "$CACHE"/openidm-zip-*.zip | sort -V | tail -n1
      return 0
    fi
    tried="$tried $version"
    if [ -z "$first" ]; then
      first="command: $cmd
error: $(grep -m1 '^\[ERROR\]' "$CACHE/fetch.log" | sed -E 's# \(https?://[^)]*\)##; s# -> \[Help 1\]##' | cut -c1-400)"
    fi
  done
  {
    echo "The OpenIDM artifact is not served by the Maven repository this machine reaches."
    echo "$first"
    echo "versions tried, none of them served:$tried"
    cat "$CACHE/version.note" 2>/dev/null
  } >"$CACHE/unavailable.txt"
  log "$(cat "$CACHE/unavailable.txt")"
  return 3
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

set_prop() { # file key value: replace or append key=value
  if grep -q "^$2=" "$1"; then sed -i "s|^$2=.*|$2=$3|" "$1"; else echo "$2=$3" >>"$1"; fi
}

start() {
  local zip home port https mutual pid started
  zip=$(fetch) || return $?
  home=$CACHE/server
  if [ -f "$CACHE/pid" ] && kill -0 "$(cat "$CACHE/pid")" 2>/dev/null; then
    cat "$CACHE/url"
    return 0
  fi
  # A fresh copy each start: OpenIDM writes its repository and logs inside its folder.
  rm -rf "$home" && mkdir -p "$home"
  if command -v unzip >/dev/null; then unzip -q "$zip" -d "$home"; else (cd "$home" && jar xf "$zip"); fi ||
    { log "cannot unpack $zip"; return 1; }
  home=$home/openidm
  port=$(free_port) https=$(free_port) mutual=$(free_port)
  set_prop "$home/conf/boot/boot.properties" openidm.port.http "$port"
  set_prop "$home/conf/boot/boot.properties" openidm.port.https "$https"
  set_prop "$home/conf/boot/boot.properties" openidm.port.mutualauth "$mutual"
  set_prop "$home/conf/boot/boot.properties" openidm.auth.clientauthonlyports "$mutual"
  started=$(date +%s)
  # Both the Jetty connector property and pax-web's listening address, whichever this release reads.
  (cd "$home" && OPENIDM_OPTS="-Xmx1024m -Djetty.host=127.0.0.1 -Dorg.ops4j.pax.web.listening.addresses=127.0.0.1" \
    setsid nohup ./startup.sh >"$CACHE/console.log" 2>&1 </dev/null & echo $! >"$CACHE/pid")
  pid=$(cat "$CACHE/pid")
  echo "http://127.0.0.1:$port" >"$CACHE/url"
  while ! grep -q "OpenIDM ready" "$CACHE/console.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "OpenIDM exited while starting; last lines of its console:"
      tail -n 20 "$CACHE/console.log" >&2
      return 1
    fi
    if [ $(($(date +%s) - started)) -gt "$READY_TIMEOUT" ]; then
      log "OpenIDM not ready after ${READY_TIMEOUT}s"
      stop
      return 1
    fi
    sleep 1
  done
  log "OpenIDM ready in $(($(date +%s) - started))s at $(cat "$CACHE/url")"
  cat "$CACHE/url"
}

stop() {
  local pid
  [ -f "$CACHE/pid" ] || return 0
  pid=$(cat "$CACHE/pid")
  if kill -0 "$pid" 2>/dev/null; then
    # setsid made the start script a group leader: end its whole group (the JVM is in it).
    kill -TERM -- "-$pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$pid" 2>/dev/null
  fi
  rm -f "$CACHE/pid" "$CACHE/url"
}

case "${1:-}" in
  fetch) fetch >/dev/null ;;
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 fetch|start|stop" >&2
    exit 2
    ;;
esac
