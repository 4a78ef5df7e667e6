package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/core/comet"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

func TestAddValidatorSplitsShare(t *testing.T) {
	f := newConsortium(t)

	second := f.addValidator("GD", "gd-2")
	added := events[*types.EventValidatorAdded](t, f.ctx)
	require.Equal(t, []*types.EventValidatorAdded{{Region: "GD", ConsensusPubkey: second, Moniker: "gd-2", Operator: bech("operator/gd-2")}}, added)
	require.True(t, f.ak.has(t, bech("operator/gd-2")), "the operator gets an account")
	p := f.powers()
	require.Equal(t, int64(50), p[string(valKey("GD", 0))])
	require.Equal(t, int64(50), p[string(second)])

	third := f.addValidator("GD", "gd-3")
	gd := sortedKeys(valKey("GD", 0), second, third)
	p = f.powers()
	require.Equal(t, []int64{34, 33, 33}, []int64{p[string(gd[0])], p[string(gd[1])], p[string(gd[2])]},
		"100 split three ways, the remainder to the first key")
	require.Equal(t, int64(100), p[string(valKey("HK", 0))], "other regions are untouched")

	// EndBlock hands CometBFT only GD's changes, in key order.
	require.Equal(t, []update{{gd[0], 34}, {gd[1], 33}, {gd[2], 33}}, simpleUpdates(t, f.updates()))
}

func TestRotateValidatorKey(t *testing.T) {
	f := newConsortium(t)
	old, next := valKey("GD", 0), consKey("gd-rotated")

	mustRun(f, f.ms.RotateValidatorKey, &types.MsgRotateValidatorKey{Authority: authority("GD"), Region: "GD", ConsensusPubkey: old, NewConsensusPubkey: next})
	require.Equal(t, []*types.EventValidatorKeyRotated{{Region: "GD", OldConsensusPubkey: old, NewConsensusPubkey: next}},
		events[*types.EventValidatorKeyRotated](t, f.ctx))

	v, err := f.k.GetValidator(f.ctx, next)
	require.NoError(t, err)
	require.Equal(t, types.Validator{ConsensusPubkey: next, Region: "GD", Moniker: "GD-node-0", Operator: operator("GD", 0), Power: 100}, v)
	_, err = f.k.GetValidator(f.ctx, old)
	require.ErrorIs(t, err, types.ErrUnknownValidator)

	f.resetEvents()
	require.Equal(t, []update{{old, 0}, {next, 100}}, simpleUpdates(t, f.updates()))
	require.Equal(t, []*types.EventValidatorPowerChanged{{Region: "GD", ConsensusPubkey: old, Power: 0}, {Region: "GD", ConsensusPubkey: next, Power: 100}},
		events[*types.EventValidatorPowerChanged](t, f.ctx))

	// Evidence against the old key no longer finds a validator.
	require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: consAddr(old), InfractionHeight: 3}))
	_, err = f.k.GetValidator(f.ctx, next)
	require.NoError(t, err)
}

func TestRemoveValidator(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	gone, stays := valKey("GD", 1), valKey("GD", 0)

	mustRun(f, f.ms.RemoveValidator, &types.MsgRemoveValidator{Authority: authority("GD"), Region: "GD", ConsensusPubkey: gone})
	require.Equal(t, []*types.EventValidatorRemoved{{Region: "GD", ConsensusPubkey: gone, Reason: "removed by region"}},
		events[*types.EventValidatorRemoved](t, f.ctx))
	_, err := f.k.GetValidator(f.ctx, gone)
	require.ErrorIs(t, err, types.ErrUnknownValidator)
	require.Equal(t, int64(100), f.powers()[string(stays)], "the region's share goes to the remaining validator")
	// Until EndBlock the registry keeps the removed key's region: 0x0f |
	// pubkey -> region.
	departure := string(append([]byte{0x0f}, gone...))
	require.Equal(t, []byte("GD"), f.raw()[departure])

	f.resetEvents()
	require.Equal(t, []update{{gone, 0}, {stays, 100}}, simpleUpdates(t, f.updates()))
	require.Equal(t, []*types.EventValidatorPowerChanged{
		{Region: "GD", ConsensusPubkey: gone, Power: 0},
		{Region: "GD", ConsensusPubkey: stays, Power: 100},
	}, events[*types.EventValidatorPowerChanged](t, f.ctx), "the removed validator's event names the region it left")
	require.NotContains(t, f.raw(), departure, "EndBlock clears the departure")
}

