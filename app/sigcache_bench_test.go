package app_test

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/baynet/baynet/app"
	"github.com/baynet/baynet/testutil/apptest"
	regionskeeper "github.com/baynet/baynet/x/regions/keeper"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// The block-level benchmarks of issue 3 measure one block of sigBlockTxs
// signed bank sends from sigBlockAgencies agencies against baselines run in
// the same iteration, and report figures per transaction and their ratios:
//
//   - BenchmarkBlockSigFinalize: the signature step of FinalizeBlock on a
//     validator whose cache ProcessProposal warmed, against the SDK's stock
//     SigVerificationDecorator;
//   - BenchmarkBlockSigProcessProposal: ProcessProposal's batch with a cold
//     cache, against the stock decorator verifying one transaction at a time;
//   - BenchmarkBlockSigFinalizeBlock: FinalizeBlock end to end on a validator,
//     on a node without ProcessProposal, and on an app with the stock chain.
//
// The SDK's secp256k1 is its default pure-Go build (no libsecp256k1_sdk tag).
const (
	sigBlockAgencies = 50
	sigBlockRounds   = 100 // transactions per agency, sequences 1..sigBlockRounds
	sigBlockTxs      = sigBlockAgencies * sigBlockRounds
	// sigBlockHeight is the measured block's: block 1 is empty and block 2
	// holds each agency's first transaction, which sets its public key.
	sigBlockHeight = 3
)

// sigBlock is the fixture every block-level benchmark shares.
type sigBlock struct {
	appState []byte
	signers  []apptest.Account
	// warmUp is block 2: one send per agency at sequence 0.
	warmUp [][]byte
	// raw is the measured block, in rounds: every agency's send at sequence
	// 1, then every agency's at sequence 2, and so on; txs is it decoded.
	raw [][]byte
	txs []sdk.Tx
}

var (
	sigBlockOnce    sync.Once
	sigBlockFixture *sigBlock
)

// loadSigBlock builds the fixture on first use: a consortium genesis with
// sigBlockAgencies more active agencies, each funded, and their signed
// transactions, with account numbers read from a started chain.
func loadSigBlock(b *testing.B) *sigBlock {
	b.Helper()
	sigBlockOnce.Do(func() {
		c := apptest.NewConsortium()
		fx := &sigBlock{}
		recipients := make([]apptest.Account, sigBlockAgencies)
		for i := range sigBlockAgencies {
			region := apptest.Regions[i%len(apptest.Regions)]
			acc := apptest.NewAccount(fmt.Sprintf("bench-agency-%02d", i))
			c.Genesis.Agencies = append(c.Genesis.Agencies, regionstypes.Agency{
				Id: fmt.Sprintf("%s:bench-%02d", region, i), Region: region, NameZh: "基准机构", NameEn: fmt.Sprintf("Benchmark agency %d", i),
				Account: acc.String(), Roles: []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_TRADING_PLATFORM},
				Status: regionstypes.AGENCY_STATUS_ACTIVE,
			})
			fx.signers = append(fx.signers, acc)
			recipients[i] = c.Authorities[region]
		}
		state, err := c.AppState()
		require.NoError(b, err)
		fx.appState = withBalances(b, state, fx.signers, sdk.NewCoins(sdk.NewInt64Coin(app.Denom, 1_000)))

		chain, _ := apptest.Start(b, apptest.InitChainRequest(fx.appState))
		txConfig := chain.App.TxConfig()
		accNums := make([]uint64, sigBlockAgencies)
		for i, s := range fx.signers {
			acc := chain.Account(s.Address)
			require.NotNil(b, acc, "agency account %s created at genesis", s)
			accNums[i] = acc.GetAccountNumber()
		}
		sign := func(i int, seq uint64) []byte {
			send := banktypes.NewMsgSend(fx.signers[i].Address, recipients[i].Address, sdk.NewCoins(sdk.NewInt64Coin(app.Denom, 1)))
			tx, err := apptest.SignTx(txConfig, apptest.ChainID, fx.signers[i].Key, accNums[i], seq, nil, send)
			require.NoError(b, err)
			return tx
		}
		for i := range sigBlockAgencies {
			fx.warmUp = append(fx.warmUp, sign(i, 0))
		}
		for seq := uint64(1); seq <= sigBlockRounds; seq++ {
			for i := range sigBlockAgencies {
				raw := sign(i, seq)
				tx, err := txConfig.TxDecoder()(raw)
				require.NoError(b, err)
				fx.raw, fx.txs = append(fx.raw, raw), append(fx.txs, tx)
			}
		}
		sigBlockFixture = fx
	})
	if sigBlockFixture == nil {
		b.Fatal("building the block fixture failed in an earlier benchmark")
	}
	return sigBlockFixture
}

