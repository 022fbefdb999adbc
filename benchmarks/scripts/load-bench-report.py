#!/usr/bin/env python3
"""Turns the raw results of benchmarks/scripts/load-bench.sh into the markdown report of docs/benchmarks.md,
with every figure and ratio and the floors checked.

Usage (the script calls both):
  python3 benchmarks/scripts/load-bench-report.py rate RAW_DIR FRACTION
      prints the fixed rate for the latency runs: FRACTION x the weakest proxy's median wrk throughput,
      rounded down to a multiple of 100 req/s
  python3 benchmarks/scripts/load-bench-report.py report RAW_DIR
      prints the report; exits 1 if a floor fails

RAW_DIR holds meta.txt (key=value lines), wrk-TARGET-rN.txt (wrk's output) and lat-TARGET-rN.json
(OpenLoopLoad's JSON line). Python 3 standard library only.
"""
import glob
import json
import os
import re
import statistics
import sys

TARGETS = ["direct", "gatelink", "nginx", "vertx-http-proxy", "haproxy"]
PROXIES = TARGETS[1:]
NAMES = {"direct": "direct (no proxy)", "gatelink": "Gatelink", "nginx": "nginx",
         "vertx-http-proxy": "vertx-http-proxy", "haproxy": "HAProxy"}

# The floors: Gatelink's throughput >= 0.9x nginx's and >= 1.5x vertx-http-proxy's; its added p99 at
# the fixed rate no worse than nginx's. And the aims, which are not floors: at least nginx and HAProxy.
THROUGHPUT_FLOORS = [("nginx", 0.9), ("vertx-http-proxy", 1.5)]
THROUGHPUT_AIMS = [("nginx", 1.0), ("haproxy", 1.0)]
UNSUSTAINED = 0.95  # a latency run that achieved less than this share of the rate did not sustain it
CAUGHT_UP = 1.02  # one that completed more than this share had fallen behind and was catching up
FELL_BEHIND_P50_US = 100_000  # a median latency above this means requests queued: the target fell behind
LATE_GENERATOR_US = 1000  # above this generator lag p99, differences in p99 of that size are noise


