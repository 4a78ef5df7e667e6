package keeper_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

func TestIssueSingle(t *testing.T) {
	f := newFixture(t)
	p := f.payload("GD:amr", "91440101MA5CY0001X")
	item := f.sign(p)
	res, err := f.ms.IssueAttestations(f.ctx, issueMsg("GD:amr", item))
	require.NoError(t, err)
	require.EqualValues(t, 1, res.Issued)

	id := p.ID()
	sum := sha256.Sum256(p.SignBytes())
	require.Equal(t, hex.EncodeToString(sum[:]), id, "the id is the SHA-256 of the sign bytes")
	got, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: id})
	require.NoError(t, err)
	att := got.Attestation.Attestation
	require.Equal(t, id, att.Id)
	require.Equal(t, p, att.Payload)
	require.Equal(t, item.Signature, att.Signature)
	require.Equal(t, t0, att.IssuedAt)
	require.EqualValues(t, 10, att.IssuedHeight)
	require.Equal(t, p.ValidUntil, att.ExpiresAt)
	require.Equal(t, types.StatusRecord{Status: types.ATTESTATION_STATUS_ACTIVE, Since: t0, Changes: 1}, got.Attestation.Record)
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, got.Attestation.Status)

	h, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, []types.StatusChange{{Seq: 0, Status: types.ATTESTATION_STATUS_ACTIVE, Time: t0, Height: 10, Signer: bech("agency/GD:amr")}}, h.Changes)

	evs := events[*types.EventAttestationsIssued](t, f.ctx)
	require.Len(t, evs, 1)
	require.Equal(t, &types.EventAttestationsIssued{Issuer: "GD:amr", Ids: []string{id}}, evs[0])
}

func TestIssueBulkEventsAndIndexes(t *testing.T) {
	f := newFixture(t)
	items := f.items("GD:amr", "bulk", 250)
	items = append(items, f.sign(f.payload("GD:amr", "no-subject")))
	items[250].Payload.Subject = ""
	items[250] = f.sign(items[250].Payload)
	ids := f.issue("GD:amr", items...)
	require.Len(t, ids, 251)
	for i, it := range items {
		require.Equal(t, it.Payload.ID(), ids[i])
	}
	evs := events[*types.EventAttestationsIssued](t, f.ctx)
	require.Len(t, evs, 1, "one event for the whole message")
	require.Equal(t, ids, evs[0].Ids, "ids in the order of the items")

	n, err := f.k.AttestationsByIssuer.Iterate(f.ctx, nil)
	require.NoError(t, err)
	keys, err := n.Keys()
	require.NoError(t, err)
	require.Len(t, keys, 251)
	subjects, err := f.k.AttestationsBySubject.Iterate(f.ctx, nil)
	require.NoError(t, err)
	sk, err := subjects.Keys()
	require.NoError(t, err)
	require.Len(t, sk, 250, "an attestation without subject is not in the subject index")
}

func TestIssueSecp256k1AndDefaultValidity(t *testing.T) {
	f := newFixture(t)
	p := f.payload("HK:erb", "RPE-00042")
	p.ValidUntil = 0
	id := f.issue("HK:erb", f.sign(p))[0]
	res, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, p.ValidFrom+365*24*3600, res.Attestation.Attestation.ExpiresAt, "HK:registered-engineer's default validity of a year")

	gd := f.payload("GD:amr", "open-ended")
	gd.ValidUntil = 0
	id = f.issue("GD:amr", f.sign(gd))[0]
	res, err = f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: id})
	require.NoError(t, err)
	require.Zero(t, res.Attestation.Attestation.ExpiresAt, "GD:business-licence has no default validity")
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, t0.AddDate(80, 0, 0)))
}

