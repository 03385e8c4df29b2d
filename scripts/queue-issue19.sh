#!/usr/bin/env bash
# Issue 19's background queue, in priority order, one thread, resumable:
# every step reuses finished runs and resumes interrupted ones, so running
# this again (after a stop) continues where it stopped.
#   1. the tuning grid and its selection (scripts/tune-table1.sh);
#   2. the second batch of semi-supervised GSM probes (probe-semisup-gsm.sh);
#   3. Table 2's GSM at α = 100 on MNIST, 50 and 100 labels (table2-gsm-alpha.sh);
#   4. Table 1 at the tuned settings, k = 10, seeds 1–3, first to 30 epochs
#      (grid-table1-tuned.sh a; the table at that budget);
#   5. Table 2's GSM at α = 100, the other cells;
#   6. the same Table 1 cells extended to 100 epochs (they resume at 31);
#   7. exact at k = 10, then k = 50, then 20–40, 100 epochs.
# Run it as: BIN=/work/bin-6e61429 nohup nice -n 19 scripts/queue-issue19.sh >results/queue-issue19.log 2>&1 &
# STEPS picks steps (default "1 2 3 4 5 6 7").
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}"
export BIN THREADS=1
tuned=results/tune-table1/selected.csv
for step in ${STEPS:-1 2 3 4 5 6 7}; do
	echo "== step $step $(date -u +%H:%M:%S)"
	case $step in
	1) scripts/tune-table1.sh ;;
	2) scripts/probe-semisup-gsm.sh ;;
	3) CELLS="mnist:50 mnist:100" scripts/table2-gsm-alpha.sh ;;
	4) EPOCHS=30 TUNED=$tuned PHASES="a" scripts/grid-table1-tuned.sh
	   python3 scripts/table1-summary.py --tuned $tuned --epochs 30 --out docs/results/table1-30ep ;;
	5) scripts/table2-gsm-alpha.sh ;;
	6) TUNED=$tuned PHASES="a table" scripts/grid-table1-tuned.sh ;;
	7) TUNED=$tuned PHASES="x table b table c table" scripts/grid-table1-tuned.sh ;;
	esac
done
echo "== done $(date -u +%H:%M:%S)"
