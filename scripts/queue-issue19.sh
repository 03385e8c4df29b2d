#!/usr/bin/env bash
# Issue 19's background queue, in priority order, one thread, resumable:
# every step reuses finished runs and resumes interrupted ones, so running
# this again (after a stop or a reboot) continues where it stopped.
#   1. the tuning grid and its selection (scripts/tune-table1.sh);
#   2. the semi-supervised GSM probes (probe-semisup-gsm.sh);
#   3. Table 2's GSM at α = 100 on MNIST, 50 and 100 labels (table2-gsm-alpha.sh);
#   5. Table 2's GSM at α = 100, the other cells;
#   4. Table 1 at the tuned settings, k = 10, seeds 1–3, first to 30 epochs
#      (grid-table1-tuned.sh a; the table at that budget);
#   8. Table 2 with seeds 2 and 3, direct and GSM α = 100, 50, 100 and
#      1,200 labels (table2-seeds.sh; table2-summary.py);
#   6. the same Table 1 cells extended to 100 epochs (they resume at 31);
#   7. the rest of Table 1, 100 epochs: exact at k = 10; direct and GSM at
#      k = 50, then at k = 20–40 (seed 1 of every k first); then exact at
#      k = 50 and at k = 20–40 (grid-table1-tuned.sh x b c bx cx), the
#      table rewritten after each phase.
# Run it from the repository as
#   BIN=/work/bin-6e61429 setsid nohup nice -n 19 scripts/queue-issue19.sh >>results/queue-issue19.log 2>&1 </dev/null &
# STEPS picks steps in the order given (default "1 2 3 5 4 8 6 7"; the
# finished ones cost a few seconds of checks).
set -euo pipefail
cd "${ROOT:-$(dirname "$0")/..}"
export BIN THREADS=1
tuned=${TUNED:-docs/results/tune-table1/selected.csv} # the committed selection (step 1 writes results/tune-table1/)
for step in ${STEPS:-1 2 3 5 4 8 6 7}; do
	echo "== step $step $(date -u +%H:%M:%S)"
	case $step in
	1) scripts/tune-table1.sh ;;
	2) scripts/probe-semisup-gsm.sh ;;
	3) CELLS="mnist:50 mnist:100" scripts/table2-gsm-alpha.sh ;;
	4) EPOCHS=30 TUNED=$tuned PHASES="a" scripts/grid-table1-tuned.sh
	   python3 scripts/table1-summary.py --tuned $tuned --epochs 30 --out docs/results/table1-30ep ;;
	5) scripts/table2-gsm-alpha.sh ;;
	6) TUNED=$tuned PHASES="a table" scripts/grid-table1-tuned.sh ;;
	7) TUNED=$tuned PHASES="x table b table c table bx table cx table" scripts/grid-table1-tuned.sh ;;
	8) scripts/table2-seeds.sh
	   python3 scripts/table2-summary.py ;;
	esac
done
echo "== done $(date -u +%H:%M:%S)"
