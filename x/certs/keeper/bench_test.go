package keeper_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/certs/keeper"
	"github.com/baynet/baynet/x/certs/types"
)

// BenchmarkIssueBulk delivers one bulk message of 1,000 and of 10,000
// attestations signed with an ed25519 issuer key, through the Msg service on
// a cached context over a real store (each iteration starts from the same
// state), with the signatures verified as one batch ("batched") and, as the
// baseline in the same run, one at a time with crypto.Verify ("one-by-one").
// Reported per attestation: the total, and its split into item checks
// (format, entitlement, key, sign bytes, duplicate lookups), signature
// verification and state writes.
//
//	go test ./x/certs/keeper -run '^$' -bench IssueBulk -benchtime 5x -count 3
func BenchmarkIssueBulk(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, mode := range []string{"batched", "one-by-one"} {
			b.Run(fmt.Sprintf("n=%d/%s", n, mode), func(b *testing.B) {
				var phases keeper.Phases
				gs := testGenesis()
				gs.Params.MaxBulk = uint32(n)
				f := newFixtureWith(b, newRegions(), gs, func(k *keeper.Keeper) {
					if mode == "one-by-one" {
						keeper.UseSequentialVerify(k)
					}
					phases = keeper.RecordPhases(k)
				})
				msg := issueMsg("GD:amr", f.items("GD:amr", "bench", n)...)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					ctx, _ := f.ctx.CacheContext()
					res, err := f.ms.IssueAttestations(ctx, msg)
					if err != nil || res.Issued != uint32(n) {
						b.Fatalf("issued %v: %v", res, err)
					}
				}
				b.StopTimer()
				items, checks, verify, write := phases.Split()
				per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(items) }
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/attestation")
				b.ReportMetric(per(checks), "check-ns/att")
				b.ReportMetric(per(verify), "verify-ns/att")
				b.ReportMetric(per(write), "write-ns/att")
			})
		}
	}
}

// TestBenchmarkFixtureIssues checks what the benchmark measures: its message
// is accepted under both verifiers and anchors every attestation.
func TestBenchmarkFixtureIssues(t *testing.T) {
	for _, sequential := range []bool{false, true} {
		f := newFixtureWith(t, newRegions(), testGenesis(), func(k *keeper.Keeper) {
			if sequential {
				keeper.UseSequentialVerify(k)
			}
		})
		msg := issueMsg("GD:amr", f.items("GD:amr", "bench", 50)...)
		res, err := f.ms.IssueAttestations(f.ctx, msg)
		require.NoError(t, err)
		require.EqualValues(t, 50, res.Issued)
		bad := issueMsg("GD:amr", f.items("GD:amr", "bad", 50)...)
		bad.Items[17].Signature[3] ^= 1
		_, err = f.ms.IssueAttestations(f.ctx, bad)
		require.ErrorIs(t, err, types.ErrInvalidSignature)
		require.ErrorContains(t, err, "item 17: ")
	}
}

// BenchmarkVerifyCertificate verifies a Hong Kong leaf for tendering in
// Guangdong, whose trust list holds the seven committed real roots (RSA
// 2048-4096, P-384, SM2) and the recognised Hong Kong root, with the parse
// cache ("cached", production) and, as the baseline in the same run,
// parsing every stored CA on every verification ("parse-every-time").
//
//	go test ./x/certs/keeper -run '^$' -bench VerifyCertificate -benchtime 2000x -count 3
func BenchmarkVerifyCertificate(b *testing.B) {
	for _, mode := range []string{"cached", "parse-every-time"} {
		b.Run(mode, func(b *testing.B) {
			f := newFixtureWith(b, newRegions(), testGenesis(), func(k *keeper.Keeper) {
				if mode == "parse-every-time" {
					keeper.ParseCAsEveryTime(k)
				}
			})
			req := trustListFixture(b, f, newTestChain(b, "p256"))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				res, err := f.qs.VerifyCertificate(f.ctx, req)
				require.NoError(b, err)
				require.True(b, res.Verified)
			}
		})
	}
}

// trustListFixture registers the committed real roots in GD and chain c in
// HK, which GD recognises for tendering, and returns the request verifying
// c's leaf in GD.
func trustListFixture(b testing.TB, f *fixture, c testChain) *types.QueryVerifyCertificateRequest {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "pki", "testdata", "roots", "*.pem"))
	require.NoError(b, err)
	require.NotEmpty(b, files)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(b, err)
		_, err = f.ms.RegisterCA(f.ctx, registerCAMsg("GD", data, ""))
		require.NoError(b, err)
	}
	f.registerChain("HK", c)
	_, err = f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", c.root.fingerprint(), "tendering"))
	require.NoError(b, err)
	return &types.QueryVerifyCertificateRequest{Leaf: c.leaf.der, Intermediates: [][]byte{c.inter.der}, Region: "GD", Purpose: "tendering", Time: t0.Add(time.Minute)}
}
