package keeper_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/baynet/baynet/x/regions/types"
)

var regionCodes = []string{"GD", "HK", "MO", "JO", "TW", "SZ", "ZH"}

func TestProposalThreshold(t *testing.T) {
	// More than two thirds of the regions must approve.
	for n, needed := range map[int]int{1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 5, 7: 5} {
		t.Run(fmt.Sprintf("%d regions", n), func(t *testing.T) {
			var specs []regionSpec
			for _, c := range regionCodes[:n] {
				specs = append(specs, regionSpec{c, 100, 1})
			}
			gs := genesisOf(specs...)
			gs.Params.MaxRegionShareBps = 10000
			f := newFixture(t, gs)
			params := gs.Params
			params.MaxKeysPerAgency = 3

			id := f.submit(regionCodes[0], types.ProposalAction{UpdateParams: &params})
			for i := 1; i < n && f.proposal(id).Status == types.PROPOSAL_STATUS_PENDING; i++ {
				f.resetEvents()
				executed := f.approve(regionCodes[i], id)
				require.Equal(t, i+1 == needed, executed, "approval %d of %d", i+1, n)
				require.Equal(t, []*types.EventProposalApproved{{ProposalId: id, Region: regionCodes[i], Approvals: uint32(i + 1), Regions: uint32(n)}},
					events[*types.EventProposalApproved](t, f.ctx))
			}
			p := f.proposal(id)
			require.Equal(t, types.PROPOSAL_STATUS_EXECUTED, p.Status)
			require.Len(t, p.Approvals, needed)
			require.Equal(t, params, f.export().Params)
		})
	}
}

func TestAddRegionProposal(t *testing.T) {
	f := newConsortium(t)
	tw := region("TW", 100)

	id := f.submit("GD", types.ProposalAction{AddRegion: &tw})
	require.Equal(t, uint64(1), id)
	require.Equal(t, []*types.EventProposalSubmitted{{ProposalId: id, ProposerRegion: "GD"}}, events[*types.EventProposalSubmitted](t, f.ctx))
	require.Equal(t, []*types.EventProposalApproved{{ProposalId: id, Region: "GD", Approvals: 1, Regions: 4}}, events[*types.EventProposalApproved](t, f.ctx))
	p := f.proposal(id)
	require.Equal(t, types.Proposal{
		Id: id, ProposerRegion: "GD", Action: types.ProposalAction{AddRegion: &tw}, Approvals: []string{"GD"},
		Status: types.PROPOSAL_STATUS_PENDING, SubmitTime: t0, ExpiryTime: t0.Add(types.DefaultParams().ProposalLifetime),
	}, p)

	require.False(t, f.approve("HK", id))
	require.Equal(t, types.PROPOSAL_STATUS_PENDING, f.proposal(id).Status, "2 of 4 is not more than two thirds")
	_, err := f.k.GetRegion(f.ctx, "TW")
	require.ErrorIs(t, err, types.ErrUnknownRegion)
	require.False(t, f.ak.has(t, tw.Authority))

	f.resetEvents()
	require.True(t, f.approve("MO", id))
	p = f.proposal(id)
	require.Equal(t, types.PROPOSAL_STATUS_EXECUTED, p.Status)
	require.Equal(t, []string{"GD", "HK", "MO"}, p.Approvals)
	got, err := f.k.GetRegion(f.ctx, "TW")
	require.NoError(t, err)
	require.Equal(t, tw, got)
	require.True(t, f.ak.has(t, tw.Authority), "the new authority gets an account")
	byAuthority, err := f.k.RegionByAuthority(f.ctx, accAddr("authority/TW"))
	require.NoError(t, err)
	require.Equal(t, "TW", byAuthority.Code)
	require.Equal(t, []*types.EventRegionAdded{{Code: "TW", Authority: tw.Authority, PowerShare: 100}}, events[*types.EventRegionAdded](t, f.ctx))
	require.Equal(t, []*types.EventProposalFinished{{ProposalId: id, Status: types.PROPOSAL_STATUS_EXECUTED}}, events[*types.EventProposalFinished](t, f.ctx))
	pending, err := f.k.PendingProposals.Has(f.ctx, collections.Join(p.ExpiryTime.UnixNano(), id))
	require.NoError(t, err)
	require.False(t, pending)

	// The new region can now act: propose, and add its validators.
	f.addValidator("TW", "tw-1")
	require.Equal(t, uint64(2), f.submit("TW", types.ProposalAction{RemoveRegion: "GD"}))
}

