#!/usr/bin/env bash
# Gatelink Cloud Map load benchmark (issue 5): in one run on this machine, through one Gatelink runner,
#   static    ANY /static/{proxy+}    an INTERNET integration with a static uri http://127.0.0.1:PORT/...
#   cloudmap  ANY /cloudmap/{proxy+}  a VPC_LINK integration whose uri is a Cloud Map service ARN, whose one
#                                     instance is the same backend (AWS_INSTANCE_IPV4/AWS_INSTANCE_PORT)
# both in front of one backend (HelloBackend), with Cloud Map emulated by moto_server and every call Gatelink
# makes to it counted by a proxy in between (AwsCallCounter), per X-Amz-Target operation and with its time.
#
# Throughput: wrk (closed loop), one warm-up per route, then rounds alternating the two routes (the order
# flips every round); medians, spread, the ratio cloudmap/static with the floor (at least 0.95x) checked.
# CPU per request of the runner for each route. Latency: OpenLoopLoad at one fixed rate for both routes.
# Cloud Map calls: counts per operation over the runner's life and per phase, checked against the issue's
# bound (at most one DiscoverInstancesRevision per poll interval, one DiscoverInstances per change or max
# age, per key), with changes made during the load (another instance registered at the same address, which
# moves the revision but not the endpoints, so the routing under load stays the same).
# Writes a markdown report and prints it.
#
# Usage, from anywhere (the script finds the repository root):
#   benchmarks/scripts/cloudmap-bench.sh [--no-build] [--report FILE]
# Knobs (environment): see usage() below or benchmarks/README.md. A smoke run (about 2 minutes):
#   BENCH_WARMUP=3 BENCH_DURATION=5 BENCH_ROUNDS=2 BENCH_LAT_WARMUP=3 BENCH_LAT_DURATION=5 BENCH_LAT_ROUNDS=1 \
#     BENCH_CHANGES=1 benchmarks/scripts/cloudmap-bench.sh
#
# Needs moto_server and python3 with boto3 on PATH; installs wrk with apt-get if missing. Starts every process
# on 127.0.0.1 with free ports, records each pid, and stops exactly those pids on exit (also on error or Ctrl-C).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMMAND_LINE="benchmarks/scripts/cloudmap-bench.sh${*:+ $*}"

