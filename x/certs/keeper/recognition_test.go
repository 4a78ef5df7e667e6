package keeper_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/keeper"
	"github.com/baynet/baynet/x/certs/types"
	identitytypes "github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// terms recognises for purposes from t0, open-ended, with no conditions.
func terms(purposes ...string) types.RecognitionTerms {
	return types.RecognitionTerms{Purposes: purposes, ValidFrom: t0}
}

func declareMsg(region, sourceType string, t types.RecognitionTerms) *types.MsgDeclareRecognition {
	return &types.MsgDeclareRecognition{Authority: authority(region), SourceType: sourceType, Terms: t}
}

// declare declares a rule and returns its id.
func (f *fixture) declare(region, sourceType string, t types.RecognitionTerms) uint64 {
	f.t.Helper()
	res, err := f.ms.DeclareRecognition(f.ctx, declareMsg(region, sourceType, t))
	require.NoError(f.t, err)
	return res.Id
}

// registerHKBusinessRegistration registers HK's local counterpart of a GD
// business licence.
func (f *fixture) registerHKBusinessRegistration() {
	f.t.Helper()
	digest := sha256.Sum256([]byte("schema HK:business-registration"))
	_, err := f.ms.RegisterCredentialType(f.ctx, &types.MsgRegisterCredentialType{
		Authority: authority("HK"), TypeId: "HK:business-registration", NameZh: "商業登記證", NameEn: "Business registration",
		SchemaDigest: digest[:],
	})
	require.NoError(f.t, err)
	f.resetEvents()
}

func TestDeclareRecognition(t *testing.T) {
	f := newFixture(t)
	f.registerHKBusinessRegistration()
	until := t0.AddDate(3, 0, 0)
	tm := types.RecognitionTerms{
		LocalType: "HK:business-registration", Purposes: []string{"tendering", "company-registration"}, ValidFrom: t0, ValidUntil: &until,
		Conditions: types.RecognitionConditions{MaxAge: 24 * time.Hour, IssuerRoles: []string{"AGENCY_ROLE_ISSUER"}},
		DataFlow:   true,
	}
	id := f.declare("HK", "GD:business-licence", tm)
	require.Equal(t, uint64(1), id)

	want := types.RecognitionRule{
		Id: 1, Region: "HK", SourceType: "GD:business-licence", SourceRegion: "GD", LocalType: "HK:business-registration",
		Purposes: tm.Purposes, ValidFrom: t0, ValidUntil: &until, Conditions: tm.Conditions, DataFlow: true, Version: 1, ChangedAt: t0,
	}
	res, err := f.qs.RecognitionRule(f.ctx, &types.QueryRecognitionRuleRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, want, res.Rule)
	require.Empty(t, res.Superseded)
	require.Equal(t, []*types.EventRecognitionDeclared{{Rule: want}}, events[*types.EventRecognitionDeclared](t, f.ctx))

	list, err := f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "HK", SourceType: "GD:business-licence"})
	require.NoError(t, err)
	require.Equal(t, []types.RecognitionRule{want}, list.Rules)
	all, err := f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "HK"})
	require.NoError(t, err)
	require.Equal(t, []types.RecognitionRule{want}, all.Rules)
	none, err := f.qs.RecognitionRules(f.ctx, &types.QueryRecognitionRulesRequest{Region: "GD"})
	require.NoError(t, err)
	require.Empty(t, none.Rules)

	require.Equal(t, uint64(2), f.declare("GD", "HK:registered-engineer", terms("tendering")), "ids are sequential")
}

