package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/certs/types"
)

// TestIsRecognisedUsesTheVersionInForce: an amendment changes the answer
// from its time on; a question about an earlier time is answered by the
// version that applied then.
func TestIsRecognisedUsesTheVersionInForce(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	rule := f.declare("HK", "GD:business-licence", terms("tendering"))
	f.advance(time.Hour)
	amendedAt := f.ctx.BlockTime()
	_, err := f.ms.AmendRecognition(f.ctx, amendMsg("HK", rule, terms("e-seal")))
	require.NoError(t, err)

	before := f.recognised(id, "HK", "tendering", amendedAt.Add(-time.Minute))
	require.True(t, before.Recognised, "%v", before.Reasons)
	require.Equal(t, rule, before.RuleId)
	after := f.recognised(id, "HK", "tendering", amendedAt)
	require.Equal(t, []string{types.ReasonTypeNotRecognised}, codesOf(after))
	require.True(t, f.recognised(id, "HK", "e-seal", amendedAt).Recognised)
	require.Equal(t, []string{types.ReasonTypeNotRecognised}, codesOf(f.recognised(id, "HK", "e-seal", amendedAt.Add(-time.Minute))),
		"e-seal was not named before the amendment")

	// A second amendment adds a condition; the middle version still answers
	// for its own time, and a withdrawal ends every version.
	f.advance(time.Hour)
	strict := terms("e-seal")
	strict.Conditions.MaxAge = time.Minute
	_, err = f.ms.AmendRecognition(f.ctx, amendMsg("HK", rule, strict))
	require.NoError(t, err)
	require.True(t, f.recognised(id, "HK", "e-seal", amendedAt.Add(30*time.Minute)).Recognised)
	require.Equal(t, []string{types.ReasonMaxAgeExceeded}, codesOf(f.recognised(id, "HK", "e-seal", f.ctx.BlockTime())))
	f.advance(time.Hour)
	_, err = f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: rule, Reason: "policy change"})
	require.NoError(t, err)
	require.True(t, f.recognised(id, "HK", "tendering", amendedAt.Add(-time.Minute)).Recognised, "the past answer stands")
	require.Equal(t, []string{types.ReasonRuleNotInForce}, codesOf(f.recognised(id, "HK", "e-seal", f.ctx.BlockTime())))
}

func TestVersionAt(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	v1 := types.RecognitionRule{Id: 1, Version: 1, ChangedAt: at(1)}
	v2 := types.RecognitionRule{Id: 1, Version: 2, ChangedAt: at(2)}
	withdrawn := at(4)
	v3 := types.RecognitionRule{Id: 1, Version: 3, ChangedAt: at(3), WithdrawnAt: &withdrawn, WithdrawalReason: "gone"}
	earlier := []types.RecognitionRule{v1, v2}
	for _, tc := range []struct {
		h    int
		want uint32
	}{{0, 1}, {1, 1}, {2, 2}, {3, 3}, {5, 3}} {
		got := v3.VersionAt(earlier, at(tc.h))
		require.Equal(t, tc.want, got.Version, "at hour %d", tc.h)
		require.Equal(t, &withdrawn, got.WithdrawnAt, "the withdrawal belongs to the rule")
	}
}

// TestRuleCaps: a region keeps at most MaxRulesPerType rules about a type
// and a rule at most MaxRuleVersions versions; past either, a clear error
// and no change.
func TestRuleCaps(t *testing.T) {
	f := newFixture(t)
	for i := range types.MaxRulesPerType {
		f.declare("HK", "GD:business-licence", terms(fmt.Sprintf("purpose-%d", i)))
	}
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.DeclareRecognition(ctx, declareMsg("HK", "GD:business-licence", terms("one-more")))
		return err
	}, types.ErrInvalidRecognition, "already has 32 rules about GD:business-licence")
	// Another region's rules about another type are not affected.
	f.declare("GD", "HK:registered-engineer", terms("tendering"))

	for v := 2; v <= types.MaxRuleVersions; v++ {
		_, err := f.ms.AmendRecognition(f.ctx, amendMsg("HK", 1, terms(fmt.Sprintf("purpose-0-v%d", v))))
		require.NoError(t, err)
	}
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.AmendRecognition(ctx, amendMsg("HK", 1, terms("purpose-0")))
		return err
	}, types.ErrInvalidRecognition, "has 64 versions")
	gs := f.export()
	require.NoError(t, gs.Validate())
	require.Len(t, gs.SupersededRules, types.MaxRuleVersions-1)
}

// TestRecognitionRulesPages: a region's rules are paged by source type.
func TestRecognitionRulesPages(t *testing.T) {
	f := newFixture(t)
	f.registerHKBusinessRegistration()
	a := f.declare("GD", "HK:registered-engineer", terms("tendering"))
	b := f.declare("GD", "HK:business-registration", terms("tendering"))
	c := f.declare("GD", "HK:business-registration", terms("e-seal"))
	res, err := f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "GD", Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
	require.NoError(t, err)
	require.Equal(t, []uint64{b, c}, ruleIDsOf(res.Rules), "first page: the rules about HK:business-registration")
	require.Equal(t, uint64(2), res.Pagination.Total)
	res, err = f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "GD", Pagination: &query.PageRequest{Key: res.Pagination.NextKey, Limit: 1}})
	require.NoError(t, err)
	require.Equal(t, []uint64{a}, ruleIDsOf(res.Rules))
	require.Nil(t, res.Pagination.NextKey)
	res, err = f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "GD", SourceType: "HK:business-registration"})
	require.NoError(t, err)
	require.Equal(t, []uint64{b, c}, ruleIDsOf(res.Rules))
	res, err = f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "MO"})
	require.NoError(t, err)
	require.Empty(t, res.Rules)
}

