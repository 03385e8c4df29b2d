#!/usr/bin/env bash
# Table 1 at the tuned settings (issue 19, item 2): every estimator at the
# configuration scripts/tune-table1.sh selected (its selected.csv, TUNED;
# default docs/results/tune-table1/selected.csv), 100 epochs (EPOCHS), one
# thread, in phases of decreasing priority:
#   a:  k = 10, seeds 1–3, direct and gsm: Omniglot first (the cheapest,
#       and where GSM was furthest from the paper), then MNIST, then
#       Fashion-MNIST;
#   x:  k = 10, seeds 1–3, the three data sets, exact;
#   b:  k = 50, seeds 1–3, direct and gsm;
#   c:  k = 20, 30, 40, seeds 1–3 (seed 1 of every k first), direct and gsm;
#   bx: k = 50, seeds 1–3, exact;
#   cx: k = 20, 30, 40, seeds 1–3, exact.
# Exact runs at its selected learning rate when selected.csv has an exact
# row, else at the paper's settings; EXACT=paper forces the paper's (the
# "paper" rows of Table 1). Direct and GSM come before exact because the
# paired direct − GSM comparison is the paper's claim, and exact costs 3–6
# times as much a run at k ≥ 20.
# An estimator whose selected configuration is the paper's (direct ε 1,
# gsm straight-through τ 1, both lr 1e-3) trains in docs/results/table1,
# where the paper-settings grid already has cells to reuse; any other
# configuration in docs/results/table1-tuned/CONFIG. Finished cells are
# reused, interrupted ones resumed. PHASES picks phases (default
# "a x b c bx cx table"); the last phase, "table", writes
# docs/results/table1.csv and .md with scripts/table1-summary.py.
# BIN: prebuilt binaries (default go run).
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}" # ROOT: the repository, when this script runs from a copy
. scripts/env.sh
export ARGMAXVAE_OMNIGLOT=${ARGMAXVAE_OMNIGLOT:-../shared/data/omniglot}
tuned=${TUNED:-docs/results/tune-table1/selected.csv}
epochs=${EPOCHS:-100}
threads=${THREADS:-1}
run_table1() { if [ -n "${BIN:-}" ]; then "$BIN/table1" "$@"; else go run ./cmd/table1 "$@"; fi; }
# cell EST KS SEEDS [DATASETS]: train estimator EST (direct, gsm, exact) at
# its selected configuration on DATASETS (default all three).
cell() {
	local est=$1 ks=$2 seeds=$3 datasets=${4:-mnist,fashion,omniglot} line config t lr mode flags out
	line=$(awk -F, -v e="$est" 'NR > 1 && $1 == e' "$tuned")
	if [ "$est" = exact ] && { [ -z "$line" ] || [ "${EXACT:-}" = paper ]; }; then
		config=paper flags=""
	else
		[ -n "$line" ] || { echo "no selected configuration for $est in $tuned" >&2; exit 2; }
		IFS=, read -r _ config t _ _ _ lr mode _ <<<"$line"
		flags="-eps0 $t -lr $lr"
		[ "$est" = exact ] && flags="-lr $lr" # exact has no temperature
		[ "$mode" = relaxed ] && flags="$flags -relaxed"
	fi
	case $config in
	paper | direct-e1-lr1e-3 | gsm-st-t1-lr1e-3) out=docs/results/table1 ;;
	*) out=docs/results/table1-tuned/$config ;;
	esac
	# shellcheck disable=SC2086 # flags is a list
	run_table1 -epochs "$epochs" -threads "$threads" -datasets "$datasets" -k "$ks" -seeds "$seeds" \
		-estimators "$est" $flags -out "$out" -name "table1-$est" </dev/null
}
for phase in ${PHASES:-a x b c bx cx table}; do
	case $phase in
	a) for d in omniglot mnist fashion; do for s in 1 2 3; do cell gsm 10 $s $d; cell direct 10 $s $d; done; done ;;
	x) cell exact 10 1,2,3 ;;
	b) for s in 1 2 3; do cell direct 50 $s; cell gsm 50 $s; done ;;
	c) for s in 1 2 3; do cell direct 20,30,40 $s; cell gsm 20,30,40 $s; done ;;
	bx) for s in 1 2 3; do cell exact 50 $s; done ;;
	cx) for s in 1 2 3; do cell exact 20,30,40 $s; done ;;
	table) "${PYTHON:-python3}" scripts/table1-summary.py --tuned "$tuned" --out docs/results/table1 ;; # PYTHON: one with matplotlib for table1.png
	esac
done
