#!/usr/bin/env bash
# Gatelink load benchmark: requests per second and latency percentiles, in one run on this machine, of
#   direct            the client calling the backend itself (the baseline)
#   gatelink          the same client through Gatelink's runner (examples/gateway), $default -> backend
#   nginx             nginx as a reverse proxy (upstream keep-alive, HTTP/1.1)
#   vertx-http-proxy  Vert.x's own reverse proxy (io.vertx:vertx-http-proxy, the BOM's version)
#   haproxy           HAProxy in HTTP mode (an extra peer)
# all on loopback, in front of one backend (HelloBackend: "hello world\n" from one Vert.x event loop).
#
# Throughput: wrk (closed loop), one warm-up per target, then rounds that alternate the targets; medians and
# spread. Latency: OpenLoopLoad at one fixed rate for every target (a fraction of the weakest proxy's median
# throughput), percentiles measured from each request's intended send time (no coordinated omission).
# Writes a markdown report with every figure and ratio and the floors checked, and prints it.
#
# Usage, from anywhere (the script finds the repository root):
#   benchmarks/scripts/load-bench.sh [--skip TARGET[,TARGET...]] [--no-build] [--report FILE]
# Knobs (environment): see usage() below or benchmarks/README.md. A smoke run:
#   BENCH_WARMUP=3 BENCH_DURATION=3 BENCH_ROUNDS=1 BENCH_LAT_WARMUP=3 BENCH_LAT_DURATION=3 BENCH_LAT_ROUNDS=1 \
#     benchmarks/scripts/load-bench.sh --skip gatelink
#
# Installs nginx-light, haproxy and wrk with apt-get if one is missing. Starts every process on 127.0.0.1
# with free ports, records each pid, and stops exactly those pids on exit (also on error or Ctrl-C).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMMAND_LINE="benchmarks/scripts/load-bench.sh${*:+ $*}"

# ---- knobs ------------------------------------------------------------------------------------------------
WARMUP=${BENCH_WARMUP:-10}                 # s of wrk per target before the rounds (warms every JVM)
DURATION=${BENCH_DURATION:-20}             # s of each measured wrk run
ROUNDS=${BENCH_ROUNDS:-3}                  # rounds of wrk runs, targets alternating within a round
CONNECTIONS=${BENCH_CONNECTIONS:-64}       # wrk -c, and OpenLoopLoad's most connections
LAT_WARMUP=${BENCH_LAT_WARMUP:-10}         # s OpenLoopLoad sends before it records
LAT_DURATION=${BENCH_LAT_DURATION:-20}     # s OpenLoopLoad records
LAT_ROUNDS=${BENCH_LAT_ROUNDS:-3}          # fixed-rate runs per target (medians of percentiles if > 1; README: why 3)
RATE_FRACTION=${BENCH_RATE_FRACTION:-0.25}  # fixed rate = this x the weakest proxy's median throughput (README: why not 0.5)
RATE=${BENCH_RATE:-}                       # or a fixed rate in req/s, the same for every target
PROXY_THREADS=${BENCH_PROXY_THREADS:-2}    # nginx workers, HAProxy threads, vertx-http-proxy event loops
POOL_SIZE=${BENCH_POOL_SIZE:-64}           # upstream connections: vertx-http-proxy pool, nginx keepalive, HAProxy maxconn
BACKEND_LOOPS=${BENCH_BACKEND_LOOPS:-1}    # HelloBackend event loops
TRANSPORT=${BENCH_TRANSPORT:-auto}         # Netty transport of every Java server: auto (epoll, else io_uring, else nio) or one
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC}  # every Java process
GATELINK_ARGS=${BENCH_GATELINK_ARGS:-}     # extra arguments for Gatelink's runner
GATELINK_JAR=${BENCH_GATELINK_JAR:-$ROOT/examples/gateway/target/gatelink-gateway.jar}
OUT_DIR=${BENCH_OUT_DIR:-$ROOT/benchmarks/target/load-bench}
REPORT=${BENCH_REPORT:-$OUT_DIR/report.md}
SKIP=${BENCH_SKIP:-}                       # targets to leave out, comma-separated (also --skip)
BUILD=${BENCH_BUILD:-1}                    # 0: use the jars already built (also --no-build)
KEEP_RUN_DIR=${BENCH_KEEP_RUN_DIR:-0}      # 1: keep the /tmp run directory (configs, logs) for a look
START_TIMEOUT=${BENCH_START_TIMEOUT:-60}   # s to wait for a process to say it is listening

