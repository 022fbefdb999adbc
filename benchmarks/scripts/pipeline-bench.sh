#!/usr/bin/env bash
# Gatelink pipeline benchmark: what the request pipeline costs, in one run on this machine. Three runners of
# Gatelink (examples/gateway), each with 2 event loops, in front of one backend (HelloBackend):
#   base       the commit before the pipeline (BENCH_BASE, default 97a3a6c), plain.yaml: no filters
#   plain      this checkout, plain.yaml: the same route, no filters
#   pipeline   this checkout, pipeline.yaml: the same route with three request mappings, one response
#              mapping and CORS; the load sends an allowed Origin, so CORS adds its headers to every answer
# wrk rounds alternate the three; the CPU time of each runner's event-loop threads (user + system, from
# /proc/PID/task) over the requests it served gives CPU per request, the figure that counts on a 2-core
# machine where wrk, the backend and the proxy share the CPUs; the whole JVM's figure (JIT compiler and GC
# threads too: on the runner's one CPU, compiling adds tens of us per request for a while after warm-up) is
# reported next to it. Throughput and latency percentiles are reported too.
#
# Pinned by default (benchmarking.md's steadier variant): wrk and the backend on CPU 0, each runner on CPU 1
# with one event loop, so that a runner's CPU per request is its own work, not how it shared a CPU with wrk
# in that round. Unpinned, with two loops per runner, the same runners read 33-41 us per request from round
# to round on this machine; pinned, 19-20 us. The host's speed still drifts during a run (one run here went
# from 19 to 43 us per request for the same runner), so rounds are short, the order of the runners is reversed
# every other round, and each ratio is the median of the per-round ratios (each round compares runners
# measured seconds apart), shown with its range; the medians of each runner's own figures are reported too.
#
# Floors (issue 12): pipeline at most 1.10x plain's CPU per request; plain no worse than base (read as at
# most 1.03x, the run-to-run noise of the paired ratio here). Run it on an idle machine.
#
# Usage: benchmarks/scripts/pipeline-bench.sh [--no-build] [--report FILE]
# Knobs (environment): BENCH_WARMUP (s, 20), BENCH_DURATION (s, 5), BENCH_ROUNDS (20), BENCH_CONNECTIONS (64),
# BENCH_BASE (a commit, 97a3a6c), BENCH_BASE_JAR (a runner jar to use as base instead of building one),
# BENCH_PIN (1: pinned as above; 0: no pinning, two event loops per runner), BENCH_JAVA_OPTS,
# BENCH_TRANSPORT (auto), BENCH_KEEP_RUN_DIR (1 keeps logs). A smoke run:
#   BENCH_WARMUP=2 BENCH_DURATION=2 BENCH_ROUNDS=1 benchmarks/scripts/pipeline-bench.sh
# Installs wrk with apt-get if missing. Stops exactly the processes it started, by pid.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMMAND_LINE="benchmarks/scripts/pipeline-bench.sh${*:+ $*}"

WARMUP=${BENCH_WARMUP:-20}
DURATION=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
BASE=${BENCH_BASE:-97a3a6c}
BASE_JAR=${BENCH_BASE_JAR:-}
TRANSPORT=${BENCH_TRANSPORT:-auto}
PIN=${BENCH_PIN:-1}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC}
KEEP_RUN_DIR=${BENCH_KEEP_RUN_DIR:-0}
START_TIMEOUT=${BENCH_START_TIMEOUT:-60}
OUT_DIR=$ROOT/benchmarks/target/pipeline-bench
REPORT=$OUT_DIR/report.md
BUILD=1
GATELINK_JAR=$ROOT/examples/gateway/target/gatelink-gateway.jar
LOAD_JAR=$ROOT/benchmarks/target/benchmarks.jar
LOAD_PKG=dev.gatelink.benchmarks.load
ORIGIN=https://app.example.com

while (($#)); do
  case $1 in
    --no-build) BUILD=0 ;;
    --report) REPORT=$2; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "unknown argument '$1': expected --no-build or --report FILE" >&2; exit 2 ;;
  esac
  shift
done

BENCH_NAME=pipeline-bench
PIDS=()
RUN_DIR=""
# shellcheck source=lib/bench-common.sh
source "$SCRIPT_DIR/lib/bench-common.sh"
for knob in WARMUP DURATION ROUNDS CONNECTIONS PIN; do
  is_uint "${!knob}" || die "BENCH_$knob='${!knob}' is not a whole number"