// withBalances gives each account coins in the bank genesis of appState.
func withBalances(b *testing.B, appState []byte, accounts []apptest.Account, coins sdk.Coins) []byte {
	b.Helper()
	cdc := apptest.NewApp().AppCodec()
	var state map[string]json.RawMessage
	require.NoError(b, json.Unmarshal(appState, &state))
	var bank banktypes.GenesisState
	require.NoError(b, cdc.UnmarshalJSON(state[banktypes.ModuleName], &bank))
	for _, a := range accounts {
		bank.Balances = append(bank.Balances, banktypes.Balance{Address: a.String(), Coins: coins})
	}
	var err error
	state[banktypes.ModuleName], err = cdc.MarshalJSON(&bank)
	require.NoError(b, err)
	out, err := json.Marshal(state)
	require.NoError(b, err)
	return out
}

func blockTime(height int64) time.Time {
	return apptest.GenesisTime.Add(time.Duration(height) * time.Second)
}

// startSigBlockApp runs InitChain, an empty block 1 and the warm-up block 2
// on a, committing both, so that a is ready for the measured block.
func startSigBlockApp(b *testing.B, a *app.App, fx *sigBlock) *app.App {
	b.Helper()
	_, err := a.InitChain(apptest.InitChainRequest(fx.appState))
	require.NoError(b, err)
	for h, txs := range [][][]byte{nil, fx.warmUp} {
		height := int64(h + 1)
		res, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: height, Time: blockTime(height), Txs: txs})
		require.NoError(b, err)
		requireAllOK(b, res.TxResults)
		_, err = a.Commit()
		require.NoError(b, err)
	}
	return a
}

// newStockApp returns baynet with the SDK's stock signature step: the ante
// chain of app.NewAnteHandler with ante.NewSigVerificationDecorator in place
// of baynet's, and no signature batch in the PreBlocker.
func newStockApp(b *testing.B) *app.App {
	b.Helper()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(apptest.ChainID))
	ak, signModes := a.AccountKeeper, a.TxConfig().SignModeHandler()
	a.SetAnteHandler(sdk.ChainAnteDecorators(
		ante.NewSetUpContextDecorator(),
		ante.NewExtensionOptionsDecorator(nil),
		ante.NewValidateBasicDecorator(),
		ante.NewTxTimeoutHeightDecorator(),
		ante.NewValidateMemoDecorator(ak),
		permissionRule{regions: a.RegionsKeeper},
		app.ZeroFeeDecorator{},
		ante.NewConsumeGasForTxSizeDecorator(ak),
		ante.NewSetPubKeyDecorator(ak),
		ante.NewValidateSigCountDecorator(ak),
		ante.NewSigGasConsumeDecorator(ak, ante.DefaultSigVerificationGasConsumer),
		ante.NewSigVerificationDecorator(ak, signModes),
		ante.NewIncrementSequenceDecorator(ak),
	))
	a.SetPreBlocker(func(ctx sdk.Context, _ *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
		return a.ModuleManager.PreBlock(ctx)
	})
	require.NoError(b, a.LoadLatestVersion())
	return a
}

