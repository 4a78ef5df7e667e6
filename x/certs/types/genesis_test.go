package types_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/certs/types"
)

func validGenesis() types.GenesisState {
	issued := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	p := vectorPayload()
	digest := sha256.Sum256([]byte("schema"))
	gs := *types.DefaultGenesis()
	gs.CredentialTypes = []types.CredentialType{{
		Id: "GD:business-licence", Region: "GD", NameZh: "营业执照", NameEn: "Business licence", SchemaDigest: digest[:],
	}}
	rule := types.RecognitionRule{
		Id: 1, Region: "HK", SourceType: "GD:business-licence", SourceRegion: "GD", Purposes: []string{"tendering", "e-seal"},
		ValidFrom: issued, Version: 2, ChangedAt: issued,
	}
	older := rule
	older.Version, older.Purposes = 1, []string{"tendering"}
	gs.RecognitionRules = []types.RecognitionRule{rule}
	gs.SupersededRules = []types.RecognitionRule{older}
	gs.NextRuleId = 2
	der := []byte("a CA certificate's DER")
	fp := sha256.Sum256(der)
	ca := hex.EncodeToString(fp[:])
	gs.Cas = []types.CA{{Fingerprint: ca, Region: "HK", Der: der}}
	gs.CaRecognitions = []types.CARecognition{{Region: "GD", Ca: ca, CaRegion: "HK", Purposes: []string{"tendering"}, RecognisedAt: issued,
		Earlier: []types.CARecognitionPeriod{{Purposes: []string{"e-seal"}, RecognisedAt: issued.Add(-48 * time.Hour), WithdrawnAt: issued.Add(-24 * time.Hour)}}}}
	gs.CertificateRevocations = []types.CertificateRevocation{{Ca: ca, Serial: "4711", RevokedAt: issued, Reason: "key compromise"}}
	gs.Attestations = []types.GenesisAttestation{{
		Attestation: types.Attestation{Id: p.ID(), Payload: p, Signature: []byte{1}, IssuedAt: issued, IssuedHeight: 5, ExpiresAt: p.ValidUntil},
		History: []types.StatusChange{
			{Seq: 0, Status: types.ATTESTATION_STATUS_ACTIVE, Time: issued, Height: 5},
			{Seq: 1, Status: types.ATTESTATION_STATUS_REVOKED, Reason: "fraud", Time: issued.Add(time.Hour), Height: 9},
		},
	}}
	return gs
}

