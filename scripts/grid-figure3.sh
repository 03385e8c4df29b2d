#!/usr/bin/env bash
# Figure 3 of docs/RESULTS.md: 15 binary latents on Fashion-MNIST, 30
# epochs, every estimator on the unstructured encoder and direct (folded
# KL) on every encoder structure, each row with the exact −log p(x) and the
# Gibbs NELBO at the last epoch. Finished runs in results/figure3 are reused.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
threads=${THREADS:-1}
go run ./cmd/figure3 -epochs 30 -threads "$threads" -out results/figure3
