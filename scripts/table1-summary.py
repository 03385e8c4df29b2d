#!/usr/bin/env python3
"""Table 1 with seeds and paired differences (issue 19), from finished cells.

Reads every finished 100-epoch cell (summary.json + config.json) under
docs/results/table1 (the paper's settings) and docs/results/table1-tuned/*
(the tuned settings), groups them by (data set, k, estimator, settings)
and writes OUT.csv and OUT.md:

- per group: the seeds, mean ± sd (sample sd, n − 1) over seeds of the
  test exact NELBO and the test exact −log p(x), both at the
  best-validation epoch (by validation exact NELBO);
- per baseline group (gsm, exact, direct-none, …): the paired difference
  baseline − direct over the seeds both have (same data set, k, seed;
  direct at the same settings, else the tuned direct: for the untuned exact, and where the paper-settings direct was not run),
  its mean and sd, and whether it exceeds the seed spread: |mean| >
  t(0.975, n−1)·sd/√n, a paired t-test at 95% (n ≥ 2; "one seed"
  otherwise). Positive means direct is lower (better).

A settings label is "paper" for ε = τ = 1 from 1 at lr 1e-3 (straight-
through GSM), "tuned" for a configuration selected by tune-table1.sh
(TUNED, selected.csv); a cell that is both is listed once as "paper =
tuned" for the estimator whose selection is the paper's.
"""
import argparse
import csv
import json
import math
import os
import statistics

PAPER_CONFIGS = {"direct-e1-lr1e-3", "gsm-st-t1-lr1e-3"}  # tune-table1.sh's names of the paper's settings
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def at_budget(path, s, epochs):
    """(test exact NELBO, test exact −log p(x)) at the best-validation epoch
    among the first `epochs` of the run in path, or None. A run of exactly
    that many epochs is read from summary.json; a longer one from its
    metrics.csv (valid_loss, test_loss, test_nll_exact of every epoch), so
    a 100-epoch run also gives its 30-epoch cell."""
    if s["epochs"] == epochs:
        return s["test_loss_at_best_valid"], s["test_nll_at_best_valid"]
    if s["epochs"] < epochs:
        return None
    best = None
    for r in csv.DictReader(open(os.path.join(path, "metrics.csv"))):
        if int(r["epoch"]) > epochs:
            break
        v = float(r["valid_loss"])
        if best is None or v < best[0]:
            best = (v, float(r["test_loss"]), float(r["test_nll_exact"]))
    return best[1:] if best else None


def cells(root, epochs):
    for dirpath, _, files in os.walk(root):
        if "summary.json" in files and "config.json" in files:
            s = json.load(open(os.path.join(dirpath, "summary.json")))
            c = json.load(open(os.path.join(dirpath, "config.json")))
            if s.get("interrupted") or c.get("command", "table1") not in ("table1", "categorical"):
                continue
            v = at_budget(dirpath, s, epochs)
            if v is not None:
                yield dirpath, c, v


def name(c):
    e = c["estimator"]
    if e == "direct" and c.get("direct_kl", "folded") != "folded":
        return "direct-" + c["direct_kl"]
    if e == "gsm" and c.get("gsm_relaxed"):
        return "gsm-relaxed"
    return e


def knobs(c):
    e = c["estimator"]
    t = {"direct": "ε", "gsm": "τ"}.get(e)
    k = "lr %g" % c["lr"]
    if t:
        k = "%s start %g, floor %g, rate %g/%d, %s" % (t, c["temp_start"], c["temp_min"], c["anneal_rate"], c["anneal_every"], k)
    if e == "gsm":
        k += ", relaxed" if c.get("gsm_relaxed") else ", straight-through"
    return k


