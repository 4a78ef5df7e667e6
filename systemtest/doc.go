// Package systemtest holds baynet's process-level system tests: they build
// baynetd, start real networks of baynetd processes on 127.0.0.1 and drive
// them through the command line and the CometBFT RPC.
//
// The tests carry the build tag "system", so a plain `go test ./...` skips
// them. Run them with
//
//	go test -tags system -count=1 -v ./systemtest/...
//
// They use the ports 28000-28039, 28100-28109, 28200-28209 and 28300-28309 (local testnets) and
// 26656-26660 (the dev chain's fixed ports), which must be free.
package systemtest
