#!/usr/bin/env bash
# Gatelink ALB benchmark: what an ALB listener integration costs against a static URL, in one run on this
# machine. Three runners of this checkout's gateway (examples/gateway), in front of one backend (HelloBackend):
#   url      alb-bench/url.yaml: an http_proxy integration to the backend's URL (a static URL)
#   alb      the same route to an ALB listener ARN in moto, the load balancer's name resolved by DNS (a name
#            server on loopback, AlbBenchFixture, answers it with the backend's address), requests sent to it
#   rules    the same listener with in-process rules (x-gatelink-target inProcessRules: true): its 10 rules
#            and the default rule evaluated per request, the request sent straight to the target group's target
# wrk rounds alternate the three (reversed every other round); the CPU time of each runner's event-loop
# threads over the requests it served gives CPU per request, the figure that counts on a 2-core machine;
# throughput and latency percentiles are reported too. Ratios are the medians of the per-round ratios.
#
# Pinned by default, as pipeline-bench.sh: wrk, the backend, moto and the DNS server on CPU 0, each runner on
# CPU 1 with one event loop.
#
# Floors (issue 13): alb at least 0.97x url's throughput; rules at most 1.05x url's CPU per request.
#
# Usage: benchmarks/scripts/alb-bench.sh [--no-build] [--report FILE]
# Knobs (environment): BENCH_WARMUP (s, 20), BENCH_DURATION (s, 5), BENCH_ROUNDS (20), BENCH_CONNECTIONS (64),
# BENCH_PIN (1), BENCH_JAVA_OPTS, BENCH_TRANSPORT (auto), BENCH_KEEP_RUN_DIR (1 keeps logs). A smoke run:
#   BENCH_WARMUP=2 BENCH_DURATION=2 BENCH_ROUNDS=1 benchmarks/scripts/alb-bench.sh
# Needs moto_server on PATH (as the tests do). Installs wrk with apt-get if missing. Stops exactly the
# processes it started, by pid.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMMAND_LINE="benchmarks/scripts/alb-bench.sh${*:+ $*}"

WARMUP=${BENCH_WARMUP:-20}
DURATION=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
TRANSPORT=${BENCH_TRANSPORT:-auto}
PIN=${BENCH_PIN:-1}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC}
KEEP_RUN_DIR=${BENCH_KEEP_RUN_DIR:-0}
START_TIMEOUT=${BENCH_START_TIMEOUT:-60}
OUT_DIR=$ROOT/benchmarks/target/alb-bench
REPORT=$OUT_DIR/report.md
BUILD=1
GATELINK_JAR=$ROOT/examples/gateway/target/gatelink-gateway.jar
LOAD_JAR=$ROOT/benchmarks/target/benchmarks.jar
LOAD_PKG=dev.gatelink.benchmarks.load

while (($#)); do
  case $1 in
    --no-build) BUILD=0 ;;
    --report) REPORT=$2; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown argument '$1': expected --no-build or --report FILE" >&2; exit 2 ;;
  esac
  shift
done

BENCH_NAME=alb-bench
PIDS=()
RUN_DIR=""
# shellcheck source=lib/bench-common.sh
source "$SCRIPT_DIR/lib/bench-common.sh"
for knob in WARMUP DURATION ROUNDS CONNECTIONS PIN; do
  is_uint "${!knob}" || die "BENCH_$knob='${!knob}' is not a whole number"
done
((PIN <= 1)) || die "BENCH_PIN='$PIN' is not 0 or 1"
LOAD_WHAT="wrk, the backend, moto and the DNS server"
setup_pinning

