package verifier_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/verifier"
	identitytypes "github.com/baynet/baynet/x/identity/types"
)

const holderDID = "did:baynet:0123456789abcdef0123456789abcdef"

// held is an attestation whose subject is holderDID, the holder's anchor
// and key records, and a presentation of it signed with that key.
type held struct {
	*issued
	holder  bcrypto.PrivateKey
	anchor  identitytypes.Anchor
	key     identitytypes.AnchorKey
	noKey   bool
	request verifier.PresentationRequest
}

func newHeld(t *testing.T, scheme bcrypto.Scheme) *held {
	t.Helper()
	s := newIssued(t, bcrypto.SchemeEd25519)
	p := s.att.Payload
	p.Subject = holderDID
	s.sign(p)
	priv, err := bcrypto.GenerateKey(scheme)
	require.NoError(t, err)
	h := &held{
		issued: s,
		holder: priv,
		anchor: identitytypes.Anchor{Id: holderDID, Status: identitytypes.ANCHOR_STATUS_ACTIVE, CreatedAt: t0, UpdatedAt: t0, ActiveKeys: []string{"key-1"}},
		key: identitytypes.AnchorKey{AnchorId: holderDID, KeyId: "key-1", Scheme: string(scheme), PublicKey: priv.Public().Bytes(),
			Purposes: []identitytypes.KeyPurpose{identitytypes.KEY_PURPOSE_AUTHENTICATION}, Status: identitytypes.KEY_STATUS_ACTIVE, AddedAt: t0},
	}
	challenge := bytes.Repeat([]byte{0x5c}, 32)
	h.request = verifier.PresentationRequest{Presentation: h.present(challenge), Challenge: challenge}
	return h
}

// present signs challenge for the attestation with the holder's key.
func (h *held) present(challenge []byte) identitytypes.SignedPresentation {
	p := identitytypes.SignedPresentation{ChainID: chainID, Anchor: holderDID, KeyID: "key-1", Attestation: h.id(), Challenge: challenge}
	msg, err := p.SignBytes()
	require.NoError(h.t, err)
	p.Signature, err = h.holder.Sign(msg)
	require.NoError(h.t, err)
	return p
}

// values are the attestation's values and the anchor's and key's records,
// at the attestation's height, keyed as the identity keeper's collections.
func (h *held) values() []verifier.ProvenValue {
	values := h.issued.values()
	height := values[0].Height
	add := func(prefix collections.Prefix, raw []byte, m interface{ Marshal() ([]byte, error) }, absent bool) {
		var bz []byte
		if !absent {
			var err error
			bz, err = m.Marshal()
			require.NoError(h.t, err)
		}
		values = append(values, verifier.ProvenValue{Store: identitytypes.StoreKey, Key: append(prefix.Bytes(), raw...), Value: bz, Absent: absent, Height: height})
	}
	// 0x01 | anchor id; 0x02 | anchor id 0x00 | key id.
	add(identitytypes.AnchorsKey, []byte(holderDID), &h.anchor, false)
	add(identitytypes.KeysKey, []byte(holderDID+"\x00key-1"), &h.key, h.noKey)
	return values
}

func (h *held) decide() verifier.PresentationVerdict {
	h.t.Helper()
	v, err := verifier.DecidePresentation(chainID, h.request, h.values(), anchoredAt)
	require.NoError(h.t, err)
	return v
}

// codes are the reason codes of v.
func codes(v verifier.PresentationVerdict) []string {
	out := []string{}
	for _, r := range v.Reasons {
		code, _, _ := strings.Cut(r, ":")
		out = append(out, code)
	}
	return out
}

// TestDecidePresentationHeld checks a presentation signed by the subject's
// authentication key over the expected challenge is held, for each kind of
// holder key, next to the attestation's own verdict.
func TestDecidePresentationHeld(t *testing.T) {
	for _, scheme := range []bcrypto.Scheme{bcrypto.SchemeEd25519, bcrypto.SchemeP256, bcrypto.SchemeSM2, bcrypto.SchemeSecp256k1} {
		h := newHeld(t, scheme)
		v := h.decide()
		require.True(t, v.Held, "%s: %v", scheme, v.Reasons)
		require.Empty(t, v.Reasons, scheme)
		require.True(t, v.Attestation.Authentic && v.Attestation.Entitled, scheme)
		require.Equal(t, "key-1", v.Key.KeyId)
	}
}

