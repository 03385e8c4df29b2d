#!/usr/bin/env bash
# The complete Table 1 of docs/RESULTS.md: k = 10…50 × MNIST, Fashion-MNIST,
# Omniglot × direct (folded KL), direct-none (reference form),
# direct-analytic, GSM, exact; 100 epochs; then seeds 1–3 for MNIST at
# k = 10 and 50. Finished runs in results/table1 are reused and interrupted
# ones resume, so rerunning the script continues where it stopped.
# Omniglot is read from $ARGMAXVAE_OMNIGLOT (default ../shared/data/omniglot).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
export ARGMAXVAE_OMNIGLOT=${ARGMAXVAE_OMNIGLOT:-../shared/data/omniglot}
threads=${THREADS:-1}
go run ./cmd/table1 -datasets mnist,fashion,omniglot -k 10,20,30,40,50 \
	-estimators direct,direct-none,direct-analytic,gsm,exact -epochs 100 -threads "$threads" -out results/table1
go run ./cmd/table1 -datasets mnist -k 10,50 -seeds 1,2,3 -name table1-seeds \
	-estimators direct,direct-none,direct-analytic,gsm,exact -epochs 100 -threads "$threads" -out results/table1
