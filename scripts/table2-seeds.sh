#!/usr/bin/env bash
# Table 2 with seeds (issue 19, item 3): the semi-supervised cells of
# MNIST and Fashion-MNIST at 50, 100 and 1,200 labels for direct (the
# paper's settings: ε_sup 0.05) and GSM at the label weight α the probes
# selected (ALPHA, default 100; docs/RESULTS.md "The semi-supervised GSM").
# Everything else is Table 2's protocol: 20 epochs (EPOCHS), 100
# unlabelled + 10 labelled images a step, Adam 1e-3, ε and τ from 1 at
# rate 1e-4 every 1,000 steps. The seed draws the initialisation, the
# data order, the noise and the labelled subset, so the spread over seeds
# includes the choice of the labelled images.
#   ESTIMATORS  (default "direct gsm")
#   SEEDS       (default "2 3"; seed 1 is Table 2's own run)
#   CELLS       "DATA:LABELS …" in order (default: 50 labels first)
# Runs land in $OUT (default docs/results/table2) as DATA-direct-LABELS and
# DATA-gsm-LABELS-aALPHA, with -sSEED for seeds other than 1 (the names
# cmd/table2 and scripts/table2-gsm-alpha.sh use); finished runs are
# skipped, interrupted ones resumed. BIN: prebuilt binaries (default go run).
# scripts/table2-summary.py tabulates whatever has finished.
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}"
. scripts/env.sh
out=${OUT:-docs/results/table2}
alpha=${ALPHA:-100}
epochs=${EPOCHS:-20}
threads=${THREADS:-1}
run_semisup() { if [ -n "${BIN:-}" ]; then "$BIN/semisup" "$@"; else go run ./cmd/semisup "$@"; fi; }
for cell in ${CELLS:-mnist:50 fashion:50 mnist:100 fashion:100 mnist:1200 fashion:1200}; do
	for seed in ${SEEDS:-2 3}; do
		for est in ${ESTIMATORS:-direct gsm}; do
			data=${cell%%:*} labels=${cell##*:}
			args=(-data "$data" -labels "$labels" -estimator "$est" -epochs "$epochs" -seed "$seed" -threads "$threads")
			case $est in
			direct) dir=$out/$data-direct-$labels ;;
			gsm) dir=$out/$data-gsm-$labels-a$alpha args+=(-alpha "$alpha") ;;
			*) echo "unknown estimator $est" >&2; exit 2 ;;
			esac
			[ "$seed" = 1 ] || dir=$dir-s$seed
			args+=(-out "$dir")
			if [ -f "$dir/summary.json" ] && grep -q "\"epochs\": $epochs," "$dir/summary.json"; then
				continue
			elif [ -f "$dir/checkpoint.bin" ]; then
				run_semisup "${args[@]}" -resume
			else
				run_semisup "${args[@]}"
			fi
		done
	done
done
