package verifier_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/verifier"
	certstypes "github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// TestAttestationKeys pins the keys against the layout that
// x/certs/keeper/state_test.go pins for the keeper's collections.
func TestAttestationKeys(t *testing.T) {
	id := bytes.Repeat([]byte{0xab}, 32)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	require.Equal(t, cat([]byte{0x02}, id), verifier.AttestationKey(id))
	require.Equal(t, cat([]byte{0x06}, id), verifier.StatusKey(id))
	require.Equal(t, cat([]byte{0x07, 0x20}, id, []byte{0, 0, 1, 2}), verifier.HistoryKey(id, 258))
}

// TestIssuerKeys pins the regions keys against the layout that
// x/regions/keeper/state_test.go pins, and against the pair codec the
// keeper declares its agencies and agency keys with.
func TestIssuerKeys(t *testing.T) {
	require.Equal(t, []byte("\x08GD\x00GD:amr"), verifier.AgencyKey("GD", "GD:amr"))
	require.Equal(t, []byte("\x0aGD:amr\x00k1"), verifier.SigningKeyKey("GD:amr", "k1"))

	kc := collections.PairKeyCodec(collections.StringKey, collections.StringKey)
	agency, err := collections.EncodeKeyWithPrefix(regionstypes.AgenciesKey, kc, collections.Join("HK", "HK:bd"))
	require.NoError(t, err)
	require.Equal(t, agency, verifier.AgencyKey("HK", "HK:bd"))
	key, err := collections.EncodeKeyWithPrefix(regionstypes.AgencyKeysKey, kc, collections.Join("HK:bd", "2026-01.hsm"))
	require.NoError(t, err)
	require.Equal(t, key, verifier.SigningKeyKey("HK:bd", "2026-01.hsm"))
}

// issued is an anchored attestation signed by agency GD:amr's key k1, and
// the records a verifier proves for it, before they are encoded.
type issued struct {
	t      *testing.T
	priv   bcrypto.PrivateKey
	att    certstypes.Attestation
	key    regionstypes.AgencyKey
	agency regionstypes.Agency
	// noKey and noAgency prove the key record, or the agency's, absent.
	noKey, noAgency bool
}

// anchoredAt is the block time the attestation was anchored at.
var anchoredAt = t0.Add(time.Hour)

func newIssued(t *testing.T, scheme bcrypto.Scheme) *issued {
	t.Helper()
	priv, err := bcrypto.GenerateKey(scheme)
	require.NoError(t, err)
	s := &issued{
		t:    t,
		priv: priv,
		key: regionstypes.AgencyKey{AgencyId: "GD:amr", KeyId: "k1", Scheme: string(scheme),
			PublicKey: priv.Public().Bytes(), NotBefore: t0},
		agency: regionstypes.Agency{Id: "GD:amr", Region: "GD", NameZh: "市场监管局", NameEn: "AMR",
			Roles:           []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_ISSUER},
			CredentialTypes: []string{"GD:business-licence"}, Status: regionstypes.AGENCY_STATUS_ACTIVE, StatusSince: t0},
	}
	s.sign(certstypes.AttestationPayload{ChainId: chainID, Type: "GD:business-licence", LicenceId: "91440101MA5TEST001",
		Sha256: bytes.Repeat([]byte{7}, 32), ValidFrom: t0.Unix(), Issuer: "GD:amr", KeyId: "k1"})
	return s
}

// sign makes p the attestation, signed with s.priv, anchored at anchoredAt.
func (s *issued) sign(p certstypes.AttestationPayload) {
	sig, err := s.priv.Sign(p.SignBytes())
	require.NoError(s.t, err)
	s.att = certstypes.Attestation{Id: p.ID(), Payload: p, Signature: sig, IssuedAt: anchoredAt, IssuedHeight: 7}
}

func (s *issued) id() []byte {
	id, err := hex.DecodeString(s.att.Id)
	require.NoError(s.t, err)
	return id
}