# ---- knobs ------------------------------------------------------------------------------------------------
WARMUP=${BENCH_WARMUP:-10}                 # s of wrk per route before the rounds (warms every JVM)
DURATION=${BENCH_DURATION:-20}             # s of each measured wrk run
ROUNDS=${BENCH_ROUNDS:-6}                  # rounds; each runs both routes, the order flipping every round
CONNECTIONS=${BENCH_CONNECTIONS:-64}       # wrk -c, and OpenLoopLoad's most connections
LAT_WARMUP=${BENCH_LAT_WARMUP:-10}         # s OpenLoopLoad sends before it records
LAT_DURATION=${BENCH_LAT_DURATION:-20}     # s OpenLoopLoad records
LAT_ROUNDS=${BENCH_LAT_ROUNDS:-2}          # fixed-rate runs per route, alternating (0: none)
RATE_FRACTION=${BENCH_RATE_FRACTION:-0.25}  # fixed rate = this x the static route's median throughput
RATE=${BENCH_RATE:-}                       # or a fixed rate in req/s
CHANGES=${BENCH_CHANGES:-2}                # Cloud Map changes during the wrk rounds (instances registered)
BACKEND_LOOPS=${BENCH_BACKEND_LOOPS:-1}    # HelloBackend event loops
EVENT_LOOPS=${BENCH_EVENT_LOOPS:-2}        # the runner's --event-loops
TRANSPORT=${BENCH_TRANSPORT:-auto}         # Netty transport of the backend and the runner
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC}  # backend, runner, generator
COUNTER_JAVA_OPTS=${BENCH_COUNTER_JAVA_OPTS:--Xms64m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
GATELINK_ARGS=${BENCH_GATELINK_ARGS:-}     # extra arguments for Gatelink's runner
GATELINK_JAR=${BENCH_GATELINK_JAR:-$ROOT/examples/gateway/target/gatelink-gateway.jar}
REGION=${BENCH_REGION:-eu-west-1}          # --aws-region of the runner, and the region of moto's resources
# The Cloud Map cache's timing, written into the API file as the integration's x-gatelink-target options
# (pollIntervalMillis, maxAgeMillis); the report checks the calls against them. Shorter than the runner's
# defaults (15000, 90000), so that a run of a few minutes makes enough calls for the bound to mean something.
POLL_MS=${BENCH_POLL_INTERVAL_MS:-5000}
MAX_AGE_MS=${BENCH_MAX_AGE_MS:-30000}
OUT_DIR=${BENCH_OUT_DIR:-$ROOT/benchmarks/target/cloudmap-bench}
REPORT=${BENCH_REPORT:-$OUT_DIR/report.md}
BUILD=${BENCH_BUILD:-1}                    # 0: use the jars already built (also --no-build)
KEEP_RUN_DIR=${BENCH_KEEP_RUN_DIR:-0}      # 1: keep the /tmp run directory (API file, logs) for a look
START_TIMEOUT=${BENCH_START_TIMEOUT:-60}   # s to wait for a process to say it is listening

TARGETS=(static cloudmap)
LOAD_JAR=$ROOT/benchmarks/target/benchmarks.jar
API_TEMPLATE=$SCRIPT_DIR/cloudmap-bench/api.yaml
CLOUDMAP_PY=$SCRIPT_DIR/cloudmap-bench/cloudmap.py
REPORT_PY=$SCRIPT_DIR/cloudmap-bench/report.py
LOAD_PKG=dev.gatelink.benchmarks.load
NAMESPACE=bench.gatelink.local
SERVICE=hello

usage() {
  cat <<EOF
Usage: benchmarks/scripts/cloudmap-bench.sh [--no-build] [--report FILE]

Environment knobs (defaults in brackets):
  BENCH_WARMUP [10] BENCH_DURATION [20] BENCH_ROUNDS [6]      wrk warm-up per route, measured run, rounds
  BENCH_CONNECTIONS [64]                                      wrk -c and OpenLoopLoad connections
  BENCH_LAT_WARMUP [10] BENCH_LAT_DURATION [20] BENCH_LAT_ROUNDS [2]   fixed-rate runs (0 rounds: none)
  BENCH_RATE_FRACTION [0.25] or BENCH_RATE                     fixed rate: fraction of static's median, or req/s
  BENCH_CHANGES [2]                                           Cloud Map changes during the wrk rounds
  BENCH_EVENT_LOOPS [2] BENCH_BACKEND_LOOPS [1] BENCH_TRANSPORT [auto]
  BENCH_JAVA_OPTS [-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC]
  BENCH_COUNTER_JAVA_OPTS [-Xms64m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1]
  BENCH_GATELINK_JAR, BENCH_GATELINK_ARGS, BENCH_REGION [eu-west-1]
  BENCH_POLL_INTERVAL_MS [5000] BENCH_MAX_AGE_MS [30000]      Cloud Map cache timing (x-gatelink-target)
  BENCH_BUILD [1], BENCH_OUT_DIR, BENCH_REPORT, BENCH_KEEP_RUN_DIR [0], BENCH_START_TIMEOUT [60]
Smoke run (about 2 minutes):
  BENCH_WARMUP=3 BENCH_DURATION=5 BENCH_ROUNDS=2 BENCH_LAT_WARMUP=3 BENCH_LAT_DURATION=5 BENCH_LAT_ROUNDS=1 \\
    BENCH_CHANGES=1 benchmarks/scripts/cloudmap-bench.sh
EOF
}

while (($#)); do
  case $1 in
    --no-build) BUILD=0; shift ;;
    --report) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; REPORT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cloudmap-bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_NAME=cloudmap-bench
# shellcheck source=lib/bench-common.sh
source "$SCRIPT_DIR/lib/bench-common.sh"
for knob in WARMUP DURATION ROUNDS CONNECTIONS LAT_WARMUP LAT_DURATION LAT_ROUNDS CHANGES BACKEND_LOOPS \
            EVENT_LOOPS POLL_MS MAX_AGE_MS START_TIMEOUT; do
  is_uint "${!knob}" || die "BENCH_$knob='${!knob}' is not a whole number"
done
for knob in DURATION ROUNDS CONNECTIONS LAT_DURATION BACKEND_LOOPS EVENT_LOOPS POLL_MS MAX_AGE_MS; do
  ((${!knob} > 0)) || die "BENCH_$knob must be at least 1"
done
[[ -z $RATE ]] || is_uint "$RATE" || die "BENCH_RATE='$RATE' is not a whole number of requests per second"

# ---- processes we start, stopped by pid on exit ------------------------------------------------------------
PIDS=()
RUN_DIR=""
REPORTED=0
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pids 100 "${PIDS[@]}"
  if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
    if ((rc != 0 && !REPORTED)); then
      for f in "$RUN_DIR"/*.log; do
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


now_ms() { date +%s%3N; }

# The share of both CPUs that was busy over SECONDS, from /proc/stat, in percent: before our processes start
# and after the load, when ours are idle, it is what other processes used (the run is fair only near 0).
busy_pct() {
  local a b
  read -r -a a < <(grep '^cpu ' /proc/stat)
  sleep "$1"
  read -r -a b < <(grep '^cpu ' /proc/stat)
  # Fields: user nice system idle iowait irq softirq steal ...
  local busy=$(( (b[1] + b[2] + b[3] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[6] + a[7] + a[8]) ))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) ))
  echo $(( busy * 100 / (busy + idle > 0 ? busy + idle : 1) ))
}
mark() { echo "$1=$(now_ms)" >>"$RAW/marks.txt"; }

# ---- tools ------------------------------------------------------------------------------------------------------
WRK=$(find_bin wrk)
if [[ -z $WRK ]]; then
  SUDO=""
  (($(id -u) == 0)) || SUDO=sudo
  log "installing wrk with apt-get"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
  WRK=$(find_bin wrk)
fi
[[ -n $WRK ]] || die "wrk is still missing after apt-get install"
for tool in curl python3 java moto_server; do command -v "$tool" >/dev/null || die "$tool is needed on PATH"; done
python3 -c 'import boto3' 2>/dev/null || die "python3 cannot import boto3 (pip install boto3)"

# ---- build ------------------------------------------------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  log "building: ./mvnw -B -q -DskipTests package"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi
[[ -f $LOAD_JAR ]] || die "$LOAD_JAR is missing; build with ./mvnw -B -q -DskipTests package"
[[ -f $GATELINK_JAR ]] || die "Gatelink's runner $GATELINK_JAR is missing; build it or set BENCH_GATELINK_JAR"

# ---- run and output directories ---------------------------------------------------------------------------------
RUN_DIR=$(mktemp -d /tmp/gatelink-cloudmap-bench.XXXXXX)
RAW=$OUT_DIR/raw
mkdir -p "$RAW" "$(dirname "$REPORT")"
rm -f "$RAW"/*

load_s=$((${#TARGETS[@]} * (WARMUP + ROUNDS * (DURATION + 1) + LAT_ROUNDS * (LAT_WARMUP + LAT_DURATION + 1))))
log "load for about $(( (load_s + 59) / 60 )) min; Cloud Map poll interval ${POLL_MS} ms, max age ${MAX_AGE_MS} ms"

BUSY_BEFORE=$(busy_pct 3)
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine before the run: ${BUSY_BEFORE}% of the CPUs busy over 3 s, load average $LOADAVG_BEFORE"
((BUSY_BEFORE < 10)) || log "warning: other processes are using the CPUs; the figures of this run are not fair"

# Dummy credentials for moto, so that neither boto3 nor the AWS SDK in the runner looks any further (and no
# call can reach AWS itself: every endpoint here is an address on loopback).
export AWS_ACCESS_KEY_ID=gatelink-bench AWS_SECRET_ACCESS_KEY=gatelink-bench AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
export AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION

# shellcheck disable=SC2206
JAVA=(java $JAVA_OPTS)
# shellcheck disable=SC2206
COUNTER_JAVA=(java $COUNTER_JAVA_OPTS)
JAVA_TRANSPORT=$(java -cp "$LOAD_JAR" "$LOAD_PKG.VertxTransports" "$TRANSPORT") \
  || die "BENCH_TRANSPORT='$TRANSPORT' cannot be used here (see the message above)"
log "Java servers' transport: $JAVA_TRANSPORT"

# ---- moto (Cloud Map) and the counting proxy in front of it --------------------------------------------------------
MOTO_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$RUN_DIR/moto.log" 2>&1 &
MOTO_PID=$!; PIDS+=("$MOTO_PID")
deadline=$((SECONDS + START_TIMEOUT))
until curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/"; do
  kill -0 "$MOTO_PID" 2>/dev/null || die "moto_server exited before it was ready (log: $RUN_DIR/moto.log)"
  ((SECONDS < deadline)) || die "moto_server did not answer within ${START_TIMEOUT}s"
  sleep 0.2
done
MOTO_URL="http://127.0.0.1:$MOTO_PORT"
log "moto_server (pid $MOTO_PID) on $MOTO_URL"

"${COUNTER_JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.AwsCallCounter" --host 127.0.0.1 --port 0 \
  --target-host 127.0.0.1 --target-port "$MOTO_PORT" >"$RUN_DIR/counter.log" 2>&1 &
COUNTER_PID=$!; PIDS+=("$COUNTER_PID")
line=$(wait_for_line "$RUN_DIR/counter.log" '^listening on [0-9]+$' "$COUNTER_PID" AwsCallCounter)
COUNTER_URL="http://127.0.0.1:${line#listening on }"
log "counting proxy (AwsCallCounter, pid $COUNTER_PID) on $COUNTER_URL -> moto"

# ---- backend ----------------------------------------------------------------------------------------------------
"${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.HelloBackend" --host 127.0.0.1 --port 0 --event-loops "$BACKEND_LOOPS" \
  --transport "$JAVA_TRANSPORT" >"$RUN_DIR/backend.log" 2>&1 &
BACKEND_PID=$!; PIDS+=("$BACKEND_PID")
BACKEND_PORT=$(wait_for_line "$RUN_DIR/backend.log" '^listening on [0-9]+$' "$BACKEND_PID" HelloBackend)
BACKEND_PORT=${BACKEND_PORT#listening on }
log "backend (HelloBackend, pid $BACKEND_PID) on http://127.0.0.1:$BACKEND_PORT/"

# ---- Cloud Map: namespace, service, one instance (the backend); straight to moto, not counted ----------------------
cloudmap() {
  python3 "$CLOUDMAP_PY" "$1" --endpoint "$MOTO_URL" --region "$REGION" --namespace "$NAMESPACE" \
    --service "$SERVICE" --ipv4 127.0.0.1 --port "$BACKEND_PORT" "${@:2}"
}
cloudmap setup --instance-id bench-0 >"$RAW/cloudmap-setup.txt" 2>"$RUN_DIR/cloudmap.log" \
  || die "Cloud Map set-up against moto failed (log: $RUN_DIR/cloudmap.log)"
SERVICE_ID=$(sed -n 's/^service_id=//p' "$RAW/cloudmap-setup.txt")
SERVICE_ARN=$(sed -n 's/^service_arn=//p' "$RAW/cloudmap-setup.txt")
[[ -n $SERVICE_ID && -n $SERVICE_ARN ]] || die "Cloud Map set-up printed no service id or ARN"
log "Cloud Map: namespace $NAMESPACE, service $SERVICE_ID ($SERVICE_ARN), instance bench-0 = 127.0.0.1:$BACKEND_PORT"

# ---- Gatelink ------------------------------------------------------------------------------------------------------
API_FILE=$RUN_DIR/api.yaml
sed -e "s|@BACKEND_PORT@|$BACKEND_PORT|g" -e "s|@SERVICE_ARN@|$SERVICE_ARN|g" -e "s|@POLL_MS@|$POLL_MS|g" \
  -e "s|@MAX_AGE_MS@|$MAX_AGE_MS|g" "$API_TEMPLATE" >"$API_FILE"
cp "$API_FILE" "$RAW/api.yaml"
mark gateway_start
# shellcheck disable=SC2086
"${JAVA[@]}" -jar "$GATELINK_JAR" --api "$API_FILE" --host 127.0.0.1 --port 0 \
  --aws-endpoint "$COUNTER_URL" --aws-region "$REGION" --event-loops "$EVENT_LOOPS" \
  --transport "$JAVA_TRANSPORT" $GATELINK_ARGS >"$RUN_DIR/gatelink.log" 2>&1 &
GATELINK_PID=$!; PIDS+=("$GATELINK_PID")
line=$(wait_for_line "$RUN_DIR/gatelink.log" '^Gatelink listening on http://[^ ]+:[0-9]+$' "$GATELINK_PID" Gatelink)
GATELINK_URL=${line#Gatelink listening on }
mark gateway_ready
declare -A URL
URL[static]="$GATELINK_URL/static/hello"
URL[cloudmap]="$GATELINK_URL/cloudmap/hello"
log "gatelink (pid $GATELINK_PID) on $GATELINK_URL: static ${URL[static]}, cloudmap ${URL[cloudmap]}"
# The first request of each route, timed (the Cloud Map one makes the runner look the service up and discover
# its instances), then each route must answer the backend's body.
declare -A FIRST
for t in "${TARGETS[@]}"; do
  FIRST[$t]=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 30 "${URL[$t]}" || true)
  log "first request to the $t route: status and seconds: ${FIRST[$t]}"
  wait_for_hello "$t" "${URL[$t]}" "$GATELINK_PID"
done
mark checked

# ---- what the report needs besides the figures ---------------------------------------------------------------------
{
  echo "command=$(for v in $(compgen -e | grep '^BENCH_' || true); do printf '%s=%q ' "$v" "${!v}"; done)$COMMAND_LINE"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpus=$(nproc)"
  echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | sed -n 2p)"
  echo "wrk=$("$WRK" -v 2>&1 | head -n 1 | awk '{print $2}')"
  echo "moto=$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo unknown)"
  echo "connections=$CONNECTIONS"
  echo "warmup=$WARMUP"
  echo "duration=$DURATION"
  echo "rounds=$ROUNDS"
  echo "lat_warmup=$LAT_WARMUP"
  echo "lat_duration=$LAT_DURATION"
  echo "lat_rounds=$LAT_ROUNDS"
  echo "rate_fraction=$RATE_FRACTION"
  echo "changes=$CHANGES"
  echo "event_loops=$EVENT_LOOPS"
  echo "backend_loops=$BACKEND_LOOPS"
  echo "transport=$JAVA_TRANSPORT"
  echo "java_opts=$JAVA_OPTS"
  echo "gatelink_args=$GATELINK_ARGS"
  echo "poll_ms=$POLL_MS"
  echo "max_age_ms=$MAX_AGE_MS"
  echo "service_arn=$SERVICE_ARN"
  echo "first_static=${FIRST[static]}"
  echo "first_cloudmap=${FIRST[cloudmap]}"
  echo "busy_before=$BUSY_BEFORE"
  echo "loadavg_before=$LOADAVG_BEFORE"
  echo "static_url=${URL[static]}"
  echo "cloudmap_url=${URL[cloudmap]}"
} >"$RAW/meta.txt"

# ---- Cloud Map changes: another instance at the same address, which moves the revision --------------------------------
CHANGES_DONE=0
LAST_CHANGE_S=-1
change() {
  local n=$((CHANGES_DONE + 1)) at out
  at=$(now_ms)
  out=$(cloudmap register --service-id "$SERVICE_ID" --instance-id "bench-$n" 2>>"$RUN_DIR/cloudmap.log") \
    || die "registering Cloud Map instance bench-$n failed (log: $RUN_DIR/cloudmap.log)"
  CHANGES_DONE=$n
  LAST_CHANGE_S=$SECONDS
  echo "change_${n}=$at" >>"$RAW/marks.txt"
  log "Cloud Map change $n: instance bench-$n registered at 127.0.0.1:$BACKEND_PORT ($out)"
}
# Change k of CHANGES happens just before round floor(k * ROUNDS / (CHANGES + 1)) + 1: spread over the rounds.
changes_before_round() {
  local round=$1 k count=0
  for ((k = 1; k <= CHANGES; k++)); do
    (((k * ROUNDS) / (CHANGES + 1) + 1 == round)) && count=$((count + 1))
  done
  echo "$count"
}

# ---- throughput: wrk, closed loop ------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {  # PID: user + system CPU time (clock ticks) of the process
  local fields
  read -r -a fields < <(sed 's/^.*) //' "/proc/$1/stat")
  echo $((fields[11] + fields[12]))
}
run_wrk() {  # TARGET SECONDS OUTPUT
  run_tracked timeout $(($2 + 30)) "$WRK" -t1 -c"$CONNECTIONS" -d"$2"s --latency "${URL[$1]}" >"$3"
}
mark load_start
if ((WARMUP > 0)); then
  for t in "${TARGETS[@]}"; do
    log "warm-up: wrk -t1 -c$CONNECTIONS -d${WARMUP}s ${URL[$t]} ($t)"
    run_wrk "$t" "$WARMUP" "$RAW/wrk-warmup-$t.txt"
  done
fi
mark rounds_start
for ((round = 1; round <= ROUNDS; round++)); do
  for ((c = $(changes_before_round "$round"); c > 0; c--)); do change; done
  if ((round % 2)); then order=(static cloudmap); else order=(cloudmap static); fi
  for t in "${order[@]}"; do
    sleep 1
    backend_before=$(cpu_ticks "$BACKEND_PID")
    gatelink_before=$(cpu_ticks "$GATELINK_PID")
    run_wrk "$t" "$DURATION" "$RAW/wrk-$t-r$round.txt"
    {
      echo "clk_tck=$CLK_TCK"
      echo "backend_ticks=$(($(cpu_ticks "$BACKEND_PID") - backend_before))"
      echo "gatelink_ticks=$(($(cpu_ticks "$GATELINK_PID") - gatelink_before))"
    } >"$RAW/cpu-$t-r$round.txt"
    log "round $round/$ROUNDS: $t $(grep -m1 '^Requests/sec' "$RAW/wrk-$t-r$round.txt")"
  done
done
mark rounds_end

# ---- latency: OpenLoopLoad at one fixed rate ---------------------------------------------------------------------------
if ((LAT_ROUNDS > 0)); then
  if [[ -z $RATE ]]; then
    RATE=$(python3 "$REPORT_PY" rate "$RAW" "$RATE_FRACTION")
  fi
  echo "rate=$RATE" >>"$RAW/meta.txt"
  log "fixed rate for both routes: $RATE req/s"
  for ((round = 1; round <= LAT_ROUNDS; round++)); do
    if ((round % 2)); then order=(static cloudmap); else order=(cloudmap static); fi
    for t in "${order[@]}"; do
      sleep 1
      run_tracked "${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.OpenLoopLoad" --url "${URL[$t]}" --rate "$RATE" \
        --connections "$CONNECTIONS" --warmup-s "$LAT_WARMUP" --duration-s "$LAT_DURATION" \
        --out "$RAW/lat-$t-r$round.json" >/dev/null 2>>"$RUN_DIR/openloopload.log"
      log "latency $round/$LAT_ROUNDS: $t $(cat "$RAW/lat-$t-r$round.json")"
    done
  done
fi
mark load_end

# A change must have had time to be seen (one poll interval, jittered up to +20%, and the call) before the
# calls are read; only short smoke runs wait here.
if ((CHANGES_DONE > 0)); then
  wait_s=$(( (POLL_MS * 12 / 10 + 2000 + 999) / 1000 - (SECONDS - LAST_CHANGE_S) ))
  if ((wait_s > 0)); then
    log "waiting ${wait_s}s so that the last Cloud Map change can be seen by a poll"
    sleep "$wait_s"
  fi
fi
echo "changes_done=$CHANGES_DONE" >>"$RAW/meta.txt"
BUSY_AFTER=$(busy_pct 3)
echo "busy_after=$BUSY_AFTER" >>"$RAW/meta.txt"
log "machine after the load (ours idle): ${BUSY_AFTER}% of the CPUs busy over 3 s"

# ---- Cloud Map calls, as the counting proxy saw them ------------------------------------------------------------------
mark end
curl -sf --max-time 10 "$COUNTER_URL/counts" >"$RAW/calls.json" || die "the counting proxy did not answer /counts"
log "Cloud Map calls: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"])' "$RAW/calls.json")"
cp "$RUN_DIR/gatelink.log" "$RAW/gatelink.log"   # its listening line, and every Cloud Map failure it logged

# ---- report -----------------------------------------------------------------------------------------------------------
status=0
python3 "$REPORT_PY" report "$RAW" >"$REPORT" || status=$?
REPORTED=1
cat "$REPORT"
log "report written to $REPORT (raw results in $RAW)"
exit "$status"