ALL_TARGETS=(direct gatelink nginx vertx-http-proxy haproxy)
LOAD_JAR=$ROOT/benchmarks/target/benchmarks.jar
API_FILE=$SCRIPT_DIR/load-bench/api.yaml
REPORT_PY=$SCRIPT_DIR/load-bench-report.py
LOAD_PKG=dev.gatelink.benchmarks.load

usage() {
  cat <<EOF
Usage: benchmarks/scripts/load-bench.sh [--skip TARGET[,TARGET...]] [--no-build] [--report FILE]

Targets: ${ALL_TARGETS[*]} (direct cannot be skipped).
Environment knobs (defaults in brackets):
  BENCH_WARMUP [10] BENCH_DURATION [20] BENCH_ROUNDS [3]      wrk warm-up per target, measured run, rounds
  BENCH_CONNECTIONS [64]                                      wrk -c and OpenLoopLoad connections
  BENCH_LAT_WARMUP [10] BENCH_LAT_DURATION [20] BENCH_LAT_ROUNDS [3]   fixed-rate runs
  BENCH_RATE_FRACTION [0.25] or BENCH_RATE                     fixed rate: fraction of weakest proxy, or req/s
  BENCH_PROXY_THREADS [2] BENCH_POOL_SIZE [64] BENCH_BACKEND_LOOPS [1]
  BENCH_TRANSPORT [auto]                                      Java servers' transport: auto, epoll, io_uring, nio
  BENCH_JAVA_OPTS [-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC]
  BENCH_GATELINK_JAR, BENCH_GATELINK_ARGS, BENCH_SKIP, BENCH_BUILD [1], BENCH_OUT_DIR, BENCH_REPORT,
  BENCH_KEEP_RUN_DIR [0], BENCH_START_TIMEOUT [60]
Smoke run (about 1 minute):
  BENCH_WARMUP=3 BENCH_DURATION=3 BENCH_ROUNDS=1 BENCH_LAT_WARMUP=3 BENCH_LAT_DURATION=3 BENCH_LAT_ROUNDS=1 \\
    benchmarks/scripts/load-bench.sh --skip gatelink
EOF
}

while (($#)); do
  case $1 in
    --skip) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; SKIP=${SKIP:+$SKIP,}$2; shift 2 ;;
    --skip=*) SKIP=${SKIP:+$SKIP,}${1#--skip=}; shift ;;
    --no-build) BUILD=0; shift ;;
    --report) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; REPORT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "load-bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_NAME=load-bench
# shellcheck source=lib/bench-common.sh
source "$SCRIPT_DIR/lib/bench-common.sh"
for knob in WARMUP DURATION ROUNDS CONNECTIONS LAT_WARMUP LAT_DURATION LAT_ROUNDS PROXY_THREADS POOL_SIZE \
            BACKEND_LOOPS START_TIMEOUT; do
  is_uint "${!knob}" || die "BENCH_$knob='${!knob}' is not a whole number"
done
for knob in DURATION ROUNDS CONNECTIONS LAT_DURATION LAT_ROUNDS PROXY_THREADS POOL_SIZE BACKEND_LOOPS; do
  ((${!knob} > 0)) || die "BENCH_$knob must be at least 1"
done
[[ -z $RATE ]] || is_uint "$RATE" || die "BENCH_RATE='$RATE' is not a whole number of requests per second"

TARGETS=()
IFS=',' read -r -a skip_list <<<"$SKIP"
for s in "${skip_list[@]}"; do
  [[ -z $s ]] && continue
  [[ " ${ALL_TARGETS[*]} " == *" $s "* ]] || die "--skip: unknown target '$s'; expected one of ${ALL_TARGETS[*]}"
  [[ $s != direct ]] || die "--skip: 'direct' is the baseline every ratio needs; it cannot be skipped"
done
for t in "${ALL_TARGETS[@]}"; do
  [[ ",$SKIP," == *",$t,"* ]] || TARGETS+=("$t")
done
wants() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }

# ---- processes we start, stopped by pid on exit ------------------------------------------------------------
PIDS=()
RUN_DIR=""
REPORTED=0
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  local rc=$? pid child children=()
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do
    # Children too (nginx workers), found by their parent's pid before the parent goes.
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do children+=("$child"); done
  done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${PIDS[@]}" "${children[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${PIDS[@]}" "${children[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
    if ((rc != 0 && !REPORTED)); then
      for f in "$RUN_DIR"/*.log "$RUN_DIR"/nginx/error.log; do
        [[ -s $f ]] && { echo "---- last lines of $f" >&2; tail -n 20 "$f" >&2; }
      done
    fi
    if [[ $KEEP_RUN_DIR == 1 ]]; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# ---- peers installed ------------------------------------------------------------------------------------------
NGINX=$(find_bin nginx); HAPROXY=$(find_bin haproxy); WRK=$(find_bin wrk)
if [[ -z $WRK || -z $NGINX || -z $HAPROXY ]]; then
  SUDO=""
  (($(id -u) == 0)) || SUDO=sudo
  log "installing the peers with apt-get: nginx-light haproxy wrk"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light haproxy wrk
  NGINX=$(find_bin nginx); HAPROXY=$(find_bin haproxy); WRK=$(find_bin wrk)
fi
[[ -n $WRK && -n $NGINX && -n $HAPROXY ]] || die "wrk, nginx or haproxy is still missing after apt-get install"
for tool in curl python3 java; do command -v "$tool" >/dev/null || die "$tool is needed on PATH"; done

# ---- build ------------------------------------------------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  log "building: ./mvnw -B -q -DskipTests package"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi
[[ -f $LOAD_JAR ]] || die "$LOAD_JAR is missing; build with ./mvnw -B -q -DskipTests package"
if wants gatelink && [[ ! -f $GATELINK_JAR ]]; then
  die "Gatelink's runner $GATELINK_JAR is missing; build it, set BENCH_GATELINK_JAR, or run with --skip gatelink"
fi

# ---- run and output directories ---------------------------------------------------------------------------------
RUN_DIR=$(mktemp -d /tmp/gatelink-load-bench.XXXXXX)
chmod 755 "$RUN_DIR"   # nginx workers run as another user
RAW=$OUT_DIR/raw
mkdir -p "$RAW" "$(dirname "$REPORT")"
rm -f "$RAW"/*

per_target_s=$((WARMUP + ROUNDS * DURATION + LAT_ROUNDS * (LAT_WARMUP + LAT_DURATION)))
log "targets: ${TARGETS[*]}; load for about $(( (per_target_s * ${#TARGETS[@]} + 59) / 60 )) min"

# shellcheck disable=SC2206
JAVA=(java $JAVA_OPTS)
# One transport for every Java server (backend, Gatelink, vertx-http-proxy), resolved once: auto becomes the name.
JAVA_TRANSPORT=$(java -cp "$LOAD_JAR" "$LOAD_PKG.VertxTransports" "$TRANSPORT") \
  || die "BENCH_TRANSPORT='$TRANSPORT' cannot be used here (see the message above)"
log "Java servers' transport: $JAVA_TRANSPORT"

# ---- backend ----------------------------------------------------------------------------------------------------
"${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.HelloBackend" --host 127.0.0.1 --port 0 --event-loops "$BACKEND_LOOPS" \
  --transport "$JAVA_TRANSPORT" \
  >"$RUN_DIR/backend.log" 2>&1 &
BACKEND_PID=$!; PIDS+=("$BACKEND_PID")
BACKEND_PORT=$(wait_for_line "$RUN_DIR/backend.log" '^listening on [0-9]+$' "$BACKEND_PID" HelloBackend)
BACKEND_PORT=${BACKEND_PORT#listening on }
declare -A URL
# The processes whose CPU time is the target's own (the backend's is sampled for every target).
declare -A TPID
URL[direct]="http://127.0.0.1:$BACKEND_PORT/"
log "backend (HelloBackend, pid $BACKEND_PID) on ${URL[direct]}"

# ---- Gatelink -----------------------------------------------------------------------------------------------------
if wants gatelink; then
  # shellcheck disable=SC2086
  "${JAVA[@]}" -jar "$GATELINK_JAR" --api "$API_FILE" --host 127.0.0.1 --port 0 \
    --resolve "backend.bench:18080=127.0.0.1:$BACKEND_PORT" --event-loops "$PROXY_THREADS" \
    --transport "$JAVA_TRANSPORT" $GATELINK_ARGS >"$RUN_DIR/gatelink.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  line=$(wait_for_line "$RUN_DIR/gatelink.log" '^Gatelink listening on http://[^ ]+:[0-9]+$' "$pid" Gatelink)
  URL[gatelink]="${line#Gatelink listening on }/"
  TPID[gatelink]=$pid
  log "gatelink (pid $pid) on ${URL[gatelink]}"
fi

# ---- nginx ----------------------------------------------------------------------------------------------------------
if wants nginx; then
  port=$(free_port)
  mkdir -p "$RUN_DIR/nginx"
  chmod 755 "$RUN_DIR/nginx"
  cat >"$RUN_DIR/nginx/nginx.conf" <<EOF
# One worker per proxy thread: as many as Gatelink's event loops.
worker_processes $PROXY_THREADS;
worker_rlimit_nofile 16384;
daemon off;
pid $RUN_DIR/nginx/nginx.pid;
error_log $RUN_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $RUN_DIR/nginx/client_body;
  proxy_temp_path $RUN_DIR/nginx/proxy;
  fastcgi_temp_path $RUN_DIR/nginx/fastcgi;
  uwsgi_temp_path $RUN_DIR/nginx/uwsgi;
  scgi_temp_path $RUN_DIR/nginx/scgi;
  upstream be {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive $POOL_SIZE;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$port backlog=4096 reuseport;
    location / {
      proxy_pass http://be;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  "$NGINX" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -e "$RUN_DIR/nginx/error.log" \
    >"$RUN_DIR/nginx.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  URL[nginx]="http://127.0.0.1:$port/"
  TPID[nginx]=$pid
  wait_for_hello nginx "${URL[nginx]}" "$pid"
  log "nginx (pid $pid, $PROXY_THREADS workers) on ${URL[nginx]}"
fi

# ---- vertx-http-proxy ---------------------------------------------------------------------------------------------
if wants vertx-http-proxy; then
  "${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.HttpProxyPeer" --host 127.0.0.1 --port 0 \
    --event-loops "$PROXY_THREADS" --backend-host 127.0.0.1 --backend-port "$BACKEND_PORT" --pool-size "$POOL_SIZE" \
    --transport "$JAVA_TRANSPORT" \
    >"$RUN_DIR/vertx-http-proxy.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  line=$(wait_for_line "$RUN_DIR/vertx-http-proxy.log" '^listening on [0-9]+$' "$pid" HttpProxyPeer)
  URL[vertx-http-proxy]="http://127.0.0.1:${line#listening on }/"
  TPID[vertx-http-proxy]=$pid
  log "vertx-http-proxy (pid $pid, $PROXY_THREADS event loops, pool $POOL_SIZE) on ${URL[vertx-http-proxy]}"
fi

# ---- HAProxy ------------------------------------------------------------------------------------------------------
if wants haproxy; then
  port=$(free_port)
  cat >"$RUN_DIR/haproxy.cfg" <<EOF
global
  nbthread $PROXY_THREADS
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fh
  bind 127.0.0.1:$port
  default_backend bh
backend bh
  http-reuse always
  server s1 127.0.0.1:$BACKEND_PORT maxconn $POOL_SIZE
EOF
  "$HAPROXY" -db -f "$RUN_DIR/haproxy.cfg" >"$RUN_DIR/haproxy.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  URL[haproxy]="http://127.0.0.1:$port/"
  TPID[haproxy]=$pid
  wait_for_hello haproxy "${URL[haproxy]}" "$pid"
  log "haproxy (pid $pid, $PROXY_THREADS threads) on ${URL[haproxy]}"
fi

for t in "${TARGETS[@]}"; do
  wait_for_hello "$t" "${URL[$t]}" "$BACKEND_PID"
done

# ---- what the report needs besides the figures ---------------------------------------------------------------------
{
  echo "command=$(for v in $(compgen -e | grep '^BENCH_' || true); do printf '%s=%q ' "$v" "${!v}"; done)$COMMAND_LINE"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpus=$(nproc)"
  echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | sed -n 2p)"
  echo "nginx=$("$NGINX" -v 2>&1 | sed 's/^nginx version: nginx\///')"
  echo "haproxy=$("$HAPROXY" -v 2>&1 | head -n 1 | awk '{print $3}')"
  echo "wrk=$("$WRK" -v 2>&1 | head -n 1 | awk '{print $2}')"
  echo "targets=${TARGETS[*]}"
  echo "skipped=$SKIP"
  echo "connections=$CONNECTIONS"
  echo "warmup=$WARMUP"
  echo "duration=$DURATION"
  echo "rounds=$ROUNDS"
  echo "lat_warmup=$LAT_WARMUP"
  echo "lat_duration=$LAT_DURATION"
  echo "lat_rounds=$LAT_ROUNDS"
  echo "rate_fraction=$RATE_FRACTION"
  echo "proxy_threads=$PROXY_THREADS"
  echo "pool_size=$POOL_SIZE"
  echo "backend_loops=$BACKEND_LOOPS"
  echo "transport=$JAVA_TRANSPORT"
  echo "java_opts=$JAVA_OPTS"
  echo "gatelink_args=$GATELINK_ARGS"
} >"$RAW/meta.txt"

# ---- throughput: wrk, closed loop ------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {  # PID: user + system CPU time (clock ticks) of the process and of its child processes
  local total=0 p fields
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    if [[ -r /proc/$p/stat ]]; then
      # Fields after "pid (comm) ": state is the first, utime the 12th and stime the 13th.
      read -r -a fields < <(sed 's/^.*) //' "/proc/$p/stat")
      total=$((total + fields[11] + fields[12]))
    fi
  done
  echo "$total"
}
run_wrk() {  # TARGET SECONDS OUTPUT
  run_tracked timeout $(($2 + 30)) "$WRK" -t1 -c"$CONNECTIONS" -d"$2"s --latency "${URL[$1]}" >"$3"
}
if ((WARMUP > 0)); then
  for t in "${TARGETS[@]}"; do
    log "warm-up: wrk -t1 -c$CONNECTIONS -d${WARMUP}s ${URL[$t]} ($t)"
    run_wrk "$t" "$WARMUP" "$RAW/wrk-warmup-$t.txt"
  done
fi
for ((round = 1; round <= ROUNDS; round++)); do
  for t in "${TARGETS[@]}"; do
    sleep 1
    backend_before=$(cpu_ticks "$BACKEND_PID")
    proxy_before=""
    if [[ -n ${TPID[$t]:-} ]]; then proxy_before=$(cpu_ticks "${TPID[$t]}"); fi
    run_wrk "$t" "$DURATION" "$RAW/wrk-$t-r$round.txt"
    {
      echo "clk_tck=$CLK_TCK"
      echo "backend_ticks=$(($(cpu_ticks "$BACKEND_PID") - backend_before))"
      if [[ -n $proxy_before ]]; then echo "proxy_ticks=$(($(cpu_ticks "${TPID[$t]}") - proxy_before))"; fi
    } >"$RAW/cpu-$t-r$round.txt"
    log "round $round/$ROUNDS: $t $(grep -m1 '^Requests/sec' "$RAW/wrk-$t-r$round.txt")"
  done
done

# ---- latency: OpenLoopLoad at one fixed rate ---------------------------------------------------------------------------
if [[ -z $RATE ]]; then
  RATE=$(python3 "$REPORT_PY" rate "$RAW" "$RATE_FRACTION")
fi
echo "rate=$RATE" >>"$RAW/meta.txt"
log "fixed rate for every target: $RATE req/s"
for ((round = 1; round <= LAT_ROUNDS; round++)); do
  for t in "${TARGETS[@]}"; do
    sleep 1
    run_tracked "${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.OpenLoopLoad" --url "${URL[$t]}" --rate "$RATE" \
      --connections "$CONNECTIONS" --warmup-s "$LAT_WARMUP" --duration-s "$LAT_DURATION" \
      --out "$RAW/lat-$t-r$round.json" >/dev/null
    log "latency $round/$LAT_ROUNDS: $t $(cat "$RAW/lat-$t-r$round.json")"
  done
done

# ---- report -----------------------------------------------------------------------------------------------------------
status=0
python3 "$REPORT_PY" report "$RAW" >"$REPORT" || status=$?
REPORTED=1
cat "$REPORT"
log "report written to $REPORT (raw results in $RAW)"
exit "$status"