// permissionRule is app.PermissionDecorator's rule for the stock chain, whose
// decorator cannot be built outside package app.
type permissionRule struct {
	regions regionskeeper.Keeper
}

func (d permissionRule) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	signers, err := tx.(authsigning.SigVerifiableTx).GetSigners()
	if err != nil {
		return ctx, err
	}
	for _, signer := range signers {
		allowed, reasons, err := d.regions.Permission(ctx, signer)
		if err != nil {
			return ctx, err
		}
		if !allowed {
			return ctx, errorsmod.Wrap(regionstypes.ErrNotPermitted, reasons[0])
		}
	}
	return next(ctx, tx, simulate)
}

func requireAllOK(b *testing.B, results []*abci.ExecTxResult) {
	b.Helper()
	for i, r := range results {
		require.Zero(b, r.Code, "tx %d: %s", i, r.Log)
	}
}

// blockContext returns a context over a's committed state at the measured
// block's height in mode; what is written to it is discarded.
func blockContext(a *app.App, mode sdk.ExecMode) sdk.Context {
	header := cmtproto.Header{ChainID: apptest.ChainID, Height: sigBlockHeight, Time: blockTime(sigBlockHeight)}
	return sdk.NewContext(a.CommitMultiStore().CacheMultiStore(), header, false, log.NewNopLogger()).WithExecMode(mode)
}

// cost accumulates wall time, process CPU time (all threads) and heap
// allocations.
type cost struct {
	wall, cpu time.Duration
	allocs    uint64
}

