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
#   tuning       10 configurations per estimator and structure, the same
#                number for every estimator, in two rounds. Round 1, 6:
#                its own knob at 3 values × Adam learning rate ∈ {1e-3,
#                3e-3}:
#                  direct     ε start ∈ {0.1, 0.5, 1} (folded KL: ε ≤ 1)
#                  imle       λ ∈ {1, 10, 100}; imle-sog the same λ (its
#                             noise, sum-of-Gamma against imle's Gumbel, is
#                             the other I-MLE knob: both are in the grid)
#                  perturbed  σ start ∈ {0.1, 0.5, 1}, M = 10 solves (M is
#                             not tuned: a cut, it would double the grid)
#                  st-topk    τ start ∈ {0.1, 0.5, 1}
#                Round 2, 4 more, placed by round 1's choice (V*, L*): two
#                new knob values past the edge V* sat on (halfway to its
#                neighbours when V* was in the middle; below 1 for
#                direct's capped ε) × {L*, the next learning rate past L*}
#                (scripts/structures-tuned-select.py has the rule). A
#                start below the floor 0.1 lowers the floor to the start.
#                budget: 3 epochs on the first 10,000 MNIST training
#                images, seed 1, one thread, 10 importance samples for the
#                test −log p(x) (recorded, never used)
#   selection    per structure and estimator, the configuration with the
#                lowest validation −log p(x) of its last epoch's state
#                (scripts/validnll: exact, or importance-weighted with 10
#                samples; the decoder's alone, so no estimator's training
#                noise is favoured): round 1's 6, then all 10
#   final        the selected configuration, seeds 1–3, EPOCHS (10) epochs
#                on all 50,000 training images, 100 importance samples,
#                read at the last epoch;
#                every other cell's seeds before direct on the subsets,
#                which costs as much as the rest together
#   fixed        the floor 0.1 and the rate 1e-5 of the temperature
#                schedule, batch 100, 300 hidden units, MNIST
#
# Every run is one `structgrid` cell in its own folder under OUT (default
# results/structures-tuned): OUT/tune/CONFIG/CELL and OUT/final/sSEED-CELL.
# Finished cells are reused and interrupted ones resumed, so running this
# again continues where it stopped. PHASES: "tune validnll select1 extend
# validnll select final table" (default all); CELLS: only these cells (names as
# "tree6-direct", default all); BIN: prebuilt binaries (default go run); THREADS (1);
# STRUCTURES (default "subset:20 matching:6 tree:6 tree:8"); for a smoke
# test, TUNE_EPOCHS, TUNE_LIMIT and LIMIT (the final runs' images, 0: all).
# Writes OUT/selected-round1.csv, OUT/round2.csv, OUT/tune.csv,
# OUT/selected.csv, OUT/final.csv, OUT/structures.md and
# OUT/wallclock.png (validation NELBO against training seconds, seed 1).
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}" # ROOT: the repository, when this script runs from a copy
. scripts/env.sh
out=${OUT:-results/structures-tuned}
epochs=${EPOCHS:-10}
threads=${THREADS:-1}
structures=${STRUCTURES:-subset:20 matching:6 tree:6 tree:8}
structgrid() { if [ -n "${BIN:-}" ]; then "$BIN/structgrid" "$@"; else go run ./cmd/structgrid "$@"; fi; }
validnll() { if [ -n "${BIN:-}" ] && [ -x "$BIN/validnll" ]; then "$BIN/validnll" "$@"; else go run ./scripts/validnll "$@"; fi; }

# cellname STRUCTURE ESTIMATOR: the cell's folder name, e.g. tree6-direct.
cellname() { echo "${1%%:*}${1##*:}-$2"; }

# wanted CELL: whether CELLS (default all) lists the cell.
wanted() { [ -z "${CELLS:-}" ] || [[ " $CELLS " == *" $1 "* ]]; }

# subsets_direct_last S E: the lines of standard input in order, those
# whose field S is a subset structure and field E is direct moved to the
# end (such a run costs as much as the others together).
subsets_direct_last() {
	awk -v s="$1" -v e="$2" '$s ~ /^subset/ && $e == "direct" { last = last $0 "\n"; next } { print } END { printf "%s", last }'
}

# cells: STRUCTURE ESTIMATOR, one line each, direct on the subsets last.
cells() {
	{
		for s in $structures; do
			for e in direct imle perturbed; do echo "$s $e"; done
			if [ "${s%%:*}" = subset ]; then echo "$s imle-sog"; echo "$s st-topk"; fi
		done
	} | subsets_direct_last 1 2 |
		while read -r s e; do wanted "$(cellname "$s" "$e")" && echo "$s $e"; done
}