// TestRemovedAndAddedBackInOneBlock: a key that leaves and comes back in
// the same block changes nothing CometBFT sees, and leaves no departure.
func TestRemovedAndAddedBackInOneBlock(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	before := f.raw()
	mustRun(f, f.ms.RemoveValidator, &types.MsgRemoveValidator{Authority: authority("GD"), Region: "GD", ConsensusPubkey: valKey("GD", 1)})
	mustRun(f, f.ms.AddValidator, &types.MsgAddValidator{
		Authority: authority("GD"), Region: "GD", ConsensusPubkey: valKey("GD", 1), Moniker: "GD-node-1", Operator: operator("GD", 1),
	})
	f.resetEvents()
	require.Empty(t, f.updates())
	require.Empty(t, events[*types.EventValidatorPowerChanged](t, f.ctx))
	require.Equal(t, before, f.raw(), "the block leaves the store as it found it")
}

func TestValidatorChangesRejected(t *testing.T) {
	fourRegionsPlus := func(extra ...regionSpec) []regionSpec {
		return append(append([]regionSpec{}, fourRegions...), extra...)
	}
	withParams := func(gs types.GenesisState, mutate func(*types.Params)) types.GenesisState {
		mutate(&gs.Params)
		return gs
	}
	add := func(authorityRegion, region string, pk []byte, moniker, op string) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.AddValidator(ctx, &types.MsgAddValidator{Authority: authority(authorityRegion), Region: region, ConsensusPubkey: pk, Moniker: moniker, Operator: op})
			return err
		}
	}
	addKey := func(pk []byte) func(f *fixture, ctx sdk.Context) error {
		return add("GD", "GD", pk, "new", bech("operator/new"))
	}
	rotate := func(authorityRegion, region string, old, next []byte) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.RotateValidatorKey(ctx, &types.MsgRotateValidatorKey{Authority: authority(authorityRegion), Region: region, ConsensusPubkey: old, NewConsensusPubkey: next})
			return err
		}
	}
	remove := func(authorityRegion, region string, pk []byte) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.RemoveValidator(ctx, &types.MsgRemoveValidator{Authority: authority(authorityRegion), Region: region, ConsensusPubkey: pk})
			return err
		}
	}
	cosmosOperator, err := sdk.Bech32ifyAddressBytes("cosmos", accAddr("operator/new"))
	require.NoError(t, err)
	gd2 := genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1})
	shareOfTwo := genesisOf(regionSpec{"GD", 2, 2}, regionSpec{"HK", 2, 1}, regionSpec{"MO", 2, 1}, regionSpec{"JO", 2, 1})
	threeRegions := withParams(genesisOf(regionSpec{"GD", 100, 1}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}), func(p *types.Params) { p.MaxRegionShareBps = 3334 })

	tests := []struct {
		name    string
		genesis types.GenesisState
		call    func(f *fixture, ctx sdk.Context) error
		want    error
		msg     string
	}{
		{"add: signer is another region's authority", genesisOf(fourRegions...), add("HK", "GD", consKey("new"), "new", bech("operator/new")), types.ErrNotRegionAuthority, "is not the authority of GD"},
		{"add: unknown region", genesisOf(fourRegions...), add("GD", "XY", consKey("new"), "new", bech("operator/new")), types.ErrUnknownRegion, `"XY"`},
		{"add: key already in the region", genesisOf(fourRegions...), addKey(valKey("GD", 0)), types.ErrDuplicateValidator, ""},
		{"add: key already in another region", genesisOf(fourRegions...), addKey(valKey("HK", 0)), types.ErrDuplicateValidator, ""},
		{"add: empty key", genesisOf(fourRegions...), addKey(nil), types.ErrInvalidValidator, "got 0"},
		{"add: 31-byte key", genesisOf(fourRegions...), addKey(consKey("new")[:31]), types.ErrInvalidValidator, "got 31"},
		{"add: 33-byte key", genesisOf(fourRegions...), addKey(append(consKey("new"), 0)), types.ErrInvalidValidator, "got 33"},
		{"add: key off the curve", genesisOf(fourRegions...), addKey(offCurveEd25519()), types.ErrInvalidValidator, "not a curve point"},
		{"add: secp256k1 key", genesisOf(fourRegions...), addKey(testKeys().secp256k1Compressed), types.ErrInvalidValidator, "got 33"},
		{"add: empty moniker", genesisOf(fourRegions...), add("GD", "GD", consKey("new"), "", bech("operator/new")), types.ErrInvalidValidator, "moniker"},
		{"add: oversized moniker", genesisOf(fourRegions...), add("GD", "GD", consKey("new"), strings.Repeat("m", types.MaxMonikerLength+1), bech("operator/new")), types.ErrInvalidValidator, "moniker"},
		{"add: moniker not UTF-8", genesisOf(fourRegions...), add("GD", "GD", consKey("new"), "node\xff", bech("operator/new")), types.ErrInvalidValidator, "moniker"},
		{"add: malformed operator", genesisOf(fourRegions...), add("GD", "GD", consKey("new"), "new", "bay1notanaddress"), types.ErrInvalidAddress, "operator"},
		{"add: operator of another chain", genesisOf(fourRegions...), add("GD", "GD", consKey("new"), "new", cosmosOperator), types.ErrInvalidAddress, "operator"},
		{"add: first validator of a region over the maximum share", genesisOf(fourRegionsPlus(regionSpec{"TW", 1000, 0})...), add("TW", "TW", consKey("new"), "new", bech("operator/new")), types.ErrRegionShare, "region TW would hold 71.43%"},
		{"add: more validators than the share can split", shareOfTwo, addKey(consKey("new")), types.ErrLimit, "power share 2 cannot be split among 3 validators"},
		{"add: more validators than a region may run", withParams(gd2, func(p *types.Params) { p.MaxValidatorsPerRegion = 2 }), addKey(consKey("new")), types.ErrLimit, "would run 3 validators, the maximum is 2"},
		{"add: newcomer holding a third of the power", withParams(genesisOf(regionSpec{"GD", 100, 1}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"TW", 150, 0}), func(p *types.Params) { p.MaxRegionShareBps = 5000 }),
			add("TW", "TW", consKey("new"), "new", bech("operator/new")), types.ErrQuorum, "a third or more"},

		{"rotate: signer is another region's authority", genesisOf(fourRegions...), rotate("HK", "GD", valKey("GD", 0), consKey("new")), types.ErrNotRegionAuthority, ""},
		{"rotate: unknown region", genesisOf(fourRegions...), rotate("GD", "XY", valKey("GD", 0), consKey("new")), types.ErrUnknownRegion, ""},
		{"rotate: unknown validator", genesisOf(fourRegions...), rotate("GD", "GD", consKey("nobody"), consKey("new")), types.ErrUnknownValidator, ""},
		{"rotate: another region's validator", genesisOf(fourRegions...), rotate("GD", "GD", valKey("HK", 0), consKey("new")), types.ErrUnknownValidator, "is not a validator of GD"},
		{"rotate: new key already used", genesisOf(fourRegions...), rotate("GD", "GD", valKey("GD", 0), valKey("HK", 0)), types.ErrDuplicateValidator, ""},
		{"rotate: new key is the current key", genesisOf(fourRegions...), rotate("GD", "GD", valKey("GD", 0), valKey("GD", 0)), types.ErrInvalidValidator, "current key"},
		{"rotate: new key of 33 bytes", genesisOf(fourRegions...), rotate("GD", "GD", valKey("GD", 0), append(consKey("new"), 1)), types.ErrInvalidValidator, "got 33"},
		{"rotate: new key off the curve", genesisOf(fourRegions...), rotate("GD", "GD", valKey("GD", 0), offCurveEd25519()), types.ErrInvalidValidator, "not a curve point"},
		{"rotate: key holding a third of the power", threeRegions, rotate("GD", "GD", valKey("GD", 0), consKey("new")), types.ErrQuorum, "a third or more"},

		{"remove: signer is another region's authority", gd2, remove("HK", "GD", valKey("GD", 1)), types.ErrNotRegionAuthority, ""},
		{"remove: unknown validator", gd2, remove("GD", "GD", consKey("nobody")), types.ErrUnknownValidator, ""},
		{"remove: another region's validator", gd2, remove("GD", "GD", valKey("HK", 0)), types.ErrUnknownValidator, "is not a validator of GD"},
		{"remove: the region's last validator", genesisOf(fourRegions...), remove("GD", "GD", valKey("GD", 0)), types.ErrLastValidator, "region GD"},
		{"remove: below the minimum validators", withParams(gd2, func(p *types.Params) { p.MinValidators = 5 }), remove("GD", "GD", valKey("GD", 1)), types.ErrQuorum, "4 validators would remain, the minimum is 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.genesis)
			f.requireRejected(func(ctx sdk.Context) error { return tc.call(f, ctx) }, tc.want, tc.msg)
			require.Empty(t, f.updates(), "nothing reaches CometBFT")
		})
	}
}

