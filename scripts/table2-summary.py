#!/usr/bin/env python3
"""Table 2 over seeds (issue 19, item 3): reads every finished run folder
under docs/results/table2 (summary.json; a folder without one is still
training and is left out) and writes table2-seeds.csv and .md beside them:
per (data, labels, configuration) the test accuracy (arg max h) and the
test NELBO (an unbiased estimate of a valid bound: exact sum over z_d, one
Gaussian sample per component) as mean ± sd over the seeds that have
finished, and the paired difference direct − GSM over the seeds both have
(same seed: same labelled images, same data order).

Folder names: DATA-direct-LABELS, DATA-gsm-LABELS (α = 10, Table 2's
value) and DATA-gsm-LABELS-aALPHA, each with -sSEED for seeds other than 1.

    python3 scripts/table2-summary.py [--root docs/results/table2]
"""
import argparse
import csv
import json
import os
import re
import statistics

NAME = re.compile(r"^(mnist|fashion)-(direct|gsm)-(\d+)(?:-a(\d+(?:\.\d+)?))?(?:-s(\d+))?$")


def fmt(xs, scale=1.0, digits=2):
    if not xs:
        return "—"
    m = statistics.mean(xs) * scale
    if len(xs) == 1:
        return f"{m:.{digits}f}"
    return f"{m:.{digits}f} ± {statistics.stdev(xs) * scale:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="docs/results/table2")
    a = ap.parse_args()
    runs = {}  # (data, labels, config) -> {seed: summary}
    for name in sorted(os.listdir(a.root)):
        m = NAME.match(name)
        path = os.path.join(a.root, name, "summary.json")
        if not m or not os.path.exists(path):
            continue
        data, est, labels, alpha, seed = m.groups()
        config = "direct" if est == "direct" else f"gsm α={alpha or '10'}"
        with open(path) as f:
            s = json.load(f)
        runs.setdefault((data, int(labels), config), {})[int(seed or 1)] = s
    rows = []
    for (data, labels, config), by in sorted(runs.items()):
        seeds = sorted(by)
        acc = [by[s]["test_acc_argmax"] for s in seeds]
        nelbo = [by[s]["test_nelbo"] for s in seeds]
        epochs = sorted({by[s]["epochs"] for s in seeds})
        row = dict(data=data, labels=labels, config=config, epochs="/".join(map(str, epochs)),
                   seeds=" ".join(map(str, seeds)), acc=fmt(acc, 100, 1), nelbo=fmt(nelbo),
                   acc_mean=statistics.mean(acc), acc_sd=statistics.stdev(acc) if len(acc) > 1 else "",
                   nelbo_mean=statistics.mean(nelbo), nelbo_sd=statistics.stdev(nelbo) if len(nelbo) > 1 else "",
                   paired="")
        if config != "direct" and (data, labels, "direct") in runs:
            d = runs[(data, labels, "direct")]
            common = [s for s in seeds if s in d]
            diffs = [100 * (d[s]["test_acc_argmax"] - by[s]["test_acc_argmax"]) for s in common]
            if diffs:
                row["paired"] = f"{fmt(diffs, 1, 1)} points over seeds {' '.join(map(str, common))}"
        rows.append(row)
    out = os.path.join(a.root, "table2-seeds")
    keys = ["data", "labels", "config", "epochs", "seeds", "acc_mean", "acc_sd", "nelbo_mean", "nelbo_sd", "paired"]
    with open(out + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    with open(out + ".md", "w") as f:
        f.write("| data | labels | configuration | epochs | seeds | test acc (arg max h), % | test NELBO (estimate of a bound) | direct − this, acc points (paired) |\n")
        f.write("|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write(f"| {r['data']} | {r['labels']} | {r['config']} | {r['epochs']} | {r['seeds']} | {r['acc']} | {r['nelbo']} | {r['paired'] or '—'} |\n")
    print(open(out + ".md").read())


if __name__ == "__main__":
    main()
