#!/usr/bin/env bash
# mainjob_ab.sh — the main job (cmd/structured --solver=maxflow) at two
# commits, their binaries alternated so that both see the same load: the
# check that a change kept the numbers (test −log p(x) must agree to every
# printed digit) and the speed (seconds per training epoch, within the
# run-to-run noise). Prints the load average after every pair, and the
# kernels each run's config.json names.
#
# Usage: bench/mainjob_ab.sh OLD_REV [NEW_REV]   (NEW_REV: the work tree)
# Environment: REPS (3), EPOCHS (3), OUT (temp dir), BF16 (off).
# A measurement script, not part of the Go build or tests; run it on an
# otherwise idle machine.
set -euo pipefail
old=${1:?usage: bench/mainjob_ab.sh OLD_REV [NEW_REV]}
new=${2:-}
reps=${REPS:-3}
epochs=${EPOCHS:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
cd "$repo"
. scripts/env.sh

build() { # build REV DEST: cmd/structured at REV (the work tree when REV is empty)
	if [ -z "$1" ]; then
		go build -o "$2" ./cmd/structured
		return
	fi
	local wt="$out/src-$(basename "$2")"
	rm -rf "$wt"
	git worktree add -q --detach "$wt" "$1"
	(cd "$wt" && go build -o "$2" ./cmd/structured)
	git worktree remove --force "$wt"
}
build "$old" "$out/old"
build "$new" "$out/new"

echo "main job, $epochs epochs, ARGMAXVAE_BF16=${BF16:-off}; old = ${old}, new = ${new:-work tree}; $(uptime)"
for rep in $(seq "$reps"); do
	for b in old new; do
		d="$out/run-$b-$rep"
		rm -rf "$d"
		ARGMAXVAE_BF16=${BF16:-off} "$out/$b" --solver=maxflow -epochs "$epochs" -out "$d" >"$d.log" 2>&1
		python3 - "$d" "$b" "$rep" <<'PY'
import json, sys
d, b, rep = sys.argv[1:]
s = json.load(open(d + "/summary.json"))
c = json.load(open(d + "/config.json"))
print(f"{b} rep {rep}: {s['seconds_per_epoch']:.2f} s/epoch (training), evaluation {s.get('eval_seconds', 0):.1f} s, "
      f"test -log p(x) {s['test_nll_at_best_valid']:.4f} ({s['test_nll_kind']}), kernels {c.get('gemm_kernels', '?')}")
PY
	done
	echo "  $(uptime)"
done
