package app_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/testutil/apptest"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// startConsortium starts a chain with the local networks' consortium.
func startConsortium(t testing.TB) (*apptest.Chain, *apptest.Consortium) {
	t.Helper()
	c := apptest.NewConsortium()
	state, err := c.AppState()
	require.NoError(t, err)
	chain, _ := apptest.Start(t, apptest.InitChainRequest(state))
	return chain, c
}

func suspendMsg(c *apptest.Consortium, region, reason string) sdk.Msg {
	return &regionstypes.MsgSuspendAgency{Authority: c.Authorities[region].String(), AgencyId: region + ":agency", Reason: reason}
}

func TestSigCacheFinalizeBlockHitsAfterBlockBatch(t *testing.T) {
	chain, c := startConsortium(t)
	tx := chain.SignTx(c.Authorities["GD"], nil, suspendMsg(c, "GD", "audit"))

	hits0, misses0 := chain.App.SigCache.Stats()
	res := chain.NextBlock(tx)
	require.Equal(t, uint32(0), res.TxResults[0].Code, res.TxResults[0].Log)
	hits, misses := chain.App.SigCache.Stats()
	require.Equal(t, hits0+1, hits, "the ante chain found the signature the PreBlocker verified")
	require.Equal(t, misses0, misses, "FinalizeBlock verified nothing inline")
}

func TestSigCacheProcessProposalThenFinalizeBlock(t *testing.T) {
	chain, c := startConsortium(t)
	// Two transactions of one account in one block: sequences 0 and 1.
	gd := c.Authorities["GD"]
	tx1 := chain.SignTx(gd, nil, suspendMsg(c, "GD", "audit"))
	acc := chain.Account(gd.Address)
	tx2, err := apptest.SignTx(chain.App.TxConfig(), apptest.ChainID, gd.Key, acc.GetAccountNumber(), acc.GetSequence()+1, nil,
		&regionstypes.MsgReinstateAgency{Authority: gd.String(), AgencyId: "GD:agency", Reason: "cleared"})
	require.NoError(t, err)

	pp, err := chain.App.ProcessProposal(&abci.RequestProcessProposal{
		Txs: [][]byte{tx1, tx2}, Height: chain.Height + 1, Time: chain.Time,
	})
	require.NoError(t, err)
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, pp.Status)

	hits0, misses0 := chain.App.SigCache.Stats()
	res := chain.NextBlock(tx1, tx2)
	for i, r := range res.TxResults {
		require.Equal(t, uint32(0), r.Code, "tx %d: %s", i, r.Log)
	}
	hits, misses := chain.App.SigCache.Stats()
	require.Equal(t, hits0+2, hits)
	require.Equal(t, misses0, misses)
}

func TestSigCacheCheckTxVerifiesThenCaches(t *testing.T) {
	chain, c := startConsortium(t)
	tx := chain.SignTx(c.Authorities["HK"], nil, suspendMsg(c, "HK", "audit"))

	_, misses0 := chain.App.SigCache.Stats()
	res := chain.CheckTx(tx)
	require.Equal(t, uint32(0), res.Code, res.Log)
	hits, misses := chain.App.SigCache.Stats()
	require.Equal(t, misses0+1, misses, "CheckTx verified the new signature")

	block := chain.NextBlock(tx)
	require.Equal(t, uint32(0), block.TxResults[0].Code, block.TxResults[0].Log)
	hits2, misses2 := chain.App.SigCache.Stats()
	require.Equal(t, hits+1, hits2, "FinalizeBlock found what CheckTx verified")
	require.Equal(t, misses, misses2)
}

func TestSigCacheRefusesTamperedSignature(t *testing.T) {
	chain, c := startConsortium(t)
	tx := chain.SignTx(c.Authorities["MO"], nil, suspendMsg(c, "MO", "audit"))
	// The signature is the last field of TxRaw: flip its last byte.
	tampered := append([]byte(nil), tx...)
	tampered[len(tampered)-1] ^= 0x01

	res := chain.CheckTx(tampered)
	require.NotEqual(t, uint32(0), res.Code)
	require.Contains(t, res.Log, "signature")

	// Neither the block batch nor the ante chain lets it through, and the
	// agency stays active.
	block := chain.NextBlock(tampered)
	require.NotEqual(t, uint32(0), block.TxResults[0].Code)
	require.Contains(t, block.TxResults[0].Log, "signature")
	agency, err := chain.App.RegionsKeeper.GetAgency(chain.Context(), "MO:agency")
	require.NoError(t, err)
	require.Equal(t, regionstypes.AGENCY_STATUS_ACTIVE, agency.Status)

	// The genuine transaction still goes through afterwards.
	block = chain.NextBlock(tx)
	require.Equal(t, uint32(0), block.TxResults[0].Code, block.TxResults[0].Log)
}
