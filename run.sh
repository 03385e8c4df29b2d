#!/usr/bin/env bash
# The main job: installs what is missing, then trains the default experiment
# (go run ./cmd/structured --solver=maxflow: 15 binary latents with a
# supermodular encoder solved by max-flow, on Fashion-MNIST, 10 epochs).
# Extra arguments go to the command.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/env.sh
exec go run ./cmd/structured --solver=maxflow "$@"