func TestProposalRejected(t *testing.T) {
	submit := func(signer string, action types.ProposalAction) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.SubmitProposal(ctx, &types.MsgSubmitProposal{Authority: signer, Action: action})
			return err
		}
	}
	approve := func(signer string, id uint64) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.ApproveProposal(ctx, &types.MsgApproveProposal{Authority: signer, ProposalId: id})
			return err
		}
	}
	tw := region("TW", 100)
	addTW := types.ProposalAction{AddRegion: &tw}
	openTW := func(f *fixture) { f.submit("GD", addTW) }
	badParams := types.DefaultParams()
	badParams.MaxRegionShareBps = 0
	foreign := func(mutate func(*types.Region)) types.ProposalAction {
		r := region("TW", 100)
		mutate(&r)
		return types.ProposalAction{AddRegion: &r}
	}
	msgAny := func(msg sdk.Msg) *codectypes.Any {
		a, err := codectypes.NewAnyWithValue(msg)
		require.NoError(t, err)
		return a
	}
	withHandler := func(f *fixture) {
		f.router.handlers[sdk.MsgTypeURL(&types.MsgSuspendAgency{})] = func(sdk.Context, sdk.Msg) (*sdk.Result, error) { return &sdk.Result{}, nil }
	}
	var nine []*codectypes.Any
	for i := 0; i < types.MaxProposalMessages+1; i++ {
		nine = append(nine, msgAny(&types.MsgSuspendAgency{Authority: moduleAuthority(), AgencyId: "GD:amr"}))
	}

	tests := []struct {
		name  string
		setup func(f *fixture)
		call  func(f *fixture, ctx sdk.Context) error
		want  error
		msg   string
	}{
		{"second approval by the proposer's region", openTW, approve(authority("GD"), 1), types.ErrAlreadyApproved, "GD already approved proposal 1"},
		{"second approval by another region", func(f *fixture) { openTW(f); f.approve("HK", 1) }, approve(authority("HK"), 1), types.ErrAlreadyApproved, "HK already approved"},
		{"approval by a stranger", openTW, approve(bech("stranger"), 1), types.ErrNotRegionAuthority, "no region's authority"},
		{"approval by a validator operator", openTW, approve(operator("HK", 0), 1), types.ErrNotRegionAuthority, ""},
		{"approval by an agency", func(f *fixture) { openTW(f); f.registerAgency(agencyMsg("HK:cr")) }, approve(bech("agency/HK:cr"), 1), types.ErrNotRegionAuthority, ""},
		{"approval by a malformed address", openTW, approve("bay1notanaddress", 1), types.ErrInvalidAddress, ""},
		{"approval of an unknown proposal", openTW, approve(authority("HK"), 7), types.ErrUnknownProposal, "7"},
		{"approval of an executed proposal", func(f *fixture) { f.pass(addTW, "GD", "HK", "MO") }, approve(authority("JO"), 1), types.ErrProposalClosed, "is PROPOSAL_STATUS_EXECUTED"},
		{"approval of a failed proposal", func(f *fixture) {
			f.pass(types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "GD", PowerShare: 1000}}, "GD", "HK", "MO")
		}, approve(authority("JO"), 1), types.ErrProposalClosed, "is PROPOSAL_STATUS_FAILED"},
		{"approval of an expired proposal", func(f *fixture) {
			openTW(f)
			f.advance(types.DefaultParams().ProposalLifetime)
			require.NoError(t, f.k.ExpireProposals(f.ctx))
		}, approve(authority("HK"), 1), types.ErrProposalClosed, "is PROPOSAL_STATUS_EXPIRED"},
		{"approval at the expiry time, before EndBlock", func(f *fixture) {
			openTW(f)
			f.advance(types.DefaultParams().ProposalLifetime)
		}, approve(authority("HK"), 1), types.ErrProposalClosed, "proposal 1 expired"},
		{"submission by a stranger", nil, submit(bech("stranger"), addTW), types.ErrNotRegionAuthority, ""},
		{"submission by a validator operator", nil, submit(operator("GD", 0), addTW), types.ErrNotRegionAuthority, ""},
		{"submission by an agency", func(f *fixture) { f.registerAgency(agencyMsg("GD:amr")) }, submit(bech("agency/GD:amr"), addTW), types.ErrNotRegionAuthority, ""},
		{"submission by a malformed address", nil, submit("bay1notanaddress", addTW), types.ErrInvalidAddress, ""},
		{"no action", nil, submit(authority("GD"), types.ProposalAction{}), types.ErrInvalidProposal, "exactly one action, got 0"},
		{"two actions", nil, submit(authority("GD"), types.ProposalAction{AddRegion: &tw, RemoveRegion: "HK"}), types.ErrInvalidProposal, "exactly one action, got 2"},
		{"add an existing region", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.Code = "HK" })), types.ErrDuplicateRegion, "HK"},
		{"add a region with a malformed code", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.Code = "T1" })), types.ErrInvalidRegion, "upper-case letters"},
		{"add a region with a one-letter code", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.Code = "T" })), types.ErrInvalidRegion, "upper-case letters"},
		{"add a region with a nine-letter code", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.Code = "TAIWANESE" })), types.ErrInvalidRegion, "upper-case letters"},
		{"add a region without a Chinese name", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.NameZh = "" })), types.ErrInvalidRegion, "name_zh"},
		{"add a region with an oversized name", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.NameEn = string(make([]byte, types.MaxNameLength+1)) })), types.ErrInvalidRegion, "name_en"},
		{"add a region without power", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.PowerShare = 0 })), types.ErrInvalidRegion, "power share"},
		{"add a region with a malformed authority", nil, submit(authority("GD"), foreign(func(r *types.Region) { r.Authority = "bay1notanaddress" })), types.ErrInvalidAddress, "authority"},
		{"remove an unknown region", nil, submit(authority("GD"), types.ProposalAction{RemoveRegion: "TW"}), types.ErrUnknownRegion, "TW"},
		{"remove a malformed region code", nil, submit(authority("GD"), types.ProposalAction{RemoveRegion: "gd"}), types.ErrInvalidRegion, ""},
		{"share of an unknown region", nil, submit(authority("GD"), types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "TW", PowerShare: 10}}), types.ErrUnknownRegion, "TW"},
		{"zero share", nil, submit(authority("GD"), types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "HK", PowerShare: 0}}), types.ErrInvalidProposal, "power share"},
		{"share above the maximum", nil, submit(authority("GD"), types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "HK", PowerShare: types.MaxPowerShare + 1}}), types.ErrInvalidProposal, "power share"},
		{"invalid params", nil, submit(authority("GD"), types.ProposalAction{UpdateParams: &badParams}), types.ErrInvalidParams, "max_region_share_bps"},
		{"message not signed by the consortium", withHandler, submit(authority("GD"), types.ProposalAction{Messages: []*codectypes.Any{
			msgAny(&types.MsgSuspendAgency{Authority: authority("GD"), AgencyId: "GD:amr"}),
		}}), types.ErrInvalidProposal, "must be signed by the consortium authority"},
		{"message without a handler", nil, submit(authority("GD"), types.ProposalAction{Messages: []*codectypes.Any{
			msgAny(&types.MsgSuspendAgency{Authority: moduleAuthority(), AgencyId: "GD:amr"}),
		}}), types.ErrInvalidProposal, "no handler"},
		{"message of an unregistered type", withHandler, submit(authority("GD"), types.ProposalAction{Messages: []*codectypes.Any{
			msgAny(&banktypes.MsgSend{FromAddress: moduleAuthority()}),
		}}), types.ErrInvalidProposal, "message 0"},
		{"too many messages", withHandler, submit(authority("GD"), types.ProposalAction{Messages: nine}), types.ErrInvalidProposal, "at most 8 messages"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newConsortium(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			f.requireRejected(func(ctx sdk.Context) error { return tc.call(f, ctx) }, tc.want, tc.msg)
		})
	}
}

