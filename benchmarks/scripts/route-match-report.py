#!/usr/bin/env python3
"""Turns a RouteMatch JMH JSON result into the tables of docs/benchmarks.md, with the floors checked.

Usage: java -jar benchmarks/target/benchmarks.jar RouteMatch -prof gc -rf json -rff route-match.json
       python3 benchmarks/scripts/route-match-report.py route-match.json
"""
import json
import sys

KINDS = ["LiteralHit", "VariableHit", "GreedyHit", "Miss", "Mixed"]
SIZES = ["10", "1000", "10000"]


def load(path):
    score, error, alloc = {}, {}, {}
    for row in json.load(open(path)):
        name = row["benchmark"].rsplit(".", 1)[1]
        size = row["params"]["routes"]
        score[name, size] = row["primaryMetric"]["score"]
        error[name, size] = row["primaryMetric"]["scoreError"]
        norm = row.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if norm is not None:
            alloc[name, size] = norm["score"]
    return score, error, alloc


def main(path):
    score, error, alloc = load(path)

    def cell(name, size):
        if (name, size) not in score:
            return "n/a"
        text = "%.1f ± %.1f" % (score[name, size], error[name, size])
        if (name, size) in alloc:
            text += " (%.0f B)" % alloc[name, size]
        return text

    print("| benchmark | " + " | ".join(s + " routes" for s in SIZES) + " |")
    print("|---|" + "---:|" * len(SIZES))
    names = (["hashMapGet"] + ["gatelink" + k for k in KINDS] + ["gatelink" + k + "SameRequests" for k in KINDS]
             + ["vertx" + k for k in KINDS])
    for name in names:
        print("| `%s` | %s |" % (name, " | ".join(cell(name, s) for s in SIZES)))
    print()

    failures = []

    def floor(label, value, limit, better_when_lower=True):
        ok = value <= limit if better_when_lower else value >= limit
        if not ok:
            failures.append(label)
        print("| %s | %.2f | %s %.2f | %s |" % (label, value, "<=" if better_when_lower else ">=", limit,
                                              "holds" if ok else "FAILS"))

    print("| floor | measured | required | |")
    print("|---|---:|---:|---|")
    for kind in KINDS:
        name = "gatelink" + kind + "SameRequests"
        floor("%s: 10,000 routes / 10 routes" % name, score[name, "10000"] / score[name, "10"], 1.5)
    print()
    print("Each set's own requests (more distinct routes at larger sizes; a working-set figure, no floor):")
    print()
    print("| benchmark | 1,000 / 10 routes | 10,000 / 10 routes |")
    print("|---|---:|---:|")
    for kind in KINDS:
        name = "gatelink" + kind
        print("| `%s` | %.2f | %.2f |" % (name, score[name, "1000"] / score[name, "10"],
                                       score[name, "10000"] / score[name, "10"]))
    print()
    print("| floor | measured | required | |")
    print("|---|---:|---:|---|")
    for size in SIZES:
        floor("gatelinkLiteralHit / hashMapGet, %s routes" % size,
              score["gatelinkLiteralHit", size] / score["hashMapGet", size], 3.0)
    for size in SIZES:
        floor("gatelinkMiss B/op, %s routes" % size, alloc.get(("gatelinkMiss", size), float("nan")), 0.01)
    for kind in KINDS:
        floor("vertx%s / gatelink%s, 1,000 routes" % (kind, kind),
              score["vertx" + kind, "1000"] / score["gatelink" + kind, "1000"], 10.0, better_when_lower=False)
    if failures:
        print("\nFloors that fail: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
