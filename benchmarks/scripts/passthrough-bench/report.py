#!/usr/bin/env python3
"""Turns the raw results of benchmarks/scripts/passthrough-bench.sh into its markdown report, with the floors of
issue 14 checked (printed as PASS/FAIL; the exit status is 0 either way).

Usage: python3 benchmarks/scripts/passthrough-bench/report.py RAW_DIR

RAW_DIR holds meta.txt (key=value lines), wrk-WORKLOAD-TARGET-rN.txt (wrk's output) and cpu-WORKLOAD-TARGET-rN.txt
(before_*/after_* lines: "USER SYS" clock ticks of the backend, the proxy's process tree and, for Gatelink, its
event-loop and acceptor threads; "BUSY STEAL" ticks of CPU 0 and of the proxies' CPU; the time). Python 3 standard
library only.
"""
import os
import re
import statistics
import sys

TARGETS = ["direct", "gatelink", "haproxy", "nginx"]
PROXIES = ["gatelink", "haproxy", "nginx"]
NAMES = {"direct": "direct (no proxy)", "gatelink": "Gatelink", "haproxy": "HAProxy", "nginx": "nginx stream"}
# Issue 14: on each workload Gatelink at least HAProxy's figure and at least 0.9x nginx stream's, judged by CPU
# per unit (the peer's CPU per unit over Gatelink's: above 1, Gatelink uses less).
FLOORS = [("haproxy", 1.0), ("nginx", 0.9)]
WORKLOADS = {
    # name: (title, unit, per-unit scale and label of proxy CPU, throughput label)
    "bulk": ("Bulk throughput: 1 MiB bodies over kept-alive TLS connections", "GB", 1e3 * 1e9,
             "CPU ms per GB", "MB/s"),
    "connect": ("New connections: a TLS handshake and one small request per connection", "connection", 1e6,
                "CPU us per connection", "connections/s"),
    "keepalive": ("Small requests on kept-alive TLS connections", "request", 1e6, "CPU us per request",
                  "requests/s"),
}


def read_kv(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            values[key] = value
    return values


def micros(value, unit):
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6, "m": 60e6}[unit]


def parse_wrk(path):
    text = open(path, encoding="utf-8").read()
    match = re.search(r"^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m),", text, re.M)
    if not match:
        raise SystemExit("%s: no 'N requests in T' line; is this wrk's output?" % path)
    requests, seconds = int(match.group(1)), micros(match.group(2), match.group(3)) / 1e6
    latency = {}
    for pct in ("50", "99"):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+([0-9.]+)(us|ms|s|m)\s*$" % pct, text, re.M)
        latency[pct] = micros(m.group(1), m.group(2)) if m else float("nan")
    # Non-2xx/3xx answers, and socket errors (connect, read, write, timeout).
    counted = re.findall(r"^\s*(?:Non-2xx or 3xx responses|Socket errors):(.*)$", text, re.M)
    errors = sum(int(n) for line in counted for n in re.findall(r"\d+", line))
    return {"requests": requests, "seconds": seconds, "p50": latency["50"], "p99": latency["99"],
            "errors": errors}


def ticks(cpu, key):
    """The ticks spent during the run, per field ((user, sys) of a process, (busy, steal, irq) of a CPU), or None."""
    if "before_" + key not in cpu:
        return None
    before = [int(x) for x in cpu["before_" + key].split()]
    after = [int(x) for x in cpu["after_" + key].split()]
    return tuple(a - b for a, b in zip(after, before))


def load_run(raw, meta, workload, target, rnd):
    wrk = parse_wrk(os.path.join(raw, "wrk-%s-%s-r%d.txt" % (workload, target, rnd)))
    cpu = read_kv(os.path.join(raw, "cpu-%s-%s-r%d.txt" % (workload, target, rnd)))
    tck = int(meta["clk_tck"])
    wall = float(cpu["after_time"]) - float(cpu["before_time"])
    units = wrk["requests"] * (int(meta["bulk_bytes"]) if workload == "bulk" else 1)
    run = dict(wrk, units=units, wall=wall, throughput=units / wrk["seconds"])
    if workload == "bulk":
        run["throughput"] /= 1e6
    scale = WORKLOADS[workload][2]
    for key in ("proxy", "backend", "loops", "acceptor"):
        spent = ticks(cpu, key)
        if spent is not None:
            user, sys_ = spent[0] / tck, spent[1] / tck
            run[key] = (user + sys_) * scale / units
            run[key + "_user"] = user * scale / units
            run[key + "_sys"] = sys_ * scale / units
            run[key + "_busy"] = (user + sys_) / wall
    busy, steal, irq = ticks(cpu, "proxy_cpu")
    run["proxy_cpu_irq"] = irq / tck / wall
    # Tick-based accounting charges a softirq tick both to the CPU's softirq time and to the task it interrupted,
    # so other processes' share is at least what is left besides the proxy and the interrupts.
    run["proxy_cpu_others"] = max(0.0, (busy - irq) / tck / wall - run.get("proxy_busy", 0))
    run["proxy_cpu_steal"] = steal / tck / wall
    return run


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def paired(rounds, a, b, key):
    """The median of the per-round ratios a/b of one figure, and their range."""
    ratios = sorted(rounds[r][a][key] / rounds[r][b][key] for r in sorted(rounds))
    return statistics.median(ratios), ratios[0], ratios[-1]