func TestExpireProposals(t *testing.T) {
	f := newConsortium(t)
	lifetime := types.DefaultParams().ProposalLifetime
	early := f.submit("GD", types.ProposalAction{RemoveRegion: "HK"})
	f.advance(time.Hour)
	late := f.submit("HK", types.ProposalAction{RemoveRegion: "MO"})
	expiry := t0.Add(lifetime)

	f.ctx = f.ctx.WithBlockTime(expiry.Add(-time.Nanosecond))
	f.resetEvents()
	_, err := f.k.EndBlocker(f.ctx)
	require.NoError(t, err)
	require.Equal(t, types.PROPOSAL_STATUS_PENDING, f.proposal(early).Status, "not yet at its expiry time")
	require.Empty(t, events[*types.EventProposalFinished](t, f.ctx))

	f.ctx = f.ctx.WithBlockTime(expiry)
	_, err = f.k.EndBlocker(f.ctx)
	require.NoError(t, err)
	require.Equal(t, types.PROPOSAL_STATUS_EXPIRED, f.proposal(early).Status)
	require.Equal(t, types.PROPOSAL_STATUS_PENDING, f.proposal(late).Status)
	require.Equal(t, []*types.EventProposalFinished{{ProposalId: early, Status: types.PROPOSAL_STATUS_EXPIRED}}, events[*types.EventProposalFinished](t, f.ctx))
	has, err := f.k.PendingProposals.Has(f.ctx, collections.Join(expiry.UnixNano(), early))
	require.NoError(t, err)
	require.False(t, has)

	// Running again changes nothing.
	raw := f.raw()
	f.resetEvents()
	require.NoError(t, f.k.ExpireProposals(f.ctx))
	require.Equal(t, raw, f.raw())
	require.Empty(t, f.ctx.EventManager().Events())
}

