package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/regions/types"
)

func TestDefaultGenesis(t *testing.T) {
	gs := types.DefaultGenesis()
	require.NoError(t, gs.Validate())
	require.Equal(t, types.DefaultParams(), gs.Params)
	require.Equal(t, uint64(1), gs.NextProposalId)
	// No region holds a third of the power by default, so a whole region may fail.
	require.Less(t, gs.Params.MaxRegionShareBps, uint32(10000/3+1))

	// The default rules with the four testnet regions load.
	f := newConsortium(t)
	require.Equal(t, types.DefaultParams(), f.export().Params)
}

func TestInitGenesisSplitsRegionShares(t *testing.T) {
	// GD splits 100 among three validators, HK 101 between two: the
	// remainder goes one unit each to the first validators in key order.
	f := newEmptyFixture(t)
	gs := genesisOf(regionSpec{"GD", 100, 3}, regionSpec{"HK", 101, 2}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1})
	got, err := f.k.InitGenesis(f.ctx, gs)
	require.NoError(t, err)

	gd := sortedKeys(valKey("GD", 0), valKey("GD", 1), valKey("GD", 2))
	hk := sortedKeys(valKey("HK", 0), valKey("HK", 1))
	want := []update{
		{gd[0], 34}, {gd[1], 33}, {gd[2], 33},
		{hk[0], 51}, {hk[1], 50},
		{valKey("JO", 0), 100},
		{valKey("MO", 0), 100},
	}
	require.Equal(t, want, simpleUpdates(t, got))

	// Stored powers match what CometBFT was told.
	powers := f.powers()
	for _, u := range want {
		require.Equal(t, u.power, powers[string(u.key)])
	}
	// Members got accounts so that they can sign without holding tokens.
	for _, r := range gs.Regions {
		require.True(t, f.ak.has(t, r.Authority), "authority of %s", r.Code)
	}
	for _, v := range gs.Validators {
		require.True(t, f.ak.has(t, v.Operator), "operator of %s", v.Moniker)
	}
	// Genesis told CometBFT everything: the next EndBlock has nothing to add.
	require.Empty(t, f.updates())
}

