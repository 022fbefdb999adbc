#!/usr/bin/env bash
# Gatelink TLS-passthrough benchmark (issue 14): Gatelink's passthrough listener against HAProxy and nginx stream,
# all routing by the ClientHello's server name (SNI) without decrypting, in one run on this machine:
#   direct     wrk straight to the TLS backend (the baseline: no proxy)
#   gatelink   PassthroughBenchFixture --role passthrough: Gatelink's TlsPassthroughListener, one route
#   haproxy    HAProxy, mode tcp, tcp-request inspect-delay, use_backend if { req.ssl_sni -i NAME }
#   nginx      nginx stream, ssl_preread on, map $ssl_preread_server_name to the backend
# The backend is PassthroughBenchFixture --role backend: HTTPS/1.1 (Vert.x, the JDK's TLS) with its own self-signed
# ECDSA certificate for NAME. No proxy has a default route: an unknown name or none is refused, which the script
# checks for each, along with the backend's certificate seen through each, before it measures.
#
# Workloads (wrk, closed loop), each against the four targets in every round, the targets' order reversed every
# other round:
#   bulk       wrk -c8 on https://NAME:PORT/bulk (1 MiB bodies, keep-alive): MB/s, proxy CPU per GB
#   connect    wrk -c32 -H 'Connection: close': a TLS handshake and one small request per connection:
#              connections/s, p50/p99, proxy CPU per connection
#   keepalive  wrk -c64 on https://NAME:PORT/ (small requests, keep-alive): requests/s, p50/p99, proxy CPU per request
# CPU time is each target's whole process (nginx's workers included) from /proc/PID/stat over each measured run;
# Gatelink's is also split by thread (event loops, acceptor, the rest: JIT compiler and GC).
# Floors (issue 14), judged by CPU per unit as ../shared/benchmarking.md says (throughput and latency reported too):
# on each workload Gatelink at least as efficient as HAProxy (1.0x) and at least 0.9x nginx stream. Printed as
# PASS/FAIL; the script exits 0 either way.
#
# Pinned by default (BENCH_PIN=1): wrk and the backend on CPU 0, each proxy on CPU 1 with one thread (Gatelink one
# event loop, HAProxy nbthread 1, nginx worker_processes 1); BENCH_PIN=0: unpinned, two threads each.
#
# Usage: benchmarks/scripts/passthrough-bench.sh [--quick] [--zero-copy true|false] [--no-build] [--report FILE]
#   --quick       a smoke run (about 2 minutes): 2 s warm-ups, 1 round of 3 s; its figures are not results
#   --zero-copy   Gatelink's relay: true (the default, as the listener's) splices where its transport is epoll,
#                 false copies through pooled buffers; run both to compare
#   --no-build    use benchmarks/target/benchmarks.jar as built
#   --report      where the markdown report goes (benchmarks/target/passthrough-bench/report.md)
# Knobs (environment): BENCH_JVM_WARMUP (s of each workload against Gatelink alone before anything else, so that its
# JIT has compiled the connection setup: 40, quick 20), BENCH_WARMUP (s per workload and target, 6), BENCH_DURATION (s, 7), BENCH_ROUNDS (4),
# BENCH_PIN (1), BENCH_TRANSPORT (auto), BENCH_SERVER_NAME (localhost: wrk sends its URL's host as SNI, and this
# name resolves to 127.0.0.1 without touching /etc/hosts), BENCH_BULK_BYTES (1048576), BENCH_BULK_CONNECTIONS (8),
# BENCH_CONNECT_CONNECTIONS (32), BENCH_KEEPALIVE_CONNECTIONS (64), BENCH_BACKEND_LOOPS (1), BENCH_JAVA_OPTS,
# BENCH_KEEP_RUN_DIR (1 keeps configurations and logs). A full run takes about 11 minutes.
# Installs haproxy, nginx-light, libnginx-mod-stream and wrk with apt-get when missing. Stops exactly the processes
# it started, by pid (nginx's workers found by their parent's pid).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMMAND_LINE="benchmarks/scripts/passthrough-bench.sh${*:+ $*}"