done
((PIN <= 1)) || die "BENCH_PIN='$PIN' is not 0 or 1"
LOAD_WHAT="wrk and the backend"
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
    if [[ -d $RUN_DIR/base-src ]]; then git -C "$ROOT" worktree remove --force "$RUN_DIR/base-src" 2>/dev/null || true; fi
    if [[ $KEEP_RUN_DIR == 1 ]]; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_wrk

RUN_DIR=$(mktemp -d /tmp/gatelink-pipeline-bench.XXXXXX)
if [[ $BUILD == 1 ]]; then
  log "building this checkout: ./mvnw -B -q -DskipTests package -pl examples/gateway,benchmarks -am"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl examples/gateway,benchmarks -am)
fi
if [[ -z $BASE_JAR ]]; then
  log "building the base runner at $BASE in a worktree"
  git -C "$ROOT" worktree add -q --detach "$RUN_DIR/base-src" "$BASE"
  (cd "$RUN_DIR/base-src" && ./mvnw -B -q -DskipTests package -pl examples/gateway -am)
  cp "$RUN_DIR/base-src/examples/gateway/target/gatelink-gateway.jar" "$RUN_DIR/base.jar"
  BASE_JAR=$RUN_DIR/base.jar
fi
[[ -f $BASE_JAR && -f $GATELINK_JAR && -f $LOAD_JAR ]] || die "a jar is missing: $BASE_JAR, $GATELINK_JAR or $LOAD_JAR"

# shellcheck disable=SC2206
JAVA=(java $JAVA_OPTS)
JAVA_TRANSPORT=$(java -cp "$LOAD_JAR" "$LOAD_PKG.VertxTransports" "$TRANSPORT")
"${LOAD_CPU[@]}" "${JAVA[@]}" -cp "$LOAD_JAR" "$LOAD_PKG.HelloBackend" --host 127.0.0.1 --port 0 --event-loops 1 \
  --transport "$JAVA_TRANSPORT" >"$RUN_DIR/backend.log" 2>&1 &
