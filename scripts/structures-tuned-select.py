#!/usr/bin/env python3
"""Selection and grid extension of the structure grid's tuning
(scripts/grid-structures-tuned.sh, issue 19 item 4).

Usage:
  structures-tuned-select.py OUT round1   selects among round 1's 6
      configurations per cell; writes OUT/selected-round1.csv
  structures-tuned-select.py OUT round2   prints round 2's 4 configurations
      per cell ("CELL STRUCTURE ESTIMATOR NAME" lines) from
      OUT/selected-round1.csv and writes them to OUT/round2.csv
  structures-tuned-select.py OUT final    selects among both rounds' 10
      configurations per cell; writes OUT/tune.csv and OUT/selected.csv

A configuration is named KNOB-LR: "tV-lrL" (ε, σ or τ start V) or "lV-lrL"
(I-MLE's λ = V), at Adam learning rate L. Selection: per cell, the lowest
validation −log p(x) of the last epoch's state (OUT/valid-nll.csv, written
by scripts/validnll), among the finished runs; the test set is never read.
−log p(x) under the uniform prior is the decoder's alone, the same
measure for every estimator; the one-sample NELBO (recorded too) samples
with Gumbel-Max, the noise direct and I-MLE train with, and the perturbed
optimizer's runs trained with Gaussian noise score worse on it as they
train.

Round 2 gives every cell the same 4 more configurations, placed by round
1's choice (V*, L*): two new knob values × {L*, the next learning rate
past L* away from the other}:
  - V* the lowest of round 1's values: two below it (0.1 → 0.01, 0.03;
    λ 1 → 0.1, 0.3);
  - V* the highest: two above it (1 → 2, 5; λ 100 → 300, 1000), except
    direct's ε, which the folded KL caps at 1: 0.7 and 0.85 below it;
  - V* in the middle: halfway to each neighbour (0.5 → 0.3, 0.7; λ 10 →
    3, 30);
  - learning rates on the ladder 3e-4, 1e-3, 3e-3, 1e-2: L* = 3e-3 adds
    1e-2, L* = 1e-3 adds 3e-4.
"""
import csv
import json
import os
import sys

ROUND1 = {"t": ["0.1", "0.5", "1"], "l": ["1", "10", "100"]}
BELOW = {"t": ["0.01", "0.03"], "l": ["0.1", "0.3"]}
ABOVE = {"t": ["2", "5"], "l": ["300", "1000"]}
MIDDLE = {"t": ["0.3", "0.7"], "l": ["3", "30"]}
CAPPED = ["0.7", "0.85"]  # direct's ε ≤ 1 (folded KL)


def round1_names(knob):
    return [knob + v + "-lr" + lr for lr in ("1e-3", "3e-3") for v in ROUND1[knob]]


def knob_of(estimator):
    return "l" if estimator.startswith("imle") else "t"


def round2_names(estimator, name):
    knob = knob_of(estimator)
    v, lr = name[1:].split("-lr")
    values = ROUND1[knob]
    if v == values[0]:
        new = BELOW[knob]
    elif v == values[-1]:
        new = CAPPED if estimator == "direct" else ABOVE[knob]
    else:
        new = MIDDLE[knob]
    past = {"3e-3": "1e-2", "1e-3": "3e-4"}[lr]
    return [knob + x + "-lr" + r for r in (lr, past) for x in new]


def valid_nll(out):
    """run folder → its validation −log p(x), from OUT/valid-nll.csv."""
    path = os.path.join(out, "valid-nll.csv")
    if not os.path.exists(path):
        return {}
    return {os.path.normpath(r["run"]): float(r["valid_nll"]) for r in csv.DictReader(open(path))}


def runs(out):
    nll = valid_nll(out)
    tune = os.path.join(out, "tune")
    for name in sorted(os.listdir(tune)):
        for cell in sorted(os.listdir(os.path.join(tune, name))):
            d = os.path.join(tune, name, cell)
            s, c = os.path.join(d, "summary.json"), os.path.join(d, "config.json")
            if not (os.path.isdir(d) and os.path.exists(s) and os.path.exists(c)):
                continue
            S, C = json.load(open(s)), json.load(open(c))
            if S.get("interrupted") or os.path.normpath(d) not in nll:
                continue
            yield {"cell": cell, "structure": C["structure"], "n": C["latents"], "estimator": C["estimator"], "config": name,
                   "temp_start": C["temp_start"], "lr": C["lr"], "imle_lambda": C.get("imle_lambda", 0) or "",
                   "epochs": S["epochs"], "valid_nll": round(nll[os.path.normpath(d)], 3),
                   "valid_nelbo_one_sample": round(S["best_valid_loss"], 3),
                   "test_nll": round(S["test_nll_at_best_valid"], 3), "train_seconds": round(S["train_wall_seconds"], 1)}


def select(rows, allowed, in_grid, path):
    best, counts = {}, {}
    for r in rows:
        if r["config"] not in allowed(r):
            continue
        counts[r["cell"]] = counts.get(r["cell"], 0) + 1
        b = best.get(r["cell"])
        if b is None or r["valid_nll"] < b["valid_nll"]:
            best[r["cell"]] = r
    if not best:
        sys.exit("no finished tuning runs to select from")
    sel = []
    for cell in sorted(best):
        r = dict(best[cell])
        r["configs_done"], r["configs_in_grid"] = counts[cell], in_grid
        sel.append(r)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, list(sel[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(sel)
    for r in sel:
        print("%-22s %-9s %-14s valid −log p(x) %.2f (%d of %d configurations)" % (
            r["cell"], r["estimator"], r["config"], r["valid_nll"], r["configs_done"], in_grid))


def main(out, mode):
    if mode == "round1":
        rows = list(runs(out))
        select(rows, lambda r: round1_names(knob_of(r["estimator"])), 6, os.path.join(out, "selected-round1.csv"))
    elif mode == "round2":
        if not os.path.exists(os.path.join(out, "selected-round1.csv")):
            sys.exit("no %s: run the select1 phase first" % os.path.join(out, "selected-round1.csv"))
        lines = []
        for r in csv.DictReader(open(os.path.join(out, "selected-round1.csv"))):
            for name in round2_names(r["estimator"], r["config"]):
                lines.append({"cell": r["cell"], "structure": "%s:%s" % (r["structure"], r["n"]),
                              "estimator": r["estimator"], "config": name})
        with open(os.path.join(out, "round2.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, ["cell", "structure", "estimator", "config"], lineterminator="\n")
            w.writeheader()
            w.writerows(lines)
        for l in lines:
            print(l["cell"], l["structure"], l["estimator"], l["config"])
    elif mode == "final":
        if not os.path.exists(os.path.join(out, "round2.csv")):
            sys.exit("no %s: run the extend phase first" % os.path.join(out, "round2.csv"))
        rows = list(runs(out))
        second = {}
        for r in csv.DictReader(open(os.path.join(out, "round2.csv"))):
            second.setdefault(r["cell"], []).append(r["config"])
        with open(os.path.join(out, "tune.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        select(rows, lambda r: round1_names(knob_of(r["estimator"])) + second.get(r["cell"], []), 10,
               os.path.join(out, "selected.csv"))
    else:
        sys.exit("mode must be round1, round2 or final")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
