#!/usr/bin/env bash
# The main job: installs what is missing, then runs the default experiment.
# Extra arguments go to the command.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/env.sh
exec go run ./cmd/solverbench "$@"
