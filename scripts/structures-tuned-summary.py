#!/usr/bin/env python3
"""The structure grid at tuned settings (scripts/grid-structures-tuned.sh):
mean ± sd over seeds of every (structure, estimator) cell of OUT/final.

Usage: structures-tuned-summary.py OUT

Reads OUT/final/sSEED-CONFIG/CELL/{config,summary}.json and metrics.csv and
writes OUT/final.csv (one row a run), OUT/structures.md (the table) and, when
matplotlib is installed (Debian: python3-matplotlib), OUT/wallclock.png: the
validation one-sample NELBO against training seconds, seed 1, one panel a
structure. Loss kinds: "one-sample" is an estimate (neither exact nor a
bound for constrained latents); "Gibbs NELBO" is a valid bound, enumerated
or, for subsets and 8-node trees, importance-estimated; "−log p(x)" is exact
(enumerated) or a stochastic upper bound from importance sampling.
"""
import csv
import json
import os
import statistics
import sys


def main(out):
    final = os.path.join(out, "final")
    selected = {}  # cell → its selected configuration: finals of an earlier selection are left out
    if os.path.exists(os.path.join(out, "selected.csv")):
        selected = {r["cell"]: r["config"] for r in csv.DictReader(open(os.path.join(out, "selected.csv")))}
    runs = []
    for run in sorted(os.listdir(final)):
        seed = run.split("-", 1)[0]
        for cell in sorted(os.listdir(os.path.join(final, run))):
            d = os.path.join(final, run, cell)
            if selected and selected.get(cell) != run.split("-", 1)[1]:
                continue
            s, c, m = (os.path.join(d, f) for f in ("summary.json", "config.json", "metrics.csv"))
            if not (os.path.isdir(d) and os.path.exists(s) and os.path.exists(c)):
                continue
            S, C = json.load(open(s)), json.load(open(c))
            if S.get("interrupted") or S["epochs"] < C["epochs"]:
                continue
            rows = list(csv.DictReader(open(m))) if os.path.exists(m) else []
            curve = [(float(r["wall_seconds"]), float(r["valid_loss"])) for r in rows]
            last = rows[-1] if rows else {}
            num = lambda x: float(x) if x not in (None, "") else float("nan")
            runs.append({"cell": cell, "structure": C["structure"], "n": C["latents"], "estimator": C["estimator"],
                         "config": run.split("-", 1)[1], "seed": C["seed"], "epochs": S["epochs"],
                         "test_nll_last": num(last.get("test_nll")), "test_gibbs_nelbo_last": num(last.get("test_nelbo_gibbs")),
                         "test_one_sample_last": num(last.get("test_loss")), "train_seconds": S["train_wall_seconds"],
                         "best_valid_epoch": S["best_valid_epoch"],
                         "valid_one_sample": S["best_valid_loss"], "test_one_sample": S["test_loss_at_best_valid"],
                         "test_gibbs_nelbo": S["test_nelbo_gibbs_at_best_valid"], "test_nll": S["test_nll_at_best_valid"],
                         "nll_kind": S["test_nll_kind"], "seconds_per_epoch": S["seconds_per_epoch"],
                         "solver_share": S["solver_seconds"] / max(S["train_wall_seconds"], 1e-9), "_curve": curve, "_seed": seed})
    if not runs:
        sys.exit("no finished runs in " + final)
    keys = [k for k in runs[0] if not k.startswith("_")]
    with open(os.path.join(out, "final.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(runs)

    def ms(xs):
        if len(xs) < 2:
            return "%.2f (1 seed)" % xs[0]
        return "%.2f ± %.2f" % (statistics.mean(xs), statistics.stdev(xs))

    md = ["# The structure grid at tuned settings", "",
          "`BIN=… OUT=%s scripts/grid-structures-tuned.sh`; mean ± sd over the seeds finished; "
          "test set at the last epoch (the budget, the same for every estimator; final.csv also has the "
          "best-validation epoch's, chosen by the one-sample NELBO). −log p(x): exact or importance-weighted "
          "(a stochastic upper bound); Gibbs NELBO: a bound (importance-estimated for subsets and 8-node trees); "
          "one-sample: an estimate, neither, at Gumbel-Max samples. s/epoch: training only, one thread, "
          "on a shared machine." % out, "",
          "| structure | estimator | selected | seeds | −log p(x) | kind | Gibbs NELBO | one-sample NELBO | s/epoch |",
          "|---|---|---|---|---|---|---|---|---|"]
    cells = {}
    for r in runs:
        cells.setdefault(r["cell"], []).append(r)
    for cell in sorted(cells):
        rs = cells[cell]
        r0 = rs[0]
        md.append("| %s %d | %s | %s | %s | %s | %s | %s | %s | %.2f |" % (
            r0["structure"], r0["n"], r0["estimator"], r0["config"], ",".join(str(r["seed"]) for r in rs),
            ms([r["test_nll_last"] for r in rs]), r0["nll_kind"], ms([r["test_gibbs_nelbo_last"] for r in rs]),
            ms([r["test_one_sample_last"] for r in rs]), statistics.mean(r["seconds_per_epoch"] for r in rs)))
    open(os.path.join(out, "structures.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (apt-get install python3-matplotlib): no wallclock.png")
        return
    structs = sorted({r["structure"] + str(r["n"]) for r in runs})
    ests = sorted({r["estimator"] for r in runs})
    color = {e: "C%d" % i for i, e in enumerate(ests)}
    fig, axes = plt.subplots(2, len(structs), figsize=(4.6 * len(structs), 7.4), squeeze=False)
    for j, st in enumerate(structs):
        top, bottom = axes[0][j], axes[1][j]
        for r in runs:
            if r["structure"] + str(r["n"]) != st:
                continue
            if r["seed"] == 1 and r["_curve"]:
                t, v = zip(*r["_curve"])
                top.plot(t, v, marker="o", ms=3, color=color[r["estimator"]], label=r["estimator"])
            bottom.plot([r["train_seconds"]], [r["test_nll_last"]], "o", color=color[r["estimator"]],
                        label=r["estimator"] if r["seed"] == 1 else None)
        top.set_title(st)
        top.set_xlabel("training seconds (one thread)")
        top.set_ylabel("validation one-sample NELBO, seed 1")
        bottom.set_xlabel("training seconds for 10 epochs (one thread)")
        bottom.set_ylabel("test −log p(x), last epoch (nats)")
        bottom.set_xscale("log")
        for ax in (top, bottom):
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
    fig.suptitle("Top: the one-sample NELBO at Gumbel-Max samples, seed 1 (direct's and I-MLE's training noise; "
                 "perturbed trains with Gaussian noise, so it is not perturbed's measure). "
                 "Bottom: test −log p(x) at the last epoch, the decoder's alone, one dot a seed.", fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(os.path.join(out, "wallclock.png"), dpi=100)


if __name__ == "__main__":
    main(sys.argv[1])