// TestDecidePresentationReasons checks each way a presentation fails to
// show the presenter holds the subject, one reason per case.
func TestDecidePresentationReasons(t *testing.T) {
	cases := []struct {
		name string
		edit func(h *held)
		want string
	}{
		{"another subject", func(h *held) {
			p := h.att.Payload
			p.Subject = "did:baynet:ffffffffffffffffffffffffffffffff"
			h.issued.sign(p)
			h.request.Presentation = h.present(h.request.Challenge)
		}, verifier.ReasonSubjectMismatch},
		{"a deactivated anchor", func(h *held) { h.anchor.Status = identitytypes.ANCHOR_STATUS_DEACTIVATED }, verifier.ReasonAnchorInactive},
		{"a key not of the anchor", func(h *held) { h.noKey = true }, verifier.ReasonKeyUnknown},
		{"a revoked key", func(h *held) {
			h.key.Status = identitytypes.KEY_STATUS_REVOKED
			h.key.RevokedAt, h.key.RevokedHeight = &anchoredAt, 8
		}, verifier.ReasonKeyRevoked},
		{"an assertion key", func(h *held) {
			h.key.Purposes = []identitytypes.KeyPurpose{identitytypes.KEY_PURPOSE_ASSERTION}
		}, verifier.ReasonKeyPurpose},
		{"a tampered signature", func(h *held) { h.request.Presentation.Signature[3] ^= 1 }, verifier.ReasonSignatureInvalid},
		{"another key's signature", func(h *held) {
			other, err := bcrypto.GenerateKey(bcrypto.SchemeEd25519)
			require.NoError(t, err)
			h.holder = other
			h.request.Presentation = h.present(h.request.Challenge)
		}, verifier.ReasonSignatureInvalid},
		{"a presentation for another chain", func(h *held) {
			h.request.Presentation.ChainID = "baynet-other"
		}, verifier.ReasonSignatureInvalid},
		{"another challenge", func(h *held) {
			h.request.Presentation = h.present(bytes.Repeat([]byte{0x11}, 16))
		}, verifier.ReasonChallengeMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHeld(t, bcrypto.SchemeP256)
			c.edit(h)
			v := h.decide()
			require.False(t, v.Held)
			require.Equal(t, []string{c.want}, codes(v), "%v", v.Reasons)
		})
	}
}

// TestDecidePresentationsBatch checks a batch decides each presentation as
// alone, in order, and that one that cannot be decided does not stop the
// others.
func TestDecidePresentationsBatch(t *testing.T) {
	h := newHeld(t, bcrypto.SchemeEd25519)
	good := h.request
	wrong := good
	wrong.Challenge = bytes.Repeat([]byte{0x22}, 16)
	forged := good
	forged.Presentation.Signature = bytes.Clone(good.Presentation.Signature)
	forged.Presentation.Signature[0] ^= 1
	unknown := good
	unknown.Presentation.Attestation = bytes.Repeat([]byte{0xee}, 32)
	short := good
	short.Challenge = []byte{1, 2, 3}

	res := verifier.DecidePresentations(chainID, []verifier.PresentationRequest{good, wrong, unknown, forged, short, good}, h.values(), anchoredAt)
	require.Len(t, res, 6)
	require.NoError(t, res[0].Err)
	require.True(t, res[0].Verdict.Held)
	require.Equal(t, []string{verifier.ReasonChallengeMismatch}, codes(res[1].Verdict))
	require.ErrorIs(t, res[2].Err, verifier.ErrInconsistent, "the unknown attestation's key is not among the values")
	require.Equal(t, []string{verifier.ReasonSignatureInvalid}, codes(res[3].Verdict))
	require.ErrorContains(t, res[4].Err, "expected challenge")
	require.True(t, res[5].Verdict.Held)
}