def read_meta(raw):
    meta = {}
    with open(os.path.join(raw, "meta.txt"), encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            meta[key] = value
    return meta


def parse_wrk(path):
    """Requests/sec, and the errors wrk reports (non-2xx/3xx responses, socket errors)."""
    text = open(path, encoding="utf-8").read()
    match = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    if not match:
        raise SystemExit("%s: no 'Requests/sec:' line; is this wrk's output?" % path)
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non2xx:
        errors += int(non2xx.group(1))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if socket:
        errors += sum(int(g) for g in socket.groups())
    return float(match.group(1)), errors


def round_number(path):
    return int(re.search(r"-r(\d+)\.[a-z]+$", path).group(1))


def load_wrk(raw):
    """{target: [(round, rps, errors), ...]} for the measured rounds (not the warm-up)."""
    runs = {}
    for target in TARGETS:
        paths = sorted(glob.glob(os.path.join(raw, "wrk-%s-r*.txt" % target)), key=round_number)
        if paths:
            runs[target] = [(round_number(p),) + parse_wrk(p) for p in paths]
    return runs


def wrk_requests(path):
    """The number of requests a wrk run completed, from its "N requests in T" line."""
    text = open(path, encoding="utf-8").read()
    match = re.search(r"^\s*(\d+) requests in ", text, re.M)
    return int(match.group(1)) if match else None


def load_cpu(raw):
    """{target: [(round, proxy us per request or None, backend us per request), ...]} from the CPU samples taken
    around each measured wrk run (utime + stime of the processes, from /proc)."""
    runs = {}
    for target in TARGETS:
        paths = sorted(glob.glob(os.path.join(raw, "cpu-%s-r*.txt" % target)), key=round_number)
        for path in paths:
            values = dict(line.strip().split("=", 1) for line in open(path, encoding="utf-8") if "=" in line)
            requests = wrk_requests(os.path.join(raw, "wrk-%s-r%d.txt" % (target, round_number(path))))
            if not requests:
                continue
            tick_us = 1e6 / float(values["clk_tck"])
            proxy = values.get("proxy_ticks")
            runs.setdefault(target, []).append((
                round_number(path),
                int(proxy) * tick_us / requests if proxy not in (None, "") else None,
                int(values["backend_ticks"]) * tick_us / requests))
    return runs


def load_latency(raw):
    """{target: [result dict, ...]} in round order."""
    runs = {}
    for target in TARGETS:
        paths = sorted(glob.glob(os.path.join(raw, "lat-%s-r*.json" % target)), key=round_number)
        if paths:
            runs[target] = [json.load(open(p, encoding="utf-8")) for p in paths]
    return runs


def median_rps(runs, target):
    return statistics.median(rps for _, rps, _ in runs[target])


def weakest_proxy(runs):
    proxies = [t for t in PROXIES if t in runs] or ["direct"]
    return min(proxies, key=lambda t: median_rps(runs, t))


def rate(raw, fraction):
    runs = load_wrk(raw)
    if "direct" not in runs:
        raise SystemExit("%s: no wrk results" % raw)
    weakest = weakest_proxy(runs)
    value = max(100, int(float(fraction) * median_rps(runs, weakest)) // 100 * 100)
    sys.stderr.write("fixed rate: %s x %s's median %.0f req/s -> %d req/s\n"
                     % (fraction, NAMES[weakest], median_rps(runs, weakest), value))
    print(value)
    return 0


def fmt_rps(value):
    return "{:,.0f}".format(value)


def fmt_us(value):
    return "{:,.0f}".format(value) if abs(value) >= 100 else "{:,.1f}".format(value)


def report(raw):
    meta = read_meta(raw)
    wrk = load_wrk(raw)
    lat = load_latency(raw)
    targets = [t for t in TARGETS if t in wrk]
    rounds = max(r for t in targets for r, _, _ in wrk[t])
    rate_value = int(meta.get("rate", "0") or 0)
    skipped = [s for s in meta.get("skipped", "").split(",") if s]
    out = []
    emit = out.append

    emit("## Load benchmark: Gatelink, nginx, HAProxy and vertx-http-proxy in front of one backend")
    emit("")
    emit("**Run:** %s, commit `%s`, %s CPUs (%s), Linux %s, %s; nginx %s, HAProxy %s, wrk %s."
         % (meta["date"], meta["commit"], meta["cpus"], meta["cpu_model"], meta["kernel"], meta["java"],
            meta["nginx"], meta["haproxy"], meta["wrk"]))
    emit("")
    emit("**Command** (from the repository root):")
    emit("")
    emit("```")
    emit(meta["command"])
    emit("```")
    emit("")
    threads = meta["proxy_threads"]
    emit("**Setup:** every process on 127.0.0.1. Backend: `HelloBackend` (Vert.x, %s event loop(s), `hello world\\n`)."
         " Proxies: nginx `worker_processes %s` with upstream `keepalive %s`, HTTP/1.1 and `Connection \"\"`;"
         " HAProxy `nbthread %s`, `http-reuse always`, server `maxconn %s`; vertx-http-proxy %s event loops,"
         " pool %s; Gatelink: its runner with `--event-loops %s`%s. The Java servers (backend, Gatelink,"
         " vertx-http-proxy) all run on Netty's %s transport; nginx and HAProxy use epoll."
         " JVM flags for every Java process: `%s`."
         % (meta["backend_loops"], threads, meta["pool_size"], threads, meta["pool_size"], threads,
            meta["pool_size"], threads,
            (" and `%s`" % meta["gatelink_args"]) if meta.get("gatelink_args") else "",
            meta.get("transport", "nio"), meta["java_opts"]))
    if skipped:
        emit("")
        emit("**Skipped in this run:** %s." % ", ".join(NAMES[s] for s in skipped))
    emit("")

    # ---- throughput
    emit("### Throughput (wrk, closed loop, requests/s)")
    emit("")
    emit("`wrk -t1 -c%s -d%ss --latency URL` per target, after one %s s wrk warm-up per target; %d round(s), the"
         " targets alternating within each round (%s)."
         % (meta["connections"], meta["duration"], meta["warmup"], rounds, ", ".join(targets)))
    emit("")
    emit("| target | " + " | ".join("round %d" % r for r in range(1, rounds + 1))
         + " | median | spread (max-min)/median | of direct | wrk errors |")
    emit("|---|" + "---:|" * rounds + "---:|---:|---:|---:|")
    direct = median_rps(wrk, "direct")
    medians = {}
    for t in targets:
        by_round = {r: rps for r, rps, _ in wrk[t]}
        values = [rps for _, rps, _ in wrk[t]]
        medians[t] = statistics.median(values)
        spread = (max(values) - min(values)) / medians[t] * 100 if medians[t] else 0
        errors = sum(e for _, _, e in wrk[t])
        emit("| %s | %s | **%s** | %.1f%% | %.2f | %d |"
             % (NAMES[t], " | ".join(fmt_rps(by_round[r]) if r in by_round else "n/a" for r in range(1, rounds + 1)),
                fmt_rps(medians[t]), spread, medians[t] / direct, errors))
    emit("")

    emit("Ratios of the medians, and the ratio within each round:")
    emit("")
    emit("| ratio | median | per round |")
    emit("|---|---:|---|")
    ratios = {}
    if "gatelink" in wrk:
        for peer in ["nginx", "vertx-http-proxy", "haproxy"]:
            if peer in wrk:
                ratios[peer] = medians["gatelink"] / medians[peer]
                gl = {r: rps for r, rps, _ in wrk["gatelink"]}
                per_round = ["%.2f" % (gl[r] / rps) for r, rps, _ in wrk[peer] if r in gl]
                emit("| Gatelink / %s | **%.2f** | %s |" % (NAMES[peer], ratios[peer], ", ".join(per_round)))
    for t in targets:
        if t != "direct":
            emit("| %s / direct | %.2f | %s |" % (NAMES[t], medians[t] / direct,
                                                  ", ".join("%.2f" % (rps / d) for (r, rps, _), (_, d, _)
                                                            in zip(wrk[t], wrk["direct"]))))
    emit("")

    # ---- CPU per request
    cpu = load_cpu(raw)
    if cpu:
        emit("### CPU time per request (during the wrk rounds, microseconds)")
        emit("")
        emit("The user and system CPU time of each target's own processes (`/proc/PID/stat`: the JVM, nginx's"
             " master and workers, HAProxy) and of the backend, read before and after each measured wrk run,"
             " divided by the requests wrk completed in it; medians over the rounds. On two vCPUs shared with"
             " the load generator and the backend, throughput is roughly 2 CPU-seconds divided by the sum of"
             " the proxy's, the backend's and the generator's CPU per request, so ratios of throughput are"
             " pulled toward 1; CPU per request is what the proxy itself costs. The backend's figure differs"
             " per target with what each proxy sends it (Gatelink adds `Forwarded` and `Via`, as API Gateway"
             " does).")
        emit("")
        emit("| target | proxy CPU per request | backend CPU per request | proxy CPU, relative to Gatelink's |")
        emit("|---|---:|---:|---:|")
        proxy_median = {}
        for t in targets:
            if t not in cpu:
                continue
            proxies = [p for _, p, _ in cpu[t] if p is not None]
            if proxies:
                proxy_median[t] = statistics.median(proxies)
        for t in targets:
            if t not in cpu:
                continue
            backend = statistics.median(b for _, _, b in cpu[t])
            proxy = proxy_median.get(t)
            relative = ("%.2f" % (proxy / proxy_median["gatelink"])
                        if proxy is not None and "gatelink" in proxy_median else "-")
            emit("| %s | %s | %.2f | %s |" % (NAMES[t], "%.2f" % proxy if proxy is not None else "-", backend,
                                             relative))
        emit("")

    # ---- latency
    added_p99 = {}
    warnings = []
    if lat:
        lat_rounds = max(len(v) for v in lat.values())
        weakest = weakest_proxy(wrk)
        how = ("%s x %s's median throughput (the weakest proxy), rounded down to 100"
               % (meta["rate_fraction"], NAMES[weakest]))
        if "BENCH_RATE=" in meta["command"]:
            how = "set with BENCH_RATE"
        emit("### Latency at a fixed rate of %s requests/s (OpenLoopLoad, microseconds)" % fmt_rps(rate_value))
        emit("")
        emit("Rate: %s. Up to %s connections, %s s warm-up then %s s measured per target, %d run(s) per target"
             "%s. Latency is measured from each request's intended send time on a fixed timetable to the end of"
             " its response, so requests delayed behind a slow one count (no coordinated omission). \"Added\" is"
             " the target's figure minus the direct one. \"Generator lag\" is the 99th percentile of how late the"
             " generator itself was; it is part of every figure, the direct one included."
             % (how, meta["connections"], meta["lat_warmup"], meta["lat_duration"], lat_rounds,
                " (medians over the runs)" if lat_rounds > 1 else ""))
        emit("")
        emit("| target | achieved req/s | p50 | p90 | p99 | p99.9 | max | added p50 | added p99 | added p99.9"
             " | generator lag p99 | errors | non-200 | incomplete |")
        emit("|---|" + "---:|" * 14)
        fig = {}
        for t in [t for t in TARGETS if t in lat]:
            runs = lat[t]
            fig[t] = {k: statistics.median(r[k] for r in runs)
                      for k in ["achieved_rps", "p50_us", "p90_us", "p99_us", "p999_us", "max_us",
                                "schedule_lag_p99_us"]}
            fig[t]["errors"] = sum(r["errors"] for r in runs)
            fig[t]["non_200"] = sum(r["non_200"] for r in runs)
            fig[t]["incomplete"] = sum(r["incomplete"] for r in runs)
            if fig[t]["errors"] or fig[t]["non_200"] or fig[t]["incomplete"]:
                warnings.append("%s had errors, non-200 answers or incomplete requests at the fixed rate" % NAMES[t])
            if fig[t]["p50_us"] > FELL_BEHIND_P50_US:
                warnings.append("%s fell behind the timetable (median latency %s us: requests queued)"
                                % (NAMES[t], fmt_us(fig[t]["p50_us"])))
            elif rate_value and fig[t]["achieved_rps"] > CAUGHT_UP * rate_value:
                warnings.append("%s completed %s req/s in the measured window, more than the %s offered: it fell"
                                " behind for a while and caught up (its tail percentiles are queueing)"
                                % (NAMES[t], fmt_rps(fig[t]["achieved_rps"]), fmt_rps(rate_value)))
            elif rate_value and fig[t]["achieved_rps"] < UNSUSTAINED * rate_value:
                warnings.append("%s did not sustain the fixed rate (%s of %s req/s)"
                                % (NAMES[t], fmt_rps(fig[t]["achieved_rps"]), fmt_rps(rate_value)))
        base = fig.get("direct")
        late = [t for t in fig if fig[t]["schedule_lag_p99_us"] > LATE_GENERATOR_US]
        if late:
            warnings.append("the generator itself was more than %d us late at p99 in the runs of %s (a busy machine,"
                            " or too short a warm-up): differences in p99 smaller than its lag are noise"
                            % (LATE_GENERATOR_US, ", ".join(NAMES[t] for t in late)))
        for t in [t for t in TARGETS if t in fig]:
            f = fig[t]
            if t == "direct" or base is None:
                added = ["-", "-", "-"]
            else:
                added_p99[t] = f["p99_us"] - base["p99_us"]
                added = [fmt_us(f["p50_us"] - base["p50_us"]), "**%s**" % fmt_us(added_p99[t]),
                         fmt_us(f["p999_us"] - base["p999_us"])]
            emit("| %s | %s | %s | %s | **%s** | %s | %s | %s | %s | %s | %s | %d | %d | %d |"
                 % (NAMES[t], fmt_rps(f["achieved_rps"]), fmt_us(f["p50_us"]), fmt_us(f["p90_us"]),
                    fmt_us(f["p99_us"]), fmt_us(f["p999_us"]), fmt_us(f["max_us"]), added[0], added[1], added[2],
                    fmt_us(f["schedule_lag_p99_us"]), f["errors"], f["non_200"], f["incomplete"]))
        emit("")
    for t in targets:
        if sum(e for _, _, e in wrk[t]):
            warnings.append("wrk reported errors for %s" % NAMES[t])

    # ---- floors
    emit("### Floors")
    emit("")
    failures = []
    lines = []

    def check(label, ok, measured):
        verdict = "PASS" if ok else "FAIL"
        if not ok:
            failures.append(label)
        lines.append("%s: %s (%s)" % (verdict, label, measured))

    if "gatelink" in wrk:
        for peer, floor in THROUGHPUT_FLOORS:
            if peer in ratios:
                check("Gatelink throughput >= %.1fx %s's" % (floor, NAMES[peer]), ratios[peer] >= floor,
                      "%.2fx: %s vs %s req/s" % (ratios[peer], fmt_rps(medians["gatelink"]), fmt_rps(medians[peer])))
            else:
                lines.append("SKIP: Gatelink throughput >= %.1fx %s's (%s not run)" % (floor, NAMES[peer], NAMES[peer]))
        if "gatelink" in added_p99 and "nginx" in added_p99:
            check("Gatelink added p99 <= nginx's at %s req/s" % fmt_rps(rate_value),
                  added_p99["gatelink"] <= added_p99["nginx"],
                  "%s vs %s us" % (fmt_us(added_p99["gatelink"]), fmt_us(added_p99["nginx"])))
        else:
            lines.append("SKIP: Gatelink added p99 <= nginx's (Gatelink or nginx has no latency run)")
        for peer, aim in THROUGHPUT_AIMS:
            if peer in ratios:
                lines.append("AIM %s: Gatelink throughput >= %.1fx %s's (%.2fx; an aim, not a floor)"
                             % ("MET" if ratios[peer] >= aim else "NOT MET", aim, NAMES[peer], ratios[peer]))
    else:
        for peer, floor in THROUGHPUT_FLOORS:
            lines.append("SKIP: Gatelink throughput >= %.1fx %s's (Gatelink leg skipped)" % (floor, NAMES[peer]))
        lines.append("SKIP: Gatelink added p99 <= nginx's (Gatelink leg skipped)")
    emit("```")
    out.extend(lines)
    emit("```")
    if warnings:
        emit("")
        for w in warnings:
            emit("WARNING: %s." % w)
    emit("")
    print("\n".join(out))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "rate":
        return rate(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "report":
        return report(argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
