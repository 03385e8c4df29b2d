#!/usr/bin/env bash
# The Table 1 grid of docs/RESULTS.md, 100 epochs, in phases of decreasing
# priority (each phase writes its own OUT/table1-PHASE.md):
#   a: k = 10, 50 × MNIST, Fashion-MNIST, Omniglot × direct (folded KL),
#      direct-none (the reference form), gsm, exact;
#   b: direct-analytic on MNIST at k = 10, 50;
#   c: seeds 1–3 on MNIST at k = 10, 50;
#   d: k = 20, 30, 40 on every data set.
# PHASES (default "a b c d") picks phases, so two shells can share the grid.
# Finished runs in results/table1 (or $OUT) are reused and interrupted ones
# resume.
# At the end, table1.md tabulates every finished cell (-only-finished).
# Omniglot is read from $ARGMAXVAE_OMNIGLOT (default ../shared/data/omniglot).
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}" # ROOT: the repository, when this script runs from a copy
. scripts/env.sh
export ARGMAXVAE_OMNIGLOT=${ARGMAXVAE_OMNIGLOT:-../shared/data/omniglot}
threads=${THREADS:-1}
# BIN=DIR runs prebuilt binaries (built once from a fixed commit, so that a
# long grid does not pick up a tree being edited); default: go run.
run_table1() { if [ -n "${BIN:-}" ]; then "$BIN/table1" "$@"; else go run ./cmd/table1 "$@"; fi; }
# OUT=docs/results/table1 continues the committed grid: its finished cells
# (summary.json and config.json) are reused, the missing ones trained there.
out=${OUT:-results/table1}
t1() { run_table1 -epochs 100 -threads "$threads" -out "$out" "$@"; }
for phase in ${PHASES:-a b c d}; do
	case $phase in
	a) t1 -name table1-a -datasets mnist,fashion,omniglot -k 10,50 -estimators direct,direct-none,gsm,exact ;;
	b) t1 -name table1-b -datasets mnist -k 10,50 -estimators direct-analytic ;;
	c) t1 -name table1-c -datasets mnist -k 10,50 -seeds 1,2,3 -estimators direct,direct-none,direct-analytic,gsm,exact ;;
	d) t1 -name table1-d -datasets mnist,fashion,omniglot -k 20,30,40 -estimators direct,direct-none,gsm,exact ;;
	esac
done
t1 -only-finished -datasets mnist,fashion,omniglot -k 10,20,30,40,50 -estimators direct,direct-none,direct-analytic,gsm,exact
t1 -only-finished -name table1-seeds -datasets mnist -k 10,50 -seeds 1,2,3 -estimators direct,direct-none,direct-analytic,gsm,exact
