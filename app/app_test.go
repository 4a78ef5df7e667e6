package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/baynet/baynet/app"
	"github.com/baynet/baynet/testutil/apptest"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// These tests run the real app through InitChain, CheckTx, FinalizeBlock
// and Commit on the local networks' genesis (apptest.NewConsortium): four
// regions with a power share of 100 each, one validator and one agency each.

func TestValidatorAddedAppearsInUpdates(t *testing.T) {
	c := apptest.NewConsortium()
	chain, initRes := apptest.Start(t, apptest.InitChainRequest(appState(t, c)))
	require.Equal(t, map[string]int64{
		string(apptest.ConsensusKey("gd-1")): 100, string(apptest.ConsensusKey("hk-1")): 100,
		string(apptest.ConsensusKey("mo-1")): 100, string(apptest.ConsensusKey("joint-1")): 100,
	}, powers(t, initRes.Validators), "InitChain hands CometBFT the genesis set")

	gd := c.Authorities["GD"]
	added := apptest.ConsensusKey("gd-2")
	res := chain.NextBlock(chain.SignTx(gd, nil, &regionstypes.MsgAddValidator{
		Authority: gd.String(), Region: "GD", ConsensusPubkey: added, Moniker: "gd-2",
		Operator: apptest.NewAccount("gd-operator-2").String(),
	}))
	requireOK(t, res.TxResults[0])
	require.Equal(t, map[string]int64{
		string(added):                        50,
		string(apptest.ConsensusKey("gd-1")): 50,
	}, powers(t, res.ValidatorUpdates), "GD's share of 100 is split between its two validators; no other region changes")

	require.Empty(t, chain.NextBlock().ValidatorUpdates, "the change is handed to CometBFT once")
}

func TestUnregisteredSenderRefused(t *testing.T) {
	former := apptest.NewAccount("former-operator")
	tests := []struct {
		name   string
		sender apptest.Account
	}{
		{"no account", apptest.NewAccount("stranger")},
		{"account without standing", former},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := apptest.NewConsortium()
			req := apptest.InitChainRequest(withAccount(t, appState(t, c), former.Address))
			chain, _ := apptest.Start(t, req)
			twin, _ := apptest.Start(t, req)

			// The sender tries to register itself as an agency of GD.
			register := func(authority apptest.Account) *regionstypes.MsgRegisterAgency {
				return &regionstypes.MsgRegisterAgency{
					Authority: authority.String(), AgencyId: "GD:intruder", NameZh: "闯入者", NameEn: "Intruder",
					Account: tc.sender.String(), Roles: []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_TRADING_PLATFORM},
				}
			}
			gd := c.Authorities["GD"]
			require.Zero(t, chain.CheckTx(chain.SignTx(gd, nil, register(gd))).Code, "the same message from GD's authority passes CheckTx")

			before := chain.Account(tc.sender.Address)
			tx := chain.SignTx(tc.sender, nil, register(tc.sender))

			check := chain.CheckTx(tx)
			requireRefused(t, regionstypes.ErrNotPermitted, check.Codespace, check.Code, check.Log)
			require.Contains(t, check.Log, "not permitted")
			require.Contains(t, check.Log, tc.sender.String())

			res := chain.NextBlock(tx)
			requireRefused(t, regionstypes.ErrNotPermitted, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)

			require.Equal(t, before, chain.Account(tc.sender.Address), "account (number, sequence, public key) unchanged")
			_, err := chain.App.RegionsKeeper.GetAgency(chain.Context(), "GD:intruder")
			require.ErrorIs(t, err, regionstypes.ErrUnknownAgency)
			require.Equal(t, twin.NextBlock().AppHash, res.AppHash, "the block changed no state: same app hash as an empty block")
		})
	}
}