func TestExpireProposalsIsBoundedPerBlock(t *testing.T) {
	f := newConsortium(t)
	const n = 101
	for i := 0; i < n; i++ {
		f.submit(regionCodes[i%4], types.ProposalAction{RemoveRegion: regionCodes[(i+1)%4]})
	}
	f.advance(types.DefaultParams().ProposalLifetime)
	count := func() int {
		c := 0
		for _, p := range f.export().Proposals {
			if p.Status == types.PROPOSAL_STATUS_EXPIRED {
				c++
			}
		}
		return c
	}
	require.NoError(t, f.k.ExpireProposals(f.ctx))
	require.Equal(t, 100, count(), "at most 100 expiries a block")
	require.NoError(t, f.k.ExpireProposals(f.ctx))
	require.Equal(t, n, count(), "the rest wait for the next block")
}

func TestRemoveRegionProposal(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 1}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}, regionSpec{"TW", 100, 2}))
	for _, id := range []string{"TW:moea", "TW:fsc", "TW:old"} {
		f.registerAgency(agencyMsg(id))
	}
	mustRun(f, f.ms.SuspendAgency, &types.MsgSuspendAgency{Authority: authority("TW"), AgencyId: "TW:fsc"})
	mustRun(f, f.ms.RetireAgency, &types.MsgRetireAgency{Authority: authority("TW"), AgencyId: "TW:old", Reason: "closed"})
	f.updates()
	f.advance(time.Hour)

	id := f.submit("GD", types.ProposalAction{RemoveRegion: "TW"})
	f.approve("HK", id)
	require.False(t, f.approve("MO", id), "3 of 5 is not more than two thirds")
	f.resetEvents()
	require.True(t, f.approve("JO", id))

	_, err := f.k.GetRegion(f.ctx, "TW")
	require.ErrorIs(t, err, types.ErrUnknownRegion)
	gs := f.export()
	for _, v := range gs.Validators {
		require.NotEqual(t, "TW", v.Region)
	}
	status := map[string]types.Agency{}
	for _, a := range gs.Agencies {
		status[a.Id] = a
	}
	require.Equal(t, types.AGENCY_STATUS_RETIRED, status["TW:moea"].Status)
	require.Equal(t, "region removed", status["TW:moea"].StatusReason)
	require.Equal(t, f.ctx.BlockTime(), status["TW:moea"].StatusSince)
	require.Equal(t, types.AGENCY_STATUS_RETIRED, status["TW:fsc"].Status)
	require.Equal(t, "closed", status["TW:old"].StatusReason, "an already retired agency is left as it was")
	require.Len(t, gs.AgencyKeys, 3, "keys stay on record so past signatures verify")

	require.Equal(t, []*types.EventRegionRemoved{{Code: "TW"}}, events[*types.EventRegionRemoved](t, f.ctx))
	require.ElementsMatch(t, []*types.EventValidatorRemoved{
		{Region: "TW", ConsensusPubkey: valKey("TW", 0), Reason: "region removed"},
		{Region: "TW", ConsensusPubkey: valKey("TW", 1), Reason: "region removed"},
	}, events[*types.EventValidatorRemoved](t, f.ctx))
	require.Equal(t, []*types.EventAgencyStatusChanged{
		{AgencyId: "TW:fsc", OldStatus: types.AGENCY_STATUS_SUSPENDED, NewStatus: types.AGENCY_STATUS_RETIRED, Reason: "region removed"},
		{AgencyId: "TW:moea", OldStatus: types.AGENCY_STATUS_ACTIVE, NewStatus: types.AGENCY_STATUS_RETIRED, Reason: "region removed"},
	}, events[*types.EventAgencyStatusChanged](t, f.ctx))
	require.Equal(t, []*types.EventProposalFinished{{ProposalId: id, Status: types.PROPOSAL_STATUS_EXECUTED}}, events[*types.EventProposalFinished](t, f.ctx))

	tw := sortedKeys(valKey("TW", 0), valKey("TW", 1))
	f.resetEvents()
	require.Equal(t, []update{{tw[0], 0}, {tw[1], 0}}, simpleUpdates(t, f.updates()), "only the removed validators change")
	require.Equal(t, []*types.EventValidatorPowerChanged{
		{Region: "TW", ConsensusPubkey: tw[0], Power: 0}, {Region: "TW", ConsensusPubkey: tw[1], Power: 0},
	}, events[*types.EventValidatorPowerChanged](t, f.ctx), "the removed region is named though it no longer exists")

	// The former authority, operators and agencies lose their standing.
	for _, addr := range []string{"authority/TW", "operator/TW/0", "agency/TW:moea"} {
		allowed, _, err := f.k.Permission(f.ctx, accAddr(addr))
		require.NoError(t, err)
		require.False(t, allowed, addr)
	}
	_, err = f.ms.SubmitProposal(f.ctx, &types.MsgSubmitProposal{Authority: authority("TW"), Action: types.ProposalAction{RemoveRegion: "GD"}})
	require.ErrorIs(t, err, types.ErrNotRegionAuthority)
}