type costMark struct {
	start  time.Time
	cpu    time.Duration
	allocs uint64
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mallocCount() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

func markCost() costMark {
	return costMark{allocs: mallocCount(), cpu: processCPU(), start: time.Now()}
}

func (c *cost) add(m costMark) {
	c.wall += time.Since(m.start)
	c.cpu += processCPU() - m.cpu
	c.allocs += mallocCount() - m.allocs
}

// report reports c per transaction of b.N blocks under name.
func (c cost) report(b *testing.B, name string) {
	txs := float64(b.N * sigBlockTxs)
	b.ReportMetric(float64(c.wall.Nanoseconds())/txs, name+"-ns/tx")
	b.ReportMetric(float64(c.cpu.Nanoseconds())/txs, name+"-cpu-ns/tx")
	b.ReportMetric(float64(c.allocs)/txs, name+"-allocs/tx")
}

func noopNext(ctx sdk.Context, _ sdk.Tx, _ bool) (sdk.Context, error) { return ctx, nil }

// runSigStep runs dec over the block in a FinalizeBlock context of a. The
// public keys are on the accounts since block 2, so SetPubKey, which runs
// before the signature step, would change nothing. Between rounds, outside
// the measurement, it sets every agency's sequence to the next round's, as
// IncrementSequence would have.
func runSigStep(b *testing.B, a *app.App, fx *sigBlock, dec sdk.AnteDecorator, c *cost) {
	ctx := blockContext(a, sdk.ExecModeFinalize)
	for r := range sigBlockRounds {
		for _, s := range fx.signers {
			acc := a.AccountKeeper.GetAccount(ctx, s.Address)
			if err := acc.SetSequence(uint64(r + 1)); err != nil {
				b.Fatal(err)
			}
			a.AccountKeeper.SetAccount(ctx, acc)
		}
		m := markCost()
		for i, tx := range fx.txs[r*sigBlockAgencies : (r+1)*sigBlockAgencies] {
			if _, err := dec.AnteHandle(ctx, tx, false, noopNext); err != nil {
				b.Fatalf("round %d, tx %d: %v", r, i, err)
			}
		}
		c.add(m)
	}
}

// BenchmarkBlockSigFinalize measures the signature work of FinalizeBlock on
// a validator whose cache ProcessProposal warmed: the PreBlocker (which
// recognises the block ProcessProposal prepared and only hashes the
// transaction list) and baynet's signature step (a
// hit on every transaction), against the stock SigVerificationDecorator
// verifying the same transactions on the same state. Metrics: stock, ante
// (baynet's step) and preblock per transaction; ante-x = stock/ante and
// finalize-x = stock/(ante+preblock), by wall and by CPU time.
func BenchmarkBlockSigFinalize(b *testing.B) {
	fx := loadSigBlock(b)
	a := startSigBlockApp(b, apptest.NewApp(), fx)
	signModes := a.TxConfig().SignModeHandler()
	stock := ante.NewSigVerificationDecorator(a.AccountKeeper, signModes)
	baynet := app.NewSigVerificationDecorator(a.SigCache, a.AccountKeeper, signModes)

	pp, err := a.ProcessProposal(&abci.RequestProcessProposal{Txs: fx.raw, Height: sigBlockHeight, Time: blockTime(sigBlockHeight)})
	require.NoError(b, err)
	require.Equal(b, abci.ResponseProcessProposal_ACCEPT, pp.Status)

	// Both steps really verify: a tampered signature is refused by each.
	bad := append([]byte(nil), fx.raw[0]...)
	bad[len(bad)-1] ^= 1
	badTx, err := a.TxConfig().TxDecoder()(bad)
	require.NoError(b, err)
	for _, dec := range []sdk.AnteDecorator{stock, baynet} {
		_, err := dec.AnteHandle(blockContext(a, sdk.ExecModeFinalize), badTx, false, noopNext)
		require.ErrorContains(b, err, "signature")
	}
	// Every signature of the block is a hit after ProcessProposal.
	hits0, misses0 := a.SigCache.Stats()
	runSigStep(b, a, fx, baynet, &cost{})
	hits, misses := a.SigCache.Stats()
	require.Equal(b, uint64(sigBlockTxs), hits-hits0)
	require.Equal(b, misses0, misses)

	var stockCost, anteCost, preCost cost
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		runBaynet := func() {
			ctx := blockContext(a, sdk.ExecModeFinalize)
			m := markCost()
			a.SigCache.PreBlock(ctx, fx.raw)
			preCost.add(m)
			runSigStep(b, a, fx, baynet, &anteCost)
		}
		// Alternate which goes first, so neither always inherits the
		// other's garbage.
		if i%2 == 0 {
			runSigStep(b, a, fx, stock, &stockCost)
			runBaynet()
		} else {
			runBaynet()
			runSigStep(b, a, fx, stock, &stockCost)
		}
	}
	b.StopTimer()
	stockCost.report(b, "stock")
	anteCost.report(b, "ante")
	preCost.report(b, "preblock")
	b.ReportMetric(float64(stockCost.wall)/float64(anteCost.wall), "ante-x")
	b.ReportMetric(float64(stockCost.wall)/float64(anteCost.wall+preCost.wall), "finalize-x")
	b.ReportMetric(float64(stockCost.cpu)/float64(anteCost.cpu+preCost.cpu), "finalize-cpu-x")
}

// BenchmarkBlockSigProcessProposal measures ProcessProposal's work,
// SigCache.PrepareBlock over the block with a cold cache (decoding, sign
// bytes and one batch on all cores), against the stock decorator verifying
// the block's transactions one by one. Metrics: prepare and stock per
// transaction; x = stock/prepare by wall time, cpu-x by CPU time.
func BenchmarkBlockSigProcessProposal(b *testing.B) {
	fx := loadSigBlock(b)
	a := startSigBlockApp(b, apptest.NewApp(), fx)
	signModes, decoder := a.TxConfig().SignModeHandler(), a.TxConfig().TxDecoder()
	stock := ante.NewSigVerificationDecorator(a.AccountKeeper, signModes)

	// PrepareBlock caches every signature of the block.
	check := app.NewSigCache(a.AccountKeeper, signModes, decoder)
	check.PrepareBlock(blockContext(a, sdk.ExecModeProcessProposal), fx.raw)
	runSigStep(b, a, fx, app.NewSigVerificationDecorator(check, a.AccountKeeper, signModes), &cost{})
	hits, misses := check.Stats()
	require.Equal(b, uint64(sigBlockTxs), hits)
	require.Zero(b, misses)

	var prepareCost, stockCost cost
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		cache := app.NewSigCache(a.AccountKeeper, signModes, decoder)
		ctx := blockContext(a, sdk.ExecModeProcessProposal)
		b.StartTimer()
		if i%2 == 1 {
			runSigStep(b, a, fx, stock, &stockCost)
		}
		m := markCost()
		cache.PrepareBlock(ctx, fx.raw)
		prepareCost.add(m)
		if i%2 == 0 {
			runSigStep(b, a, fx, stock, &stockCost)
		}
	}
	b.StopTimer()
	prepareCost.report(b, "prepare")
	stockCost.report(b, "stock")
	b.ReportMetric(float64(stockCost.wall)/float64(prepareCost.wall), "x")
	b.ReportMetric(float64(stockCost.cpu)/float64(prepareCost.cpu), "cpu-x")
}

