#!/usr/bin/env bash
# dnnl_bf16.sh — oneDNN's bfloat16 matmul (Debian libdnnl-dev 2.6.3)
# against package nn's AVX512-BF16 kernel at the f̃ pass's shapes, one
# thread each, in one process (bench/cxx/dnnl_bf16.cpp). The measurement
# behind the choice of our own kernel (docs/results/bf16.md); oneDNN is not
# a dependency of the module. Exit 0 after "skipped: ..." when
# libdnnl-dev or a C++ compiler is missing.
# Usage: bench/dnnl_bf16.sh [REPS]   Environment: CXX (g++), WORK (temp dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cxx=${CXX:-g++}
[ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || { echo "skipped: libdnnl-dev not installed"; exit 0; }
command -v "$cxx" >/dev/null || { echo "skipped: no $cxx"; exit 0; }
work=${WORK:-$(mktemp -d)}
gcc -O2 -c -o "$work/bf16.o" "$here/../nn/bf16.c"
"$cxx" -O2 -std=c++17 -o "$work/dnnl_bf16" "$here/cxx/dnnl_bf16.cpp" "$work/bf16.o" -ldnnl
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS=1 DNNL_VERBOSE=0 "$work/dnnl_bf16" "${1:-50}"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
