# shellcheck shell=bash
# Shared by load-bench.sh, cloudmap-bench.sh, pipeline-bench.sh and alb-bench.sh: logging, process tracking and readiness checks.
# Source it after setting BENCH_NAME (the prefix of log lines), PIDS=() (the pids the trap stops),
# START_TIMEOUT (seconds) and RUN_DIR (where the logs are).

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# Stops processes this script started: SIGTERM to each pid given, up to TENTHS tenths of a second for them to
# end, then SIGKILL to those left. Usage: stop_pids TENTHS PID...
stop_pids() {
  local tenths=$1 pid alive
  shift
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq "$tenths"); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}

# Runs a command in the background, records its pid, and waits for it (so that a signal to the script still
# reaches the trap at once, and the trap can stop the command). Once the command has ended its pid is
# forgotten, so that the trap never signals a pid that the system may have given to another process.
run_tracked() {
  "$@" &
  local pid=$! rc=0 kept=() p
  PIDS+=("$pid")
  wait "$pid" || rc=$?
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
  return "$rc"
}

# Waits until FILE has a line matching REGEX (printed), while PID lives, for at most TIMEOUT seconds.
wait_for_line() {
  local file=$1 regex=$2 pid=$3 name=$4 deadline=$((SECONDS + START_TIMEOUT)) line
  while ((SECONDS < deadline)); do
    if line=$(grep -m1 -E "$regex" "$file" 2>/dev/null); then
      printf '%s\n' "$line"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "$name exited before it was ready (log: $file)"
    sleep 0.1
  done
  die "$name did not print a line matching '$regex' within ${START_TIMEOUT}s (log: $file)"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until URL answers 200 with the backend's body, for at most START_TIMEOUT seconds.
wait_for_hello() {
  local name=$1 url=$2 pid=$3 deadline=$((SECONDS + START_TIMEOUT)) body
  while ((SECONDS < deadline)); do
    if body=$(curl -sf --max-time 2 "$url" 2>/dev/null) && [[ $body == "hello world" ]]; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "$name exited before it answered (see its log in $RUN_DIR)"
    sleep 0.2
  done
  die "$name at $url did not answer 200 'hello world' within ${START_TIMEOUT}s"
}

# The path of a command, also from /usr/sbin (nginx, haproxy), or nothing.
find_bin() { command -v "$1" 2>/dev/null || { [[ -x /usr/sbin/$1 ]] && echo "/usr/sbin/$1"; } || true; }

# Pinning for the paired runner benchmarks (pipeline-bench.sh, alb-bench.sh): with PIN=1, the load (wrk and the
# backends) on CPU 0 and each runner on CPU 1 with one event loop; sets LOAD_CPU, RUNNER_CPU, EVENT_LOOPS and
# PINNING (a description, LOAD_WHAT naming what runs on CPU 0).
setup_pinning() {
  LOAD_CPU=() RUNNER_CPU=() EVENT_LOOPS=2 PINNING="not pinned, 2 event loops per runner"
  if ((PIN)); then
    (($(nproc) >= 2)) || die "BENCH_PIN=1 needs two CPUs; this machine has $(nproc) (BENCH_PIN=0 runs unpinned)"
    command -v taskset >/dev/null || die "BENCH_PIN=1 needs taskset (util-linux)"
    LOAD_CPU=(taskset -c 0) RUNNER_CPU=(taskset -c 1) EVENT_LOOPS=1
    PINNING="$LOAD_WHAT on CPU 0, each runner on CPU 1 with 1 event loop"
  fi
}

# wrk's path, installed with apt-get when missing; sets WRK.
ensure_wrk() {
  WRK=$(find_bin wrk)
  if [[ -z $WRK ]]; then
    log "installing wrk with apt-get"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
    WRK=$(find_bin wrk)
  fi
  [[ -n $WRK ]] || die "wrk is missing"
}

# The CPU time of a process, in clock ticks (user + system).
cpu_ticks() { local fields; read -r -a fields < <(sed 's/^.*) //' "/proc/$1/stat"); echo $((fields[11] + fields[12])); }

# The CPU time of a runner's event-loop threads alone, in clock ticks: the request path, without the JIT
# compiler's threads (on the runner's one CPU when pinned, compiling for tens of seconds after warm-up) and the
# GC's.
loop_ticks() {
  local task total=0 fields
  for task in /proc/"$1"/task/*; do
    [[ $(cat "$task/comm" 2>/dev/null) == vert.x-eventlo* ]] || continue
    read -r -a fields < <(sed 's/^.*) //' "$task/stat") || continue
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

# ---- used by passthrough-bench.sh -----------------------------------------------------------------------------------

# Installs Debian packages with apt-get, as root or through sudo. Usage: apt_install PACKAGE...
apt_install() {
  local sudo=()
  (($(id -u) == 0)) || sudo=(sudo)
  log "installing with apt-get: $*"
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# The user and the system CPU time, in clock ticks, of a process and of its child processes (nginx's workers):
# prints "USER SYS". Usage: tree_cpu PID
tree_cpu() {
  local user=0 sys=0 p fields
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    read -r -a fields < <(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    user=$((user + fields[11])) sys=$((sys + fields[12]))
  done
  echo "$user $sys"
}

# The user and the system CPU time, in clock ticks, of a process's threads whose name matches REGEX (a bash
# extended regular expression): prints "USER SYS". Usage: thread_cpu PID REGEX
thread_cpu() {
  local task user=0 sys=0 fields
  for task in /proc/"$1"/task/*; do
    [[ $(cat "$task/comm" 2>/dev/null) =~ $2 ]] || continue
    read -r -a fields < <(sed 's/^.*) //' "$task/stat" 2>/dev/null) || continue
    user=$((user + fields[11])) sys=$((sys + fields[12]))
  done
  echo "$user $sys"
}

# How busy one CPU has been since boot, in clock ticks, from /proc/stat: prints "BUSY STEAL IRQ", where BUSY is
# user, nice, system, irq and softirq time (everything but idle, iowait and steal), STEAL the time the hypervisor
# ran something else, and IRQ the irq and softirq part of BUSY (loopback traffic is received in softirqs, which
# no process's time includes). Usage: cpu_busy N
cpu_busy() {
  local name user nice system idle iowait irq softirq steal
  while read -r name user nice system idle iowait irq softirq steal _; do
    [[ $name == "cpu$1" ]] || continue
    echo "$((user + nice + system + irq + softirq)) $steal $((irq + softirq))"
    return 0
  done </proc/stat
  die "no line cpu$1 in /proc/stat"
}

# An EXIT trap (trap cleanup_run EXIT): stops the processes in PIDS and their child processes (nginx's workers,
# found by their parent's pid before the parent goes), shows the last lines of every log in RUN_DIR and in its
# subdirectories when the script failed, and removes RUN_DIR unless KEEP_RUN_DIR is 1.
cleanup_run() {
  local rc=$? pid child children=() f
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do children+=("$child"); done
  done
  stop_pids 50 "${PIDS[@]}" "${children[@]}"
  if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
    if ((rc != 0)); then
      for f in "$RUN_DIR"/*.log "$RUN_DIR"/*/*.log; do
        [[ -s $f ]] && { echo "---- last lines of $f" >&2; tail -n 20 "$f" >&2; }
      done
    fi
    if [[ ${KEEP_RUN_DIR:-0} == 1 ]]; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  fi
  exit "$rc"
}