func TestApprovalsOfRemovedRegionsDoNotCount(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 1}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}, regionSpec{"TW", 100, 1}))
	params := types.DefaultParams()
	params.MaxKeysPerAgency = 3
	pending := f.submit("TW", types.ProposalAction{UpdateParams: &params})
	f.approve("GD", pending)
	require.Equal(t, types.PROPOSAL_STATUS_EXECUTED, f.pass(types.ProposalAction{RemoveRegion: "TW"}, "GD", "HK", "MO", "JO").Status)

	// TW's approval no longer counts: GD alone is 1 of 4, GD+HK 2 of 4.
	require.False(t, f.approve("HK", pending))
	require.True(t, f.approve("MO", pending))
}

// withoutProposals drops what a proposal's own bookkeeping changes.
func withoutProposals(gs *types.GenesisState) *types.GenesisState {
	c := *gs
	c.Proposals, c.NextProposalId = nil, 0
	return &c
}

func TestConsortiumProposalOutcomes(t *testing.T) {
	params := func(mutate func(*types.Params)) *types.Params {
		p := types.DefaultParams()
		mutate(&p)
		return &p
	}
	gd2 := []regionSpec{{"GD", 100, 2}, {"HK", 100, 1}, {"MO", 100, 1}, {"JO", 100, 1}}
	fiveRegions := []regionSpec{{"GD", 100, 1}, {"HK", 100, 1}, {"MO", 100, 1}, {"JO", 100, 1}, {"TW", 100, 1}}
	tests := []struct {
		name   string
		params func(*types.Params)
		specs  []regionSpec
		action types.ProposalAction
		status types.ProposalStatus
		reason string               // failure reason
		check  func(f *fixture)     // after an executed proposal
		event  func(f *fixture) any // the action's event
	}{
		{
			name: "set power share", specs: gd2,
			action: types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "GD", PowerShare: 120}},
			status: types.PROPOSAL_STATUS_EXECUTED,
			check: func(f *fixture) {
				r, err := f.k.GetRegion(f.ctx, "GD")
				require.NoError(t, err)
				require.Equal(t, uint64(120), r.PowerShare)
				require.Equal(t, int64(60), f.powers()[string(valKey("GD", 0))])
				require.Equal(t, int64(60), f.powers()[string(valKey("GD", 1))])
				require.Equal(t, []*types.EventPowerShareChanged{{Region: "GD", OldPowerShare: 100, NewPowerShare: 120}}, events[*types.EventPowerShareChanged](t, f.ctx))
				gd := sortedKeys(valKey("GD", 0), valKey("GD", 1))
				require.Equal(t, []update{{gd[0], 60}, {gd[1], 60}}, simpleUpdates(t, f.updates()))
			},
		},
		{
			name: "set power share over the maximum", specs: gd2,
			action: types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "GD", PowerShare: 200}},
			status: types.PROPOSAL_STATUS_FAILED, reason: "region GD would hold 40.00% of the voting power, the maximum is 33.33%: " + types.ErrRegionShare.Error(),
		},
		{
			name: "set power share too small to split", specs: gd2,
			action: types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: "GD", PowerShare: 1}},
			status: types.PROPOSAL_STATUS_FAILED, reason: "power share 1 cannot be split among GD's 2 validators",
		},
		{
			name: "remove a region, leaving the others over the maximum", specs: fourRegions,
			action: types.ProposalAction{RemoveRegion: "JO"},
			status: types.PROPOSAL_STATUS_FAILED, reason: types.ErrRegionShare.Error(),
		},
		{
			name: "remove a region, leaving fewer validators than the minimum", specs: fiveRegions,
			params: func(p *types.Params) { p.MinValidators = 5 },
			action: types.ProposalAction{RemoveRegion: "TW"},
			status: types.PROPOSAL_STATUS_FAILED, reason: "4 validators would remain, the minimum is 5",
		},
		{
			name: "update params", specs: fourRegions,
			action: types.ProposalAction{UpdateParams: params(func(p *types.Params) { p.MaxKeysPerAgency = 4; p.ProposalLifetime = 24 * time.Hour })},
			status: types.PROPOSAL_STATUS_EXECUTED,
			check: func(f *fixture) {
				want := params(func(p *types.Params) { p.MaxKeysPerAgency = 4; p.ProposalLifetime = 24 * time.Hour })
				require.Equal(t, *want, f.export().Params)
				require.Equal(t, []*types.EventParamsUpdated{{Params: want}}, events[*types.EventParamsUpdated](t, f.ctx))
			},
		},
		{
			name: "update params above the current set's minimum", specs: fourRegions,
			action: types.ProposalAction{UpdateParams: params(func(p *types.Params) { p.MinValidators = 5 })},
			status: types.PROPOSAL_STATUS_FAILED, reason: "4 validators, the minimum is 5",
		},
		{
			name: "update params below a region's current share", specs: fourRegions,
			action: types.ProposalAction{UpdateParams: params(func(p *types.Params) { p.MaxRegionShareBps = 2000 })},
			status: types.PROPOSAL_STATUS_FAILED, reason: "region GD holds 25.00% of the voting power, the maximum is 20.00%",
		},
		{
			name: "add a region with another region's authority", specs: fourRegions,
			action: types.ProposalAction{AddRegion: ptr(func() types.Region { r := region("TW", 100); r.Authority = authority("GD"); return r }())},
			status: types.PROPOSAL_STATUS_FAILED, reason: "is already the authority of GD",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := genesisOf(tc.specs...)
			if tc.params != nil {
				tc.params(&gs.Params)
			}
			f := newFixture(t, gs)
			f.updates()
			before, accounts := f.export(), len(f.ak.accounts)
			// The first region proposes; the others approve until it closes,
			// the last approval's events alone being kept.
			id := f.submit(tc.specs[0].code, tc.action)
			approvals, executed := []string{tc.specs[0].code}, false
			for _, s := range tc.specs[1:] {
				if f.proposal(id).Status != types.PROPOSAL_STATUS_PENDING {
					break
				}
				f.resetEvents()
				executed = f.approve(s.code, id)
				approvals = append(approvals, s.code)
			}

			p := f.proposal(id)
			require.Equal(t, tc.status, p.Status)
			require.Equal(t, tc.status == types.PROPOSAL_STATUS_EXECUTED, executed)
			require.Equal(t, []*types.EventProposalFinished{{ProposalId: id, Status: tc.status, Reason: p.FailureReason}}, events[*types.EventProposalFinished](t, f.ctx))
			if tc.status == types.PROPOSAL_STATUS_EXECUTED {
				require.Empty(t, p.FailureReason)
				tc.check(f)
				return
			}
			require.Contains(t, p.FailureReason, tc.reason)
			require.Equal(t, approvals, p.Approvals, "the approval that triggered it is kept")
			require.Equal(t, withoutProposals(before), withoutProposals(f.export()), "a failed proposal changes nothing else")
			require.Equal(t, accounts, len(f.ak.accounts))
			require.Empty(t, f.updates())
			for _, ev := range f.ctx.EventManager().Events() {
				require.Contains(t, []string{"baynet.regions.v1.EventProposalApproved", "baynet.regions.v1.EventProposalFinished"}, ev.Type,
					"a failed action emits no events of its own")
			}
		})
	}
}

