#!/usr/bin/env python3
"""Turns the raw results of benchmarks/scripts/cloudmap-bench.sh into its markdown report, with the floor
(Cloud Map route at least 0.95x the static route's throughput) and the bound on Cloud Map calls checked.

Usage (the script calls both):
  python3 benchmarks/scripts/cloudmap-bench/report.py rate RAW_DIR FRACTION
      prints the fixed rate for the latency runs: FRACTION x the static route's median wrk throughput,
      rounded down to a multiple of 100 req/s
  python3 benchmarks/scripts/cloudmap-bench/report.py report RAW_DIR
      prints the report; exits 1 if the floor or the bound on Cloud Map calls fails

RAW_DIR holds meta.txt and marks.txt (key=value lines; marks are epoch milliseconds), wrk-ROUTE-rN.txt and
wrk-warmup-ROUTE.txt (wrk's output), cpu-ROUTE-rN.txt (CPU ticks around each wrk run), lat-ROUTE-rN.json
(OpenLoopLoad's JSON line) and calls.json (AwsCallCounter's record: every call Gatelink made to Cloud Map,
with its operation, arrival time and status). Python 3 standard library only.
"""
import glob
import json
import math
import os
import re
import statistics
import sys

ROUTES = ["static", "cloudmap"]
NAMES = {"static": "static uri", "cloudmap": "Cloud Map"}
FLOOR = 0.95  # issue 5: the Cloud Map route's throughput at least 0.95x the static route's
JITTER = 0.2  # DiscoveryCache: each poll interval is moved by up to a fifth either way
CLOCK_SLACK_MS = 50  # arrival times at the counting proxy: the loopback hop and timestamps can move them a little
AFTER_REVISION_MS = 2000  # a DiscoverInstances this soon after a revision call is that call's consequence
OPS = ["DiscoverInstancesRevision", "DiscoverInstances", "GetService", "GetNamespace"]


def read_kv(path):
    values = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    values[key] = value
    return values


def round_number(path):
    return int(re.search(r"-r(\d+)\.[a-z]+$", path).group(1))


def parse_wrk(path):
    """{rps, requests, errors, latency: {p50: us, ...}} of one wrk run."""
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
    requests = re.search(r"^\s*(\d+) requests in ", text, re.M)
    latency = {}
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s)\s*$", text, re.M):
        latency["p" + pct] = float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]
    return {"rps": float(match.group(1)), "requests": int(requests.group(1)) if requests else 0,
            "errors": errors, "latency": latency}


def load_wrk(raw):
    """{route: {round: result}} for the measured rounds."""
    runs = {}
    for route in ROUTES:
        for path in glob.glob(os.path.join(raw, "wrk-%s-r*.txt" % route)):
            runs.setdefault(route, {})[round_number(path)] = parse_wrk(path)
    return runs


def load_cpu(raw, wrk):
    """{route: [(gatelink us/request, backend us/request), ...]}"""
    runs = {}
    for route in ROUTES:
        for path in sorted(glob.glob(os.path.join(raw, "cpu-%s-r*.txt" % route)), key=round_number):
            values = read_kv(path)
            requests = wrk.get(route, {}).get(round_number(path), {}).get("requests")
            if not requests:
                continue
            tick_us = 1e6 / float(values["clk_tck"])
            runs.setdefault(route, []).append((int(values["gatelink_ticks"]) * tick_us / requests,
                                               int(values["backend_ticks"]) * tick_us / requests))
    return runs


def load_latency(raw):
    runs = {}
    for route in ROUTES:
        paths = sorted(glob.glob(os.path.join(raw, "lat-%s-r*.json" % route)), key=round_number)
        if paths:
            runs[route] = [json.load(open(p, encoding="utf-8")) for p in paths]
    return runs


def median_rps(wrk, route):
    return statistics.median(r["rps"] for r in wrk[route].values())


