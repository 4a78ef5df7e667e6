package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/certs/types"
	identitytypes "github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// recordFacts answers RecognitionFacts from records held in memory, as a
// verifier does from values it proved: the identity answers come from
// x/identity's pure decisions over the anchor, consent and link records.
type recordFacts struct {
	rules    map[uint64]types.RecognitionRule
	earlier  map[uint64][]types.RecognitionRule
	agencies map[string]regionstypes.Agency
	anchors  map[string]identitytypes.Anchor
	consents map[[3]string]*identitytypes.Consent
	links    map[string][]identitytypes.Link
}

func (f recordFacts) RulesAbout(region, sourceType string) ([]types.RecognitionRule, error) {
	var out []types.RecognitionRule
	for id := uint64(1); id <= uint64(len(f.rules)); id++ {
		if r := f.rules[id]; r.Region == region && r.SourceType == sourceType {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f recordFacts) EarlierVersions(id uint64) ([]types.RecognitionRule, error) {
	return f.earlier[id], nil
}

func (f recordFacts) Agency(id string) (regionstypes.Agency, error) { return f.agencies[id], nil }

func (f recordFacts) ConsentAt(anchorID, verifier, purpose, credentialType string, t time.Time) (bool, string, error) {
	a, ok := f.anchors[anchorID]
	if !ok {
		return false, "", identitytypes.ErrUnknownAnchor
	}
	held, why := identitytypes.ConsentAt(a, f.consents[[3]string{anchorID, verifier, purpose}], verifier, purpose, credentialType, t)
	return held, why, nil
}

func (f recordFacts) AssuranceAt(anchorID string, t time.Time) (uint32, string, error) {
	a, ok := f.anchors[anchorID]
	if !ok {
		return 0, "", identitytypes.ErrUnknownAnchor
	}
	level, _, why := identitytypes.AssuranceAt(a, f.links[anchorID], t)
	return level, why, nil
}

// TestRecogniseFromRecords decides over records alone: the rule as it
// stood at the time asked, consent and level of assurance from the
// identity records, and every reason when no.
func TestRecogniseFromRecords(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	subject := "did:baynet:00112233445566778899aabbccddeeff"
	att := types.Attestation{Id: "ab", IssuedAt: t0, Payload: types.AttestationPayload{Type: "GD:business-licence", Issuer: "GD:amr", Subject: subject}}
	v1 := types.RecognitionRule{Id: 1, Region: "HK", SourceType: "GD:business-licence", SourceRegion: "GD", Purposes: []string{"tendering"},
		ValidFrom: t0, Version: 1, ChangedAt: t0}
	v2 := v1
	v2.Version, v2.ChangedAt = 2, t0.Add(time.Hour)
	v2.Conditions = types.RecognitionConditions{ConsentRequired: true, MinLevelOfAssurance: 3}
	f := recordFacts{
		rules:    map[uint64]types.RecognitionRule{1: v2},
		earlier:  map[uint64][]types.RecognitionRule{1: {v1}},
		agencies: map[string]regionstypes.Agency{"GD:amr": {Id: "GD:amr"}},
		anchors:  map[string]identitytypes.Anchor{subject: {Id: subject}},
		consents: map[[3]string]*identitytypes.Consent{},
		links:    map[string][]identitytypes.Link{},
	}
	ask := func(at time.Time) *types.QueryIsRecognisedResponse {
		t.Helper()
		res, err := types.Recognise(f, att, types.ATTESTATION_STATUS_ACTIVE, "HK", "tendering", at)
		require.NoError(t, err)
		return res
	}
	require.Equal(t, &types.QueryIsRecognisedResponse{Recognised: true, RuleId: 1}, ask(t0.Add(time.Minute)), "version 1 asked for nothing")

	later := t0.Add(2 * time.Hour)
	res := ask(later)
	require.False(t, res.Recognised)
	require.Equal(t, []string{types.ReasonConsentMissing, types.ReasonAssuranceTooLow}, []string{res.Reasons[0].Code, res.Reasons[1].Code})

	f.consents[[3]string{subject, "HK", "tendering"}] = &identitytypes.Consent{
		AnchorId: subject, Verifier: "HK", Purpose: "tendering", CredentialTypes: []string{"GD:business-licence"},
		GrantedAt: t0, ValidUntil: t0.AddDate(1, 0, 0),
	}
	f.links[subject] = []identitytypes.Link{{AnchorId: subject, Idp: "GD:idp", LevelOfAssurance: 3, LinkedAt: t0, ValidFrom: t0, ValidUntil: t0.AddDate(1, 0, 0)}}
	require.Equal(t, &types.QueryIsRecognisedResponse{Recognised: true, RuleId: 1}, ask(later))

	res, err := types.Recognise(f, att, types.ATTESTATION_STATUS_REVOKED, "HK", "tendering", later)
	require.NoError(t, err)
	require.Equal(t, types.ReasonRevoked, res.Reasons[0].Code)
	res, err = types.Recognise(f, att, types.ATTESTATION_STATUS_ACTIVE, "HK", "e-seal", later)
	require.NoError(t, err)
	require.Equal(t, types.ReasonTypeNotRecognised, res.Reasons[0].Code)
}
