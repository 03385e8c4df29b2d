#!/usr/bin/env bash
# throughput.sh — the main job's per-epoch time (cmd/structured
# --solver=maxflow, n = 15, full Fashion-MNIST), a baseline commit against
# the working tree, interleaved so that both see the same machine load.
# A measurement script, not part of the Go build or tests.
#
# Usage: bench/throughput.sh [BASE_COMMIT] (default c605f8c, before issue 13)
# Environment: REPS (3), THREADS ("1 2"), KERNELS ("native avx2": avx2 runs
#   with ARGMAXVAE_KERNELS=avx2 OPENBLAS_CORETYPE=Haswell, the AVX2 code
#   paths on an AVX-512 machine), OUT (a temporary directory).
#
# Each run trains 2 epochs. Epoch 1 is an ordinary epoch: its wall_seconds is
# the training time and its eval_seconds the per-epoch evaluation (valid and
# test sets, exact Gibbs KL over 500 test examples); epoch 2 adds the exact
# −log p(x) pass (all 2¹⁵ codes) that the 10-epoch job runs once, at the last
# epoch. The "job" column is the 10-epoch job's seconds per epoch:
# train + eval + exact/10. Prints one line per run and the load average.
set -euo pipefail
base=${1:-c605f8c}
reps=${REPS:-3}
threads=${THREADS:-"1 2"}
kernels=${KERNELS:-"native avx2"}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
cd "$repo"
. scripts/env.sh

wt="$out/base-src"
if [ ! -d "$wt" ]; then
	git worktree add --detach "$wt" "$base" >/dev/null 2>&1
fi
trap 'git -C "$repo" worktree remove --force "$wt" 2>/dev/null || true' EXIT
# The baseline predates the ARGMAXVAE_KERNELS switch: give it the same one.
if ! grep -q ARGMAXVAE_KERNELS "$wt"/nn/*.go; then
	cat >"$wt/nn/zz_kernels_env.go" <<'EOF'
//go:build cgo && !noopenblas

package nn

import "os"

func init() {
	if os.Getenv("ARGMAXVAE_KERNELS") == "avx2" {
		use512 = false
		setKernelLevel(1)
	}
}
EOF
fi
(cd "$wt" && go build -o "$out/structured-base" ./cmd/structured)
go build -o "$out/structured-new" ./cmd/structured

printf '%-5s %-7s %-4s %3s %8s %8s %8s %8s  %s\n' rep kernels ver thr train eval exact job load
for rep in $(seq "$reps"); do
	for k in $kernels; do
		envs=()
		[ "$k" = avx2 ] && envs=(ARGMAXVAE_KERNELS=avx2 OPENBLAS_CORETYPE=Haswell)
		for t in $threads; do
			for v in base new; do
				d="$out/run-$v-$k-t$t-$rep"
				load=$(cut -d' ' -f1 /proc/loadavg)
				env "${envs[@]}" "$out/structured-$v" --solver=maxflow -epochs 2 -threads "$t" -out "$d" >/dev/null 2>&1
				awk -F, -v rep="$rep" -v k="$k" -v v="$v" -v t="$t" -v load="$load" '
					NR == 2 { tr = $3; ev = $13 }
					NR == 3 { ex = $13 - 2 * ev }
					END { printf "%-5s %-7s %-4s %3s %8.2f %8.2f %8.2f %8.2f  %s\n", rep, k, v, t, tr, ev, ex, tr + ev + ex / 10, load }
				' "$d/metrics.csv"
			done
		done
	done
done
