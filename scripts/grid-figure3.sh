#!/usr/bin/env bash
# Figure 3 of docs/RESULTS.md: 15 binary latents on Fashion-MNIST, 30
# epochs, every estimator on the unstructured encoder and direct (folded
# KL) on every encoder structure, each row with the exact −log p(x) and the
# Gibbs NELBO at the last epoch. Finished runs in results/figure3 are reused.
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}" # ROOT: the repository, when this script runs from a copy
. scripts/env.sh
threads=${THREADS:-1}
# BIN=DIR runs prebuilt binaries (built once from a fixed commit, so that a
# long grid does not pick up a tree being edited); default: go run.
run_figure3() { if [ -n "${BIN:-}" ]; then "$BIN/figure3" "$@"; else go run ./cmd/figure3 "$@"; fi; }
run_figure3 -epochs 30 -threads "$threads" -out results/figure3