# configs ESTIMATOR: round 1's configuration names, one line each (6 for
# every estimator).
configs() {
	for lr in 1e-3 3e-3; do
		case $1 in
		imle | imle-sog) for v in 1 10 100; do echo "l$v-lr$lr"; done ;;
		*) for v in 0.1 0.5 1; do echo "t$v-lr$lr"; done ;;
		esac
	done
}

# flags NAME: the flags of configuration NAME ("tV-lrL": -eps0 V, its
# floor lowered to V when V < 0.1; "lV-lrL": -lambda V; both -lr L).
flags() {
	local v=${1#?} lr=${1##*-lr}
	v=${v%-lr*}
	case $1 in
	l*) echo "-lambda $v -lr $lr" ;;
	t*) if awk -v v="$v" 'BEGIN { exit !(v < 0.1) }'; then echo "-eps0 $v -eps-min $v -lr $lr"; else echo "-eps0 $v -lr $lr"; fi ;;
	esac
}

# one STRUCTURE ESTIMATOR OUTDIR FLAGS…: one structgrid cell.
one() {
	local s=$1 e=$2 dir=$3
	shift 3
	local list=-estimators
	[ "${s%%:*}" = subset ] && list=-subset-estimators
	# a run that fails is reported and skipped (selection counts the runs
	# that finished), so one configuration cannot stop the grid
	structgrid -structures "$s" "$list" "$e" -threads "$threads" -out "$dir" "$@" </dev/null ||
		echo "grid-structures-tuned: FAILED: $s $e in $dir (exit $?)" >&2
}

for phase in ${PHASES:-tune validnll select1 extend validnll select final table}; do
	echo "== $phase $(date -u +%H:%M:%S)"
	case $phase in
	tune)
		cells | while read -r s e; do
			configs "$e" | while read -r name; do
				# shellcheck disable=SC2046 # the flags are a list
				one "$s" "$e" "$out/tune/$name" -epochs "${TUNE_EPOCHS:-3}" -limit "${TUNE_LIMIT:-10000}" -seed 1 -iw-samples 10 $(flags "$name")
			done
		done
		;;
	validnll)
		# the selection criterion: validation −log p(x) of every finished
		# tuning run not yet in OUT/valid-nll.csv (scripts/validnll)
		f=$out/valid-nll.csv
		[ -f "$f" ] || echo "run,epoch,kind,valid_nll,valid_nll_stderr,valid_gibbs_nelbo" >"$f"
		for d in "$out"/tune/*/*/; do
			d=${d%/}
			grep -qs '"interrupted": false' "$d/summary.json" || continue
			grep -qF "$d," "$f" && continue
			echo "$d"
		done | { validnll -samples 10 -threads "$threads" || echo "grid-structures-tuned: validnll: some runs not evaluated" >&2; } | tail -n +2 >>"$f"
		;;
	select1) python3 scripts/structures-tuned-select.py "$out" round1 ;;
	extend)
		python3 scripts/structures-tuned-select.py "$out" round2 >/dev/null
		awk -F, 'NR > 1 { print $2, $3, $4, $1 }' "$out/round2.csv" | subsets_direct_last 1 2 |
			while read -r s e name cell; do
				wanted "$cell" || continue
				# shellcheck disable=SC2046 # the flags are a list
				one "$s" "$e" "$out/tune/$name" -epochs "${TUNE_EPOCHS:-3}" -limit "${TUNE_LIMIT:-10000}" -seed 1 -iw-samples 10 $(flags "$name")
			done
		;;
	select) python3 scripts/structures-tuned-select.py "$out" final ;;
	final)
		[ -f "$out/selected.csv" ] || { echo "no $out/selected.csv: run the select phase first" >&2; exit 1; }
		# every other cell's three seeds first: direct on the subsets is last
		cells | while read -r s e; do
			cell=$(cellname "$s" "$e")
			name=$(awk -F, -v c="$cell" 'NR > 1 && $1 == c { print $5 }' "$out/selected.csv")
			[ -n "$name" ] || { echo "no selection for $cell yet" >&2; continue; }
			for seed in 1 2 3; do echo "$seed $s $e $name"; done
		done | sort -s -k1,1n | subsets_direct_last 2 3 |
			while read -r seed s e name; do
				# shellcheck disable=SC2046 # the flags are a list
				one "$s" "$e" "$out/final/s$seed-$name" -epochs "$epochs" -limit "${LIMIT:-0}" -seed "$seed" -iw-samples 100 $(flags "$name")
			done
		;;
	table)
		"${PYTHON:-python3}" scripts/structures-tuned-summary.py "$out" # PYTHON: one with matplotlib for the plot
		;;
	esac
done
