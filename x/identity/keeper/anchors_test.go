package keeper_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

var holderSchemes = []bcrypto.Scheme{bcrypto.SchemeEd25519, bcrypto.SchemeSecp256k1, bcrypto.SchemeP256, bcrypto.SchemeSM2}

func TestCreateAnchor(t *testing.T) {
	for _, scheme := range holderSchemes {
		t.Run(string(scheme), func(t *testing.T) {
			f := newFixture(t)
			h := newHolder(t, scheme, "key-1")
			id := f.create(h)

			// The id is the documented derivation, computed here independently.
			want := sha256Hex(t, []byte("baynet/identity/v1/anchor\x00"+chainID+"\x00"+string(scheme)+"\x00"), h.public())
			require.Equal(t, "did:baynet:"+want[:32], id)
			require.Equal(t, types.Anchor{
				Id: id, Status: types.ANCHOR_STATUS_ACTIVE, Sequence: 0, CreatedAt: t0, UpdatedAt: t0,
				ActiveKeys: []string{"key-1"}, CreatedBy: "GD:amr",
			}, f.anchor(id))
			require.Equal(t, types.AnchorKey{
				AnchorId: id, KeyId: "key-1", Scheme: string(scheme), PublicKey: h.public(), Purposes: bothPurposes,
				Status: types.KEY_STATUS_ACTIVE, AddedAt: t0, AddedHeight: 10,
			}, f.anchorKey(id, "key-1"))
			require.Equal(t, []*types.EventAnchorCreated{{AnchorId: id, Relayer: "GD:amr"}}, events[*types.EventAnchorCreated](t, f.ctx))
			require.Equal(t, []*types.EventKeyAdded{{AnchorId: id, KeyId: "key-1", Scheme: string(scheme), Purposes: bothPurposes}},
				events[*types.EventKeyAdded](t, f.ctx))
			require.GreaterOrEqual(t, f.ctx.GasMeter().GasConsumed(), uint64(types.GasPerSignature), "the proof of possession is charged")
		})
	}
}

// TestCreateAnchorCanonicalisesKey gives the first key uncompressed and as
// PKIX DER: the chain stores, and the proof of possession covers, the
// compressed point, so all encodings make the same anchor.
func TestCreateAnchorCanonicalisesKey(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	pkix, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	require.NoError(t, err)
	uncompressed, err := priv.PublicKey.Bytes()
	require.NoError(t, err)
	compressed := elliptic.MarshalCompressed(elliptic.P256(), priv.X, priv.Y)
	h := holder{id: "key-1", key: p256Holder(t, priv)}
	require.Equal(t, compressed, h.public())

	for name, encoding := range map[string][]byte{"uncompressed": uncompressed, "pkix": pkix} {
		f := newFixture(t)
		msg := createMsg(t, h)
		msg.PublicKey = encoding
		res, err := f.ms.CreateAnchor(f.ctx, msg)
		require.NoError(t, err, name)
		require.Equal(t, types.AnchorID(chainID, "p256", compressed), res.AnchorId, name)
		require.Equal(t, compressed, f.anchorKey(res.AnchorId, "key-1").PublicKey, name)
	}
}