func TestMessagesProposal(t *testing.T) {
	suspend := &types.MsgSuspendAgency{Authority: moduleAuthority(), AgencyId: "GD:amr", Reason: "consortium decision"}
	anyMsg, err := codectypes.NewAnyWithValue(suspend)
	require.NoError(t, err)
	action := types.ProposalAction{Messages: []*codectypes.Any{anyMsg}}

	tests := []struct {
		name       string
		handlerErr error
		status     types.ProposalStatus
	}{
		{"executes through the router", nil, types.PROPOSAL_STATUS_EXECUTED},
		{"fails when the handler fails, discarding its writes", errors.New("handler refused"), types.PROPOSAL_STATUS_FAILED},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newConsortium(t)
			var handled []sdk.Msg
			f.router.handlers[sdk.MsgTypeURL(suspend)] = func(ctx sdk.Context, msg sdk.Msg) (*sdk.Result, error) {
				handled = append(handled, msg)
				// The handler writes, so the test sees whether the write is kept.
				p := types.DefaultParams()
				p.MaxKeysPerAgency = 1
				if err := f.k.Params.Set(ctx, p); err != nil {
					return nil, err
				}
				if tc.handlerErr != nil {
					return nil, tc.handlerErr
				}
				return &sdk.Result{Events: sdk.Events{sdk.NewEvent("consortium_handled", sdk.NewAttribute("agency", "GD:amr"))}.ToABCIEvents()}, nil
			}
			id := f.submit("GD", action)
			f.approve("HK", id)
			require.Empty(t, handled, "nothing runs before the threshold")
			f.resetEvents()
			executed := f.approve("MO", id)

			require.Len(t, handled, 1)
			require.Equal(t, suspend, handled[0])
			p := f.proposal(id)
			require.Equal(t, tc.status, p.Status)
			require.Equal(t, tc.status == types.PROPOSAL_STATUS_EXECUTED, executed)
			var handlerEvents int
			for _, ev := range f.ctx.EventManager().Events() {
				if ev.Type == "consortium_handled" {
					handlerEvents++
				}
			}
			if tc.handlerErr == nil {
				require.Equal(t, uint32(1), f.export().Params.MaxKeysPerAgency, "the handler's write is kept")
				require.Equal(t, 1, handlerEvents, "the handler's events are emitted")
				return
			}
			require.Contains(t, p.FailureReason, "handler refused")
			require.Contains(t, p.FailureReason, sdk.MsgTypeURL(suspend))
			require.Equal(t, types.DefaultParams(), f.export().Params, "the handler's write is discarded")
			require.Zero(t, handlerEvents)
		})
	}
}

// TestFailureReasonIsDeterministic: a failed proposal's reason is stored, so
// every node must write the same one even when several regions break a guard.
func TestFailureReasonIsDeterministic(t *testing.T) {
	strict := types.DefaultParams()
	strict.MaxRegionShareBps = 2000
	tests := []struct {
		name   string
		action types.ProposalAction
		reason string
	}{
		// GD, HK and MO would each hold a third.
		{"remove a region", types.ProposalAction{RemoveRegion: "JO"},
			"region GD would hold 33.33% of the voting power, the maximum is 33.33%: " + types.ErrRegionShare.Error()},
		// All four regions hold a quarter.
		{"lower the maximum share", types.ProposalAction{UpdateParams: &strict},
			"region GD holds 25.00% of the voting power, the maximum is 20.00%: " + types.ErrRegionShare.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i := 0; i < 20; i++ {
				f := newConsortium(t)
				p := f.pass(tc.action, "GD", "HK", "MO")
				require.Equal(t, types.PROPOSAL_STATUS_FAILED, p.Status)
				require.Equal(t, tc.reason, p.FailureReason, "run %d", i)
			}
		})
	}
}
