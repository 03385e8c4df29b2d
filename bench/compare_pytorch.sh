#!/usr/bin/env bash
# compare_pytorch.sh — time one training epoch of the PyTorch peer
# (bench/pytorch/dvae.py) and of the Go trainer (cmd/categorical) on MNIST
# with the same estimator, K and thread count, and print both epoch times
# and their ratio. A timing comparison only; nothing here is part of the Go
# build or tests.
#
# Usage: bench/compare_pytorch.sh [--threads N] [--k K] [--estimator E] [--seed S]
# Environment defaults: THREADS (2), K (10), ESTIMATOR (direct), SEED (1),
#   PYTHON (/usr/bin/python3, the interpreter with Debian's python3-torch),
#   GO_BUILD_FLAGS (extra flags for go build, e.g. "-tags noopenblas").
#
# The Go binary is built first with `go build -o` so compile time is not
# timed. The Go epoch time is wall_seconds of the last epoch-1 row of
# DIR/metrics.csv (cumulative training wall time); the PyTorch time is the
# epoch_seconds of its first JSON line (training loop only, data loading
# excluded). Exit status 3 means cmd/categorical is missing: only the
# PyTorch half ran.
set -euo pipefail

threads=${THREADS:-2}
k=${K:-10}
est=${ESTIMATOR:-direct}
seed=${SEED:-1}
python=${PYTHON:-/usr/bin/python3}

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--threads | -t) threads=${2:?--threads needs a value}; shift 2 ;;
	--threads=*) threads=${1#*=}; shift ;;
	--k | -k) k=${2:?--k needs a value}; shift 2 ;;
	--k=*) k=${1#*=}; shift ;;
	--estimator | -e) est=${2:?--estimator needs a value}; shift 2 ;;
	--estimator=*) est=${1#*=}; shift ;;
	--seed) seed=${2:?--seed needs a value}; shift 2 ;;
	--seed=*) seed=${1#*=}; shift ;;
	-h | --help) usage ;;
	*) echo "compare_pytorch.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
for v in threads k seed; do
	case ${!v} in
	'' | *[!0-9]*) echo "compare_pytorch.sh: --$v is '${!v}', want a non-negative integer" >&2; exit 2 ;;
	esac
done
case $est in
direct | gsm | exact) ;;
*) echo "compare_pytorch.sh: --estimator is '$est', want direct, gsm or exact" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One BLAS/OpenMP thread budget for both sides.
export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads

echo "estimator=$est k=$k threads=$threads (MNIST, 50000 train images, batch 100, 1 epoch)"

# --- PyTorch ---
"$python" "$here/pytorch/dvae.py" --estimator "$est" --k "$k" --epochs 1 \
	--threads "$threads" --seed "$seed" >"$work/py.jsonl"
read -r py_secs py_loss < <("$python" -c '
import json, sys
rec = json.loads(open(sys.argv[1]).readline())
print(rec["epoch_seconds"], rec["train_loss"])' "$work/py.jsonl")
printf 'pytorch  epoch 1: %8.2f s   train loss %.2f\n' "$py_secs" "$py_loss"

# --- Go ---
if [ ! -d "$repo/cmd/categorical" ]; then
	echo "go       cmd/categorical not found in $repo; Go half skipped" >&2
	exit 3
fi
# shellcheck disable=SC2086 # GO_BUILD_FLAGS is a list of flags
if ! (cd "$repo" && go build ${GO_BUILD_FLAGS:-} -o "$work/categorical" ./cmd/categorical); then
	echo "compare_pytorch.sh: go build ./cmd/categorical failed; Go half skipped" >&2
	exit 1
fi
"$work/categorical" -data mnist -k "$k" -estimator "$est" -epochs 1 \
	-threads "$threads" -out "$work/go" >"$work/go.log" 2>&1 || {
	echo "compare_pytorch.sh: the Go trainer failed; its output:" >&2
	cat "$work/go.log" >&2
	exit 1
}
csv="$work/go/metrics.csv"
[ -s "$csv" ] || { echo "compare_pytorch.sh: Go trainer wrote no $csv; its output:" >&2; cat "$work/go.log" >&2; exit 1; }
read -r go_secs go_loss < <(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["epoch"] == 1 { secs = $col["wall_seconds"]; loss = $col["train_loss"]; seen = 1 }
	END {
		if (!("epoch" in col) || !("wall_seconds" in col)) { print "header-missing"; exit }
		if (seen) print secs, loss; else print "no-epoch-1"
	}' "$csv")
case $go_secs in
header-missing | no-epoch-1 | '')
	echo "compare_pytorch.sh: $csv: cannot read epoch 1 wall_seconds ($go_secs)" >&2
	cat "$csv" >&2
	exit 1 ;;
esac
printf 'go       epoch 1: %8.2f s   train loss %s\n' "$go_secs" "${go_loss:-?}"
awk -v g="$go_secs" -v p="$py_secs" 'BEGIN {
	if (p > 0) printf "ratio go/pytorch: %.2f  (%s)\n", g / p, g < p ? "Go faster" : "PyTorch faster"
}'