func TestCreateAnchorRejects(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	other := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	tests := []struct {
		name   string
		mutate func(f *fixture, m *types.MsgCreateAnchor)
		want   error
		msg    string
	}{
		{"relayer is no agency", func(_ *fixture, m *types.MsgCreateAnchor) { m.Relayer = bech("stranger") }, types.ErrNotRelayer, "no agency"},
		{"relayer suspended", func(f *fixture, m *types.MsgCreateAnchor) { f.regions.setStatus("GD:amr", 2) }, types.ErrNotRelayer, "SUSPENDED"},
		{"relayer address malformed", func(_ *fixture, m *types.MsgCreateAnchor) { m.Relayer = "cosmos1xyz" }, types.ErrInvalidAddress, "relayer"},
		{"key id empty", func(_ *fixture, m *types.MsgCreateAnchor) { m.KeyId = "" }, types.ErrInvalidKey, "key id"},
		{"key id too long", func(_ *fixture, m *types.MsgCreateAnchor) { m.KeyId = strings.Repeat("k", 65) }, types.ErrInvalidKey, "key id"},
		{"key id with a space", func(_ *fixture, m *types.MsgCreateAnchor) { m.KeyId = "key 1" }, types.ErrInvalidKey, "key id"},
		{"scheme p384", func(_ *fixture, m *types.MsgCreateAnchor) { m.Scheme = "p384" }, types.ErrInvalidKey, "ed25519, secp256k1, p256 or sm2"},
		{"scheme rsa", func(_ *fixture, m *types.MsgCreateAnchor) { m.Scheme = "rsa-pss-sha256" }, types.ErrInvalidKey, "ed25519, secp256k1, p256 or sm2"},
		{"scheme unknown", func(_ *fixture, m *types.MsgCreateAnchor) { m.Scheme = "Ed25519" }, types.ErrInvalidKey, "scheme"},
		{"public key empty", func(_ *fixture, m *types.MsgCreateAnchor) { m.PublicKey = nil }, types.ErrInvalidKey, "public key"},
		{"public key oversized", func(_ *fixture, m *types.MsgCreateAnchor) { m.PublicKey = make([]byte, types.MaxPublicKeyBytes+1) },
			types.ErrInvalidKey, "public key must be"},
		{"no purpose", func(_ *fixture, m *types.MsgCreateAnchor) { m.Purposes = nil }, types.ErrInvalidKey, "purpose"},
		{"unknown purpose", func(_ *fixture, m *types.MsgCreateAnchor) { m.Purposes = []types.KeyPurpose{7} }, types.ErrInvalidKey, "purpose"},
		{"purpose twice", func(_ *fixture, m *types.MsgCreateAnchor) {
			m.Purposes = []types.KeyPurpose{types.KEY_PURPOSE_AUTHENTICATION, types.KEY_PURPOSE_AUTHENTICATION}
		}, types.ErrInvalidKey, "twice"},
		{"first key cannot authenticate", func(_ *fixture, m *types.MsgCreateAnchor) {
			m.Purposes = []types.KeyPurpose{types.KEY_PURPOSE_ASSERTION}
		}, types.ErrKeyPurpose, "authentication"},
		{"no proof of possession", func(_ *fixture, m *types.MsgCreateAnchor) { m.PopSignature = nil }, types.ErrInvalidSignature, "proof of possession"},
		{"oversized proof of possession", func(_ *fixture, m *types.MsgCreateAnchor) { m.PopSignature = make([]byte, types.MaxSignatureBytes+1) },
			types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession by another key", func(_ *fixture, m *types.MsgCreateAnchor) { m.PopSignature = createMsg(t, other).PopSignature },
			types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession for another chain", func(_ *fixture, m *types.MsgCreateAnchor) {
			nk := types.NewKey{KeyId: h.id, Scheme: h.scheme(), PublicKey: h.public(), Purposes: bothPurposes}
			m.PopSignature = h.sign(t, types.CreateSignBytes(nk.Possession("baynet-other", types.AnchorID("baynet-other", h.scheme(), h.public()), 0, h.public())))
		}, types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession for other purposes", func(_ *fixture, m *types.MsgCreateAnchor) {
			m.Purposes = []types.KeyPurpose{types.KEY_PURPOSE_AUTHENTICATION}
		}, types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession under another domain", func(_ *fixture, m *types.MsgCreateAnchor) {
			nk := types.NewKey{KeyId: h.id, Scheme: h.scheme(), PublicKey: h.public(), Purposes: bothPurposes}
			m.PopSignature = h.sign(t, types.PossessionSignBytes(nk.Possession(chainID, h.anchorID(), 0, h.public())))
		}, types.ErrInvalidSignature, "proof of possession"},
		{"anchor exists", func(f *fixture, _ *types.MsgCreateAnchor) { f.create(h) }, types.ErrDuplicateAnchor, h.anchorID()},
		{"key held by another anchor", func(f *fixture, _ *types.MsgCreateAnchor) {
			a := f.create(other)
			f.apply(other, a, addKeyOp(newKey(t, holder{id: "key-2", key: h.key}, a, 0)))
		}, types.ErrDuplicateKey, "already"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			msg := createMsg(t, h)
			tc.mutate(f, msg)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.CreateAnchor(ctx, msg)
				return err
			}, tc.want, tc.msg)
		})
	}
}

// TestCreateAnchorRejectsMalformedKeys refuses a bad public key of every
// holder scheme.
func TestCreateAnchorRejectsMalformedKeys(t *testing.T) {
	compressedX := func(prefix, x byte) []byte {
		b := make([]byte, 33)
		b[0], b[32] = prefix, x
		return b
	}
	p256 := newHolder(t, bcrypto.SchemeP256, "k").public()
	for _, c := range []struct {
		name, scheme string
		key          []byte
	}{
		{"ed25519 of 31 bytes", "ed25519", make([]byte, 31)},
		{"ed25519 off the curve", "ed25519", append([]byte{2}, make([]byte, 31)...)},
		{"ed25519 given a P-256 key", "ed25519", p256},
		{"secp256k1 x with no point", "secp256k1", compressedX(2, 5)},
		{"secp256k1 hybrid prefix", "secp256k1", compressedX(6, 5)},
		{"secp256k1 of 32 bytes", "secp256k1", make([]byte, 32)},
		{"p256 bad prefix", "p256", compressedX(5, 1)},
		{"p256 point off the curve", "p256", append([]byte{4}, make([]byte, 64)...)},
		{"p256 given an ed25519 key", "p256", make([]byte, 32)},
		{"sm2 x above the field prime", "sm2", append([]byte{2}, bytes.Repeat([]byte{0xff}, 32)...)},
		{"sm2 truncated", "sm2", p256[:20]},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			msg := createMsg(t, newHolder(t, bcrypto.SchemeEd25519, "key-1"))
			msg.Scheme, msg.PublicKey = c.scheme, c.key
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.CreateAnchor(ctx, msg)
				return err
			}, types.ErrInvalidKey, "malformed public key")
		})
	}
}

func sha256Hex(t *testing.T, parts ...[]byte) string {
	t.Helper()
	h := sha256.Sum256(bytes.Join(parts, nil))
	return hex.EncodeToString(h[:])
}

// p256Holder turns a Go P-256 key into a holder key, through its PKCS#8 PEM.
func p256Holder(t *testing.T, priv *ecdsa.PrivateKey) bcrypto.PrivateKey {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	k, err := bcrypto.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	require.NoError(t, err)
	return k
}
