#!/usr/bin/env bash
# The test suite: installs what is missing, then vets and tests every package.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/env.sh
go mod download
go vet ./...
go test -count=1 "$@" ./...