// TestIssueRefused covers the rules of issuance: each bad input is refused
// with a clear error and changes nothing.
func TestIssueRefused(t *testing.T) {
	type testCase struct {
		name    string
		setup   func(f *fixture)
		msg     func(f *fixture) *types.MsgIssueAttestations
		want    error
		wantMsg string
	}
	// bulk returns 20 good items of GD:amr with item i changed by change and re-signed.
	bulk := func(f *fixture, i int, change func(p *types.AttestationPayload)) *types.MsgIssueAttestations {
		items := f.items("GD:amr", "lic", 20)
		change(&items[i].Payload)
		items[i] = f.sign(items[i].Payload)
		return issueMsg("GD:amr", items...)
	}
	cases := []testCase{
		{name: "type the issuer is not entitled to",
			setup: func(f *fixture) {
				f.regions.agencies["GD:amr"] = withTypes(f.regions.agencies["GD:amr"], "GD:business-licence")
				require.NoError(f.t, f.k.CredentialTypes.Set(f.ctx, collectionsJoin("GD", "GD:food-licence"), credType("GD:food-licence", 0)))
			},
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 4, func(p *types.AttestationPayload) { p.Type = "GD:food-licence" })
			},
			want: types.ErrNotEntitled, wantMsg: "item 4: agency GD:amr may not issue GD:food-licence"},
		{name: "entitled type of another region",
			setup: func(f *fixture) {
				f.regions.agencies["GD:amr"] = withTypes(f.regions.agencies["GD:amr"], "GD:business-licence", "HK:registered-engineer")
			},
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 0, func(p *types.AttestationPayload) { p.Type = "HK:registered-engineer" })
			},
			want: types.ErrNotEntitled, wantMsg: "item 0: HK:registered-engineer is a type of HK"},
		{name: "entitled type not registered",
			setup: func(f *fixture) {
				f.regions.agencies["GD:amr"] = withTypes(f.regions.agencies["GD:amr"], "GD:business-licence", "GD:unregistered")
			},
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 2, func(p *types.AttestationPayload) { p.Type = "GD:unregistered" })
			},
			want: types.ErrUnknownCredentialType, wantMsg: "item 2"},
		{name: "suspended agency",
			setup: func(f *fixture) { setAgencyStatus(f, "GD:amr", regionstypes.AGENCY_STATUS_SUSPENDED) },
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return issueMsg("GD:amr", f.items("GD:amr", "lic", 3)...)
			},
			want: regionstypes.ErrAgencyStatus, wantMsg: "agency GD:amr is AGENCY_STATUS_SUSPENDED"},
		{name: "retired agency",
			setup: func(f *fixture) { setAgencyStatus(f, "GD:amr", regionstypes.AGENCY_STATUS_RETIRED) },
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return issueMsg("GD:amr", f.items("GD:amr", "lic", 3)...)
			},
			want: regionstypes.ErrAgencyStatus, wantMsg: "agency GD:amr is AGENCY_STATUS_RETIRED"},
		{name: "agency without the issuer role",
			setup: func(f *fixture) {
				a := f.regions.agencies["GD:amr"]
				a.Roles = []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_TRADING_PLATFORM}
				f.regions.agencies["GD:amr"] = a
			},
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return issueMsg("GD:amr", f.items("GD:amr", "lic", 1)...)
			},
			want: regionstypes.ErrInvalidAgency, wantMsg: "role"},
		{name: "sender is no agency",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 1)...)
				m.Issuer = bech("stranger")
				return m
			},
			want: regionstypes.ErrUnknownAgency},
		{name: "key not valid yet",
			setup: func(f *fixture) { f.regions.addKey("GD:amr", "k2", edKey("k2"), t0.Add(time.Hour), nil) },
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 7, func(p *types.AttestationPayload) { p.KeyId = "k2" })
			},
			want: regionstypes.ErrInvalidKey, wantMsg: "item 7: key GD:amr/k2 was not valid"},
		{name: "key retired",
			setup: func(f *fixture) {
				end := t0.Add(-time.Second)
				f.regions.addKey("GD:amr", "k2", edKey("k2"), t0.Add(-time.Hour), &end)
			},
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 19, func(p *types.AttestationPayload) { p.KeyId = "k2" })
			},
			want: regionstypes.ErrInvalidKey, wantMsg: "item 19: key GD:amr/k2 was not valid"},
		{name: "unknown key",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 3, func(p *types.AttestationPayload) { p.KeyId = "k9" })
			},
			want: regionstypes.ErrUnknownKey, wantMsg: "item 3"},
		{name: "forged signature in a bulk",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 20)...)
				m.Items[13].Signature[10] ^= 0x40
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 13: "},
		{name: "signature of another payload",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 20)...)
				m.Items[5].Signature, m.Items[6].Signature = m.Items[6].Signature, m.Items[5].Signature
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 5: "},
		{name: "signed by another agency's key",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 20)...)
				m.Items[9].Signature = edKey("HK:erb").sign(m.Items[9].Payload.SignBytes())
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 9: "},
		{name: "a payload changed after signing",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 20)...)
				m.Items[11].Payload.ValidUntil++
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 11: "},
		{name: "the first bad item is named: format before a later bad signature",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := bulk(f, 8, func(p *types.AttestationPayload) { p.Sha256 = p.Sha256[:20] })
				m.Items[12].Signature[0] ^= 1
				return m
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 8: "},
		{name: "the first bad item is named: a bad signature before a later bad format",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := bulk(f, 15, func(p *types.AttestationPayload) { p.Sha256 = p.Sha256[:20] })
				m.Items[6].Signature[0] ^= 1
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 6: "},
		{name: "empty signature",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 3)...)
				m.Items[1].Signature = nil
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 1: signature must be"},
		{name: "oversized signature",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				m := issueMsg("GD:amr", f.items("GD:amr", "lic", 3)...)
				m.Items[2].Signature = make([]byte, types.MaxSignatureLength+1)
				return m
			},
			want: types.ErrInvalidSignature, wantMsg: "item 2: signature must be"},
		{name: "duplicate of an anchored attestation",
			setup: func(f *fixture) { f.issue("GD:amr", f.items("GD:amr", "lic", 1)...) },
			msg: func(f *fixture) *types.MsgIssueAttestations {
				items := f.items("GD:amr", "new", 5)
				items[3] = f.items("GD:amr", "lic", 1)[0]
				return issueMsg("GD:amr", items...)
			},
			want: types.ErrDuplicateAttestation, wantMsg: "item 3"},
		{name: "duplicate within the message",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				items := f.items("GD:amr", "lic", 5)
				items[4] = items[1]
				return issueMsg("GD:amr", items...)
			},
			want: types.ErrDuplicateAttestation, wantMsg: "item 4: "},
		{name: "licence already attested by the issuer",
			setup: func(f *fixture) { f.issueOne("GD:amr", "L-1") },
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 10, func(p *types.AttestationPayload) { p.LicenceId = "L-1" })
			},
			want: types.ErrDuplicateLicence, wantMsg: "item 10: licence L-1"},
		{name: "licence twice in the message",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 10, func(p *types.AttestationPayload) { p.LicenceId = "lic-000002" })
			},
			want: types.ErrDuplicateLicence, wantMsg: "item 10: licence lic-000002 is also item 2"},
		{name: "payload names another issuer",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 1, func(p *types.AttestationPayload) { p.Issuer = "HK:erb" })
			},
			want: types.ErrIssuerMismatch, wantMsg: "item 1"},
		{name: "payload for another chain",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 0, func(p *types.AttestationPayload) { p.ChainId = "other-chain" })
			},
			want: types.ErrInvalidAttestation, wantMsg: `item 0: signed for chain "other-chain"`},
		{name: "sha256 digest of the wrong length",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 5, func(p *types.AttestationPayload) { p.Sha256 = append(p.Sha256, 0) })
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 5: sha256 digest must be 32 bytes"},
		{name: "sm3 digest of the wrong length",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 5, func(p *types.AttestationPayload) { p.Sm3 = make([]byte, 16) })
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 5: sm3 digest must be 32 bytes"},
		{name: "no digest",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 5, func(p *types.AttestationPayload) { p.Sha256 = nil })
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 5: a sha256 or sm3 digest"},
		{name: "validity ends before it starts",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 17, func(p *types.AttestationPayload) { p.ValidUntil = p.ValidFrom - 86400 })
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 17: validity ends"},
		{name: "malformed licence id",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 3, func(p *types.AttestationPayload) { p.LicenceId = strings.Repeat("x", 65) })
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 3: licence id"},
		{name: "malformed subject",
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return bulk(f, 3, func(p *types.AttestationPayload) { p.Subject = "440101199001011234" })
			},
			want: types.ErrInvalidAttestation, wantMsg: "item 3: subject"},
		{name: "more items than max_bulk",
			setup: func(f *fixture) {
				p := types.DefaultParams()
				p.MaxBulk = 10
				require.NoError(f.t, f.k.Params.Set(f.ctx, p))
			},
			msg: func(f *fixture) *types.MsgIssueAttestations {
				return issueMsg("GD:amr", f.items("GD:amr", "lic", 11)...)
			},
			want: types.ErrTooManyItems, wantMsg: "11 attestations, a message carries at most 10"},
		{name: "no items",
			msg:  func(*fixture) *types.MsgIssueAttestations { return issueMsg("GD:amr") },
			want: types.ErrInvalidAttestation, wantMsg: "no attestations"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.issueOne("HK:erb", "RPE-1") // some state for "changes nothing" to compare
			if tc.setup != nil {
				tc.setup(f)
			}
			msg := tc.msg(f)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.IssueAttestations(ctx, msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func withTypes(a regionstypes.Agency, types ...string) regionstypes.Agency {
	a.CredentialTypes = types
	return a
}

func setAgencyStatus(f *fixture, id string, s regionstypes.AgencyStatus) {
	a := f.regions.agencies[id]
	a.Status = s
	f.regions.agencies[id] = a
}

// TestSameLicenceOtherIssuer: a licence id is unique per issuer only.
func TestSameLicenceOtherIssuer(t *testing.T) {
	f := newFixture(t)
	f.issueOne("GD:amr", "SHARED-1")
	f.issueOne("HK:erb", "SHARED-1")
	res, err := f.qs.AttestationsByLicence(f.ctx, &types.QueryAttestationsByLicenceRequest{LicenceId: "SHARED-1"})
	require.NoError(t, err)
	require.Len(t, res.Attestations, 2)
}

// TestIssueGas: each attestation costs gas_per_attestation and its store
// access is not metered on top, so gas grows exactly with the item count.
func TestIssueGas(t *testing.T) {
	f := newFixture(t)
	gasOf := func(prefix string, n int) uint64 {
		ctx := f.ctx.WithGasMeter(storetypes.NewGasMeter(1 << 40))
		_, err := f.ms.IssueAttestations(ctx, issueMsg("GD:amr", f.items("GD:amr", prefix, n)...))
		require.NoError(t, err)
		return ctx.GasMeter().GasConsumed()
	}
	ten, thirty := gasOf("a", 10), gasOf("b", 30)
	require.Equal(t, 20*types.DefaultParams().GasPerAttestation, thirty-ten)

	ctx := f.ctx.WithGasMeter(storetypes.NewGasMeter(10 * types.DefaultParams().GasPerAttestation))
	require.Panics(t, func() {
		_, _ = f.ms.IssueAttestations(ctx, issueMsg("GD:amr", f.items("GD:amr", "c", 10)...))
	}, "a gas limit below the items' price runs out of gas")
}