func TestValidatorUpdates(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	require.Empty(t, f.updates(), "genesis already told CometBFT the set")

	// One block: GD removes a validator, HK adds one, MO rotates.
	mustRun(f, f.ms.RemoveValidator, &types.MsgRemoveValidator{Authority: authority("GD"), Region: "GD", ConsensusPubkey: valKey("GD", 1)})
	hk2 := f.addValidator("HK", "hk-2")
	mustRun(f, f.ms.RotateValidatorKey, &types.MsgRotateValidatorKey{Authority: authority("MO"), Region: "MO", ConsensusPubkey: valKey("MO", 0), NewConsensusPubkey: consKey("mo-new")})

	// Keys that left come first, in key order, then the changed validators
	// in (region, key) order; JO, unchanged, is absent.
	gone := sortedKeys(valKey("GD", 1), valKey("MO", 0))
	hk := sortedKeys(valKey("HK", 0), hk2)
	want := []update{{gone[0], 0}, {gone[1], 0}, {valKey("GD", 0), 100}, {hk[0], 50}, {hk[1], 50}, {consKey("mo-new"), 100}}
	f.resetEvents()
	require.Equal(t, want, simpleUpdates(t, f.updates()))
	regionOf := map[string]string{string(valKey("GD", 1)): "GD", string(valKey("MO", 0)): "MO"}
	require.Equal(t, []*types.EventValidatorPowerChanged{
		{Region: regionOf[string(gone[0])], ConsensusPubkey: gone[0], Power: 0},
		{Region: regionOf[string(gone[1])], ConsensusPubkey: gone[1], Power: 0},
		{Region: "GD", ConsensusPubkey: valKey("GD", 0), Power: 100},
		{Region: "HK", ConsensusPubkey: hk[0], Power: 50},
		{Region: "HK", ConsensusPubkey: hk[1], Power: 50},
		{Region: "MO", ConsensusPubkey: consKey("mo-new"), Power: 100},
	}, events[*types.EventValidatorPowerChanged](t, f.ctx), "one event per update, in the same order")

	f.resetEvents()
	require.Empty(t, f.updates(), "a second call has nothing to report")
	require.Empty(t, events[*types.EventValidatorPowerChanged](t, f.ctx))

	// EndBlocker hands over the same diff.
	f.addValidator("JO", "jo-2")
	u, err := f.k.EndBlocker(f.ctx)
	require.NoError(t, err)
	jo := sortedKeys(valKey("JO", 0), consKey("jo-2"))
	require.Equal(t, []update{{jo[0], 50}, {jo[1], 50}}, simpleUpdates(t, u))
}