QUICK=0
ZERO_COPY=true
BUILD=1
OUT_DIR=$ROOT/benchmarks/target/passthrough-bench
REPORT=$OUT_DIR/report.md
while (($#)); do
  case $1 in
    --quick) QUICK=1 ;;
    --zero-copy)
      [[ ${2:-} == true || ${2:-} == false ]] || { echo "--zero-copy takes true or false, not '${2:-}'" >&2; exit 2; }
      ZERO_COPY=$2; shift ;;
    --no-build) BUILD=0 ;;
    --report) REPORT=$2; shift ;;
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    *) echo "unknown argument '$1': expected --quick, --zero-copy true|false, --no-build or --report FILE" >&2
       exit 2 ;;
  esac
  shift
done

if ((QUICK)); then
  WARMUP=${BENCH_WARMUP:-2} DURATION=${BENCH_DURATION:-3} ROUNDS=${BENCH_ROUNDS:-1}
  JVM_WARMUP=${BENCH_JVM_WARMUP:-20}
else
  WARMUP=${BENCH_WARMUP:-6} DURATION=${BENCH_DURATION:-7} ROUNDS=${BENCH_ROUNDS:-4}
  JVM_WARMUP=${BENCH_JVM_WARMUP:-40}
fi
PIN=${BENCH_PIN:-1}
TRANSPORT=${BENCH_TRANSPORT:-auto}
SERVER_NAME=${BENCH_SERVER_NAME:-localhost}
BULK_BYTES=${BENCH_BULK_BYTES:-1048576}
BULK_CONNECTIONS=${BENCH_BULK_CONNECTIONS:-8}
CONNECT_CONNECTIONS=${BENCH_CONNECT_CONNECTIONS:-32}
KEEPALIVE_CONNECTIONS=${BENCH_KEEPALIVE_CONNECTIONS:-64}
BACKEND_LOOPS=${BENCH_BACKEND_LOOPS:-1}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC}
KEEP_RUN_DIR=${BENCH_KEEP_RUN_DIR:-0}
START_TIMEOUT=${BENCH_START_TIMEOUT:-60}
LOAD_JAR=$ROOT/benchmarks/target/benchmarks.jar
FIXTURE=dev.gatelink.benchmarks.load.PassthroughBenchFixture
TARGETS=(direct gatelink haproxy nginx)
PROXIES=(gatelink haproxy nginx)
WORKLOADS=(bulk connect keepalive)

BENCH_NAME=passthrough-bench
PIDS=()
RUN_DIR=""
# shellcheck source=lib/bench-common.sh
source "$SCRIPT_DIR/lib/bench-common.sh"
for knob in WARMUP JVM_WARMUP DURATION ROUNDS PIN BULK_BYTES BULK_CONNECTIONS CONNECT_CONNECTIONS KEEPALIVE_CONNECTIONS \
    BACKEND_LOOPS; do
  is_uint "${!knob}" || die "BENCH_$knob='${!knob}' is not a whole number"
done
((PIN <= 1)) || die "BENCH_PIN='$PIN' is not 0 or 1"
((DURATION > 0 && ROUNDS > 0)) || die "BENCH_DURATION and BENCH_ROUNDS must be at least 1"
LOAD_WHAT="wrk and the backend"
setup_pinning
if ((PIN)); then
  PINNING="wrk and the backend on CPU 0, each proxy on CPU 1 with 1 thread"
else
  PINNING="not pinned, 2 threads per proxy"
fi
PROXY_CPU=1   # the proxies' CPU when pinned: how busy it is besides the proxy measures other load

trap cleanup_run EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- peers, installed when missing ------------------------------------------------------------------------------
NGINX_STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so
HAPROXY=$(find_bin haproxy); NGINX=$(find_bin nginx); WRK=$(find_bin wrk)
if [[ -z $HAPROXY || -z $NGINX || -z $WRK || ! -f $NGINX_STREAM_MODULE ]]; then
  apt_install haproxy nginx-light libnginx-mod-stream wrk
  HAPROXY=$(find_bin haproxy); NGINX=$(find_bin nginx); WRK=$(find_bin wrk)
fi
[[ -n $HAPROXY && -n $NGINX && -n $WRK && -f $NGINX_STREAM_MODULE ]] ||
  die "haproxy, nginx, its stream module ($NGINX_STREAM_MODULE) or wrk is still missing after apt-get install"
for tool in openssl curl python3 java pgrep; do command -v "$tool" >/dev/null || die "$tool is needed on PATH"; done

if [[ $BUILD == 1 ]]; then
  log "building: ./mvnw -B -q -o -DskipTests package -pl benchmarks -am"
  (cd "$ROOT" && ./mvnw -B -q -o -DskipTests package -pl benchmarks -am)