func TestGenesisValidate(t *testing.T) {
	require.NoError(t, types.DefaultGenesis().Validate())
	require.NoError(t, validGenesis().Validate())
	cases := []struct {
		name   string
		change func(gs *types.GenesisState)
		want   error
	}{
		{"bad params", func(gs *types.GenesisState) { gs.Params.MaxBulk = 0 }, types.ErrInvalidParams},
		{"max_certificate_size too small", func(gs *types.GenesisState) { gs.Params.MaxCertificateSize = 100 }, types.ErrInvalidParams},
		{"max_intermediates zero", func(gs *types.GenesisState) { gs.Params.MaxIntermediates = 0 }, types.ErrInvalidParams},
		{"CA fingerprint not its DER's", func(gs *types.GenesisState) { gs.Cas[0].Der = []byte{1} }, types.ErrInvalidGenesis},
		{"CA twice", func(gs *types.GenesisState) { gs.Cas = append(gs.Cas, gs.Cas[0]) }, types.ErrInvalidGenesis},
		{"CA parent unknown", func(gs *types.GenesisState) { gs.Cas[0].Parent = strings.Repeat("ff", 32) }, types.ErrInvalidGenesis},
		{"recognition of an own CA", func(gs *types.GenesisState) { gs.CaRecognitions[0].Region = "HK" }, types.ErrInvalidGenesis},
		{"recognition of an unknown CA", func(gs *types.GenesisState) { gs.CaRecognitions[0].Ca = "00" }, types.ErrInvalidGenesis},
		{"revocation with a bad serial", func(gs *types.GenesisState) { gs.CertificateRevocations[0].Serial = "-1" }, types.ErrInvalidGenesis},
		{"revocation twice", func(gs *types.GenesisState) {
			gs.CertificateRevocations = append(gs.CertificateRevocations, gs.CertificateRevocations[0])
		}, types.ErrInvalidGenesis},
		{"rule id not below next id", func(gs *types.GenesisState) { gs.NextRuleId = 1 }, types.ErrInvalidGenesis},
		{"duplicate rule", func(gs *types.GenesisState) {
			gs.RecognitionRules = append(gs.RecognitionRules, gs.RecognitionRules[0])
		}, types.ErrInvalidGenesis},
		{"overlapping rules", func(gs *types.GenesisState) {
			r := gs.RecognitionRules[0]
			r.Id, r.Purposes = 2, []string{"e-seal"}
			gs.RecognitionRules, gs.NextRuleId = append(gs.RecognitionRules, r), 3
		}, types.ErrInvalidGenesis},
		{"rule about an own type", func(gs *types.GenesisState) { gs.RecognitionRules[0].Region = "GD" }, types.ErrInvalidGenesis},
		{"rule about an unknown type", func(gs *types.GenesisState) {
			gs.RecognitionRules[0].SourceType, gs.RecognitionRules[0].SourceRegion = "MO:licence", "MO"
		}, types.ErrInvalidGenesis},
		{"rule with invalid terms", func(gs *types.GenesisState) { gs.RecognitionRules[0].Purposes = nil }, types.ErrInvalidGenesis},
		{"superseded version of no rule", func(gs *types.GenesisState) { gs.SupersededRules[0].Id = 7 }, types.ErrInvalidGenesis},
		{"superseded version not older", func(gs *types.GenesisState) { gs.SupersededRules[0].Version = 2 }, types.ErrInvalidGenesis},
		{"an earlier version missing", func(gs *types.GenesisState) { gs.SupersededRules = nil }, types.ErrInvalidGenesis},
		{"rule past the version cap", func(gs *types.GenesisState) { gs.RecognitionRules[0].Version = types.MaxRuleVersions + 1 }, types.ErrInvalidGenesis},
		{"too many rules about a type", func(gs *types.GenesisState) {
			for i := range types.MaxRulesPerType {
				r := gs.RecognitionRules[0]
				r.Id, r.Version, r.Purposes = uint64(i+2), 1, []string{fmt.Sprintf("p-%d", i)}
				gs.RecognitionRules = append(gs.RecognitionRules, r)
			}
			gs.NextRuleId = types.MaxRulesPerType + 2
		}, types.ErrInvalidGenesis},
		{"too many CAs in a region", func(gs *types.GenesisState) {
			for i := range types.MaxCAsPerRegion {
				der := []byte(fmt.Sprintf("CA certificate %d", i))
				fp := sha256.Sum256(der)
				gs.Cas = append(gs.Cas, types.CA{Fingerprint: hex.EncodeToString(fp[:]), Region: "HK", Der: der})
			}
		}, types.ErrInvalidGenesis},
		{"CA recognition period out of order", func(gs *types.GenesisState) {
			at := gs.CaRecognitions[0].RecognisedAt
			gs.CaRecognitions[0].Earlier = []types.CARecognitionPeriod{{Purposes: []string{"tendering"}, RecognisedAt: at.Add(-time.Hour), WithdrawnAt: at.Add(time.Hour)}}
		}, types.ErrInvalidGenesis},
		{"CA recognition period empty", func(gs *types.GenesisState) {
			at := gs.CaRecognitions[0].RecognisedAt
			gs.CaRecognitions[0].Earlier = []types.CARecognitionPeriod{{Purposes: []string{"tendering"}, RecognisedAt: at.Add(-time.Hour), WithdrawnAt: at.Add(-time.Hour)}}
		}, types.ErrInvalidGenesis},
		{"too many CA recognition periods", func(gs *types.GenesisState) {
			at := gs.CaRecognitions[0].RecognisedAt
			for i := range types.MaxCARecognitionPeriods + 1 {
				start := at.Add(time.Duration(i-100) * time.Hour)
				gs.CaRecognitions[0].Earlier = append(gs.CaRecognitions[0].Earlier,
					types.CARecognitionPeriod{Purposes: []string{"tendering"}, RecognisedAt: start, WithdrawnAt: start.Add(time.Minute)})
			}
		}, types.ErrInvalidGenesis},
		{"duplicate type", func(gs *types.GenesisState) { gs.CredentialTypes = append(gs.CredentialTypes, gs.CredentialTypes[0]) }, types.ErrDuplicateCredentialType},
		{"type region mismatch", func(gs *types.GenesisState) { gs.CredentialTypes[0].Region = "HK" }, types.ErrInvalidCredentialType},
		{"id of another payload", func(gs *types.GenesisState) { gs.Attestations[0].Attestation.Payload.LicenceId = "other" }, types.ErrInvalidGenesis},
		{"unknown type", func(gs *types.GenesisState) { gs.CredentialTypes = nil }, types.ErrUnknownCredentialType},
		{"expiry not the payload's", func(gs *types.GenesisState) { gs.Attestations[0].Attestation.ExpiresAt++ }, types.ErrInvalidGenesis},
		{"no signature", func(gs *types.GenesisState) { gs.Attestations[0].Attestation.Signature = nil }, types.ErrInvalidGenesis},
		{"duplicate attestation", func(gs *types.GenesisState) { gs.Attestations = append(gs.Attestations, gs.Attestations[0]) }, types.ErrDuplicateAttestation},
		{"no history", func(gs *types.GenesisState) { gs.Attestations[0].History = nil }, types.ErrInvalidGenesis},
		{"history not starting at issuance", func(gs *types.GenesisState) { gs.Attestations[0].History[0].Time = time.Unix(1, 0) }, types.ErrInvalidGenesis},
		{"gap in seq", func(gs *types.GenesisState) { gs.Attestations[0].History[1].Seq = 2 }, types.ErrInvalidGenesis},
		{"change after revocation", func(gs *types.GenesisState) {
			h := &gs.Attestations[0].History
			*h = append(*h, types.StatusChange{Seq: 2, Status: types.ATTESTATION_STATUS_ACTIVE, Time: (*h)[1].Time})
		}, types.ErrInvalidGenesis},
		{"history going back in time", func(gs *types.GenesisState) {
			gs.Attestations[0].History[1].Time = gs.Attestations[0].History[0].Time.Add(-time.Second)
		}, types.ErrInvalidGenesis},
		{"derived status stored", func(gs *types.GenesisState) { gs.Attestations[0].History[1].Status = types.ATTESTATION_STATUS_EXPIRED }, types.ErrInvalidGenesis},
		{"history over the cap", func(gs *types.GenesisState) {
			gs.Params.MaxStatusChanges = 2
			gs.Attestations[0].History = append(gs.Attestations[0].History, gs.Attestations[0].History[1])
		}, types.ErrInvalidGenesis},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gs := validGenesis()
			tc.change(&gs)
			require.ErrorIs(t, gs.Validate(), tc.want)
		})
	}
}