# shellcheck disable=SC2317  # called by the trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pids 50 "${PIDS[@]}"
  if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
    if ((rc != 0)); then
      for f in "$RUN_DIR"/*.log; do [[ -s $f ]] && { echo "---- last lines of $f" >&2; tail -n 20 "$f" >&2; }; done
    fi
    if [[ $KEEP_RUN_DIR == 1 ]]; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

MOTO=$(find_bin moto_server)
[[ -n $MOTO ]] || die "moto_server is not on PATH: install it (pip install 'moto[server]==5.2.1'), as the tests need"
ensure_wrk

RUN_DIR=$(mktemp -d /tmp/gatelink-alb-bench.XXXXXX)
if [[ $BUILD == 1 ]]; then
  log "building this checkout: ./mvnw -B -q -DskipTests package -pl examples/gateway,benchmarks -am"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl examples/gateway,benchmarks -am)
fi
[[ -f $GATELINK_JAR && -f $LOAD_JAR ]] || die "a jar is missing: $GATELINK_JAR or $LOAD_JAR"

# shellcheck disable=SC2206
JAVA=(java $JAVA_OPTS)
JAVA_TRANSPORT=$(java -cp "$LOAD_JAR" "$LOAD_PKG.VertxTransports" "$TRANSPORT")
"${LOAD_CPU[@]}" "${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.HelloBackend" --host 127.0.0.1 --port 0 --event-loops 1 \
  --transport "$JAVA_TRANSPORT" >"$RUN_DIR/backend.log" 2>&1 &
BACKEND_PID=$!; PIDS+=("$BACKEND_PID")
BACKEND_PORT=$(wait_for_line "$RUN_DIR/backend.log" '^listening on [0-9]+$' "$BACKEND_PID" HelloBackend)
BACKEND_PORT=${BACKEND_PORT#listening on }

MOTO_PORT=$(free_port)
"${LOAD_CPU[@]}" "$MOTO" -H 127.0.0.1 -p "$MOTO_PORT" >"$RUN_DIR/moto.log" 2>&1 &
MOTO_PID=$!; PIDS+=("$MOTO_PID")
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/" && break
  kill -0 "$MOTO_PID" 2>/dev/null || die "moto_server exited"
  sleep 0.2
done
"${LOAD_CPU[@]}" "${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.AlbBenchFixture" --moto "http://127.0.0.1:$MOTO_PORT" \
  --backend-host 127.0.0.1 --backend-port "$BACKEND_PORT" >"$RUN_DIR/fixture.log" 2>&1 &
FIXTURE_PID=$!; PIDS+=("$FIXTURE_PID")
DNS_LINE=$(wait_for_line "$RUN_DIR/fixture.log" '^dns [0-9.]+:[0-9]+$' "$FIXTURE_PID" AlbBenchFixture)
LISTENER=$(grep -m1 '^listener ' "$RUN_DIR/fixture.log"); LISTENER=${LISTENER#listener }
DNS_SERVER=${DNS_LINE#dns }
log "listener $LISTENER, its name served by $DNS_SERVER"

api() {
  local uri=$1 connection=$2 extra=$3
  cat <<YAML
openapi: "3.0.1"
info: {title: gatelink-alb-bench, version: "1.0"}
paths:
  /{proxy+}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        connectionType: $connection
$( [[ $connection == VPC_LINK ]] && echo "        connectionId: vl-bench" )
        uri: $uri
        payloadFormatVersion: "1.0"
$extra
YAML
}
api "http://backend.bench:18080/{proxy}" INTERNET "" >"$RUN_DIR/url.yaml"
api "$LISTENER" VPC_LINK "" >"$RUN_DIR/alb.yaml"
api "$LISTENER" VPC_LINK "      x-gatelink-target: {inProcessRules: true}" >"$RUN_DIR/rules.yaml"

TARGETS=(url alb rules)
declare -A URL TPID
for t in "${TARGETS[@]}"; do
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "${RUNNER_CPU[@]}" "${JAVA[@]}" -jar "$GATELINK_JAR" \
    --api "$RUN_DIR/$t.yaml" --host 127.0.0.1 --port 0 \
    --resolve "backend.bench:18080=127.0.0.1:$BACKEND_PORT" --event-loops "$EVENT_LOOPS" \
    --transport "$JAVA_TRANSPORT" --aws-endpoint "http://127.0.0.1:$MOTO_PORT" --aws-region us-east-1 \
    --dns-server "$DNS_SERVER" >"$RUN_DIR/$t.log" 2>&1 &
  pid=$!; PIDS+=("$pid"); TPID[$t]=$pid
  line=$(wait_for_line "$RUN_DIR/$t.log" '^Gatelink listening on http://[^ ]+:[0-9]+$' "$pid" "$t")
  URL[$t]="${line#Gatelink listening on }/hello"
  wait_for_hello "$t" "${URL[$t]}" "$pid"
  log "$t (pid $pid) on ${URL[$t]}"
done

CLK_TCK=$(getconf CLK_TCK)
RAW=$OUT_DIR/raw
mkdir -p "$RAW" "$(dirname "$REPORT")"
rm -f "$RAW"/*
for t in "${TARGETS[@]}"; do
  log "warm-up ${WARMUP}s: $t"
  run_tracked timeout $((WARMUP + 30)) "${LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$WARMUP"s "${URL[$t]}" >/dev/null
done
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${TARGETS[@]}")
  if ((round % 2 == 0)); then order=("${TARGETS[2]}" "${TARGETS[1]}" "${TARGETS[0]}"); fi
  for t in "${order[@]}"; do
    before=$(cpu_ticks "${TPID[$t]}") loop_before=$(loop_ticks "${TPID[$t]}")
    run_tracked timeout $((DURATION + 30)) "${LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$DURATION"s --latency \
      "${URL[$t]}" >"$RAW/wrk-$t-r$round.txt"
    echo "$(($(cpu_ticks "${TPID[$t]}") - before))" >"$RAW/ticks-$t-r$round.txt"
    echo "$(($(loop_ticks "${TPID[$t]}") - loop_before))" >"$RAW/loop-ticks-$t-r$round.txt"
    log "round $round $t: $(grep -m1 'Requests/sec' "$RAW/wrk-$t-r$round.txt")"
  done
done

python3 - "$RAW" "$ROUNDS" "$CLK_TCK" "$COMMAND_LINE" "$(git -C "$ROOT" rev-parse --short HEAD)" \
  "$JAVA_TRANSPORT" "$PINNING" >"$REPORT" <<'PY'
import re, statistics, sys
raw, rounds, tck, command, commit, transport, pinning = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:]
def wrk(path):
    text = open(path).read()
    requests = int(re.search(r'(\d+) requests in', text).group(1))
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', text).group(1))
    def pct(p):
        m = re.search(r'\s%s%%\s+([\d.]+)(us|ms|s)\b' % p, text)
        v = float(m.group(1)); return v * {'us': 1, 'ms': 1000, 's': 1e6}[m.group(2)]
    errors = sum(int(x) for x in re.findall(r'(?:Non-2xx or 3xx responses|Socket errors:.*?):\s*(\d+)', text))
    return requests, rps, pct(50), pct(99), errors
rows = {}
for t in ('url', 'alb', 'rules'):
    cpu, loop, rps, p50, p99, errs = [], [], [], [], [], 0
    for r in range(1, rounds + 1):
        requests, r_rps, r50, r99, e = wrk(f'{raw}/wrk-{t}-r{r}.txt')
        ticks = int(open(f'{raw}/ticks-{t}-r{r}.txt').read())
        loop_ticks = int(open(f'{raw}/loop-ticks-{t}-r{r}.txt').read())
        cpu.append(ticks / tck / requests * 1e6); loop.append(loop_ticks / tck / requests * 1e6)
        rps.append(r_rps); p50.append(r50); p99.append(r99); errs += e
    rows[t] = dict(cpu=statistics.median(cpu), cpus=cpu, loop=statistics.median(loop), loops=loop,
                   rps=statistics.median(rps), rpss=rps, p50=statistics.median(p50), p99=statistics.median(p99),
                   errors=errs)
print('# ALB benchmark\n')
print(f'`{command}` at `{commit}`, transport {transport}, {pinning}, {rounds} rounds, medians.\n')
print('CPU per request in microseconds: the event-loop threads\' (per round, then the median), and the whole '
      'JVM\'s (JIT compiler and GC threads included).\n')
print('| runner | event loops, per round | event loops | whole JVM | req/s | p50 (us) | p99 (us) | errors |')
print('|---|---|---:|---:|---:|---:|---:|---:|')
for t, row in rows.items():
    print(f"| {t} | {', '.join(f'{c:.1f}' for c in row['loops'])} | {row['loop']:.2f} | {row['cpu']:.2f} | "
          f"{row['rps']:,.0f} | {row['p50']:.0f} | {row['p99']:.0f} | {row['errors']} |")
def paired(a, b, key):
    ratios = sorted(x / y for x, y in zip(rows[a][key], rows[b][key]))
    return statistics.median(ratios), ratios[0], ratios[-1]
print()
m, lo, hi = paired('alb', 'url', 'rpss')
print(f"- alb / url throughput: **{m:.3f}x** [{lo:.3f} to {hi:.3f}] (floor at least 0.97x: "
      f"{'PASS' if m >= 0.97 else 'FAIL'})")
m, lo, hi = paired('rules', 'url', 'loops')
print(f"- rules / url CPU per request of the event loops: **{m:.3f}x** [{lo:.3f} to {hi:.3f}] (floor at most 1.05x: "
      f"{'PASS' if m <= 1.05 else 'FAIL'})")
m, lo, hi = paired('alb', 'url', 'loops')
print(f"- alb / url CPU per request of the event loops: {m:.3f}x [{lo:.3f} to {hi:.3f}]")
m, lo, hi = paired('rules', 'url', 'rpss')
print(f"- rules / url throughput: {m:.3f}x [{lo:.3f} to {hi:.3f}]")
PY
cat "$REPORT"