fi
[[ -f $LOAD_JAR ]] || die "$LOAD_JAR is missing; build with ./mvnw -B -q -DskipTests package -pl benchmarks -am"

RUN_DIR=$(mktemp -d /tmp/gatelink-passthrough-bench.XXXXXX)
chmod 755 "$RUN_DIR"   # nginx workers run as another user
RAW=$OUT_DIR/raw
mkdir -p "$RAW" "$(dirname "$REPORT")"
rm -f "$RAW"/*

# How busy the machine is before anything starts (other people's builds and tests), over 3 s.
machine_busy_percent() {
  local before=() after=() c
  for c in $(seq 0 $(($(nproc) - 1))); do before+=("$(cpu_busy "$c")"); done
  sleep 3
  for c in $(seq 0 $(($(nproc) - 1))); do after+=("$(cpu_busy "$c")"); done
  python3 -c 'import sys, os; t = os.sysconf("SC_CLK_TCK"); b, a = sys.argv[1:3]; \
    print(" ".join("%.0f%%" % min(100, (int(y.split()[0]) - int(x.split()[0])) / t / 3 * 100) \
    for x, y in zip(b.split(","), a.split(","))))' "$(IFS=,; echo "${before[*]}")" "$(IFS=,; echo "${after[*]}")"
}
BUSY_BEFORE=$(machine_busy_percent)
log "CPUs busy before the run (per CPU, over 3 s): $BUSY_BEFORE"

# ---- backend and proxies ---------------------------------------------------------------------------------------------
# shellcheck disable=SC2206
JAVA=(java $JAVA_OPTS)
JAVA_TRANSPORT=$(java -cp "$LOAD_JAR" dev.gatelink.benchmarks.load.VertxTransports "$TRANSPORT")
declare -A PORT TPID

start_java() {  # NAME CPU-PREFIX-WORDS... -- FIXTURE-ARGS...: starts the fixture, sets PORT[NAME] and TPID[NAME]
  local name=$1 prefix=() line pid
  shift
  while [[ $1 != -- ]]; do prefix+=("$1"); shift; done
  shift
  "${prefix[@]}" "${JAVA[@]}" -cp "$LOAD_JAR" "$FIXTURE" --server-name "$SERVER_NAME" --transport "$JAVA_TRANSPORT" \
    "$@" >"$RUN_DIR/$name.log" 2>&1 &
  pid=$!; PIDS+=("$pid"); TPID[$name]=$pid
  line=$(wait_for_line "$RUN_DIR/$name.log" '^listening on [0-9]+$' "$pid" "$name")
  PORT[$name]=${line#listening on }
}

start_java backend "${LOAD_CPU[@]}" -- --role backend --event-loops "$BACKEND_LOOPS" --bulk-bytes "$BULK_BYTES"
BACKEND_PID=${TPID[backend]}
PORT[direct]=${PORT[backend]}
log "backend (pid $BACKEND_PID, $BACKEND_LOOPS event loop(s), $JAVA_TRANSPORT) on port ${PORT[backend]}"

start_java gatelink "${RUNNER_CPU[@]}" -- --role passthrough --event-loops "$EVENT_LOOPS" \
  --backend-port "${PORT[backend]}" --zero-copy "$ZERO_COPY"
log "gatelink (pid ${TPID[gatelink]}, $EVENT_LOOPS event loop(s), zero-copy $ZERO_COPY) on port ${PORT[gatelink]}"

PORT[haproxy]=$(free_port)
cat >"$RUN_DIR/haproxy.cfg" <<EOF
global
  nbthread $EVENT_LOOPS
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend passthrough
  bind 127.0.0.1:${PORT[haproxy]}
  tcp-request inspect-delay 5s
  tcp-request content accept if { req.ssl_hello_type 1 }
  use_backend bench if { req.ssl_sni -i $SERVER_NAME }
backend bench
  server s1 127.0.0.1:${PORT[backend]}
EOF
"${RUNNER_CPU[@]}" "$HAPROXY" -db -f "$RUN_DIR/haproxy.cfg" >"$RUN_DIR/haproxy.log" 2>&1 &
TPID[haproxy]=$!; PIDS+=("${TPID[haproxy]}")

PORT[nginx]=$(free_port)
mkdir -p "$RUN_DIR/nginx"
chmod 755 "$RUN_DIR/nginx"
# A name without a route goes to port 1 of 127.0.0.1, where nothing listens: nginx closes the client's connection.
cat >"$RUN_DIR/nginx/nginx.conf" <<EOF
load_module $NGINX_STREAM_MODULE;
worker_processes $EVENT_LOOPS;
daemon off;
pid $RUN_DIR/nginx/nginx.pid;
error_log $RUN_DIR/nginx/error.log error;
events { worker_connections 8000; }
stream {
  map \$ssl_preread_server_name \$upstream {
    $SERVER_NAME 127.0.0.1:${PORT[backend]};
    default 127.0.0.1:1;
  }
  server {
    listen 127.0.0.1:${PORT[nginx]} backlog=4096 reuseport;
    ssl_preread on;
    proxy_pass \$upstream;
  }
}
EOF
"${RUNNER_CPU[@]}" "$NGINX" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -e "$RUN_DIR/nginx/error.log" \
  >"$RUN_DIR/nginx.log" 2>&1 &
TPID[nginx]=$!; PIDS+=("${TPID[nginx]}")

# ---- every proxy routes by SNI: the backend's certificate through each, an unknown name and none refused ------------
# The SHA-256 fingerprint of the certificate presented on PORT for SNI NAME ("-" for no SNI), or nothing.
cert_seen() {
  local sni=(-servername "$2")
  [[ $2 == - ]] && sni=(-noservername)
  timeout 10 openssl s_client -connect "127.0.0.1:$1" "${sni[@]}" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 2>/dev/null | sed 's/^.*=//' || true
}
BACKEND_CERT=$(cert_seen "${PORT[backend]}" "$SERVER_NAME")
[[ -n $BACKEND_CERT ]] || die "the backend on port ${PORT[backend]} presented no certificate"
for t in "${PROXIES[@]}"; do
  deadline=$((SECONDS + START_TIMEOUT))
  until [[ $(cert_seen "${PORT[$t]}" "$SERVER_NAME") == "$BACKEND_CERT" ]]; do
    kill -0 "${TPID[$t]}" 2>/dev/null || die "$t exited before it was ready (see its log in $RUN_DIR)"
    ((SECONDS < deadline)) || die "$t on port ${PORT[$t]} did not present the backend's certificate for SNI" \
      "'$SERVER_NAME' within ${START_TIMEOUT}s"
    sleep 0.2
  done
  for sni in unknown-name.invalid -; do
    seen=$(cert_seen "${PORT[$t]}" "$sni")
    [[ -z $seen ]] || die "$t on port ${PORT[$t]} did not refuse SNI '$sni': it presented certificate $seen"
  done
done
for t in "${TARGETS[@]}"; do
  url="https://$SERVER_NAME:${PORT[$t]}"
  body=$(curl -sk --max-time 10 "$url/") || die "$t: GET $url/ failed"
  [[ $body == "hello world" ]] || die "$t: GET $url/ answered '$body', not 'hello world'"
  size=$(curl -sk --max-time 10 -o /dev/null -w '%{size_download}' "$url/bulk") || die "$t: GET $url/bulk failed"
  [[ $size == "$BULK_BYTES" ]] || die "$t: GET $url/bulk gave $size bytes, not $BULK_BYTES"
done
log "routing checked: SNI '$SERVER_NAME' reaches the backend (certificate $BACKEND_CERT) through gatelink" \
  "(pid ${TPID[gatelink]}), haproxy (pid ${TPID[haproxy]}) and nginx (pid ${TPID[nginx]}); an unknown name and" \
  "no name are refused by each"

{
  echo "command=$(for v in $(compgen -e | grep '^BENCH_' || true); do printf '%s=%q ' "$v" "${!v}"; done)$COMMAND_LINE"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
    git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpus=$(nproc)"
  echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | sed -n 2p)"
  echo "haproxy=$("$HAPROXY" -v 2>&1 | head -n 1 | awk '{print $3}')"
  echo "nginx=$("$NGINX" -v 2>&1 | sed 's/^nginx version: nginx\///')"
  echo "wrk=$("$WRK" -v 2>&1 | head -n 1 | awk '{print $2}')"
  echo "openssl=$(openssl version | awk '{print $2}')"
  echo "transport=$JAVA_TRANSPORT"
  echo "pinning=$PINNING"
  echo "pinned=$PIN"
  echo "threads=$EVENT_LOOPS"
  echo "zero_copy=$ZERO_COPY"
  echo "server_name=$SERVER_NAME"
  echo "jvm_warmup=$JVM_WARMUP"
  echo "warmup=$WARMUP"
  echo "duration=$DURATION"
  echo "rounds=$ROUNDS"
  echo "bulk_bytes=$BULK_BYTES"
  echo "connections_bulk=$BULK_CONNECTIONS"
  echo "connections_connect=$CONNECT_CONNECTIONS"
  echo "connections_keepalive=$KEEPALIVE_CONNECTIONS"
  echo "backend_loops=$BACKEND_LOOPS"
  echo "java_opts=$JAVA_OPTS"
  echo "busy_before=$BUSY_BEFORE"
  echo "clk_tck=$(getconf CLK_TCK)"
} >"$RAW/meta.txt"

# ---- load -------------------------------------------------------------------------------------------------------------
run_wrk() {  # WORKLOAD TARGET SECONDS OUTPUT
  local url="https://$SERVER_NAME:${PORT[$2]}" args
  case $1 in
    bulk) args=(-c"$BULK_CONNECTIONS" "$url/bulk") ;;
    # wrk drops a header without a space after its colon.
    connect) args=(-c"$CONNECT_CONNECTIONS" -H 'Connection: close' "$url/") ;;
    keepalive) args=(-c"$KEEPALIVE_CONNECTIONS" "$url/") ;;
  esac
  run_tracked timeout $(($3 + 30)) "${LOAD_CPU[@]}" "$WRK" -t1 -d"$3"s --latency "${args[@]}" >"$4"
}
cpu_snapshot() {  # TARGET: key=value lines of CPU ticks so far, and the time
  echo "time=$EPOCHREALTIME"
  echo "backend=$(tree_cpu "$BACKEND_PID")"
  echo "load_cpu=$(cpu_busy 0)"
  echo "proxy_cpu=$(cpu_busy "$PROXY_CPU")"
  if [[ $1 != direct ]]; then echo "proxy=$(tree_cpu "${TPID[$1]}")"; fi
  if [[ $1 == gatelink ]]; then
    echo "loops=$(thread_cpu "${TPID[$1]}" '^vert\.x-eventloo')"
    echo "acceptor=$(thread_cpu "${TPID[$1]}" '^vert\.x-accepto')"
  fi
}

per_round=$((${#WORKLOADS[@]} * ${#TARGETS[@]} * (DURATION + 1)))
log "warm-up ${WARMUP}s per workload and target, then $ROUNDS round(s) of ${DURATION}s runs: about" \
  "$(((${#WORKLOADS[@]} * ${#TARGETS[@]} * (WARMUP + 1) + ROUNDS * per_round) / 60 + 1)) minutes"
if ((JVM_WARMUP > 0)); then
  # The JIT compiles a connection's setup only after thousands of connections, which the connect workload makes a
  # few hundred a second: Gatelink's JVM gets its own warm-up of every workload first (the native peers need none).
  log "JVM warm-up: ${JVM_WARMUP}s of each workload against gatelink"
  for w in connect keepalive bulk; do run_wrk "$w" gatelink "$JVM_WARMUP" "$RAW/jvm-warmup-$w.txt"; done
fi
if ((WARMUP > 0)); then
  for w in "${WORKLOADS[@]}"; do
    for t in "${TARGETS[@]}"; do run_wrk "$w" "$t" "$WARMUP" "$RAW/warmup-$w-$t.txt"; done
  done
fi
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${TARGETS[@]}")
  if ((round % 2 == 0)); then order=(nginx haproxy gatelink direct); fi
  for w in "${WORKLOADS[@]}"; do
    for t in "${order[@]}"; do
      sleep 0.5
      cpu_snapshot "$t" | sed 's/^/before_/' >"$RAW/cpu-$w-$t-r$round.txt"
      run_wrk "$w" "$t" "$DURATION" "$RAW/wrk-$w-$t-r$round.txt"
      cpu_snapshot "$t" | sed 's/^/after_/' >>"$RAW/cpu-$w-$t-r$round.txt"
      log "round $round/$ROUNDS $w $t: $(grep -m1 '^Requests/sec' "$RAW/wrk-$w-$t-r$round.txt")"
    done
  done
done
echo "busy_after=$(machine_busy_percent)" >>"$RAW/meta.txt"

python3 "$SCRIPT_DIR/passthrough-bench/report.py" "$RAW" >"$REPORT"
cat "$REPORT"
log "report: $REPORT (raw results in $RAW)"