func TestSuspendedAgencyRefused(t *testing.T) {
	c := apptest.NewConsortium()
	chain, _ := apptest.Start(t, apptest.InitChainRequest(appState(t, c)))
	agency, gd := c.Agencies["GD:agency"], c.Authorities["GD"]
	send := banktypes.NewMsgSend(agency.Address, gd.Address, sdk.NewCoins(sdk.NewInt64Coin(app.Denom, 1)))
	require.Zero(t, chain.CheckTx(chain.SignTx(agency, nil, send)).Code, "an active agency passes CheckTx")

	// Block N: the region suspends its agency.
	res := chain.NextBlock(chain.SignTx(gd, nil, &regionstypes.MsgSuspendAgency{
		Authority: gd.String(), AgencyId: "GD:agency", Reason: "licence lapsed",
	}))
	requireOK(t, res.TxResults[0])
	before := chain.Account(agency.Address)

	// Block N+1: the agency's next transaction is refused.
	tx := chain.SignTx(agency, nil, send)
	check := chain.CheckTx(tx)
	requireRefused(t, regionstypes.ErrNotPermitted, check.Codespace, check.Code, check.Log)
	require.Contains(t, strings.ToLower(check.Log), "suspended")

	res = chain.NextBlock(tx)
	requireRefused(t, regionstypes.ErrNotPermitted, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
	require.Contains(t, strings.ToLower(res.TxResults[0].Log), "suspended")
	require.Equal(t, before, chain.Account(agency.Address), "sequence unchanged")
}

func TestFeeRefused(t *testing.T) {
	tests := []struct {
		name string
		fee  sdk.Coins
	}{
		{"chain denom", sdk.NewCoins(sdk.NewInt64Coin(app.Denom, 1))},
		{"other denom", sdk.NewCoins(sdk.NewInt64Coin("stake", 5))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := apptest.NewConsortium()
			chain, _ := apptest.Start(t, apptest.InitChainRequest(appState(t, c)))
			gd := c.Authorities["GD"]
			suspend := &regionstypes.MsgSuspendAgency{Authority: gd.String(), AgencyId: "GD:agency", Reason: "audit"}
			require.Zero(t, chain.CheckTx(chain.SignTx(gd, nil, suspend)).Code, "the same transaction without a fee passes CheckTx")

			before := chain.Account(gd.Address)
			tx := chain.SignTx(gd, tc.fee, suspend)
			check := chain.CheckTx(tx)
			requireRefused(t, sdkerrors.ErrInvalidRequest, check.Codespace, check.Code, check.Log)
			require.Contains(t, check.Log, "charges no fees")

			res := chain.NextBlock(tx)
			requireRefused(t, sdkerrors.ErrInvalidRequest, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
			require.Equal(t, before, chain.Account(gd.Address), "sequence unchanged")
			a, err := chain.App.RegionsKeeper.GetAgency(chain.Context(), "GD:agency")
			require.NoError(t, err)
			require.Equal(t, regionstypes.AGENCY_STATUS_ACTIVE, a.Status, "the message did not run")
		})
	}
}

func TestExportImportSameAppHash(t *testing.T) {
	// The same blocks on two fresh apps reach the same app hash.
	original, replay := runChangingBlocks(t), runChangingBlocks(t)
	require.Equal(t, original.App.LastCommitID(), replay.App.LastCommitID())

	exported, err := original.App.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	require.Equal(t, original.Height+1, exported.Height)
	var gs regionstypes.GenesisState
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &state))
	require.NoError(t, original.App.AppCodec().UnmarshalJSON(state[regionstypes.ModuleName], &gs))
	require.Len(t, gs.Agencies, 5, "the agency registered in a block is exported")
	require.Len(t, gs.Validators, 5, "the validator added in a block is exported")
	exportedPowers := map[string]int64{}
	for _, v := range exported.Validators {
		exportedPowers[string(v.PubKey.Bytes())] = v.Power
	}
	require.Equal(t, map[string]int64{
		string(apptest.ConsensusKey("gd-1")): 50, string(apptest.ConsensusKey("gd-2")): 50,
		string(apptest.ConsensusKey("hk-1")): 100, string(apptest.ConsensusKey("mo-1")): 100, string(apptest.ConsensusKey("joint-1")): 100,
	}, exportedPowers)

	// Two chains started from the exported genesis agree, and InitChain
	// accepts the exported validators as CometBFT passes them.
	req := apptest.InitChainFromExport(exported, original.Time.Add(time.Minute))
	imported, initRes := apptest.Start(t, req)
	require.Len(t, initRes.Validators, 5)
	second, _ := apptest.Start(t, req)
	require.Equal(t, imported.App.LastCommitID(), second.App.LastCommitID())
	require.Equal(t, exported.Height, imported.Height)

	// Exporting the imported chain gives back the same state, byte for byte.
	reexported, err := imported.App.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	require.Equal(t, string(exported.AppState), string(reexported.AppState))
	require.Equal(t, exported.Validators, reexported.Validators)
	require.Equal(t, exported.ConsensusParams, reexported.ConsensusParams)
	// What the export leaves out would pass the round trip above unnoticed:
	// the imported chain must also hold exactly the original's state.
	require.Equal(t, storeContents(t, original), storeContents(t, imported))

	// The imported chain goes on: accounts kept their numbers and sequences.
	mo := apptest.NewConsortium().Authorities["MO"]
	res := imported.NextBlock(imported.SignTx(mo, nil, &regionstypes.MsgReinstateAgency{
		Authority: mo.String(), AgencyId: "MO:agency", Reason: "resolved",
	}))
	requireOK(t, res.TxResults[0])
}

