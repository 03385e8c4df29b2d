#!/bin/bash
# The structure × estimator grid of issue 9 (docs/results/issue9.md): four
# cmd/structgrid processes over disjoint cells of one output folder (the
# direct subset cell alone, as it costs 10× the others per epoch), then one
# call that reuses every finished cell and writes structgrid.csv, .md, .png.
# Environment: EPOCHS (5), LIMIT (training images, 10000), IW (importance
# samples per test image, 50), OUT (results/issue9).
set -e
cd "$(dirname "$0")/.."
. scripts/env.sh
EPOCHS=${EPOCHS:-5} LIMIT=${LIMIT:-10000} IW=${IW:-50} OUT=${OUT:-results/issue9}
go build -o /tmp/structgrid-issue9 ./cmd/structgrid
common="-data mnist -epochs $EPOCHS -limit $LIMIT -threads 1 -seed 1 -iw-samples $IW -out $OUT"
mkdir -p "$OUT"
/tmp/structgrid-issue9 $common -structures subset:20 -subset-estimators direct >"$OUT/p1.log" 2>&1 &
/tmp/structgrid-issue9 $common -structures subset:20 -subset-estimators imle,imle-sog,perturbed,st-topk >"$OUT/p2.log" 2>&1 &
/tmp/structgrid-issue9 $common -structures matching:6,tree:6 >"$OUT/p3.log" 2>&1 &
/tmp/structgrid-issue9 $common -structures tree:8 >"$OUT/p4.log" 2>&1 &
wait
/tmp/structgrid-issue9 $common