func TestInitGenesisRejects(t *testing.T) {
	agency := func(id string) types.Agency {
		return types.Agency{
			Id: id, Region: id[:2], NameZh: "机构", NameEn: "Agency", Account: bech("agency/" + id),
			Roles: []types.AgencyRole{types.AGENCY_ROLE_ISSUER}, Status: types.AGENCY_STATUS_ACTIVE, StatusSince: t0,
		}
	}
	tests := []struct {
		name   string
		mutate func(gs *types.GenesisState)
		want   error
		msg    string
	}{
		{"invalid params", func(gs *types.GenesisState) { gs.Params.MaxRegionShareBps = 0 }, types.ErrInvalidParams, "max_region_share_bps"},
		{"next proposal id zero", func(gs *types.GenesisState) { gs.NextProposalId = 0 }, types.ErrInvalidGenesis, "next_proposal_id"},
		{"duplicate region", func(gs *types.GenesisState) { gs.Regions = append(gs.Regions, region("GD", 100)) }, types.ErrDuplicateRegion, "GD"},
		{"invalid region code", func(gs *types.GenesisState) { gs.Regions[0].Code = "gd" }, types.ErrInvalidRegion, "upper-case"},
		{"empty region name", func(gs *types.GenesisState) { gs.Regions[0].NameEn = "" }, types.ErrInvalidRegion, "name_en"},
		{"zero power share", func(gs *types.GenesisState) { gs.Regions[0].PowerShare = 0 }, types.ErrInvalidRegion, "power share"},
		{"bad authority address", func(gs *types.GenesisState) { gs.Regions[0].Authority = "cosmos1notours" }, types.ErrInvalidAddress, "authority"},
		{"two regions with one authority", func(gs *types.GenesisState) { gs.Regions[1].Authority = gs.Regions[0].Authority }, types.ErrInvalidGenesis, "region"},
		{"duplicate validator", func(gs *types.GenesisState) {
			v := gs.Validators[0]
			v.Region, v.Moniker = "HK", "copy"
			gs.Validators = append(gs.Validators, v)
		}, types.ErrDuplicateValidator, "copy"},
		{"validator of unknown region", func(gs *types.GenesisState) { gs.Validators[0].Region = "XY" }, types.ErrUnknownRegion, "XY"},
		{"validator key of 31 bytes", func(gs *types.GenesisState) { gs.Validators[0].ConsensusPubkey = gs.Validators[0].ConsensusPubkey[:31] }, types.ErrInvalidValidator, "32 bytes"},
		{"validator key off the curve", func(gs *types.GenesisState) { gs.Validators[0].ConsensusPubkey = offCurveEd25519() }, types.ErrInvalidValidator, "not a curve point"},
		{"empty moniker", func(gs *types.GenesisState) { gs.Validators[0].Moniker = "" }, types.ErrInvalidValidator, "moniker"},
		{"bad operator address", func(gs *types.GenesisState) { gs.Validators[0].Operator = "bay1xyz" }, types.ErrInvalidAddress, ""},
		{"duplicate agency", func(gs *types.GenesisState) { gs.Agencies = []types.Agency{agency("GD:amr"), agency("GD:amr")} }, types.ErrDuplicateAgency, "GD:amr"},
		{"two agencies with one account", func(gs *types.GenesisState) {
			b := agency("HK:cr")
			b.Account = agency("GD:amr").Account
			gs.Agencies = []types.Agency{agency("GD:amr"), b}
		}, types.ErrInvalidGenesis, "HK:cr"},
		{"agency of unknown region", func(gs *types.GenesisState) { gs.Agencies = []types.Agency{agency("XY:amr")} }, types.ErrUnknownRegion, "XY:amr"},
		{"agency region not its id's", func(gs *types.GenesisState) {
			a := agency("GD:amr")
			a.Region = "HK"
			gs.Agencies = []types.Agency{a}
		}, types.ErrUnknownRegion, "GD:amr"},
		{"agency without status", func(gs *types.GenesisState) {
			a := agency("GD:amr")
			a.Status = types.AGENCY_STATUS_UNSPECIFIED
			gs.Agencies = []types.Agency{a}
		}, types.ErrInvalidAgency, "status"},
		{"key of unknown agency", func(gs *types.GenesisState) {
			gs.AgencyKeys = []types.AgencyKey{{AgencyId: "GD:amr", KeyId: "k1", Scheme: "ed25519", PublicKey: consKey("x"), NotBefore: t0}}
		}, types.ErrUnknownAgency, "GD:amr"},
		{"malformed agency key", func(gs *types.GenesisState) {
			gs.Agencies = []types.Agency{agency("GD:amr")}
			gs.AgencyKeys = []types.AgencyKey{{AgencyId: "GD:amr", KeyId: "k1", Scheme: "secp256k1", PublicKey: consKey("x"), NotBefore: t0}}
		}, types.ErrInvalidKey, "k1"},
		{"proposal id not below next id", func(gs *types.GenesisState) {
			gs.Proposals = []types.Proposal{{Id: 1, Action: types.ProposalAction{RemoveRegion: "GD"}, Status: types.PROPOSAL_STATUS_PENDING}}
		}, types.ErrInvalidGenesis, "proposal id 1"},
		{"region over the maximum share", func(gs *types.GenesisState) { gs.Regions[0].PowerShare = 200 }, types.ErrRegionShare, "region GD"},
		{"region over the maximum share with a double sign that removed nothing", func(gs *types.GenesisState) {
			gs.Regions[0].PowerShare = 200
			gs.DoubleSigns = []types.DoubleSignRecord{{ConsensusAddress: consAddr(valKey("GD", 0)), InfractionHeight: 3, Removed: false}}
		}, types.ErrRegionShare, "region GD"},
		{"no validators even after a forced removal", func(gs *types.GenesisState) {
			gs.Validators = nil
			gs.DoubleSigns = []types.DoubleSignRecord{{ConsensusAddress: consAddr(valKey("GD", 0)), InfractionHeight: 3, Removed: true}}
		}, types.ErrQuorum, "0 validators"},
		{"active agency of a removed region", func(gs *types.GenesisState) { gs.Agencies = []types.Agency{agency("TW:moea")} }, types.ErrUnknownRegion, "TW:moea"},
		{"fewer validators than the minimum", func(gs *types.GenesisState) { gs.Params.MinValidators = 5 }, types.ErrQuorum, "minimum is 5"},
		{"no validators at all", func(gs *types.GenesisState) { gs.Validators = nil }, types.ErrQuorum, "0 validators"},
		{"more validators than a region may run", func(gs *types.GenesisState) {
			gs.Params.MaxValidatorsPerRegion = 1
			gs.Validators = append(gs.Validators, types.Validator{ConsensusPubkey: valKey("GD", 1), Region: "GD", Moniker: "GD-node-1", Operator: operator("GD", 1)})
		}, types.ErrLimit, "maximum is 1"},
		{"share too small to split", func(gs *types.GenesisState) {
			for i := range gs.Regions {
				gs.Regions[i].PowerShare = 1
			}
			gs.Validators = append(gs.Validators, types.Validator{ConsensusPubkey: valKey("GD", 1), Region: "GD", Moniker: "GD-node-1", Operator: operator("GD", 1)})
		}, types.ErrInvalidGenesis, "cannot be split"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := genesisOf(fourRegions...)
			tc.mutate(&gs)
			f := newEmptyFixture(t)
			_, err := f.k.InitGenesis(f.ctx, gs)
			require.ErrorIs(t, err, tc.want)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

// TestGenesisRoundTrip exports a state, imports it through JSON into a fresh
// store and requires the same export, the same store bytes, and accounts for
// every member.
func TestGenesisRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		specs []regionSpec
		build func(f *fixture)
	}{
		{"consortium at genesis", fourRegions, func(*fixture) {}},
		{"validators, agencies, keys, proposals and double signs", fourRegions, func(f *fixture) {
			f.addValidator("GD", "gd-2")
			f.addValidator("HK", "hk-2")
			mustRun(f, f.ms.RotateValidatorKey, &types.MsgRotateValidatorKey{
				Authority: authority("MO"), Region: "MO", ConsensusPubkey: valKey("MO", 0), NewConsensusPubkey: consKey("mo-rotated"),
			})
			msg := agencyMsg("GD:amr")
			km := testKeys()
			msg.Keys = append(msg.Keys,
				types.AgencyKeyInput{KeyId: "sm2", Scheme: "sm2", PublicKey: km.sm2PKIX},
				types.AgencyKeyInput{KeyId: "rsa", Scheme: "rsa-pss-sha256", PublicKey: km.rsaPEM})
			f.registerAgency(msg)
			f.registerAgency(agencyMsg("HK:cr"))
			mustRun(f, f.ms.SuspendAgency, &types.MsgSuspendAgency{Authority: authority("HK"), AgencyId: "HK:cr", Reason: "audit"})
			f.advance(time.Hour)
			mustRun(f, f.ms.RetireAgencyKey, &types.MsgRetireAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", KeyId: "k1"})
			f.pass(types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "GD", PowerShare: 120}}, "GD", "HK", "MO")
			f.pass(types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "HK", PowerShare: 500}}, "HK", "GD", "MO") // fails
			f.submit("JO", types.ProposalAction{RemoveRegion: "MO"})                                                              // pending
			f.submit("MO", types.ProposalAction{AddRegion: ptr(region("TW", 100))})                                               // expires
			f.advance(types.DefaultParams().ProposalLifetime - time.Minute)
			f.submit("GD", types.ProposalAction{AddRegion: ptr(region("SZ", 100))}) // stays pending
			f.advance(2 * time.Minute)
			require.NoError(t, f.k.ExpireProposals(f.ctx))
			require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: consAddr(consKey("hk-2")), InfractionHeight: 7, InfractionTime: t0}))
			require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: []byte("unknown-address-0000"), InfractionHeight: 8, InfractionTime: t0}))
		}},
		{"a double sign removed a region's only validator", fourRegions, func(f *fixture) {
			// HK, MO and JO now each hold a third of the power, above the
			// 33.33% maximum: the live chain allows it after a forced removal.
			require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: consAddr(valKey("GD", 0)), InfractionHeight: 9, InfractionTime: t0}))
		}},
		{"a region was removed", []regionSpec{{"GD", 100, 1}, {"HK", 100, 1}, {"MO", 100, 1}, {"JO", 100, 1}, {"TW", 100, 2}}, func(f *fixture) {
			f.registerAgency(agencyMsg("TW:moea"))
			p := f.pass(types.ProposalAction{RemoveRegion: "TW"}, "GD", "HK", "MO", "JO")
			require.Equal(t, types.PROPOSAL_STATUS_EXECUTED, p.Status, p.FailureReason)
		}},
		{"a key retired in the block that added it", fourRegions, func(f *fixture) {
			f.registerAgency(agencyMsg("GD:amr"))
			mustRun(f, f.ms.RetireAgencyKey, &types.MsgRetireAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", KeyId: "k1"})
		}},
		{"a future key retired before it started", fourRegions, func(f *fixture) {
			f.registerAgency(agencyMsg("GD:amr"))
			later := t0.Add(24 * time.Hour)
			mustRun(f, f.ms.AddAgencyKey, &types.MsgAddAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr",
				Key: types.AgencyKeyInput{KeyId: "k2", Scheme: "ed25519", PublicKey: consKey("k2"), NotBefore: &later}})
			mustRun(f, f.ms.RetireAgencyKey, &types.MsgRetireAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", KeyId: "k2"})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, genesisOf(tc.specs...))
			tc.build(f)
			f.updates() // EndBlock: CometBFT knows the current set
			exported, raw := f.export(), f.raw()

			bz := f.cdc.MustMarshalJSON(exported)
			var imported types.GenesisState
			f.cdc.MustUnmarshalJSON(bz, &imported)

			g := newEmptyFixture(t)
			g.ctx = g.ctx.WithBlockTime(f.ctx.BlockTime()).WithBlockHeight(f.ctx.BlockHeight())
			got, err := g.k.InitGenesis(g.ctx, imported)
			require.NoError(t, err)
			require.Equal(t, exported, g.export())
			require.Equal(t, raw, g.raw())

			// CometBFT gets the whole current set from the imported genesis.
			want := []update{}
			for _, v := range exported.Validators {
				want = append(want, update{v.ConsensusPubkey, v.Power})
			}
			require.Equal(t, want, append([]update{}, simpleUpdates(t, got)...))
			for _, v := range exported.Validators {
				require.True(t, g.ak.has(t, v.Operator))
			}
			for _, r := range exported.Regions {
				require.True(t, g.ak.has(t, r.Authority))
			}
			for _, a := range exported.Agencies {
				require.True(t, g.ak.has(t, a.Account))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// offCurveEd25519 is 32 bytes that decode to no point of edwards25519: y = 2
// gives x² = 3/(4d+1), which is not a square mod 2^255-19.
func offCurveEd25519() []byte {
	b := make([]byte, 32)
	b[0] = 2
	return b
}