func TestRecordDoubleSign(t *testing.T) {
	gd2 := genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1})
	lone := genesisOf(regionSpec{"GD", 100, 1})
	lone.Params.MaxRegionShareBps = 10000
	infraction := t0.Add(-time.Minute)
	tests := []struct {
		name        string
		genesis     types.GenesisState
		address     []byte
		wantRemoved []byte // validator expected to leave the set
		wantRecord  types.DoubleSignRecord
	}{
		{"validator removed", gd2, consAddr(valKey("GD", 1)), valKey("GD", 1), types.DoubleSignRecord{
			ConsensusAddress: consAddr(valKey("GD", 1)), ConsensusPubkey: valKey("GD", 1), Region: "GD",
			InfractionHeight: 5, InfractionTime: infraction, RecordedHeight: 10, Removed: true,
		}},
		{"a region's only validator removed while others remain", genesisOf(fourRegions...), consAddr(valKey("HK", 0)), valKey("HK", 0), types.DoubleSignRecord{
			ConsensusAddress: consAddr(valKey("HK", 0)), ConsensusPubkey: valKey("HK", 0), Region: "HK",
			InfractionHeight: 5, InfractionTime: infraction, RecordedHeight: 10, Removed: true,
		}},
		{"the chain's last validator stays", lone, consAddr(valKey("GD", 0)), nil, types.DoubleSignRecord{
			ConsensusAddress: consAddr(valKey("GD", 0)), ConsensusPubkey: valKey("GD", 0), Region: "GD",
			InfractionHeight: 5, InfractionTime: infraction, RecordedHeight: 10, Removed: false,
		}},
		{"unknown address recorded", gd2, []byte("unknown-consensus-ad"), nil, types.DoubleSignRecord{
			ConsensusAddress: []byte("unknown-consensus-ad"), InfractionHeight: 5, InfractionTime: infraction, RecordedHeight: 10,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.genesis)
			before := f.export().Validators
			require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: tc.address, InfractionHeight: 5, InfractionTime: infraction}))

			require.Equal(t, []types.DoubleSignRecord{tc.wantRecord}, f.export().DoubleSigns)
			require.Equal(t, []*types.EventDoubleSign{{Region: tc.wantRecord.Region, ConsensusAddress: tc.address, InfractionHeight: 5, Removed: tc.wantRecord.Removed}},
				events[*types.EventDoubleSign](t, f.ctx))
			removed := events[*types.EventValidatorRemoved](t, f.ctx)
			if tc.wantRemoved == nil {
				require.Empty(t, removed)
				require.Equal(t, before, f.export().Validators)
				require.Empty(t, f.updates())
				return
			}
			require.Equal(t, []*types.EventValidatorRemoved{{Region: tc.wantRecord.Region, ConsensusPubkey: tc.wantRemoved, Reason: "double sign"}}, removed)
			_, err := f.k.GetValidator(f.ctx, tc.wantRemoved)
			require.ErrorIs(t, err, types.ErrUnknownValidator)
			f.resetEvents()
			require.Contains(t, simpleUpdates(t, f.updates()), update{tc.wantRemoved, 0})
			require.Contains(t, events[*types.EventValidatorPowerChanged](t, f.ctx),
				&types.EventValidatorPowerChanged{Region: tc.wantRecord.Region, ConsensusPubkey: tc.wantRemoved, Power: 0})
		})
	}
}