def is_paper(c):
    return c["lr"] == 0.001 and c["temp_start"] == 1 and c["temp_min"] == 0.1 and c["anneal_rate"] == 1e-5 and not c.get("gsm_relaxed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paper", default="docs/results/table1")
    ap.add_argument("--tuned-root", default="docs/results/table1-tuned")
    ap.add_argument("--tuned", default="docs/results/tune-table1/selected.csv")
    ap.add_argument("--out", default="docs/results/table1")
    ap.add_argument("--epochs", type=int, default=100, help="budget: cells of longer runs are read at their best-validation epoch among the first EPOCHS")
    a = ap.parse_args()
    selected = {}
    if os.path.exists(a.tuned):
        for r in csv.DictReader(open(a.tuned)):
            selected[r["estimator"]] = r["config"]
    groups = {}
    for root, setting in ((a.paper, "paper"), (a.tuned_root, "tuned")):
        if not os.path.isdir(root):
            continue
        for path, c, v in cells(root, a.epochs):
            est = name(c)
            st = setting
            if setting == "paper" and is_paper(c) and selected.get(c["estimator"]) in PAPER_CONFIGS:
                st = "paper = tuned"
            key = (c["data"], c["states"], est, st)
            g = groups.setdefault(key, {"knobs": knobs(c), "runs": {}})
            g["runs"][c["seed"]] = (v[0], v[1], os.path.relpath(path))
    order = {"mnist": 0, "fashion": 1, "omniglot": 2}
    eorder = {"direct": 0, "direct-none": 1, "direct-analytic": 2, "gsm": 3, "gsm-relaxed": 4, "exact": 5}
    sorder = {"paper": 0, "paper = tuned": 1, "tuned": 2}
    keys = sorted(groups, key=lambda k: (order.get(k[0], 9), k[1], eorder.get(k[2], 9), sorder[k[3]]))

    def ms(v):
        m = statistics.fmean(v)
        return m, (statistics.stdev(v) if len(v) > 1 else float("nan"))

    def direct_for(d, k, est, st):
        # A baseline is paired with direct at its own settings (paper with
        # paper, tuned with tuned; "paper = tuned" stands for either), a
        # paper-settings baseline with the tuned direct where the paper's
        # direct was not run; the untuned exact estimator with the tuned
        # direct, else the paper's.
        if est == "exact":
            order = ["paper = tuned", "tuned", "paper"]
        elif st == "paper":
            order = ["paper", "paper = tuned", "tuned"]  # the tuned direct where the paper's was not run
        else:
            order = [st, "paper = tuned", "tuned"]
        for s2 in order:
            if (d, k, "direct", s2) in groups:
                return groups[(d, k, "direct", s2)], s2
        return None, None

    rows = []
    for key in keys:
        d, k, est, st = key
        g = groups[key]
        seeds = sorted(g["runs"])
        nel = [g["runs"][s][0] for s in seeds]
        nll = [g["runs"][s][1] for s in seeds]
        (nm, nsd), (lm, lsd) = ms(nel), ms(nll)
        row = {"data": d, "k": k, "estimator": est, "settings": st, "hyper_parameters": g["knobs"],
               "seeds": " ".join(map(str, seeds)), "n": len(seeds),
               "test_exact_nelbo_mean": round(nm, 2), "test_exact_nelbo_sd": round(nsd, 2),
               "test_exact_nll_mean": round(lm, 2), "test_exact_nll_sd": round(lsd, 2),
               "vs_direct_settings": "", "paired_seeds": "", "nelbo_minus_direct_mean": "", "nelbo_minus_direct_sd": "",
               "exceeds_seed_spread": "", "nll_minus_direct_mean": "",
               "cells": " ".join(g["runs"][s][2] for s in seeds)}
        if est != "direct":
            dg, dst = direct_for(d, k, est, st)
            if dg:
                common = sorted(set(seeds) & set(dg["runs"]))
                if common:
                    dn = [g["runs"][s][0] - dg["runs"][s][0] for s in common]
                    dl = [g["runs"][s][1] - dg["runs"][s][1] for s in common]
                    m, sd = ms(dn)
                    n = len(common)
                    if n < 2:
                        ex = "one seed"
                    else:
                        ex = "yes" if abs(m) > T975.get(n - 1, 2.0) * sd / math.sqrt(n) else "no"
                    row.update({"vs_direct_settings": dst, "paired_seeds": " ".join(map(str, common)),
                                "nelbo_minus_direct_mean": round(m, 2),
                                "nelbo_minus_direct_sd": round(sd, 2) if n > 1 else "",
                                "exceeds_seed_spread": ex, "nll_minus_direct_mean": round(statistics.fmean(dl), 2)})
        rows.append(row)
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)

    def pm(m, sd):
        return "%.2f" % m if math.isnan(sd) else "%.2f ± %.2f" % (m, sd)

    md = ["# Table 1 with seeds and paired differences (`scripts/table1-summary.py`)", "",
          "Test exact NELBO and exact −log p(x) (nats) at the best-validation epoch, %d epochs, "
          "mean ± sd over the seeds listed. Δ = baseline − direct (same data set, k and seed; "
          "positive: direct lower), mean ± sd over the paired seeds; "
          "\"exceeds spread\": |mean Δ| > t(0.975, n−1)·sd/√n (paired t-test, 95%%)." % a.epochs, ""]
    md += ["| data | k | estimator | settings | seeds | exact NELBO | exact −log p(x) | Δ NELBO vs direct | exceeds spread |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        dm = ""
        if r["nelbo_minus_direct_mean"] != "":
            dm = "%+.2f" % r["nelbo_minus_direct_mean"]
            if r["nelbo_minus_direct_sd"] != "":
                dm += " ± %.2f" % r["nelbo_minus_direct_sd"]
            dm += " (direct: %s)" % r["vs_direct_settings"]
        md.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            r["data"], r["k"], r["estimator"], r["settings"], r["seeds"],
            pm(r["test_exact_nelbo_mean"], r["test_exact_nelbo_sd"]), pm(r["test_exact_nll_mean"], r["test_exact_nll_sd"]),
            dm, r["exceeds_seed_spread"]))
    md += ["", "Hyper-parameters of each row:", ""]
    seen = set()
    for r in rows:
        key = (r["estimator"], r["settings"], r["hyper_parameters"])
        if key not in seen:
            seen.add(key)
            md.append("- %s, %s: %s" % key)
    md += ["", "## The paired comparisons at a glance", ""] + paired(rows)
    open(a.out + ".md", "w").write("\n".join(md) + "\n")
    print("\n".join(md))
    plot(rows, a.out + ".png", a.epochs)


