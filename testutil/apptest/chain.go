package apptest

import (
	"context"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"

	"github.com/baynet/baynet/app"
)

const (
	// ChainID is the chain id of every test chain.
	ChainID = "baynet-test"
	// Gas is the gas limit of the transactions SignTx builds.
	Gas = 400_000
	// blockInterval is the time between a chain's consecutive blocks.
	blockInterval = time.Second
)

// GenesisTime is the genesis time of a chain InitChainRequest starts.
var GenesisTime = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// NewApp builds the app over an in-memory database, with the chain id set on
// BaseApp as the server sets it from the genesis file.
func NewApp() *app.App {
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(ChainID))
}

// InitChainRequest returns what CometBFT sends to start a new chain from
// appState: the consensus parameters of the local networks and no
// validators, so the set comes from the app's InitGenesis.
func InitChainRequest(appState []byte) *abci.RequestInitChain {
	params := cmttypes.DefaultConsensusParams()
	params.Block.MaxGas = 200_000_000
	pb := params.ToProto()
	return &abci.RequestInitChain{
		Time: GenesisTime, ChainId: ChainID, ConsensusParams: &pb, AppStateBytes: appState, InitialHeight: 1,
	}
}

// InitChainFromExport returns what CometBFT sends to start a chain from the
// genesis file `baynetd export` writes: the exported app state, consensus
// parameters and validators, starting at the exported height.
func InitChainFromExport(exp servertypes.ExportedApp, genesisTime time.Time) *abci.RequestInitChain {
	vals := make([]*cmttypes.Validator, len(exp.Validators))
	for i, v := range exp.Validators {
		vals[i] = cmttypes.NewValidator(v.PubKey, v.Power)
	}
	params := cmttypes.ConsensusParamsFromProto(exp.ConsensusParams)
	pb := params.ToProto()
	return &abci.RequestInitChain{
		Time: genesisTime, ChainId: ChainID, InitialHeight: exp.Height, ConsensusParams: &pb,
		Validators: cmttypes.TM2PB.ValidatorUpdates(cmttypes.NewValidatorSet(vals)), AppStateBytes: exp.AppState,
	}
}

// Chain is an app driven block by block, one second apart.
type Chain struct {
	t   testing.TB
	App *app.App
	// Height and Time are the last committed block's.
	Height int64
	Time   time.Time
}

// Start runs InitChain on a new app and commits the first block, empty,
// so that accounts created at genesis can be read and signed for. It
// returns the chain and InitChain's response.
func Start(t testing.TB, req *abci.RequestInitChain) (*Chain, *abci.ResponseInitChain) {
	t.Helper()
	a := NewApp()
	res, err := a.InitChain(req)
	require.NoError(t, err, "InitChain")
	c := &Chain{t: t, App: a, Height: max(req.InitialHeight, 1) - 1, Time: req.Time}
	c.NextBlock()
	return c, res
}

// NextBlock delivers txs in the next block through FinalizeBlock, commits
// it and returns FinalizeBlock's response.
func (c *Chain) NextBlock(txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	c.Height++
	c.Time = c.Time.Add(blockInterval)
	res, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: c.Height, Time: c.Time, Txs: txs})
	require.NoError(c.t, err, "FinalizeBlock at height %d", c.Height)
	require.Len(c.t, res.TxResults, len(txs))
	_, err = c.App.Commit()
	require.NoError(c.t, err, "Commit at height %d", c.Height)
	return res
}

// CheckTx submits tx to the mempool check as a new transaction.
func (c *Chain) CheckTx(tx []byte) *abci.ResponseCheckTx {
	c.t.Helper()
	res, err := c.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
	require.NoError(c.t, err)
	return res
}

// Context returns a context over the last committed state. What is written
// to it is discarded.
func (c *Chain) Context() sdk.Context {
	header := cmtproto.Header{ChainID: ChainID, Height: c.Height, Time: c.Time}
	return sdk.NewContext(c.App.CommitMultiStore().CacheMultiStore(), header, false, log.NewNopLogger())
}

// Account returns the committed account at addr, or nil if there is none.
func (c *Chain) Account(addr sdk.AccAddress) sdk.AccountI {
	return c.App.AccountKeeper.GetAccount(c.Context(), addr)
}

// SignTx signs msgs for signer with fee, taking the account number and
// sequence from the last committed state (both zero for an account that does
// not exist), and returns the encoded transaction.
func (c *Chain) SignTx(signer Account, fee sdk.Coins, msgs ...sdk.Msg) []byte {
	c.t.Helper()
	var accNum, seq uint64
	if acc := c.Account(signer.Address); acc != nil {
		accNum, seq = acc.GetAccountNumber(), acc.GetSequence()
	}
	tx, err := SignTx(c.App.TxConfig(), ChainID, signer.Key, accNum, seq, fee, msgs...)
	require.NoError(c.t, err)
	return tx
}

// SignTx builds a transaction of msgs with gas limit Gas and fee, signs it
// with key in SIGN_MODE_DIRECT for the given account number and sequence,
// and encodes it.
func SignTx(txConfig client.TxConfig, chainID string, key cryptotypes.PrivKey, accNum, seq uint64, fee sdk.Coins, msgs ...sdk.Msg) ([]byte, error) {
	return SignTxWithGas(txConfig, chainID, key, accNum, seq, Gas, fee, msgs...)
}

// SignTxWithGas is SignTx with the gas limit gas, for large transactions.
func SignTxWithGas(txConfig client.TxConfig, chainID string, key cryptotypes.PrivKey, accNum, seq, gas uint64, fee sdk.Coins, msgs ...sdk.Msg) ([]byte, error) {
	b := txConfig.NewTxBuilder()
	if err := b.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	b.SetGasLimit(gas)
	b.SetFeeAmount(fee)
	// Signer infos go in first: the signed bytes cover them.
	unsigned := signing.SignatureV2{
		PubKey: key.PubKey(), Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT}, Sequence: seq,
	}
	if err := b.SetSignatures(unsigned); err != nil {
		return nil, err
	}
	signerData := authsigning.SignerData{
		Address: sdk.AccAddress(key.PubKey().Address()).String(), ChainID: chainID,
		AccountNumber: accNum, Sequence: seq, PubKey: key.PubKey(),
	}
	sig, err := clienttx.SignWithPrivKey(context.Background(), signing.SignMode_SIGN_MODE_DIRECT, signerData, b, key, txConfig, seq)
	if err != nil {
		return nil, err
	}
	if err := b.SetSignatures(sig); err != nil {
		return nil, err
	}
	return txConfig.TxEncoder()(b.GetTx())
}
