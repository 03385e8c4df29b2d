#!/usr/bin/env bash
# Issue 19 item 4: the structure grid at tuned settings, with the tuning
# protocol of Table 1 carried over (docs/RESULTS.md, "The structure grid at
# tuned settings").
#
#   structures   subset:20 (20 × 10-of-20 subsets, the I-MLE paper's VAE),
#                matching:6 (permutations of 6), tree:6 and tree:8
#                (spanning trees of the complete graph on 6 and 8 nodes)
#   estimators   direct, imle, perturbed on every structure; imle-sog and
#                st-topk on the subsets as well (they need k-subsets)
#   tuning       6 configurations per estimator and structure, the same
#                number for every estimator: its own knob at 3 values ×
#                Adam learning rate ∈ {1e-3, 3e-3}:
#                  direct     ε start ∈ {0.1, 0.5, 1} (folded KL: ε ≤ 1)
#                  imle       λ ∈ {1, 10, 100}; imle-sog the same λ (its
#                             noise, sum-of-Gamma against imle's Gumbel, is
#                             the other I-MLE knob: both are in the grid)
#                  perturbed  σ start ∈ {0.1, 0.5, 1}, M = 10 solves (M is
#                             not tuned: a cut, it would double the grid)
#                  st-topk    τ start ∈ {0.1, 0.5, 1}
#                budget: 3 epochs on the first 10,000 MNIST training
#                images, seed 1, one thread, 10 importance samples for the
#                test −log p(x) (recorded, never used)
#   selection    per structure and estimator, the configuration with the
#                lowest best validation one-sample NELBO (summary.json
#                best_valid_loss), the same number for every estimator
#   final        the selected configuration, seeds 1–3, EPOCHS (10) epochs
#                on all 50,000 training images, 100 importance samples
#   fixed        the floor 0.1 and the rate 1e-5 of the temperature
#                schedule, batch 100, 300 hidden units, MNIST
#
# Every run is one `structgrid` cell in its own folder under OUT (default
# results/structures-tuned): OUT/tune/CONFIG/CELL and OUT/final/sSEED-CELL.
# Finished cells are reused and interrupted ones resumed, so running this
# again continues where it stopped. PHASES: "tune select final table"
# (default all); BIN: prebuilt binaries (default go run); THREADS (1);
# STRUCTURES (default "subset:20 matching:6 tree:6 tree:8"); for a smoke
# test, TUNE_EPOCHS, TUNE_LIMIT and LIMIT (the final runs' images, 0: all).
# Writes OUT/tune.csv, OUT/selected.csv, OUT/final.csv, OUT/structures.md and
# OUT/wallclock.png (validation NELBO against training seconds, seed 1).
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}" # ROOT: the repository, when this script runs from a copy
. scripts/env.sh
out=${OUT:-results/structures-tuned}
epochs=${EPOCHS:-10}
threads=${THREADS:-1}
structures=${STRUCTURES:-subset:20 matching:6 tree:6 tree:8}
structgrid() { if [ -n "${BIN:-}" ]; then "$BIN/structgrid" "$@"; else go run ./cmd/structgrid "$@"; fi; }

# cells: STRUCTURE ESTIMATOR, one line each.
cells() {
	for s in $structures; do
		for e in direct imle perturbed; do echo "$s $e"; done
		if [ "$s" = subset:20 ]; then echo "$s imle-sog"; echo "$s st-topk"; fi
	done
}

# configs ESTIMATOR: NAME FLAGS…, one line each (6 for every estimator).
configs() {
	for lr in 1e-3 3e-3; do
		for v in 0.1 0.5 1; do
			case $1 in
			direct | perturbed | st-topk) echo "t$v-lr$lr -eps0 $v -lr $lr" ;;
			esac
		done
		for v in 1 10 100; do
			case $1 in
			imle | imle-sog) echo "l$v-lr$lr -lambda $v -lr $lr" ;;
			esac
		done
	done
}