BACKEND_PID=$!; PIDS+=("$BACKEND_PID")
BACKEND_PORT=$(wait_for_line "$RUN_DIR/backend.log" '^listening on [0-9]+$' "$BACKEND_PID" HelloBackend)
BACKEND_PORT=${BACKEND_PORT#listening on }

TARGETS=(base plain pipeline)
declare -A URL TPID JAR API
JAR[base]=$BASE_JAR; API[base]=$SCRIPT_DIR/pipeline-bench/plain.yaml
JAR[plain]=$GATELINK_JAR; API[plain]=$SCRIPT_DIR/pipeline-bench/plain.yaml
JAR[pipeline]=$GATELINK_JAR; API[pipeline]=$SCRIPT_DIR/pipeline-bench/pipeline.yaml
for t in "${TARGETS[@]}"; do
  "${RUNNER_CPU[@]}" "${JAVA[@]}" -jar "${JAR[$t]}" --api "${API[$t]}" --host 127.0.0.1 --port 0 \
    --resolve "backend.bench:18080=127.0.0.1:$BACKEND_PORT" --event-loops "$EVENT_LOOPS" \
    --transport "$JAVA_TRANSPORT" \
    >"$RUN_DIR/$t.log" 2>&1 &
  pid=$!; PIDS+=("$pid"); TPID[$t]=$pid
  line=$(wait_for_line "$RUN_DIR/$t.log" '^Gatelink listening on http://[^ ]+:[0-9]+$' "$pid" "$t")
  URL[$t]="${line#Gatelink listening on }/hello"
  wait_for_hello "$t" "${URL[$t]}" "$pid"
  log "$t (pid $pid) on ${URL[$t]}"
done
# The pipeline's answer carries what its mappings and CORS add.
curl -s -D - -o /dev/null -H "Origin: $ORIGIN" "${URL[pipeline]}" >"$RUN_DIR/pipeline-head.txt"
grep -qi '^x-route: ANY /{proxy+}' "$RUN_DIR/pipeline-head.txt" \
  && grep -qi "^access-control-allow-origin: $ORIGIN" "$RUN_DIR/pipeline-head.txt" \
  || die "the pipeline runner's answer lacks its mapped header or CORS header: $(cat "$RUN_DIR/pipeline-head.txt")"

CLK_TCK=$(getconf CLK_TCK)
wrk_args() { if [[ $1 == pipeline ]]; then echo "-H Origin:$ORIGIN"; fi; }
RAW=$OUT_DIR/raw
mkdir -p "$RAW" "$(dirname "$REPORT")"
rm -f "$RAW"/*
for t in "${TARGETS[@]}"; do
  log "warm-up ${WARMUP}s: $t"
  # shellcheck disable=SC2046
  run_tracked timeout $((WARMUP + 30)) "${LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$WARMUP"s $(wrk_args "$t") "${URL[$t]}" >/dev/null
done
for ((round = 1; round <= ROUNDS; round++)); do
  # Odd rounds run base, plain, pipeline; even rounds the other way round, so that a host whose speed drifts
  # during the run does not always favour the runner measured first.
  order=("${TARGETS[@]}")
  if ((round % 2 == 0)); then order=("${TARGETS[2]}" "${TARGETS[1]}" "${TARGETS[0]}"); fi
  for t in "${order[@]}"; do
    before=$(cpu_ticks "${TPID[$t]}") loop_before=$(loop_ticks "${TPID[$t]}")
    # shellcheck disable=SC2046
    run_tracked timeout $((DURATION + 30)) "${LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$DURATION"s --latency $(wrk_args "$t") \
      "${URL[$t]}" >"$RAW/wrk-$t-r$round.txt"
    echo "$(($(cpu_ticks "${TPID[$t]}") - before))" >"$RAW/ticks-$t-r$round.txt"
    echo "$(($(loop_ticks "${TPID[$t]}") - loop_before))" >"$RAW/loop-ticks-$t-r$round.txt"
    log "round $round $t: $(grep -m1 'Requests/sec' "$RAW/wrk-$t-r$round.txt")"
  done
done

python3 - "$RAW" "$ROUNDS" "$CLK_TCK" "$COMMAND_LINE" "$(git -C "$ROOT" rev-parse --short HEAD)" "$BASE" \
  "$JAVA_TRANSPORT" "$PINNING" >"$REPORT" <<'PY'
import re, statistics, sys
raw, rounds, tck, command, commit, base, transport, pinning = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:]
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
for t in ('base', 'plain', 'pipeline'):
    cpu, loop, rps, p50, p99, errs = [], [], [], [], [], 0
    for r in range(1, rounds + 1):
        requests, r_rps, r50, r99, e = wrk(f'{raw}/wrk-{t}-r{r}.txt')
        ticks = int(open(f'{raw}/ticks-{t}-r{r}.txt').read())
        loop_ticks = int(open(f'{raw}/loop-ticks-{t}-r{r}.txt').read())
        cpu.append(ticks / tck / requests * 1e6); loop.append(loop_ticks / tck / requests * 1e6)
        rps.append(r_rps); p50.append(r50); p99.append(r99); errs += e
    rows[t] = dict(cpu=statistics.median(cpu), cpus=cpu, loop=statistics.median(loop), loops=loop,
                   rps=statistics.median(rps), p50=statistics.median(p50), p99=statistics.median(p99), errors=errs)
print('# Pipeline benchmark\n')
print(f'`{command}` at `{commit}` (base `{base}`), transport {transport}, {pinning}, {rounds} rounds, medians.\n')
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
def line(a, b, floor, what):
    m, lo, hi = paired(a, b, 'loops')
    whole, whole_lo, whole_hi = paired(a, b, 'cpus')
    verdict = 'PASS' if m <= floor else 'FAIL'
    print(f"- {a} / {b}: **{m:.3f}x** [{lo:.3f} to {hi:.3f}] ({what}: {verdict}); whole JVM {whole:.3f}x "
          f"[{whole_lo:.3f} to {whole_hi:.3f}]")
print()
print('CPU per request of the event loops, the median of the per-round ratios (their range in brackets):\n')
line('pipeline', 'plain', 1.10, 'floor at most 1.10x')
line('plain', 'base', 1.03, 'floor: no worse than before, read as at most 1.03x, the run-to-run noise of this ratio')
PY
REPORTED=1
cat "$REPORT"