// values are the records as proven values of state height 9: what
// Client.Attestation would have proven, without the proofs, which
// DecideAttestation does not look at.
func (s *issued) values() []verifier.ProvenValue {
	const height = 9
	id := s.id()
	enc := func(m interface{ Marshal() ([]byte, error) }) []byte {
		bz, err := m.Marshal()
		require.NoError(s.t, err)
		return bz
	}
	rec := certstypes.StatusRecord{Status: certstypes.ATTESTATION_STATUS_ACTIVE, Since: anchoredAt, Changes: 1}
	entry := certstypes.StatusChange{Seq: 0, Status: certstypes.ATTESTATION_STATUS_ACTIVE, Time: anchoredAt, Height: 7}
	certs := func(key, value []byte) verifier.ProvenValue {
		return verifier.ProvenValue{Store: certstypes.StoreKey, Key: key, Value: value, Height: height}
	}
	regions := func(key, value []byte, absent bool) verifier.ProvenValue {
		if absent {
			value = nil
		}
		return verifier.ProvenValue{Store: regionstypes.StoreKey, Key: key, Value: value, Absent: absent, Height: height}
	}
	p := s.att.Payload
	return []verifier.ProvenValue{
		certs(verifier.AttestationKey(id), enc(&s.att)),
		certs(verifier.StatusKey(id), enc(&rec)),
		certs(verifier.HistoryKey(id, 0), enc(&entry)),
		regions(verifier.SigningKeyKey(p.Issuer, p.KeyId), enc(&s.key), s.noKey),
		regions(verifier.AgencyKey("GD", p.Issuer), enc(&s.agency), s.noAgency),
	}
}

func (s *issued) decide() verifier.AttestationVerdict {
	s.t.Helper()
	v, err := verifier.DecideAttestation(s.id(), s.values(), anchoredAt.Add(time.Minute))
	require.NoError(s.t, err)
	return v
}