def fmt(value, digits=None):
    if value != value:  # NaN
        return "n/a"
    if digits is None:
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return "{:,.{}f}".format(value, digits)


def fmt_latency(us):
    return "n/a" if us != us else ("%.2f ms" % (us / 1000) if us >= 1000 else "%.0f us" % us)


def report(raw):
    meta = read_kv(os.path.join(raw, "meta.txt"))
    rounds_n = int(meta["rounds"])
    pinned = meta.get("pinned") == "1"
    out = []
    p = out.append
    p("# TLS passthrough: Gatelink against HAProxy and nginx stream\n")
    p("`%s`\n" % meta["command"])
    p("- run %s, commit `%s`; %s CPUs (%s), kernel %s; %s" % (
        meta["date"], meta["commit"], meta["cpus"], meta["cpu_model"], meta["kernel"], meta["java"]))
    p("- HAProxy %s, nginx %s, wrk %s, OpenSSL %s; Gatelink and the backend on %s; Gatelink's zero-copy flag %s" % (
        meta["haproxy"], meta["nginx"], meta["wrk"], meta["openssl"], meta["transport"], meta["zero_copy"]))
    p("- %s; backend: %s event loop(s), the JDK's TLS, ECDSA P-256 certificate for SNI `%s`" % (
        meta["pinning"], meta["backend_loops"], meta["server_name"]))
    p("- %s s wrk warm-up per workload and target, then %d round(s) of %s s per workload and target, the targets' "
      "order reversed every other round; medians over the rounds, ratios the median of the per-round ratios "
      "[with their range]" % (meta["warmup"], rounds_n, meta["duration"]))
    p("- CPUs busy before the run (3 s, per CPU): %s; after: %s" % (meta.get("busy_before", "?"),
                                                                    meta.get("busy_after", "?")))
    p("- proxy CPU: the proxy's whole process (nginx: master and worker), user + system, from /proc over each run, "
      "divided by the units wrk completed in that run\n")

    results = {}
    warnings = []
    for workload, (title, unit, _, cpu_label, tp_label) in WORKLOADS.items():
        rounds = {}
        for rnd in range(1, rounds_n + 1):
            rounds[rnd] = {t: load_run(raw, meta, workload, t, rnd) for t in TARGETS}
        results[workload] = rounds
        conns = meta["connections_" + workload]
        p("## %s (wrk -t1 -c%s)\n" % (title, conns))
        p("| target | %s | p50 | p99 | proxy %s (user + sys) | per round | proxy CPU busy | backend %s | "
          "errors |" % (tp_label, cpu_label, cpu_label))
        p("|---|---:|---:|---:|---:|---|---:|---:|---:|")
        for t in TARGETS:
            runs = [rounds[r][t] for r in sorted(rounds)]
            errors = sum(r["errors"] for r in runs)
            if errors:
                warnings.append("%s, %s: wrk reported %d errors" % (workload, t, errors))
            if t == "direct":
                proxy = per_round = busy = "-"
            else:
                proxy = "**%s** (%s + %s)" % (fmt(med(runs, "proxy")), fmt(med(runs, "proxy_user")),
                                              fmt(med(runs, "proxy_sys")))
                per_round = ", ".join(fmt(r["proxy"]) for r in runs)
                busy = "%.0f%%" % (100 * med(runs, "proxy_busy"))
            p("| %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
                NAMES[t], fmt(med(runs, "throughput")), fmt_latency(med(runs, "p50")),
                fmt_latency(med(runs, "p99")), proxy, per_round, busy, fmt(med(runs, "backend")), errors))
        if pinned:
            others = max(med([rounds[r][t] for r in rounds], "proxy_cpu_others") for t in PROXIES)
            steal = max(med([rounds[r][t] for r in rounds], "proxy_cpu_steal") for t in PROXIES)
            if others > 0.05 or steal > 0.05:
                warnings.append("%s: the proxies' CPU 1 also ran other processes (at least %.0f%% of it, the "
                                "highest median of a proxy) or lost %.0f%% to steal: the machine was busy" %
                                (workload, 100 * others, 100 * steal))
        p("")
    p("## Gatelink against the peers\n")
    p("CPU per unit is the figure the floors judge: the peer's CPU per unit over Gatelink's (above 1: Gatelink uses "
      "less). Throughput is Gatelink's over the peer's.\n")
    p("| workload | CPU: HAProxy / Gatelink | CPU: nginx / Gatelink | throughput: Gatelink / HAProxy | "
      "throughput: Gatelink / nginx |")
    p("|---|---:|---:|---:|---:|")
    floors = []
    for workload, rounds in results.items():
        cells = []
        for peer, _ in FLOORS:
            cells.append("**%.2fx** [%.2f, %.2f]" % paired(rounds, peer, "gatelink", "proxy"))
        for peer, _ in FLOORS:
            cells.append("%.2fx [%.2f, %.2f]" % paired(rounds, "gatelink", peer, "throughput"))
        p("| %s | %s |" % (workload, " | ".join(cells)))
        for peer, floor in FLOORS:
            ratio = paired(rounds, peer, "gatelink", "proxy")[0]
            throughput = paired(rounds, "gatelink", peer, "throughput")[0]
            floors.append("- %s %s against %s: %s's CPU per %s over Gatelink's is **%.2fx** (floor: at least "
                          "%.1fx); throughput Gatelink / %s %.2fx" % (
                              "PASS" if ratio >= floor else "FAIL", workload, NAMES[peer], NAMES[peer],
                              WORKLOADS[workload][1], ratio, floor, NAMES[peer], throughput))
    p("\n### Floors (issue 14)\n")
    out.extend(floors)
    failed = sum(1 for f in floors if f.startswith("- FAIL"))
    p("\n%s\n" % ("All %d floors pass." % len(floors) if not failed else
                  "%d of %d floors fail." % (failed, len(floors))))

    p("## Where Gatelink's CPU goes\n")
    p("Per unit, medians: the whole JVM (user + system), its event-loop threads (user + system), its acceptor "
      "thread and the rest (JIT compiler, GC); and the peers' user + system for comparison.\n")
    p("| workload | unit | Gatelink: whole JVM | event loops | acceptor | rest | HAProxy | nginx stream |")
    p("|---|---|---:|---:|---:|---:|---:|---:|")

    def split(runs, key):
        return "%s (%s + %s)" % (fmt(med(runs, key)), fmt(med(runs, key + "_user")), fmt(med(runs, key + "_sys")))
    for workload, rounds in results.items():
        runs = {t: [rounds[r][t] for r in sorted(rounds)] for t in PROXIES}
        gatelink = runs["gatelink"]
        rest = statistics.median(r["proxy"] - r["loops"] - r["acceptor"] for r in gatelink)
        p("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            workload, WORKLOADS[workload][3], split(gatelink, "proxy"), split(gatelink, "loops"),
            fmt(med(gatelink, "acceptor")), fmt(rest), split(runs["haproxy"], "proxy"), split(runs["nginx"], "proxy")))
    p("")
    if pinned:
        p("## The proxies' CPU (CPU 1) during the runs\n")
        p("Share of CPU 1's time, medians: the proxy's process; irq and softirq time (loopback packets are received "
          "there; the part that interrupted the proxy is also in the proxy's own time); other processes, at least "
          "(not this benchmark's: the machine's other load); steal (the hypervisor ran something else).\n")
        p("| workload | target | proxy | irq + softirq | other processes (at least) | steal |")
        p("|---|---|---:|---:|---:|---:|")
        for workload, rounds in results.items():
            for t in PROXIES:
                runs = [rounds[r][t] for r in sorted(rounds)]
                p("| %s | %s | %.0f%% | %.0f%% | %.0f%% | %.0f%% |" % (
                    workload, NAMES[t], 100 * med(runs, "proxy_busy"), 100 * med(runs, "proxy_cpu_irq"),
                    100 * med(runs, "proxy_cpu_others"), 100 * med(runs, "proxy_cpu_steal")))
        p("")

    if warnings:
        p("## Warnings\n")
        out.extend("- " + w for w in warnings)
        p("")
    return "\n".join(out)


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    print(report(argv[1]))


if __name__ == "__main__":
    main(sys.argv)