// runChangingBlocks starts a chain on the consortium genesis and changes its
// state in three blocks: HK registers an agency, GD adds a validator, MO
// suspends its agency.
func runChangingBlocks(t *testing.T) *apptest.Chain {
	t.Helper()
	c := apptest.NewConsortium()
	chain, _ := apptest.Start(t, apptest.InitChainRequest(appState(t, c)))
	hk, gd, mo := c.Authorities["HK"], c.Authorities["GD"], c.Authorities["MO"]
	platform := apptest.NewAccount("hk-platform")
	msgs := []struct {
		signer apptest.Account
		msg    sdk.Msg
	}{
		{hk, &regionstypes.MsgRegisterAgency{
			Authority: hk.String(), AgencyId: "HK:platform", NameZh: "交易平台", NameEn: "Trading platform",
			Account: platform.String(), Roles: []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_TRADING_PLATFORM},
			Keys: []regionstypes.AgencyKeyInput{{KeyId: "sign-1", Scheme: "secp256k1", PublicKey: platform.Key.PubKey().Bytes()}},
		}},
		{gd, &regionstypes.MsgAddValidator{
			Authority: gd.String(), Region: "GD", ConsensusPubkey: apptest.ConsensusKey("gd-2"), Moniker: "gd-2",
			Operator: c.Operators["GD"].String(),
		}},
		{mo, &regionstypes.MsgSuspendAgency{Authority: mo.String(), AgencyId: "MO:agency", Reason: "audit"}},
	}
	for _, m := range msgs {
		res := chain.NextBlock(chain.SignTx(m.signer, nil, m.msg))
		requireOK(t, res.TxResults[0])
	}
	return chain
}

// storeContents returns every key and value in the chain's committed
// stores, by store name.
func storeContents(t *testing.T, chain *apptest.Chain) map[string]map[string]string {
	t.Helper()
	cms, ok := chain.App.CommitMultiStore().(*rootmulti.Store)
	require.True(t, ok, "the app's multistore is %T", chain.App.CommitMultiStore())
	ctx := chain.Context()
	contents := map[string]map[string]string{}
	for name, key := range cms.StoreKeysByName() {
		kv := map[string]string{}
		it := ctx.KVStore(key).Iterator(nil, nil)
		for ; it.Valid(); it.Next() {
			kv[string(it.Key())] = string(it.Value())
		}
		require.NoError(t, it.Close())
		contents[name] = kv
	}
	return contents
}

// appState returns c's genesis app state.
func appState(t *testing.T, c *apptest.Consortium) []byte {
	t.Helper()
	bz, err := c.AppState()
	require.NoError(t, err)
	return bz
}

// withAccount puts a plain account at addr (account number 7, sequence 0)
// into the auth genesis in appState: an account that exists but holds no
// standing in the consortium.
func withAccount(t *testing.T, appState []byte, addr sdk.AccAddress) []byte {
	t.Helper()
	cdc := apptest.NewApp().AppCodec()
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(appState, &state))
	gs := authtypes.NewGenesisState(authtypes.DefaultParams(), authtypes.GenesisAccounts{authtypes.NewBaseAccount(addr, nil, 7, 0)})
	var err error
	state[authtypes.ModuleName], err = cdc.MarshalJSON(gs)
	require.NoError(t, err)
	bz, err := json.Marshal(state)
	require.NoError(t, err)
	return bz
}

// powers maps each update's raw ed25519 key to its power.
func powers(t *testing.T, updates []abci.ValidatorUpdate) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	for _, u := range updates {
		key := u.PubKey.GetEd25519()
		require.Len(t, key, 32, "validator update with a key other than ed25519")
		m[string(key)] = u.Power
	}
	return m
}

func requireOK(t testing.TB, res *abci.ExecTxResult) {
	t.Helper()
	require.Zero(t, res.Code, "tx failed: %s", res.Log)
}

// requireRefused checks that a CheckTx or FinalizeBlock result carries want.
func requireRefused(t *testing.T, want *errorsmod.Error, codespace string, code uint32, log string) {
	t.Helper()
	require.Equal(t, want.Codespace(), codespace, log)
	require.Equal(t, want.ABCICode(), code, log)
}