func TestDeclareRecognitionRefused(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(f *fixture)
		change  func(m *types.MsgDeclareRecognition)
		want    error
		wantMsg string
	}{
		{"not a region authority", nil, func(m *types.MsgDeclareRecognition) { m.Authority = bech("agency/GD:amr") },
			regionstypes.ErrNotRegionAuthority, "no region's authority"},
		{"malformed authority", nil, func(m *types.MsgDeclareRecognition) { m.Authority = "cosmos1xyz" },
			types.ErrInvalidRequest, "authority"},
		{"own type", nil, func(m *types.MsgDeclareRecognition) { m.SourceType = "HK:registered-engineer" },
			types.ErrInvalidRecognition, "HK:registered-engineer is a type of HK itself"},
		{"unknown type", nil, func(m *types.MsgDeclareRecognition) { m.SourceType = "GD:food-licence" },
			types.ErrUnknownCredentialType, "GD:food-licence"},
		{"malformed type", nil, func(m *types.MsgDeclareRecognition) { m.SourceType = "business-licence" },
			types.ErrInvalidCredentialType, ""},
		{"unknown source region", func(f *fixture) { delete(f.regions.regions, "GD") }, nil,
			regionstypes.ErrUnknownRegion, "GD"},
		{"local type of another region", nil, func(m *types.MsgDeclareRecognition) { m.Terms.LocalType = "GD:business-licence" },
			types.ErrInvalidRecognition, "local type GD:business-licence is not of HK"},
		{"unknown local type", nil, func(m *types.MsgDeclareRecognition) { m.Terms.LocalType = "HK:nothing" },
			types.ErrUnknownCredentialType, "HK:nothing"},
		{"no purpose", nil, func(m *types.MsgDeclareRecognition) { m.Terms.Purposes = nil },
			types.ErrInvalidRecognition, "purposes"},
		{"malformed purpose", nil, func(m *types.MsgDeclareRecognition) { m.Terms.Purposes = []string{"Tendering"} },
			types.ErrInvalidRecognition, "purpose \"Tendering\""},
		{"purpose twice", nil, func(m *types.MsgDeclareRecognition) { m.Terms.Purposes = []string{"tendering", "tendering"} },
			types.ErrInvalidRecognition, "named twice"},
		{"no valid_from", nil, func(m *types.MsgDeclareRecognition) { m.Terms.ValidFrom = time.Time{} },
			types.ErrInvalidRecognition, "valid_from"},
		{"valid_until before valid_from", nil, func(m *types.MsgDeclareRecognition) { u := t0.Add(-time.Hour); m.Terms.ValidUntil = &u },
			types.ErrInvalidRecognition, "valid_until must be after valid_from"},
		{"level of assurance 5", nil, func(m *types.MsgDeclareRecognition) { m.Terms.Conditions.MinLevelOfAssurance = 5 },
			types.ErrInvalidRecognition, "min_level_of_assurance"},
		{"unknown issuer role", nil, func(m *types.MsgDeclareRecognition) { m.Terms.Conditions.IssuerRoles = []string{"notary"} },
			types.ErrInvalidRecognition, "unknown issuer role"},
		{"negative max age", nil, func(m *types.MsgDeclareRecognition) { m.Terms.Conditions.MaxAge = -time.Second },
			types.ErrInvalidRecognition, "max_age"},
		{"overlapping rule", func(f *fixture) { f.declare("HK", "GD:business-licence", terms("e-seal", "tendering")) }, nil,
			types.ErrOverlappingRecognition, "rule 1 of HK already recognises GD:business-licence for \"tendering\""},
		{"overlapping open-ended rule from later", func(f *fixture) {
			tm := terms("tendering")
			tm.ValidFrom = t0.AddDate(1, 0, 0)
			f.declare("HK", "GD:business-licence", tm)
		}, nil, types.ErrOverlappingRecognition, "rule 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			msg := declareMsg("HK", "GD:business-licence", terms("tendering"))
			if tc.change != nil {
				tc.change(msg)
			}
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.DeclareRecognition(ctx, msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

// TestRulesThatDoNotOverlap: one region may hold several rules about one
// type when their purposes or times differ, and after a withdrawal.
func TestRulesThatDoNotOverlap(t *testing.T) {
	f := newFixture(t)
	first := terms("tendering")
	until := t0.AddDate(1, 0, 0)
	first.ValidUntil = &until
	a := f.declare("HK", "GD:business-licence", first)
	later := terms("tendering")
	later.ValidFrom = until
	f.declare("HK", "GD:business-licence", later)
	f.declare("HK", "GD:business-licence", terms("e-seal"))
	f.declare("GD", "HK:registered-engineer", terms("tendering"))

	_, err := f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: a, Reason: "replaced"})
	require.NoError(t, err)
	f.advance(time.Hour)
	now := terms("company-registration", "tendering")
	now.ValidFrom = f.ctx.BlockTime()
	now.ValidUntil = &until
	f.declare("HK", "GD:business-licence", now)
	rules, err := f.k.RulesAbout(f.ctx, "HK", "GD:business-licence")
	require.NoError(t, err)
	require.Len(t, rules, 4)
}

func amendMsg(region string, id uint64, t types.RecognitionTerms) *types.MsgAmendRecognition {
	return &types.MsgAmendRecognition{Authority: authority(region), Id: id, Terms: t}
}

func TestAmendRecognition(t *testing.T) {
	f := newFixture(t)
	id := f.declare("HK", "GD:business-licence", terms("tendering"))
	before, err := f.k.GetRecognitionRule(f.ctx, id)
	require.NoError(t, err)
	f.advance(time.Hour)
	f.resetEvents()
	tm := terms("tendering", "e-seal")
	tm.Conditions.ConsentRequired = true
	tm.Conditions.IssuerRoles = []string{"AGENCY_ROLE_ISSUER"}
	res, err := f.ms.AmendRecognition(f.ctx, amendMsg("HK", id, tm))
	require.NoError(t, err)
	require.Equal(t, uint32(2), res.Version)

	got, err := f.qs.RecognitionRule(f.ctx, &types.QueryRecognitionRuleRequest{Id: id})
	require.NoError(t, err)
	want := before.WithTerms(tm)
	want.Version, want.ChangedAt = 2, f.ctx.BlockTime()
	require.Equal(t, want, got.Rule)
	require.Equal(t, []types.RecognitionRule{before}, got.Superseded, "the previous version is kept")
	require.Equal(t, []*types.EventRecognitionAmended{{Rule: want}}, events[*types.EventRecognitionAmended](t, f.ctx))

	res, err = f.ms.AmendRecognition(f.ctx, amendMsg("HK", id, terms("tendering")))
	require.NoError(t, err)
	require.Equal(t, uint32(3), res.Version)
	got, err = f.qs.RecognitionRule(f.ctx, &types.QueryRecognitionRuleRequest{Id: id})
	require.NoError(t, err)
	require.Len(t, got.Superseded, 2)
	require.Equal(t, uint32(2), got.Superseded[1].Version)
}

func TestAmendRecognitionRefused(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(f *fixture)
		msg     *types.MsgAmendRecognition
		want    error
		wantMsg string
	}{
		{"another region's authority", nil, amendMsg("GD", 1, terms("e-seal")), regionstypes.ErrNotRegionAuthority, "rule 1 is of HK, not of GD"},
		{"unknown rule", nil, amendMsg("HK", 9, terms("e-seal")), types.ErrUnknownRecognition, "9"},
		{"invalid terms", nil, amendMsg("HK", 1, terms()), types.ErrInvalidRecognition, "purposes"},
		{"overlap with another rule", func(f *fixture) { f.declare("HK", "GD:business-licence", terms("e-seal")) },
			amendMsg("HK", 1, terms("tendering", "e-seal")), types.ErrOverlappingRecognition, "rule 2"},
		{"withdrawn", func(f *fixture) {
			_, err := f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: 1})
			require.NoError(f.t, err)
		}, amendMsg("HK", 1, terms("e-seal")), types.ErrRecognitionWithdrawn, "rule 1 was withdrawn"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.declare("HK", "GD:business-licence", terms("tendering"))
			if tc.setup != nil {
				tc.setup(f)
			}
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.AmendRecognition(ctx, tc.msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func TestWithdrawRecognition(t *testing.T) {
	f := newFixture(t)
	id := f.declare("HK", "GD:business-licence", terms("tendering"))
	f.advance(time.Hour)
	f.resetEvents()
	_, err := f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: id, Reason: "policy change"})
	require.NoError(t, err)
	r, err := f.k.GetRecognitionRule(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, f.ctx.BlockTime(), *r.WithdrawnAt)
	require.Equal(t, "policy change", r.WithdrawalReason)
	require.Equal(t, uint32(1), r.Version, "a withdrawal is no new version")
	require.Equal(t, []*types.EventRecognitionWithdrawn{{Id: id, Region: "HK", SourceType: "GD:business-licence", Reason: "policy change"}},
		events[*types.EventRecognitionWithdrawn](t, f.ctx))
	require.True(t, r.InForceAt(t0))
	require.False(t, r.InForceAt(f.ctx.BlockTime()))

	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.WithdrawRecognition(ctx, &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: id})
		return err
	}, types.ErrRecognitionWithdrawn, "")
}