// BenchmarkBlockSigFinalizeBlock measures FinalizeBlock of the block end to
// end (all transactions succeed) on three fresh apps per iteration: a
// validator whose ProcessProposal warmed the cache (validator), baynet
// without ProcessProposal, as on a full node or in replay, where the
// PreBlocker verifies the batch inside FinalizeBlock (fullnode), and the
// stock ante chain verifying inline (stock). ProcessProposal itself is
// reported as processproposal. Ratios are stock over each, by wall time
// (validator-x, fullnode-x) and by CPU time (-cpu-x).
func BenchmarkBlockSigFinalizeBlock(b *testing.B) {
	fx := loadSigBlock(b)
	req := &abci.RequestFinalizeBlock{Height: sigBlockHeight, Time: blockTime(sigBlockHeight), Txs: fx.raw}
	finalize := func(a *app.App, c *cost) {
		m := markCost()
		res, err := a.FinalizeBlock(req)
		c.add(m)
		require.NoError(b, err)
		requireAllOK(b, res.TxResults)
	}

	var ppCost, validatorCost, fullNodeCost, stockCost cost
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		validator := startSigBlockApp(b, apptest.NewApp(), fx)
		fullNode := startSigBlockApp(b, apptest.NewApp(), fx)
		stock := startSigBlockApp(b, newStockApp(b), fx)
		b.StartTimer()

		runs := []func(){
			func() {
				m := markCost()
				pp, err := validator.ProcessProposal(&abci.RequestProcessProposal{Txs: fx.raw, Height: sigBlockHeight, Time: req.Time})
				ppCost.add(m)
				require.NoError(b, err)
				require.Equal(b, abci.ResponseProcessProposal_ACCEPT, pp.Status)
				hits0, misses0 := validator.SigCache.Stats()
				finalize(validator, &validatorCost)
				hits, misses := validator.SigCache.Stats()
				require.Equal(b, uint64(sigBlockTxs), hits-hits0, "every signature found cached")
				require.Equal(b, misses0, misses, "no signature verified inline")
			},
			func() { finalize(fullNode, &fullNodeCost) },
			func() { finalize(stock, &stockCost) },
		}
		// Rotate the order, so no app always runs after the others.
		for j := range runs {
			runs[(i+j)%len(runs)]()
		}
	}
	b.StopTimer()
	ppCost.report(b, "processproposal")
	validatorCost.report(b, "validator")
	fullNodeCost.report(b, "fullnode")
	stockCost.report(b, "stock")
	b.ReportMetric(float64(stockCost.wall)/float64(validatorCost.wall), "validator-x")
	b.ReportMetric(float64(stockCost.wall)/float64(fullNodeCost.wall), "fullnode-x")
	b.ReportMetric(float64(stockCost.cpu)/float64(validatorCost.cpu), "validator-cpu-x")
	b.ReportMetric(float64(stockCost.cpu)/float64(fullNodeCost.cpu), "fullnode-cpu-x")
}