func ruleIDsOf(rules []types.RecognitionRule) []uint64 {
	var out []uint64
	for _, r := range rules {
		out = append(out, r.Id)
	}
	return out
}

// TestCARecognitionPeriods: recognising a CA again keeps the withdrawn
// recognition as an earlier period, which still answers for its times;
// the gap between them does not verify.
func TestCARecognitionPeriods(t *testing.T) {
	f := newFixture(t)
	c := newTestChain(t, "p256")
	f.registerChain("HK", c)
	fp := c.root.fingerprint()
	_, err := f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", fp, "tendering"))
	require.NoError(t, err)
	f.advance(time.Hour)
	_, err = f.ms.WithdrawCARecognition(f.ctx, &types.MsgWithdrawCARecognition{Authority: authority("GD"), Ca: fp})
	require.NoError(t, err)
	f.advance(time.Hour)
	_, err = f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", fp, "e-seal"))
	require.NoError(t, err)

	own, err := f.qs.RegionCAs(f.ctx, &types.QueryRegionCAsRequest{Region: "GD"})
	require.NoError(t, err)
	require.Empty(t, own.Cas, "GD registered no CA of its own")
	hkCAs, err := f.qs.RegionCAs(f.ctx, &types.QueryRegionCAsRequest{Region: "HK"})
	require.NoError(t, err)
	require.Len(t, hkCAs.Cas, 2, "the root and the intermediate")
	list, err := f.qs.CARecognitions(f.ctx, &types.QueryCARecognitionsRequest{Region: "GD"})
	require.NoError(t, err)
	require.Len(t, list.Recognitions, 1)
	rec := list.Recognitions[0]
	require.Equal(t, []string{"e-seal"}, rec.Purposes)
	require.Equal(t, []types.CARecognitionPeriod{{Purposes: []string{"tendering"}, RecognisedAt: t0, WithdrawnAt: t0.Add(time.Hour)}}, rec.Earlier)

	require.True(t, f.verify(c, "GD", "tendering", t0.Add(30*time.Minute)).Verified, "the first recognition answers for its time")
	require.False(t, f.verify(c, "GD", "tendering", t0.Add(150*time.Minute)).Verified, "no longer for tendering")
	require.False(t, f.verify(c, "GD", "e-seal", t0.Add(90*time.Minute)).Verified, "the gap")
	require.True(t, f.verify(c, "GD", "e-seal", t0.Add(150*time.Minute)).Verified)

	gs := f.export()
	require.NoError(t, gs.Validate())
	g := newFixtureWith(t, newRegions(), *gs, nil)
	require.Equal(t, f.raw(), g.raw())

	// The record keeps MaxCARecognitionPeriods earlier periods, then refuses.
	for range types.MaxCARecognitionPeriods - 1 {
		f.advance(time.Minute)
		_, err = f.ms.WithdrawCARecognition(f.ctx, &types.MsgWithdrawCARecognition{Authority: authority("GD"), Ca: fp})
		require.NoError(t, err)
		_, err = f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", fp, "e-seal"))
		require.NoError(t, err)
	}
	f.advance(time.Minute)
	_, err = f.ms.WithdrawCARecognition(f.ctx, &types.MsgWithdrawCARecognition{Authority: authority("GD"), Ca: fp})
	require.NoError(t, err)
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.RecogniseCA(ctx, recogniseMsg("GD", fp, "e-seal"))
		return err
	}, types.ErrInvalidCARecognition, "the most its record keeps")
}

// TestDataFlow: the whitelist is the rules with data_flow in force at the
// time, as they stood then, with whether consent is required.
func TestDataFlow(t *testing.T) {
	f := newFixture(t)
	ask := func(at time.Time) *types.QueryDataFlowResponse {
		t.Helper()
		res, err := f.qs.DataFlow(f.ctx, &types.QueryDataFlowRequest{CredentialType: "GD:business-licence", ToRegion: "HK", Time: at})
		require.NoError(t, err)
		return res
	}
	require.Equal(t, &types.QueryDataFlowResponse{FromRegion: "GD"}, ask(t0), "no rule: nothing flows")

	recognitionOnly := f.declare("HK", "GD:business-licence", terms("e-seal"))
	require.False(t, ask(t0).Allowed, "a rule without data_flow recognises but whitelists nothing")

	flow := terms("tendering")
	flow.DataFlow = true
	flow.Conditions.ConsentRequired = true
	rule := f.declare("HK", "GD:business-licence", flow)
	require.Equal(t, &types.QueryDataFlowResponse{Allowed: true, FromRegion: "GD", Rules: []types.DataFlowRule{
		{RuleId: rule, Version: 1, Purposes: []string{"tendering"}, ConsentRequired: true},
	}}, ask(t0))
	require.NotEqual(t, recognitionOnly, rule)

	// Amended off the whitelist: it still answered for the time before.
	f.advance(time.Hour)
	_, err := f.ms.AmendRecognition(f.ctx, amendMsg("HK", rule, terms("tendering")))
	require.NoError(t, err)
	require.False(t, ask(f.ctx.BlockTime()).Allowed)
	require.True(t, ask(t0.Add(time.Minute)).Allowed)

	_, err = f.qs.DataFlow(f.ctx, &types.QueryDataFlowRequest{CredentialType: "GD:business-licence", ToRegion: "XX", Time: t0})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.qs.DataFlow(f.ctx, &types.QueryDataFlowRequest{CredentialType: "no-region", ToRegion: "HK", Time: t0})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	require.ErrorContains(t, err, "invalid credential type")
}