func TestWithdrawRecognitionRefused(t *testing.T) {
	cases := []struct {
		name    string
		msg     *types.MsgWithdrawRecognition
		want    error
		wantMsg string
	}{
		{"another region's authority", &types.MsgWithdrawRecognition{Authority: authority("GD"), Id: 1}, regionstypes.ErrNotRegionAuthority, "not of GD"},
		{"not an authority", &types.MsgWithdrawRecognition{Authority: bech("agency/HK:erb"), Id: 1}, regionstypes.ErrNotRegionAuthority, ""},
		{"unknown rule", &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: 2}, types.ErrUnknownRecognition, ""},
		{"reason not UTF-8", &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: 1, Reason: "\xff"}, types.ErrInvalidRequest, "reason"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.declare("HK", "GD:business-licence", terms("tendering"))
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.WithdrawRecognition(ctx, tc.msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func TestMutual(t *testing.T) {
	f := newFixture(t)
	hk := f.declare("HK", "GD:business-licence", terms("tendering"))
	q := &types.QueryMutualRequest{TypeA: "GD:business-licence", TypeB: "HK:registered-engineer"}
	res, err := f.qs.Mutual(f.ctx, q)
	require.NoError(t, err)
	require.Len(t, res.AInB, 1)
	require.Empty(t, res.BInA)
	require.Empty(t, res.Pairs, "one rule is no mutual recognition")

	gd := f.declare("GD", "HK:registered-engineer", terms("tendering"))
	res, err = f.qs.Mutual(f.ctx, q)
	require.NoError(t, err)
	require.Equal(t, []types.MutualPair{{AInB: hk, BInA: gd}}, res.Pairs)
	reversed, err := f.qs.Mutual(f.ctx, &types.QueryMutualRequest{TypeA: "HK:registered-engineer", TypeB: "GD:business-licence"})
	require.NoError(t, err)
	require.Equal(t, []types.MutualPair{{AInB: gd, BInA: hk}}, reversed.Pairs)

	_, err = f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("GD"), Id: gd})
	require.NoError(t, err)
	res, err = f.qs.Mutual(f.ctx, q)
	require.NoError(t, err)
	require.Len(t, res.BInA, 1, "withdrawn rules are still listed")
	require.Empty(t, res.Pairs, "a withdrawn rule pairs with nothing")

	_, err = f.qs.Mutual(f.ctx, &types.QueryMutualRequest{TypeA: "business-licence", TypeB: "HK:registered-engineer"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

// fakeIdentity answers consent from a set of (anchor, verifier, purpose)
// and levels of assurance from a map; the app tests run the real
// x/identity keeper.
type fakeIdentity struct {
	consents map[[3]string]bool
	levels   map[string]uint32
}

func (f fakeIdentity) AssuranceAt(_ context.Context, anchorID string, _ time.Time) (uint32, *identitytypes.Link, string, error) {
	if l, ok := f.levels[anchorID]; ok {
		return l, &identitytypes.Link{AnchorId: anchorID, LevelOfAssurance: l}, fmt.Sprintf("link at level %d", l), nil
	}
	return 0, nil, "no link", nil
}

func (f fakeIdentity) ConsentAt(_ context.Context, anchorID, verifier, purpose, _ string, _ time.Time) (bool, string, *identitytypes.Consent, error) {
	if f.consents[[3]string{anchorID, verifier, purpose}] {
		return true, "consent holds", nil, nil
	}
	return false, "no consent", nil, nil
}

func (f *fixture) recognised(id, region, purpose string, at time.Time) *types.QueryIsRecognisedResponse {
	f.t.Helper()
	res, err := f.qs.IsRecognised(f.ctx, &types.QueryIsRecognisedRequest{Id: id, Region: region, Purpose: purpose, Time: at})
	require.NoError(f.t, err)
	return res
}

func codesOf(res *types.QueryIsRecognisedResponse) []string {
	var out []string
	for _, r := range res.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestIsRecognised(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	rule := f.declare("HK", "GD:business-licence", terms("tendering"))
	later := t0.Add(time.Hour)

	res := f.recognised(id, "HK", "tendering", later)
	require.Equal(t, &types.QueryIsRecognisedResponse{Recognised: true, RuleId: rule}, res)

	require.Equal(t, []string{types.ReasonTypeNotRecognised}, codesOf(f.recognised(id, "HK", "e-seal", later)))
	own := f.recognised(id, "GD", "tendering", later)
	require.True(t, own.Recognised, "a region's own type needs no rule")
	require.Zero(t, own.RuleId)
	require.Equal(t, []string{types.ReasonNotAnchored, types.ReasonRuleNotInForce}, codesOf(f.recognised(id, "HK", "tendering", t0.Add(-time.Hour))))
	require.Equal(t, []string{types.ReasonExpired}, codesOf(f.recognised(id, "HK", "tendering", t0.AddDate(6, 0, 0))))

	f.advance(2 * time.Hour)
	suspended(f, id)
	require.Equal(t, []string{types.ReasonSuspended}, codesOf(f.recognised(id, "HK", "tendering", f.ctx.BlockTime())))
	require.True(t, f.recognised(id, "HK", "tendering", later).Recognised, "the answer at an earlier time is unchanged")

	f.advance(time.Hour)
	_, err := f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("HK"), Id: rule})
	require.NoError(t, err)
	_, err = f.ms.RevokeAttestation(f.ctx, revokeMsg(authority("GD"), id))
	require.NoError(t, err)
	res = f.recognised(id, "HK", "tendering", f.ctx.BlockTime())
	require.False(t, res.Recognised)
	require.Equal(t, []string{types.ReasonRevoked, types.ReasonRuleNotInForce}, codesOf(res), "every reason is given")
	require.Equal(t, rule, res.Reasons[1].RuleId)
}

func TestIsRecognisedNotYetValid(t *testing.T) {
	f := newFixture(t)
	p := f.payload("GD:amr", "L-future")
	p.ValidFrom = t0.AddDate(0, 1, 0).Unix()
	id := f.issue("GD:amr", f.sign(p))[0]
	tm := terms("tendering")
	tm.ValidFrom = t0.AddDate(0, 2, 0)
	f.declare("HK", "GD:business-licence", tm)
	require.Equal(t, []string{types.ReasonNotYetValid, types.ReasonRuleNotInForce}, codesOf(f.recognised(id, "HK", "tendering", t0.Add(time.Hour))))
	require.True(t, f.recognised(id, "HK", "tendering", t0.AddDate(0, 3, 0)).Recognised)
}

func TestIsRecognisedConditions(t *testing.T) {
	cases := []struct {
		name       string
		conditions types.RecognitionConditions
		identity   types.IdentityKeeper
		subject    bool
		want       []string
	}{
		{"max age kept", types.RecognitionConditions{MaxAge: 48 * time.Hour}, nil, true, nil},
		{"max age exceeded", types.RecognitionConditions{MaxAge: time.Hour}, nil, true, []string{types.ReasonMaxAgeExceeded}},
		{"issuer holds the role", types.RecognitionConditions{IssuerRoles: []string{"AGENCY_ROLE_ISSUER"}}, nil, true, nil},
		{"issuer lacks a role", types.RecognitionConditions{IssuerRoles: []string{"AGENCY_ROLE_ISSUER", "AGENCY_ROLE_CA_OPERATOR"}}, nil, true,
			[]string{types.ReasonIssuerRoleMissing}},
		{"consent without x/identity", types.RecognitionConditions{ConsentRequired: true}, nil, true, []string{types.ReasonNeedsIdentityData}},
		{"consent missing", types.RecognitionConditions{ConsentRequired: true}, fakeIdentity{}, true, []string{types.ReasonConsentMissing}},
		{"consent given", types.RecognitionConditions{ConsentRequired: true}, fakeIdentity{consents: map[[3]string]bool{}}, true, nil},
		{"consent but no subject", types.RecognitionConditions{ConsentRequired: true}, fakeIdentity{}, false, []string{types.ReasonSubjectUnspecified}},
		{"level of assurance without x/identity", types.RecognitionConditions{MinLevelOfAssurance: 2}, nil, true, []string{types.ReasonNeedsIdentityData}},
		{"no identity link", types.RecognitionConditions{MinLevelOfAssurance: 2}, fakeIdentity{}, true, []string{types.ReasonAssuranceTooLow}},
		{"level too low", types.RecognitionConditions{MinLevelOfAssurance: 3}, fakeIdentity{levels: map[string]uint32{}}, true, []string{types.ReasonAssuranceTooLow}},
		{"level enough", types.RecognitionConditions{MinLevelOfAssurance: 2}, fakeIdentity{levels: map[string]uint32{}}, true, nil},
		{"level but no subject", types.RecognitionConditions{MinLevelOfAssurance: 2}, fakeIdentity{}, false, []string{types.ReasonSubjectUnspecified}},
		{"every failed condition", types.RecognitionConditions{MaxAge: time.Hour, IssuerRoles: []string{"AGENCY_ROLE_GUARANTOR"}, MinLevelOfAssurance: 1},
			nil, true, []string{types.ReasonMaxAgeExceeded, types.ReasonIssuerRoleMissing, types.ReasonNeedsIdentityData}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, newRegions(), testGenesis(), func(k *keeper.Keeper) {
				if tc.identity != nil {
					k.SetIdentityKeeper(tc.identity)
				}
			})
			p := f.payload("GD:amr", "L-1")
			if !tc.subject {
				p.Subject = ""
			}
			if fi, ok := tc.identity.(fakeIdentity); ok && fi.consents != nil {
				fi.consents[[3]string{p.Subject, "HK", "tendering"}] = true
			}
			if fi, ok := tc.identity.(fakeIdentity); ok && fi.levels != nil {
				fi.levels[p.Subject] = 2 // the subject's best link is at level 2
			}
			id := f.issue("GD:amr", f.sign(p))[0]
			tm := terms("tendering")
			tm.Conditions = tc.conditions
			rule := f.declare("HK", "GD:business-licence", tm)
			res := f.recognised(id, "HK", "tendering", t0.Add(2*time.Hour))
			require.Equal(t, tc.want, codesOf(res))
			require.Equal(t, tc.want == nil, res.Recognised)
			if res.Recognised {
				require.Equal(t, rule, res.RuleId)
			}
		})
	}
}