// TestDecideAttestationAuthentic decides over real signatures and changes
// one thing at a time; each case names the reason codes it expects.
func TestDecideAttestationAuthentic(t *testing.T) {
	before := anchoredAt.Add(-time.Second)
	for _, c := range []struct {
		name                string
		change              func(s *issued)
		authentic, entitled bool
		codes               []string
		// detail is in the first reason.
		detail string
	}{
		{name: "signed with the key in force", change: func(*issued) {}, authentic: true, entitled: true},
		{name: "tampered signature", change: func(s *issued) { s.att.Signature[len(s.att.Signature)/2] ^= 1 },
			entitled: true, codes: []string{verifier.ReasonSignatureInvalid}},
		{name: "another agency key's signature", change: func(s *issued) {
			other := newIssued(t, bcrypto.SchemeEd25519)
			s.key.Scheme, s.key.PublicKey = other.key.Scheme, other.key.PublicKey
		}, entitled: true, codes: []string{verifier.ReasonSignatureInvalid}},
		{name: "payload names a key id the agency lacks", change: func(s *issued) {
			p := s.att.Payload
			p.KeyId = "k2"
			s.sign(p)
			s.noKey = true
		}, entitled: true, codes: []string{verifier.ReasonKeyUnknown}},
		{name: "key record of another key id", change: func(s *issued) {
			p := s.att.Payload
			p.KeyId = "k2"
			s.sign(p)
		}, entitled: true, codes: []string{verifier.ReasonKeyMismatch}},
		{name: "key retired before anchoring", change: func(s *issued) { s.key.NotAfter = &before },
			entitled: true, codes: []string{verifier.ReasonKeyNotValidAtIssuance}, detail: "until 2026-03-01T08:59:59Z"},
		{name: "key valid only after anchoring", change: func(s *issued) { s.key.NotBefore = anchoredAt.Add(time.Second) },
			entitled: true, codes: []string{verifier.ReasonKeyNotValidAtIssuance}},
		{name: "key retired after anchoring", change: func(s *issued) {
			retired := anchoredAt.Add(time.Second)
			s.key.NotAfter = &retired
		}, authentic: true, entitled: true},
		{name: "unknown scheme", change: func(s *issued) { s.key.Scheme = "dsa" },
			entitled: true, codes: []string{verifier.ReasonKeyMalformed}},
		{name: "agency no longer lists the type", change: func(s *issued) { s.agency.CredentialTypes = []string{"GD:food-licence"} },
			authentic: true, codes: []string{verifier.ReasonIssuerNotEntitled},
			detail: "at height 9 (the chain found it entitled when it anchored the attestation at height 7)"},
		{name: "agency no longer an issuer", change: func(s *issued) {
			s.agency.Roles = []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_TRADING_PLATFORM}
		}, authentic: true, codes: []string{verifier.ReasonIssuerNotEntitled}},
		{name: "type of another region", change: func(s *issued) {
			p := s.att.Payload
			p.Type = "HK:registered-engineer"
			s.sign(p)
			s.agency.CredentialTypes = append(s.agency.CredentialTypes, p.Type)
		}, authentic: true, codes: []string{verifier.ReasonIssuerNotEntitled}},
		{name: "agency unknown", change: func(s *issued) { s.noAgency = true },
			authentic: true, codes: []string{verifier.ReasonIssuerUnknown}},
		{name: "agency record of another agency", change: func(s *issued) { s.agency.Id = "GD:tax" },
			authentic: true, codes: []string{verifier.ReasonIssuerUnknown}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newIssued(t, bcrypto.SchemeEd25519)
			c.change(s)
			v := s.decide()
			require.Equal(t, certstypes.ATTESTATION_STATUS_ACTIVE, v.Status, "the status does not depend on the issuer checks")
			require.Equal(t, c.authentic, v.Authentic, "authentic: %v", v.Reasons)
			require.Equal(t, c.entitled, v.Entitled, "entitled: %v", v.Reasons)
			var codes []string
			for _, r := range v.Reasons {
				code, _, _ := strings.Cut(r, ": ")
				codes = append(codes, code)
			}
			require.Equal(t, c.codes, codes, "%v", v.Reasons)
			if c.detail != "" {
				require.Contains(t, v.Reasons[0], c.detail)
			}
		})
	}
}

// TestDecideAttestationSchemes checks a valid and a tampered signature of
// each scheme an agency key is commonly held in.
func TestDecideAttestationSchemes(t *testing.T) {
	for _, scheme := range []bcrypto.Scheme{bcrypto.SchemeEd25519, bcrypto.SchemeSecp256k1, bcrypto.SchemeP256} {
		s := newIssued(t, scheme)
		v := s.decide()
		require.True(t, v.Authentic && v.Entitled, "%s: %v", scheme, v.Reasons)
		require.Equal(t, "GD:amr", v.Issuer.Id)
		require.Equal(t, "k1", v.SigningKey.KeyId)
		s.att.Signature[len(s.att.Signature)-1] ^= 1
		v = s.decide()
		require.False(t, v.Authentic, scheme)
		require.Len(t, v.Reasons, 1)
		require.True(t, strings.HasPrefix(v.Reasons[0], verifier.ReasonSignatureInvalid+": "), v.Reasons[0])
	}
}

// TestDecideAttestationNeedsIssuerRecords: a bundle without the issuer's
// records (present or proven absent) decides nothing.
func TestDecideAttestationNeedsIssuerRecords(t *testing.T) {
	s := newIssued(t, bcrypto.SchemeEd25519)
	all := s.values()
	for drop := 3; drop < len(all); drop++ {
		values := append(append([]verifier.ProvenValue{}, all[:drop]...), all[drop+1:]...)
		_, err := verifier.DecideAttestation(s.id(), values, anchoredAt)
		require.ErrorIs(t, err, verifier.ErrInconsistent, "without value %d", drop)
	}
	all[3].Value = []byte("not an agency key")
	_, err := verifier.DecideAttestation(s.id(), all, anchoredAt)
	require.ErrorIs(t, err, verifier.ErrInconsistent)
}