def paired(rows):
    """Markdown: per baseline row kind, a data set × k matrix of Δ NELBO =
    baseline − direct, mean ± sd over the paired seeds, (n), and * when it
    exceeds the seed spread."""
    ks = sorted({10, 20, 30, 40, 50} | {r["k"] for r in rows})  # Table 1's k, run or not
    datas = [d for d in ("mnist", "fashion", "omniglot") if any(r["data"] == d for r in rows)]
    out = ["Δ NELBO = baseline − direct in nats (positive: direct lower), mean ± sd over the paired seeds (n); "
           "\\* exceeds the seed spread (paired t-test, 95%); — not run.", ""]
    for est, st in (("gsm", "tuned"), ("gsm", "paper"), ("exact", "tuned"), ("exact", "paper")):
        have = [r for r in rows if r["estimator"] == est and r["settings"] == st and r["nelbo_minus_direct_mean"] != ""]
        if not have:
            continue
        vs = sorted({r["vs_direct_settings"] for r in have})
        out += ["**%s, %s settings** (against direct, %s):" % (est, st, " / ".join(vs)), "",
                "| data | " + " | ".join("k = %d" % k for k in ks) + " |", "|---|" + "---|" * len(ks)]
        for d in datas:
            cells = []
            for k in ks:
                r = next((r for r in have if r["data"] == d and r["k"] == k), None)
                if r is None:
                    cells.append("—")
                    continue
                c = "%+.2f" % r["nelbo_minus_direct_mean"]
                if r["nelbo_minus_direct_sd"] != "":
                    c += " ± %.2f" % r["nelbo_minus_direct_sd"]
                c += " (%d)" % len(r["paired_seeds"].split())
                if r["exceeds_seed_spread"] == "yes":
                    c += " \\*"
                cells.append(c)
            out.append("| %s | %s |" % (d, " | ".join(cells)))
        out.append("")
    return out


def plot(rows, path, epochs):
    """OUT.png: test exact NELBO against k, one panel a data set, mean ±
    sd over seeds, a line per (estimator, settings) among direct, GSM and
    exact; hollow markers for one seed. Skipped without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("table1-summary: no matplotlib, %s not drawn (Debian: python3-matplotlib)" % path)
        return
    datas = [d for d in ("mnist", "fashion", "omniglot") if any(r["data"] == d for r in rows)]
    fig, axes = plt.subplots(1, len(datas), figsize=(4.2 * len(datas), 4.2), squeeze=False)
    style = {"direct": ("C0", "o"), "gsm": ("C3", "s"), "exact": ("C2", "^")}
    for ax, d in zip(axes[0], datas):
        for est in ("direct", "gsm", "exact"):
            for st, ls in (("paper", ":"), ("paper = tuned", "-"), ("tuned", "-")):  # tuned drawn last, on top
                pts = sorted((r["k"], r["test_exact_nelbo_mean"], r["test_exact_nelbo_sd"], r["n"]) for r in rows
                             if r["data"] == d and r["estimator"] == est and r["settings"] == st)
                if not pts:
                    continue
                c, m = style[est]
                ks = [p[0] for p in pts]
                ax.plot(ks, [p[1] for p in pts], ls=ls, color=c, lw=1.2, label="%s, %s" % (est, st))
                for k, y, sd, n in pts:
                    ax.errorbar([k], [y], yerr=[0 if math.isnan(sd) else sd], fmt=m, color=c,
                                mfc=c if n > 1 else "white", capsize=3, ms=5)
        ax.set_title(d)
        ax.set_xlabel("k (states of the one categorical latent)")
        ax.set_xticks([10, 20, 30, 40, 50])
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("test exact NELBO (nats), %d epochs" % epochs)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=6, frameon=False)
    fig.suptitle("Table 1: mean ± sd over seeds (hollow: one seed); lower is better", fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
