#!/usr/bin/env bash
# cxx_maxflow.sh — time the C++ Boykov–Kolmogorov library (Debian's
# libmaxflow-dev, maxflow 3.0.4) against this repository's BK, parallel BK
# (pbk with GOMAXPROCS workers, and pbk1 with one) and IBFS on the same
# DIMACS files: the segmentation grids of maxflow.SegmentationGrid (written
# by cmd/maxflow -gen). Each repetition runs the five solvers one after
# the other, each in a fresh process on the same file, and times building
# the graph plus solving it (cmd/maxflow's "solve", bk_timer's solve_ns);
# the script prints the median times and the medians of the per-repetition
# ratios, and the load average after each size. A timing comparison only:
# nothing here is part of the Go build or tests.
#
# Usage: bench/cxx_maxflow.sh [--reps N] [--sizes "512 1024"] [--seed S]
# Environment defaults: REPS (5), SIZES ("512 1024"), SEED (1),
#   CXX (g++), WORK (a temporary directory, removed at the end).
#
# Exit status 0 after printing "skipped: ..." when libmaxflow-dev (its
# pkg-config file) or a C++ compiler is missing.
set -euo pipefail

reps=${REPS:-5}
sizes=${SIZES:-"512 1024"}
seed=${SEED:-1}
cxx=${CXX:-g++}

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=${2:?--reps needs a value}; shift 2 ;;
	--sizes) sizes=${2:?--sizes needs a value}; shift 2 ;;
	--seed) seed=${2:?--seed needs a value}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "cxx_maxflow.sh: unknown argument $1" >&2; usage ;;
	esac
done
case $reps in '' | *[!0-9]* | 0) echo "cxx_maxflow.sh: --reps wants a positive integer" >&2; exit 2 ;; esac

if ! pkg-config --exists maxflow 2>/dev/null; then
	echo "skipped: libmaxflow-dev is not installed (apt-get install libmaxflow-dev)"
	exit 0
fi
if ! command -v "$cxx" >/dev/null; then
	echo "skipped: no C++ compiler ($cxx)"
	exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${WORK:-}
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi

# shellcheck disable=SC2046
"$cxx" -O2 -std=c++17 $(pkg-config --cflags maxflow) "$here/cxx/bk_timer.cpp" -o "$work/bk_timer" $(pkg-config --libs maxflow)
(cd "$root" && go build -o "$work/maxflow" ./cmd/maxflow)

# go_run FILE BACKEND: cmd/maxflow's flow and solve time in ns.
go_run() {
	"$work/maxflow" -in "$1" -backend "$2" ${3:+-threads "$3"} | awk '
		/^flow / { flow = $2 }
		/^solve / { d = $2; ns = d + 0
			# time.Duration strings: 1.5s, 180.2ms, 950µs, 12ns, 1m2.5s
			if (d ~ /ms$/) ns *= 1e6; else if (d ~ /µs$/) ns *= 1e3; else if (d ~ /ns$/) ns *= 1
			else if (d ~ /m/) { split(d, p, "m"); ns = (p[1] * 60 + p[2]) * 1e9 } else ns *= 1e9
			printf "%s %.0f\n", flow, ns }'
}
ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# col I FILE: the median of column I; ratio I J FILE: the median of the
# per-line ratios of column I to column J.
col() { awk -v i="$1" '{ print $i }' "$2" | median; }
ratio() { awk -v i="$1" -v j="$2" '{ print $i / $j }' "$3" | median; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(grep -o -m1 'avx512f' /proc/cpuinfo || echo 'no avx512f')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
	file="$work/grid$n.max"
	"$work/maxflow" -gen "${n}x${n}" -seed "$seed" -out "$file"
	: >"$work/t$n"
	for ((r = 1; r <= reps; r++)); do
		read -r fc tc < <("$work/bk_timer" "$file" | awk '/^flow/ { f = $2 } /^solve_ns/ { print f, $2 }')
		read -r fb tb < <(go_run "$file" bk)
		read -r fp tp < <(go_run "$file" pbk)
		read -r f1 t1 < <(go_run "$file" pbk 1)
		read -r fi ti < <(go_run "$file" ibfs)
		if [ "$fc" != "$fb" ] || [ "$fb" != "$fi" ] || [ "$fb" != "$fp" ] || [ "$fb" != "$f1" ]; then
			echo "cxx_maxflow.sh: ${n}²: flows differ: C++ $fc, bk $fb, pbk $fp, pbk1 $f1, ibfs $fi" >&2
			exit 1
		fi
		echo "$tc $tb $ti $tp $t1" >>"$work/t$n"
	done
	# Columns of t$n: 1 C++, 2 BK, 3 IBFS, 4 PBK, 5 PBK1.
	mc=$(col 1 "$work/t$n") mb=$(col 2 "$work/t$n") mi=$(col 3 "$work/t$n") mp=$(col 4 "$work/t$n") m1=$(col 5 "$work/t$n")
	rb=$(ratio 2 1 "$work/t$n") ri=$(ratio 3 1 "$work/t$n") rp=$(ratio 4 1 "$work/t$n") r1=$(ratio 5 1 "$work/t$n")
	rib=$(ratio 3 2 "$work/t$n") rpb=$(ratio 4 2 "$work/t$n") r1b=$(ratio 5 2 "$work/t$n")
	printf '%s² grid (flow %s, %d reps): C++ BK %.0f ms, Go BK %.0f ms, Go PBK %.0f ms, Go PBK1 %.0f ms, Go IBFS %.0f ms\n' \
		"$n" "$fc" "$reps" "$(ms "$mc")" "$(ms "$mb")" "$(ms "$mp")" "$(ms "$m1")" "$(ms "$mi")"
	printf '  medians of ratios: BK/C++ %.2f, PBK/C++ %.2f, PBK1/C++ %.2f, IBFS/C++ %.2f; PBK/BK %.2f, PBK1/BK %.2f, IBFS/BK %.2f\n' \
		"$rb" "$rp" "$r1" "$ri" "$rpb" "$r1b" "$rib"
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
done