// TestIsRecognisedFirstRuleThatHolds: of two rules in force for a purpose,
// the one whose conditions hold decides.
func TestIsRecognisedFirstRuleThatHolds(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	strict := terms("tendering")
	until := t0.AddDate(1, 0, 0)
	strict.ValidUntil = &until
	strict.Conditions.MaxAge = time.Hour
	f.declare("HK", "GD:business-licence", strict)
	loose := terms("tendering")
	loose.ValidFrom = until
	second := f.declare("HK", "GD:business-licence", loose)
	res := f.recognised(id, "HK", "tendering", t0.Add(2*time.Hour))
	require.Equal(t, []string{types.ReasonMaxAgeExceeded, types.ReasonRuleNotInForce}, codesOf(res))
	res = f.recognised(id, "HK", "tendering", until.Add(time.Hour))
	require.Equal(t, second, res.RuleId)
}

func TestIsRecognisedRefused(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	cases := []struct {
		name string
		req  *types.QueryIsRecognisedRequest
		code codes.Code
	}{
		{"unknown attestation", &types.QueryIsRecognisedRequest{Id: "00" + id[2:], Region: "HK", Purpose: "tendering", Time: t0}, codes.NotFound},
		{"malformed id", &types.QueryIsRecognisedRequest{Id: "xyz", Region: "HK", Purpose: "tendering", Time: t0}, codes.InvalidArgument},
		{"unknown region", &types.QueryIsRecognisedRequest{Id: id, Region: "MO", Purpose: "tendering", Time: t0}, codes.NotFound},
		{"malformed purpose", &types.QueryIsRecognisedRequest{Id: id, Region: "HK", Purpose: "", Time: t0}, codes.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.qs.IsRecognised(f.ctx, tc.req)
			require.Equal(t, tc.code, status.Code(err), "%v", err)
		})
	}
}
