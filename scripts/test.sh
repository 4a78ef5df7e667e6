#!/usr/bin/env bash
# The one command that tests baynet: generated code is current, vet, unit and
# app tests, then the process-level system tests (real baynetd networks on
# 127.0.0.1). Needs Go and, for the generation check, protoc.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== generated code is current"
if command -v protoc >/dev/null; then
  ./scripts/protocgen.sh
  if ! git diff --quiet -- '*.pb.go' '*.pb.gw.go'; then
    git --no-pager diff --stat -- '*.pb.go' '*.pb.gw.go'
    echo "generated code differs from proto/: run scripts/protocgen.sh and commit" >&2
    exit 1
  fi
else
  echo "protoc not installed: skipping the generation check (.ci/run installs it)" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi

echo "== go vet"
go vet ./...
go vet -tags system ./systemtest/...

echo "== unit and app tests"
go test -count=1 ./...

echo "== system tests"
go test -count=1 -tags system -timeout 15m ./systemtest/...
