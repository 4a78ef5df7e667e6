#!/usr/bin/env bash
# Regenerates all Go code from proto/ offline: protoc with the gocosmos and
# grpc-gateway plugins, include paths taken from the Go module cache.
# Needs: protoc (Debian protobuf-compiler). Installs the plugins at pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."

GOCOSMOS_VERSION=v1.7.2
GATEWAY_VERSION=v1.16.0
bin="$(go env GOPATH)/bin"
[ -x "$bin/protoc-gen-gocosmos" ] || go install "github.com/cosmos/gogoproto/protoc-gen-gocosmos@${GOCOSMOS_VERSION}"
[ -x "$bin/protoc-gen-grpc-gateway" ] || go install "github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway@${GATEWAY_VERSION}"
export PATH="$bin:$PATH"

moddir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
sdk=$(moddir github.com/cosmos/cosmos-sdk)
gogo=$(moddir github.com/cosmos/gogoproto)
cosmosproto=$(moddir github.com/cosmos/cosmos-proto)
gateway=$(moddir "github.com/grpc-ecosystem/grpc-gateway@${GATEWAY_VERSION}")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
includes=(-I proto -I "$sdk/proto" -I "$gogo" -I "$cosmosproto/proto" -I "$gateway/third_party/googleapis")

for dir in $(find proto -name '*.proto' -exec dirname {} \; | sort -u); do
  protoc "${includes[@]}" \
    --gocosmos_out=plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any:"$out" \
    --grpc-gateway_out=logtostderr=true,allow_colon_final_segments=true:"$out" \
    "$dir"/*.proto
done

# Generated files land under their go_package path; copy them beside the module that owns them.
module=github.com/baynet/baynet
cp -r "$out/$module/." .