def rate(raw, fraction):
    wrk = load_wrk(raw)
    if "static" not in wrk:
        raise SystemExit("%s: no wrk results for the static route" % raw)
    static = median_rps(wrk, "static")
    value = max(100, int(float(fraction) * static) // 100 * 100)
    sys.stderr.write("fixed rate: %s x the static route's median %.0f req/s -> %d req/s\n" % (fraction, static, value))
    print(value)
    return 0


def fmt_rps(value):
    return "{:,.0f}".format(value)


def fmt_us(value):
    return "{:,.0f}".format(value) if abs(value) >= 100 else "{:,.1f}".format(value)


def fmt_s(ms):
    return "%.1f s" % (ms / 1000.0)


def analyse_calls(calls, marks, meta):
    """Checks the calls against the issue's bound; returns (facts, problems, warnings)."""
    poll = int(meta["poll_ms"])
    max_age = int(meta["max_age_ms"])
    start, end = int(marks["gateway_start"]), int(marks["end"])
    changes = sorted(int(v) for k, v in marks.items() if k.startswith("change_"))
    problems, warnings = [], []
    by_op = {}
    for call in calls:
        by_op.setdefault(call["op"], []).append(call)
    for op in by_op:
        by_op[op].sort(key=lambda c: c["at_ms"])
    failed = [c for c in calls if c["status"] != 200]
    if failed:
        warnings.append("%d Cloud Map call(s) did not answer 200 (%s); a failure makes the cache back off, so"
                        " the timing checks below may not apply" % (len(failed), ", ".join(
                            "%s %s" % (c["op"], c["status"]) for c in failed[:5])))
    outside = [c for c in calls if not start - CLOCK_SLACK_MS <= c["at_ms"] <= end + CLOCK_SLACK_MS]
    if outside:
        problems.append("%d call(s) outside the runner's life as marked by the script" % len(outside))
    others = sorted(op for op in by_op if op not in OPS)
    if others:
        warnings.append("other calls: %s" % ", ".join("%s x%d" % (op, len(by_op[op])) for op in others))

    # DiscoverInstancesRevision: at most one per (jittered) poll interval.
    revisions = [c["at_ms"] for c in by_op.get("DiscoverInstancesRevision", [])]
    gaps = [b - a for a, b in zip(revisions, revisions[1:])]
    shortest = (1 - JITTER) * poll
    close = [g for g in gaps if g < shortest - CLOCK_SLACK_MS]
    if close:
        problems.append("%d pair(s) of DiscoverInstancesRevision calls closer than the shortest jittered poll"
                        " interval (%.1f s): the closest %.1f s apart" % (len(close), shortest / 1000, min(close) / 1000))
    life = end - start
    revision_bound = int(life // shortest) + 1
    if len(revisions) > revision_bound:
        problems.append("%d DiscoverInstancesRevision calls in %.1f s, more than the bound %d"
                        % (len(revisions), life / 1000, revision_bound))

    # DiscoverInstances: the first one, then one per change (after a revision call that saw it move) or per
    # max age (at a poll, at least max age after the last one).
    discovers = [c["at_ms"] for c in by_op.get("DiscoverInstances", [])]
    kinds = []
    for i, at in enumerate(discovers):
        before = [r for r in revisions if at - AFTER_REVISION_MS <= r <= at]
        if i == 0:
            kinds.append("first")
        elif before:
            kinds.append("change")
        elif at - discovers[i - 1] >= max_age - CLOCK_SLACK_MS:
            kinds.append("max age")
        else:
            kinds.append("unexplained")
    unexplained = kinds.count("unexplained")
    if unexplained:
        problems.append("%d DiscoverInstances call(s) neither after a revision call nor at max age" % unexplained)
    if kinds.count("change") > len(changes):
        problems.append("%d DiscoverInstances calls after a moved revision, for %d change(s) made"
                        % (kinds.count("change"), len(changes)))
    seen_within = (1 + JITTER) * poll + AFTER_REVISION_MS
    unseen = [c for c in changes
              if not any(kind == "change" and c < at <= c + seen_within for at, kind in zip(discovers, kinds))]
    if unseen:
        problems.append("%d change(s) not followed by a DiscoverInstances within %.1f s"
                        % (len(unseen), seen_within / 1000))
    discover_bound = 1 + len(changes) + int(life // max_age)
    if len(discovers) > discover_bound:
        problems.append("%d DiscoverInstances calls, more than the bound %d" % (len(discovers), discover_bound))
    for op in ("GetService", "GetNamespace"):
        if len(by_op.get(op, [])) > 1:
            problems.append("%s called %d times: expected once per key" % (op, len(by_op[op])))
    return {"by_op": by_op, "revisions": revisions, "gaps": gaps, "discovers": discovers, "kinds": kinds,
            "changes": changes, "life": life, "revision_bound": revision_bound, "discover_bound": discover_bound,
            "shortest": shortest, "seen_within": seen_within}, problems, warnings


def report(raw):
    meta = read_kv(os.path.join(raw, "meta.txt"))
    marks = read_kv(os.path.join(raw, "marks.txt"))
    wrk = load_wrk(raw)
    if set(wrk) != set(ROUTES):
        raise SystemExit("%s: wrk results missing for %s" % (raw, ", ".join(set(ROUTES) - set(wrk))))
    rounds = sorted(set(wrk["static"]) & set(wrk["cloudmap"]))
    lat = load_latency(raw)
    cpu = load_cpu(raw, wrk)
    record = json.load(open(os.path.join(raw, "calls.json"), encoding="utf-8"))
    poll, max_age = int(meta["poll_ms"]), int(meta["max_age_ms"])
    out = []
    emit = out.append
    failures = []
    warnings = []

    emit("## Cloud Map load benchmark: a Cloud Map integration against a static uri, through one Gatelink")
    emit("")
    emit("**Run:** %s, commit `%s`, %s CPUs (%s), Linux %s, %s; wrk %s, moto %s."
         % (meta["date"], meta["commit"], meta["cpus"], meta["cpu_model"], meta["kernel"], meta["java"],
            meta["wrk"], meta["moto"]))
    emit("")
    emit("**Command** (from the repository root):")
    emit("")
    emit("```")
    emit(meta["command"])
    emit("```")
    emit("")
    emit("**Setup:** every process on 127.0.0.1. One backend, `HelloBackend` (Vert.x, %s event loop(s),"
         " `hello world\\n`). One Gatelink runner (`--event-loops %s`, Netty %s%s) serving two routes to it:"
         " `ANY /static/{proxy+}`, an `INTERNET` integration with the uri `http://127.0.0.1:PORT/static/{proxy}`,"
         " and `ANY /cloudmap/{proxy+}`, a `VPC_LINK` integration whose uri is the Cloud Map service ARN"
         " `%s`, whose instance is the same backend (`AWS_INSTANCE_IPV4` 127.0.0.1, `AWS_INSTANCE_PORT`)."
         " Cloud Map is moto_server; the runner's `--aws-endpoint` is a counting proxy (`AwsCallCounter`)"
         " that forwards every call to moto and records it. Cloud Map cache timing, set on the integration"
         " (`x-gatelink-target`): poll interval %s (each jittered by up to a fifth either way), max age %s"
         " (the runner's defaults are 15 s and 90 s). JVM flags of the backend,"
         " the runner and the fixed-rate generator: `%s`."
         % (meta["backend_loops"], meta["event_loops"], meta["transport"],
            (", `%s`" % meta["gatelink_args"]) if meta.get("gatelink_args") else "", meta["service_arn"],
            fmt_s(poll), fmt_s(max_age), meta["java_opts"]))
    emit("")
    emit("**Machine:** %s%% of the CPUs busy over 3 s before the run started (load average %s), %s%% after the"
         " load with the run's processes idle: what other processes used. First request to each route (status,"
         " seconds): static %s; Cloud Map %s (it makes the runner look the service up and discover it)."
         % (meta.get("busy_before", "?"), meta.get("loadavg_before", "?"), meta.get("busy_after", "?"),
            meta.get("first_static", "?"), meta.get("first_cloudmap", "?")))
    emit("")
    for key, when in (("busy_before", "before the run"), ("busy_after", "after the load")):
        if int(meta.get(key, "0") or 0) >= 10:
            warnings.append("%s%% of the CPUs were busy %s with the run's processes idle: other processes were"
                            " running, and this run's figures are not fair" % (meta[key], when))

    # ---- throughput
    emit("### Throughput (wrk, closed loop, requests/s)")
    emit("")
    emit("`wrk -t1 -c%s -d%ss --latency URL` per route, after one %s s wrk warm-up per route; %d round(s), each"
         " running both routes, static first in odd rounds and Cloud Map first in even ones."
         % (meta["connections"], meta["duration"], meta["warmup"], len(rounds)))
    emit("")
    emit("| route | " + " | ".join("round %d" % r for r in rounds)
         + " | median | spread (max-min)/median | wrk errors and non-2xx |")
    emit("|---|" + "---:|" * len(rounds) + "---:|---:|---:|")
    medians = {}
    for route in ROUTES:
        values = [wrk[route][r]["rps"] for r in rounds]
        medians[route] = statistics.median(values)
        spread = (max(values) - min(values)) / medians[route] * 100 if medians[route] else 0
        errors = sum(wrk[route][r]["errors"] for r in rounds)
        if errors:
            warnings.append("%d wrk errors or non-2xx answers on the %s route" % (errors, NAMES[route]))
        emit("| %s | %s | **%s** | %.1f%% | %d |" % (NAMES[route], " | ".join(fmt_rps(v) for v in values),
                                                   fmt_rps(medians[route]), spread, errors))
    for route in ROUTES:
        warm = os.path.join(raw, "wrk-warmup-%s.txt" % route)
        if os.path.exists(warm) and parse_wrk(warm)["errors"]:
            warnings.append("%d wrk errors or non-2xx answers in the %s route's warm-up"
                            % (parse_wrk(warm)["errors"], NAMES[route]))
    ratio = medians["cloudmap"] / medians["static"]
    per_round = [wrk["cloudmap"][r]["rps"] / wrk["static"][r]["rps"] for r in rounds]
    emit("")
    emit("Cloud Map / static: **%.3f** (ratio of the medians); within each round: %s."
         % (ratio, ", ".join("%.3f" % v for v in per_round)))
    emit("")
    if ratio >= FLOOR:
        emit("- PASS: the Cloud Map route's throughput is %.3fx the static route's (floor %.2fx)" % (ratio, FLOOR))
    else:
        emit("- FAIL: the Cloud Map route's throughput is %.3fx the static route's (floor %.2fx)" % (ratio, FLOOR))
        failures.append("throughput floor")
    emit("")
    emit("wrk's own latency percentiles (closed loop, so they under-report stalls; medians over the rounds, "
         "microseconds): " + "; ".join(
             "%s p50 %s, p90 %s, p99 %s" % (NAMES[route], *(
                 fmt_us(statistics.median(wrk[route][r]["latency"].get(p, float("nan")) for r in rounds))
                 for p in ("p50", "p90", "p99")))
             for route in ROUTES) + ".")
    emit("")

    # ---- CPU per request
    if cpu:
        emit("### CPU time per request (during the wrk rounds, microseconds)")
        emit("")
        emit("User and system CPU time of the runner's JVM and of the backend (`/proc/PID/stat`), read before and"
             " after each measured wrk run and divided by the requests wrk completed in it; medians over the"
             " rounds.")
        emit("")
        emit("| route | Gatelink CPU per request | backend CPU per request |")
        emit("|---|---:|---:|")
        for route in ROUTES:
            if route in cpu:
                emit("| %s | %.2f | %.2f |" % (NAMES[route], statistics.median(g for g, _ in cpu[route]),
                                               statistics.median(b for _, b in cpu[route])))
        emit("")

    # ---- latency at a fixed rate
    if lat:
        rate_value = meta.get("rate", "?")
        emit("### Latency at a fixed rate (OpenLoopLoad, microseconds)")
        emit("")
        emit("%s req/s on both routes (%s x the static route's median wrk throughput, unless `BENCH_RATE` set it),"
             " %s connections, %s s warm-up then %s s measured; latency from each request's intended send time"
             " (no coordinated omission); medians over %d run(s) per route, the routes alternating."
             % (rate_value, meta["rate_fraction"], meta["connections"], meta["lat_warmup"], meta["lat_duration"],
                max(len(v) for v in lat.values())))
        emit("")
        emit("| route | p50 | p90 | p99 | p99.9 | max | achieved req/s | errors, non-200, incomplete |")
        emit("|---|---:|---:|---:|---:|---:|---:|---:|")
        keys = ["p50_us", "p90_us", "p99_us", "p999_us", "max_us"]
        med = {}
        for route in ROUTES:
            if route not in lat:
                continue
            med[route] = {k: statistics.median(run[k] for run in lat[route]) for k in keys + ["achieved_rps"]}
            bad = sum(run.get("errors", 0) + run.get("non_200", 0) + run.get("incomplete", 0) for run in lat[route])
            if bad:
                warnings.append("%d errors, non-200 or incomplete requests at the fixed rate on the %s route"
                                % (bad, NAMES[route]))
            try:
                rate_num = float(rate_value)
            except ValueError:
                rate_num = 0
            for i, run in enumerate(lat[route], 1):
                if rate_num and run["achieved_rps"] < 0.95 * rate_num:
                    warnings.append("fixed-rate run %d on the %s route did not sustain the rate (%.0f of %.0f req/s)"
                                    % (i, NAMES[route], run["achieved_rps"], rate_num))
                elif rate_num and run["achieved_rps"] > 1.02 * rate_num:
                    warnings.append("fixed-rate run %d on the %s route completed %.0f req/s of %.0f: it had fallen"
                                    " behind and caught up a backlog" % (i, NAMES[route], run["achieved_rps"], rate_num))
                if run["p50_us"] > 100_000:
                    warnings.append("fixed-rate run %d on the %s route fell behind (median latency %.0f ms): its"
                                    " percentiles measure queueing" % (i, NAMES[route], run["p50_us"] / 1000))
            emit("| %s | %s | %.0f | %d |" % (NAMES[route], " | ".join(fmt_us(med[route][k]) for k in keys),
                                              med[route]["achieved_rps"], bad))
        if len(med) == 2:
            emit("| Cloud Map - static | %s | | |" % " | ".join(
                fmt_us(med["cloudmap"][k] - med["static"][k]) for k in keys))
        emit("")

    # ---- Cloud Map calls
    facts, problems, call_warnings = analyse_calls(record["calls"], marks, meta)
    warnings.extend(call_warnings)
    by_op = facts["by_op"]
    life = facts["life"]
    changes = facts["changes"]
    emit("### Cloud Map calls (one key: one service, no query parameters)")
    emit("")
    emit("Every call the runner made to Cloud Map, as the counting proxy saw it, from the runner's start to the"
         " end of the run (%s), under every load of the run: start-up and first requests, wrk at saturation,"
         " the fixed rate. %d change(s) were made during the wrk rounds: each registered another instance at the"
         " backend's address (the revision moves, the endpoints stay the same). Expected, per key: one"
         " `GetService` and one `GetNamespace` (the ARN is looked up once), at most one"
         " `DiscoverInstancesRevision` per poll interval (nominal: the duration / %s; since each interval is"
         " jittered to between %s and %s, the hard bound is duration / %s + 1), and one `DiscoverInstances`"
         " at the first request, then one per change or per max age (%s)."
         % (fmt_s(life), len(changes), fmt_s(poll), fmt_s(0.8 * poll), fmt_s(1.2 * poll), fmt_s(0.8 * poll),
            fmt_s(max_age)))
    emit("")
    emit("| operation | calls | expected at most | failed (not 200) |")
    emit("|---|---:|---|---:|")
    expected = {
        "GetService": "1",
        "GetNamespace": "1",
        "DiscoverInstancesRevision": "%.1f nominal (%s / %s); bound %d" % (
            life / poll, fmt_s(life), fmt_s(poll), facts["revision_bound"]),
        "DiscoverInstances": "%d (1 first + %d change(s) + %d max age)" % (
            facts["discover_bound"], len(changes), life // max_age),
    }
    for op in OPS + sorted(op for op in by_op if op not in OPS):
        calls = by_op.get(op, [])
        emit("| `%s` | %d | %s | %d |" % (op, len(calls), expected.get(op, "0"),
                                          sum(1 for c in calls if c["status"] != 200)))
    emit("")
    gaps = facts["gaps"]
    if gaps:
        emit("Time between consecutive `DiscoverInstancesRevision` calls: shortest %s, median %s, longest %s"
             " (a poll that became a max-age `DiscoverInstances` leaves one longer gap)."
             % (fmt_s(min(gaps)), fmt_s(statistics.median(gaps)), fmt_s(max(gaps))))
    kinds = facts["kinds"]
    start = int(marks["gateway_start"])
    emit("`DiscoverInstances` calls, seconds after the runner's start: %s. Changes made at: %s."
         % (", ".join("%.1f (%s)" % ((at - start) / 1000, kind) for at, kind in zip(facts["discovers"], kinds))
            or "none", ", ".join("%.1f" % ((c - start) / 1000) for c in changes) or "none"))
    emit("")

    # per phase
    phases = [("start-up and first requests", "gateway_start", "load_start"),
              ("wrk warm-up and rounds (closed loop, saturating)", "load_start", "rounds_end"),
              ("fixed rate (OpenLoopLoad)", "rounds_end", "load_end"),
              ("after the load, until the calls are read", "load_end", "end")]
    wrk_requests = sum(parse_wrk(p)["requests"] for p in glob.glob(os.path.join(raw, "wrk-*.txt")))
    fixed_requests = sum(int(run.get("count", 0)) for runs in lat.values() for run in runs) if lat else 0
    emit("| phase | duration | requests (both routes) | `DiscoverInstancesRevision` | nominal (duration / poll)"
         " | `DiscoverInstances` | `GetService` | `GetNamespace` |")
    emit("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, a, b in phases:
        if a not in marks or b not in marks:
            continue
        t0, t1 = int(marks[a]), int(marks[b])
        if t1 - t0 < 1000 and a == "load_end":
            continue
        # A call belongs to the phase it arrived in; the first phase also takes calls made just before its mark.
        lo = t0 - (CLOCK_SLACK_MS if a == "gateway_start" else 0)
        counts = {op: sum(1 for c in by_op.get(op, []) if lo <= c["at_ms"] < t1 + (CLOCK_SLACK_MS if b == "end" else 0))
                  for op in OPS}
        reqs = {"gateway_start": "a few (the checks)", "load_start": "{:,}".format(wrk_requests),
                "rounds_end": "{:,}".format(fixed_requests), "load_end": "none"}[a]
        emit("| %s | %s | %s | %d | %.1f | %d | %d | %d |"
             % (name, fmt_s(t1 - t0), reqs,
                counts["DiscoverInstancesRevision"], (t1 - t0) / poll, counts["DiscoverInstances"],
                counts["GetService"], counts["GetNamespace"]))
    emit("")
    if fixed_requests:
        emit("(The fixed-rate requests counted are those of the measured windows; the warm-ups sent about %s more.)"
             % "{:,}".format(int(sum(float(meta.get("rate", 0) or 0) * int(meta["lat_warmup"])
                                     for runs in lat.values() for _ in runs))))
        emit("")
    if problems:
        for p in problems:
            emit("- FAIL: %s" % p)
        failures.append("Cloud Map calls")
    else:
        emit("- PASS: at most one `DiscoverInstancesRevision` per poll interval (%d calls in %s, none closer than"
             " %s to the previous one) and one `DiscoverInstances` per change or max age (%d: %s), one"
             " `GetService` and one `GetNamespace`, for the one key, under every load of the run"
             % (len(facts["revisions"]), fmt_s(life), fmt_s(facts["shortest"]), len(facts["discovers"]),
                ", ".join("%d %s" % (kinds.count(k), k) for k in ("first", "change", "max age") if kinds.count(k))))
    emit("")

    if warnings:
        emit("### Warnings")
        emit("")
        for w in warnings:
            emit("- %s" % w)
        emit("")
    stderr_lines = []
    log_path = os.path.join(raw, "gatelink.log")
    if os.path.exists(log_path):
        stderr_lines = [l.rstrip("\n") for l in open(log_path, encoding="utf-8", errors="replace")
                        if l.strip() and not l.startswith("Gatelink listening on ")]
    if stderr_lines:
        emit("The runner's log (%d line(s) besides the listening line; the first 10):" % len(stderr_lines))
        emit("")
        emit("```")
        out.extend(stderr_lines[:10])
        emit("```")
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