# one STRUCTURE ESTIMATOR OUTDIR FLAGS…: one structgrid cell.
one() {
	local s=$1 e=$2 dir=$3
	shift 3
	local list=-estimators
	[ "${s%%:*}" = subset ] && list=-subset-estimators
	# shellcheck disable=SC2086 # the flags are a list
	structgrid -structures "$s" "$list" "$e" -threads "$threads" -out "$dir" "$@" </dev/null
}

for phase in ${PHASES:-tune select final table}; do
	echo "== $phase $(date -u +%H:%M:%S)"
	case $phase in
	tune)
		cells | while read -r s e; do
			configs "$e" | while read -r name flags; do
				# shellcheck disable=SC2086
				one "$s" "$e" "$out/tune/$name" -epochs "${TUNE_EPOCHS:-3}" -limit "${TUNE_LIMIT:-10000}" -seed 1 -iw-samples 10 $flags
			done
		done
		;;
	select)
		python3 - "$out" <<'EOF'
import csv, json, os, sys
out = sys.argv[1]
rows = []
tune = os.path.join(out, "tune")
for name in sorted(os.listdir(tune)):
    for cell in sorted(os.listdir(os.path.join(tune, name))):
        d = os.path.join(tune, name, cell)
        s, c = os.path.join(d, "summary.json"), os.path.join(d, "config.json")
        if not (os.path.isdir(d) and os.path.exists(s) and os.path.exists(c)):
            continue
        S, C = json.load(open(s)), json.load(open(c))
        if S.get("interrupted"):
            continue
        rows.append({"cell": cell, "structure": C["structure"], "n": C["latents"], "estimator": C["estimator"], "config": name,
                     "temp_start": C["temp_start"], "lr": C["lr"], "imle_lambda": C.get("imle_lambda", 0) or "",
                     "epochs": S["epochs"], "valid_nelbo_one_sample": round(S["best_valid_loss"], 3),
                     "test_nll": round(S["test_nll_at_best_valid"], 3), "train_seconds": round(S["train_wall_seconds"], 1)})
if not rows:
    sys.exit("no finished tuning runs in " + tune)
with open(os.path.join(out, "tune.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, list(rows[0])); w.writeheader(); w.writerows(rows)
best = {}
for r in rows:
    b = best.get(r["cell"])
    if b is None or r["valid_nelbo_one_sample"] < b["valid_nelbo_one_sample"]:
        best[r["cell"]] = r
counts = {}
for r in rows:
    counts[r["cell"]] = counts.get(r["cell"], 0) + 1
sel = []
for cell in sorted(best):
    r = dict(best[cell]); r["configs_done"] = counts[cell]; r["configs_in_grid"] = 6
    sel.append(r)
with open(os.path.join(out, "selected.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, list(sel[0])); w.writeheader(); w.writerows(sel)
for r in sel:
    print("%-22s %-9s %-14s valid %.2f (%d of 6 configurations)" % (r["cell"], r["estimator"], r["config"], r["valid_nelbo_one_sample"], r["configs_done"]))
EOF
		;;
	final)
		[ -f "$out/selected.csv" ] || { echo "no $out/selected.csv: run the select phase first" >&2; exit 1; }
		for seed in 1 2 3; do
			cells | while read -r s e; do
				cell="${s%%:*}${s##*:}-$e"
				name=$(awk -F, -v c="$cell" 'NR > 1 && $1 == c { print $5 }' "$out/selected.csv")
				[ -n "$name" ] || { echo "no selection for $cell yet" >&2; continue; }
				flags=$(configs "$e" | awk -v n="$name" '$1 == n { $1 = ""; print }')
				# shellcheck disable=SC2086
				one "$s" "$e" "$out/final/s$seed-$name" -epochs "$epochs" -limit "${LIMIT:-0}" -seed "$seed" -iw-samples 100 $flags
			done
		done
		;;
	table)
		"${PYTHON:-python3}" scripts/structures-tuned-summary.py "$out" # PYTHON: one with matplotlib for the plot
		;;
	esac
done