func TestRecordDoubleSignTwiceIsIgnored(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 3}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	rec := types.DoubleSignRecord{ConsensusAddress: consAddr(valKey("GD", 1)), InfractionHeight: 5, InfractionTime: t0}
	require.NoError(t, f.k.RecordDoubleSign(f.ctx, rec))
	first, raw := f.export(), f.raw()

	f.advance(time.Second)
	f.resetEvents()
	require.NoError(t, f.k.RecordDoubleSign(f.ctx, rec))
	require.Equal(t, first, f.export())
	require.Equal(t, raw, f.raw())
	require.Empty(t, f.ctx.EventManager().Events())
}

// fakeBlockInfo is the part of CometBFT's block info BeginBlock reads.
type fakeBlockInfo struct {
	comet.BlockInfo
	evidence []comet.Evidence
}

func (b fakeBlockInfo) GetEvidence() comet.EvidenceList { return evidenceList(b.evidence) }

type evidenceList []comet.Evidence

func (l evidenceList) Len() int                 { return len(l) }
func (l evidenceList) Get(i int) comet.Evidence { return l[i] }

type fakeEvidence struct {
	kind   comet.MisbehaviorType
	addr   []byte
	height int64
	time   time.Time
}

func (e fakeEvidence) Type() comet.MisbehaviorType { return e.kind }
func (e fakeEvidence) Validator() comet.Validator  { return fakeValidator(e.addr) }
func (e fakeEvidence) Height() int64               { return e.height }
func (e fakeEvidence) Time() time.Time             { return e.time }
func (e fakeEvidence) TotalVotingPower() int64     { return 0 }
func (v fakeValidator) Address() []byte            { return v }
func (v fakeValidator) Power() int64               { return 0 }

type fakeValidator []byte

func TestBeginBlockerRecordsEvidence(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 3}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	f.ctx = f.ctx.WithCometInfo(fakeBlockInfo{evidence: []comet.Evidence{
		fakeEvidence{comet.DuplicateVote, consAddr(valKey("GD", 1)), 8, t0},
		fakeEvidence{comet.LightClientAttack, consAddr(valKey("GD", 2)), 9, t0},
		fakeEvidence{comet.Unknown, consAddr(valKey("GD", 0)), 9, t0},
	}})
	require.NoError(t, f.k.BeginBlocker(f.ctx))

	recs := f.export().DoubleSigns
	require.Len(t, recs, 2, "evidence of an unknown kind is not recorded")
	require.Equal(t, valKey("GD", 1), recs[0].ConsensusPubkey)
	require.Equal(t, valKey("GD", 2), recs[1].ConsensusPubkey)
	require.Equal(t, map[string]int64{string(valKey("GD", 0)): 100, string(valKey("HK", 0)): 100, string(valKey("MO", 0)): 100, string(valKey("JO", 0)): 100}, f.powers())

	// A block without evidence changes nothing.
	f.ctx = f.ctx.WithCometInfo(fakeBlockInfo{})
	raw := f.raw()
	require.NoError(t, f.k.BeginBlocker(f.ctx))
	require.Equal(t, raw, f.raw())
}
