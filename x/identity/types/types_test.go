package types_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/baynet/baynet/x/identity/types"
)

// TestCommitment checks the documented construction, computed here by hand,
// and that every input changes it.
func TestCommitment(t *testing.T) {
	salt := bytes.Repeat([]byte{0x5a}, 32)
	got, err := types.Commitment("GD", "CN-RIC", "44030119900101123X", salt)
	require.NoError(t, err)
	want := sha256.Sum256(append([]byte("baynet/identity/v1/commitment\x00GD\x00CN-RIC\x0044030119900101123X"), salt...))
	require.Equal(t, want[:], got)

	for name, c := range map[string]func() ([]byte, error){
		"region":     func() ([]byte, error) { return types.Commitment("HK", "CN-RIC", "44030119900101123X", salt) },
		"id scheme":  func() ([]byte, error) { return types.Commitment("GD", "HKID", "44030119900101123X", salt) },
		"identifier": func() ([]byte, error) { return types.Commitment("GD", "CN-RIC", "44030119900101124X", salt) },
		"salt": func() ([]byte, error) {
			return types.Commitment("GD", "CN-RIC", "44030119900101123X", bytes.Repeat([]byte{1}, 32))
		},
	} {
		other, err := c()
		require.NoError(t, err, name)
		require.NotEqual(t, got, other, name)
	}
	for name, c := range map[string]func() ([]byte, error){
		"short salt":         func() ([]byte, error) { return types.Commitment("GD", "CN-RIC", "x", salt[:31]) },
		"lower-case region":  func() ([]byte, error) { return types.Commitment("gd", "CN-RIC", "x", salt) },
		"lower-case scheme":  func() ([]byte, error) { return types.Commitment("GD", "cn-ric", "x", salt) },
		"empty identifier":   func() ([]byte, error) { return types.Commitment("GD", "CN-RIC", "", salt) },
		"NUL in identifier":  func() ([]byte, error) { return types.Commitment("GD", "CN-RIC", "a\x00b", salt) },
		"oversized identity": func() ([]byte, error) { return types.Commitment("GD", "CN-RIC", string(make([]byte, 257)), salt) },
	} {
		_, err := c()
		require.Error(t, err, name)
	}
}

func TestAnchorID(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	id := types.AnchorID("baynet-dev", "ed25519", key)
	h := sha256.Sum256(append([]byte("baynet/identity/v1/anchor\x00baynet-dev\x00ed25519\x00"), key...))
	require.Equal(t, "did:baynet:"+hex.EncodeToString(h[:16]), id)
	require.NoError(t, types.ValidateAnchorID(id))
	require.NotEqual(t, id, types.AnchorID("baynet-test", "ed25519", key), "bound to the chain")
}

