#!/usr/bin/env bash
# bf16.sh — the bfloat16 f̃ products (issue 21) against float32, in one
# run: the kernels (nn BenchmarkBF16VsFP32, decoder BenchmarkVariantsBF16:
# the f̃ pass against the bare product of its shape, the "tile rate"), then
# whole jobs with ARGMAXVAE_BF16=off and =on alternated so that both see
# the same load:
#   main   cmd/structured --solver=maxflow (n = 15, Fashion-MNIST), 2 epochs:
#          train and eval of epoch 1, the exact −log p(x) pass at epoch 2,
#          "job" = the 10-epoch job's seconds per epoch (train + eval +
#          exact/10), as bench/throughput.sh computes it; "cpu" = the whole
#          2-epoch process's user+system CPU seconds (all threads), the
#          figure to compare when other work shares the machine;
#   subset cmd/structured -structure subset -n 20 -subset-k 10
#          -subset-parts 20 (400 binary latents), 2,000 MNIST images,
#          1 epoch: training seconds, and the process's CPU seconds.
# A measurement script, not part of the Go build or tests. Prints the load
# average next to every figure and the kernels each run's config.json names.
#
# Usage: bench/bf16.sh    Environment: REPS (2), THREADS (2), OUT (temp dir),
#   SKIP_BENCH=1 (jobs only), SKIP_JOBS=1 (kernels only).
set -euo pipefail
reps=${REPS:-2}
t=${THREADS:-2}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
cd "$repo"
. scripts/env.sh
go build -o "$out/structured" ./cmd/structured
load() { cut -d' ' -f1-3 /proc/loadavg; }
# cpu FILE CMD...: runs CMD, writing its user+system CPU seconds to FILE.
cpu() {
	local f=$1
	shift
	local TIMEFORMAT='%U %S'
	{ time "$@" >/dev/null 2>&1; } 2>"$f.time"
	awk '{ print $1 + $2 }' "$f.time" >"$f"
}

if [ -z "${SKIP_BENCH:-}" ]; then
	go test -c -o "$out/nn.test" ./nn
	go test -c -o "$out/decoder.test" ./decoder
	echo "# kernels (load $(load))"
	"$out/nn.test" -test.run XXX -test.bench BF16VsFP32 -test.benchtime 100x | grep '^Bench'
	echo "# f̃ pass vs its bare product (load $(load))"
	"$out/decoder.test" -test.run XXX -test.bench VariantsBF16 -test.benchtime 100x | grep '^Bench'
fi
[ -n "${SKIP_JOBS:-}" ] && exit 0

printf '%-4s %-6s %-5s %8s %8s %8s %8s %8s  %-40s %s\n' rep job bf16 train eval exact job cpu kernels load
for rep in $(seq "$reps"); do
	for p in off on; do
		d="$out/main-$p-$rep"
		l=$(load)
		cpu "$d.cpu" env ARGMAXVAE_BF16="$p" "$out/structured" --solver=maxflow -epochs 2 -threads "$t" -out "$d"
		k=$(sed -n 's/.*"gemm_kernels": "\([^"]*\)".*/\1/p' "$d/config.json")
		awk -F, -v rep="$rep" -v p="$p" -v load="$l" -v k="$k" -v c="$(cat "$d.cpu")" '
			NR == 2 { tr = $3; ev = $13 }
			NR == 3 { ex = $13 - 2 * ev }
			END { printf "%-4s %-6s %-5s %8.2f %8.2f %8.2f %8.2f %8.2f  %-40s %s\n", rep, "main", p, tr, ev, ex, tr + ev + ex / 10, c, k, load }
		' "$d/metrics.csv"
	done
	for p in off on; do
		d="$out/subset-$p-$rep"
		l=$(load)
		cpu "$d.cpu" env ARGMAXVAE_BF16="$p" "$out/structured" -structure subset -n 20 -subset-k 10 -subset-parts 20 -data mnist \
			-limit 2000 -epochs 1 -iw-samples 0 -threads "$t" -out "$d"
		k=$(sed -n 's/.*"gemm_kernels": "\([^"]*\)".*/\1/p' "$d/config.json")
		awk -F, -v rep="$rep" -v p="$p" -v load="$l" -v k="$k" -v c="$(cat "$d.cpu")" '
			NR == 2 { printf "%-4s %-6s %-5s %8.2f %8.2f %8s %8s %8.2f  %-40s %s\n", rep, "subset", p, $3, $13, "", "", c, k, load }
		' "$d/metrics.csv"
	done
done