func TestCredentialTypeValidate(t *testing.T) {
	base := validGenesis().CredentialTypes[0]
	ok := []func(*types.CredentialType){
		func(*types.CredentialType) {},
		func(c *types.CredentialType) { c.CatalogueCode = "11100000000013127D001" },
		func(c *types.CredentialType) { c.DefaultValidity = 5 * 365 * 24 * time.Hour },
	}
	for _, change := range ok {
		c := base
		change(&c)
		require.NoError(t, c.Validate())
	}
	bad := map[string]func(*types.CredentialType){
		"id without region":          func(c *types.CredentialType) { c.Id = "business-licence" },
		"no name":                    func(c *types.CredentialType) { c.NameEn = "" },
		"catalogue code too short":   func(c *types.CredentialType) { c.CatalogueCode = "11100000000013127D01" },
		"catalogue code with an O":   func(c *types.CredentialType) { c.CatalogueCode = "1110000000001312OD001" },
		"catalogue code letter tail": func(c *types.CredentialType) { c.CatalogueCode = "11100000000013127D00A" },
		"schema digest of 31 bytes":  func(c *types.CredentialType) { c.SchemaDigest = c.SchemaDigest[:31] },
		"negative validity":          func(c *types.CredentialType) { c.DefaultValidity = -time.Hour },
		"validity not whole seconds": func(c *types.CredentialType) { c.DefaultValidity = time.Hour + time.Millisecond },
		"validity over a century":    func(c *types.CredentialType) { c.DefaultValidity = 101 * 365 * 24 * time.Hour },
	}
	for name, change := range bad {
		t.Run(name, func(t *testing.T) {
			c := base
			change(&c)
			require.ErrorIs(t, c.Validate(), types.ErrInvalidCredentialType)
		})
	}
}
