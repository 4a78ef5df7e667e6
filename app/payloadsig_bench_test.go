package app_test

import (
	"runtime"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/testutil/apptest"
)

// bulkBenchItems is the size of the measured bulk issuance.
const bulkBenchItems = 5_000

// BenchmarkBulkIssuanceFinalizeBlock measures FinalizeBlock of a block
// holding one issuance of bulkBenchItems attestations on two nodes in the
// same iteration: one that never saw the transaction (its PreBlocker
// verifies the attestation signatures in the block's batch) and one whose
// CheckTx verified them on arrival (FinalizeBlock takes them from the
// cache). It reports each per attestation and their ratio: the signature
// work verify-once takes out of FinalizeBlock.
func BenchmarkBulkIssuanceFinalizeBlock(b *testing.B) {
	var cold, checked time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		coldChain, c := certsChain(b)
		checkedChain, _ := certsChain(b)
		tx := issueTx(b, coldChain, c, signedItems(coldChain, c, "bench", bulkBenchItems))
		res := checkedChain.CheckTx(tx)
		require.Equal(b, uint32(0), res.Code, res.Log)
		// Alternate which node goes first, and start each from a collected
		// heap, so neither pays for the other's garbage.
		runs := []struct {
			chain *apptest.Chain
			total *time.Duration
		}{{coldChain, &cold}, {checkedChain, &checked}}
		if i%2 == 1 {
			runs[0], runs[1] = runs[1], runs[0]
		}
		for _, r := range runs {
			runtime.GC()
			b.StartTimer()
			*r.total += timeFinalizeBlock(b, r.chain, tx)
			b.StopTimer()
		}
	}
	n := float64(b.N * bulkBenchItems)
	b.ReportMetric(float64(cold.Nanoseconds())/n, "cold-ns/attestation")
	b.ReportMetric(float64(checked.Nanoseconds())/n, "checked-ns/attestation")
	b.ReportMetric(float64(cold)/float64(checked), "cold/checked")
}

// timeFinalizeBlock delivers tx in the chain's next block and returns how
// long FinalizeBlock took; the commit is not timed.
func timeFinalizeBlock(b *testing.B, chain *apptest.Chain, tx []byte) time.Duration {
	chain.Height++
	chain.Time = chain.Time.Add(time.Second)
	start := time.Now()
	res, err := chain.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: chain.Height, Time: chain.Time, Txs: [][]byte{tx}})
	d := time.Since(start)
	require.NoError(b, err)
	requireOK(b, res.TxResults[0])
	_, err = chain.App.Commit()
	require.NoError(b, err)
	return d
}