// TestSignBytes pins what a holder key signs, byte for byte, against an
// encoding built field by field here: README.md documents this.
func TestSignBytes(t *testing.T) {
	pk := bytes.Repeat([]byte{1}, 32)
	anchor := "did:baynet:0123456789abcdef0123456789abcdef"
	p := &types.KeyPossession{
		ChainId: "baynet-dev", AnchorId: anchor, Sequence: 3, KeyId: "key-2", Scheme: "ed25519", PublicKey: pk,
		Purposes: []types.KeyPurpose{types.KEY_PURPOSE_AUTHENTICATION, types.KEY_PURPOSE_ASSERTION},
	}
	var body []byte
	body = protowire.AppendTag(body, 1, protowire.BytesType)
	body = protowire.AppendString(body, "baynet-dev")
	body = protowire.AppendTag(body, 2, protowire.BytesType)
	body = protowire.AppendString(body, anchor)
	body = protowire.AppendTag(body, 3, protowire.VarintType)
	body = protowire.AppendVarint(body, 3)
	body = protowire.AppendTag(body, 4, protowire.BytesType)
	body = protowire.AppendString(body, "key-2")
	body = protowire.AppendTag(body, 5, protowire.BytesType)
	body = protowire.AppendString(body, "ed25519")
	body = protowire.AppendTag(body, 6, protowire.BytesType)
	body = protowire.AppendBytes(body, pk)
	body = protowire.AppendTag(body, 7, protowire.BytesType) // packed
	body = protowire.AppendBytes(body, []byte{1, 2})
	require.Equal(t, append([]byte("baynet/identity/v1/pop\n"), body...), types.PossessionSignBytes(p))
	require.Equal(t, append([]byte("baynet/identity/v1/create\n"), body...), types.CreateSignBytes(p))
	require.Equal(t, append([]byte("baynet/identity/v1/recover\n"), body...), types.RecoverSignBytes(p))

	c := bytes.Repeat([]byte{9}, 32)
	var link []byte
	link = protowire.AppendTag(link, 1, protowire.BytesType)
	link = protowire.AppendString(link, "baynet-dev")
	link = protowire.AppendTag(link, 2, protowire.BytesType)
	link = protowire.AppendString(link, anchor)
	link = protowire.AppendTag(link, 3, protowire.BytesType)
	link = protowire.AppendString(link, "GD:idp")
	link = protowire.AppendTag(link, 4, protowire.BytesType)
	link = protowire.AppendString(link, "GD")
	link = protowire.AppendTag(link, 5, protowire.BytesType)
	link = protowire.AppendBytes(link, c)
	// sequence 0 is the default, so it is left out.
	require.Equal(t, append([]byte("baynet/identity/v1/link\n"), link...),
		types.LinkSignBytes(&types.LinkApproval{ChainId: "baynet-dev", AnchorId: anchor, Idp: "GD:idp", Region: "GD", Commitment: c}))

	require.Equal(t, []byte("baynet/identity/v1/op\n\x01\x02"), types.OperationSignBytes([]byte{1, 2}))

	att, challenge := bytes.Repeat([]byte{0xa1}, 32), bytes.Repeat([]byte{0xc4}, 16)
	var present []byte
	present = protowire.AppendTag(present, 1, protowire.BytesType)
	present = protowire.AppendString(present, "baynet-dev")
	present = protowire.AppendTag(present, 2, protowire.BytesType)
	present = protowire.AppendString(present, anchor)
	present = protowire.AppendTag(present, 3, protowire.BytesType)
	present = protowire.AppendString(present, "key-2")
	present = protowire.AppendTag(present, 4, protowire.BytesType)
	present = protowire.AppendBytes(present, att)
	present = protowire.AppendTag(present, 5, protowire.BytesType)
	present = protowire.AppendBytes(present, challenge)
	got, err := types.PresentationSignBytes("baynet-dev", anchor, "key-2", att, challenge)
	require.NoError(t, err)
	require.Equal(t, append([]byte("baynet/identity/v1/present\n"), present...), got)
	// The same bytes in hex, for implementations in other languages.
	require.Equal(t, "6261796e65742f6964656e746974792f76312f70726573656e740a"+
		"0a0a6261796e65742d646576"+
		"122b6469643a6261796e65743a3031323334353637383961626364656630313233343536373839616263646566"+
		"1a056b65792d32"+
		"2220"+strings.Repeat("a1", 32)+
		"2a10"+strings.Repeat("c4", 16), hex.EncodeToString(got))
	for _, n := range []int{0, types.MinChallengeBytes - 1, types.MaxChallengeBytes + 1} {
		_, err := types.PresentationSignBytes("baynet-dev", anchor, "key-2", att, make([]byte, n))
		require.Error(t, err, "a challenge of %d bytes", n)
	}
	_, err = types.PresentationSignBytes("baynet-dev", anchor, "", att, challenge)
	require.Error(t, err, "no key id")
}

// TestDecodeHolderOperation accepts exactly the canonical encoding.
func TestDecodeHolderOperation(t *testing.T) {
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	op := &types.HolderOperation{
		ChainId: "baynet-dev", AnchorId: "did:baynet:0123456789abcdef0123456789abcdef", Sequence: 7,
		Op: &types.HolderOperation_GrantConsent{GrantConsent: &types.GrantConsent{
			Verifier: "HK:bank", Purpose: "kyc", CredentialTypes: []string{"GD:business-licence"}, ValidUntil: &until,
		}},
	}
	payload, err := op.Marshal()
	require.NoError(t, err)
	got, err := types.DecodeHolderOperation(payload)
	require.NoError(t, err)
	require.Equal(t, op, got)
	require.NoError(t, got.ValidateBasic())
	require.Equal(t, "grant_consent", got.OperationName())

	// The same operation with its fields in another order decodes to the
	// same value, but is not canonical.
	var reordered []byte
	reordered = protowire.AppendTag(reordered, 3, protowire.VarintType)
	reordered = protowire.AppendVarint(reordered, 7)
	reordered = protowire.AppendTag(reordered, 1, protowire.BytesType)
	reordered = protowire.AppendString(reordered, "baynet-dev")
	rest, err := (&types.HolderOperation{AnchorId: op.AnchorId, Op: op.Op}).Marshal()
	require.NoError(t, err)
	reordered = append(reordered, rest...)
	var decoded types.HolderOperation
	require.NoError(t, decoded.Unmarshal(reordered))
	require.Equal(t, op, &decoded)
	_, err = types.DecodeHolderOperation(reordered)
	require.ErrorIs(t, err, types.ErrInvalidPayload)

	_, err = types.DecodeHolderOperation(nil)
	require.ErrorIs(t, err, types.ErrInvalidPayload)
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	for name, change := range map[string]func(p *types.Params){
		"no keys":         func(p *types.Params) { p.MaxKeysPerAnchor = 0 },
		"65 keys":         func(p *types.Params) { p.MaxKeysPerAnchor = 65 },
		"no links":        func(p *types.Params) { p.MaxLinksPerAnchor = 0 },
		"no consents":     func(p *types.Params) { p.MaxConsentsPerAnchor = 0 },
		"instant recover": func(p *types.Params) { p.RecoveryDelay = 0 },
		"two-year delay":  func(p *types.Params) { p.RecoveryDelay = 2 * 365 * 24 * time.Hour },
	} {
		p := types.DefaultParams()
		change(&p)
		require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, name)
	}
}
