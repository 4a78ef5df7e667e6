package types_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/baynet/baynet/x/certs/types"
)

// vectorPayload is the test vector of x/certs/README.md.
func vectorPayload() types.AttestationPayload {
	digest := func(start byte) []byte {
		out := make([]byte, 32)
		for i := range out {
			out[i] = start + byte(i)
		}
		return out
	}
	return types.AttestationPayload{
		ChainId:    "baynet-1",
		Type:       "GD:business-licence",
		Subject:    "did:baynet:3f9a1c2b7d4e5f60718293a4b5c6d7e8",
		LicenceId:  "91440101MA5CY1234X",
		Sha256:     digest(0x00),
		Sm3:        digest(0x20),
		ValidFrom:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
		ValidUntil: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
		Issuer:     "GD:amr",
		KeyId:      "sign-1",
	}
}

const (
	vectorSignBytes = "6261796e65742f63657274732f76312f6174746573746174696f6e0a" + // "baynet/certs/v1/attestation\n"
		"0a08" + "6261796e65742d31" + // 1: chain_id
		"1213" + "47443a627573696e6573732d6c6963656e6365" + // 2: type
		"1a2b" + "6469643a6261796e65743a3366396131633262376434653566363037313832393361346235633664376538" + // 3: subject
		"2212" + "39313434303130314d413543593132333458" + // 4: licence_id
		"2a20" + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + // 5: sha256
		"3220" + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f" + // 6: sm3
		"38" + "80f2d6ca06" + // 7: valid_from 1767225600
		"40" + "8098f49507" + // 8: valid_until 1924992000
		"4a06" + "47443a616d72" + // 9: issuer
		"5206" + "7369676e2d31" // 10: key_id
	vectorID = "a2868f0b671b357527bd1d7997c8c4d9e32cf0b9152e74c9a565b2b02d8477e6"
)

// TestSignBytesVector pins the canonical encoding of README.md's vector.
func TestSignBytesVector(t *testing.T) {
	p := vectorPayload()
	require.Equal(t, vectorSignBytes, hex.EncodeToString(p.SignBytes()))
	sum := sha256.Sum256(p.SignBytes())
	require.Equal(t, hex.EncodeToString(sum[:]), p.ID())
	require.Equal(t, vectorID, p.ID())
}

// TestSignBytesMatchIndependentEncoding rebuilds the sign bytes with
// protowire, following only the rules README.md states, for payloads with
// and without the optional fields.
func TestSignBytesMatchIndependentEncoding(t *testing.T) {
	full := vectorPayload()
	minimal := full
	minimal.Subject, minimal.Sm3, minimal.ValidUntil = "", nil, 0
	for _, p := range []types.AttestationPayload{full, minimal} {
		want := []byte(types.SignBytesPrefix)
		str := func(num protowire.Number, s string) {
			if s != "" {
				want = protowire.AppendTag(want, num, protowire.BytesType)
				want = protowire.AppendString(want, s)
			}
		}
		bytes := func(num protowire.Number, b []byte) {
			if len(b) != 0 {
				want = protowire.AppendTag(want, num, protowire.BytesType)
				want = protowire.AppendBytes(want, b)
			}
		}
		varint := func(num protowire.Number, v int64) {
			if v != 0 {
				want = protowire.AppendTag(want, num, protowire.VarintType)
				want = protowire.AppendVarint(want, uint64(v))
			}
		}
		str(1, p.ChainId)
		str(2, p.Type)
		str(3, p.Subject)
		str(4, p.LicenceId)
		bytes(5, p.Sha256)
		bytes(6, p.Sm3)
		varint(7, p.ValidFrom)
		varint(8, p.ValidUntil)
		str(9, p.Issuer)
		str(10, p.KeyId)
		require.Equal(t, hex.EncodeToString(want), hex.EncodeToString(p.SignBytes()))
	}
}

func TestPayloadValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *types.AttestationPayload)
		want   string // "" for valid
	}{
		{"the vector", func(*types.AttestationPayload) {}, ""},
		{"no subject", func(p *types.AttestationPayload) { p.Subject = "" }, ""},
		{"sha256 only", func(p *types.AttestationPayload) { p.Sm3 = nil }, ""},
		{"sm3 only", func(p *types.AttestationPayload) { p.Sha256 = nil }, ""},
		{"open-ended", func(p *types.AttestationPayload) { p.ValidUntil = 0 }, ""},
		{"licence of 64 characters", func(p *types.AttestationPayload) { p.LicenceId = strings.Repeat("A", 64) }, ""},
		{"no chain id", func(p *types.AttestationPayload) { p.ChainId = "" }, "chain id"},
		{"type without region", func(p *types.AttestationPayload) { p.Type = "business-licence" }, "type"},
		{"subject not an anchor", func(p *types.AttestationPayload) { p.Subject = "did:web:example.org" }, "subject"},
		{"subject with upper-case hex", func(p *types.AttestationPayload) { p.Subject = strings.ToUpper(p.Subject) }, "subject"},
		{"subject with a short id", func(p *types.AttestationPayload) { p.Subject = p.Subject[:len(p.Subject)-1] }, "subject"},
		{"subject with a long id", func(p *types.AttestationPayload) { p.Subject += "0" }, "subject"},
		{"subject not hex", func(p *types.AttestationPayload) { p.Subject = "did:baynet:" + strings.Repeat("g", 32) }, "subject"},
		{"subject without id", func(p *types.AttestationPayload) { p.Subject = "did:baynet:" }, "subject"},
		{"no licence id", func(p *types.AttestationPayload) { p.LicenceId = "" }, "licence id"},
		{"licence id too long", func(p *types.AttestationPayload) { p.LicenceId = strings.Repeat("A", 65) }, "licence id"},
		{"licence id with a space", func(p *types.AttestationPayload) { p.LicenceId = "9144 0101" }, "visible ASCII"},
		{"licence id not ASCII", func(p *types.AttestationPayload) { p.LicenceId = "粤123" }, "visible ASCII"},
		{"sha256 of 31 bytes", func(p *types.AttestationPayload) { p.Sha256 = make([]byte, 31) }, "sha256 digest must be 32 bytes"},
		{"sm3 of 33 bytes", func(p *types.AttestationPayload) { p.Sm3 = make([]byte, 33) }, "sm3 digest must be 32 bytes"},
		{"no digest", func(p *types.AttestationPayload) { p.Sha256, p.Sm3 = nil, nil }, "digest"},
		{"validity ends before it starts", func(p *types.AttestationPayload) { p.ValidUntil = p.ValidFrom - 1 }, "before it starts"},
		{"validity ends as it starts", func(p *types.AttestationPayload) { p.ValidUntil = p.ValidFrom }, "before it starts"},
		{"no start", func(p *types.AttestationPayload) { p.ValidFrom = 0 }, "valid_from"},
		{"negative end", func(p *types.AttestationPayload) { p.ValidUntil = -5 }, "valid_until"},
		{"start after year 9999", func(p *types.AttestationPayload) { p.ValidFrom = 1 << 40 }, "valid_from"},
		{"issuer without region", func(p *types.AttestationPayload) { p.Issuer = "amr" }, "issuer"},
		{"no key id", func(p *types.AttestationPayload) { p.KeyId = "" }, "key id"},
		{"key id with a slash", func(p *types.AttestationPayload) { p.KeyId = "a/b" }, "key id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := vectorPayload()
			tc.change(&p)
			err := p.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrInvalidAttestation)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestExpiresAt(t *testing.T) {
	p := vectorPayload()
	year := types.CredentialType{DefaultValidity: 365 * 24 * time.Hour}
	require.Equal(t, p.ValidUntil, types.ExpiresAt(p, year), "the payload's end wins")
	p.ValidUntil = 0
	require.Equal(t, p.ValidFrom+365*24*3600, types.ExpiresAt(p, year))
	require.Zero(t, types.ExpiresAt(p, types.CredentialType{}), "no default validity: never expires")
}

func TestItemErrorIndex(t *testing.T) {
	err := types.ItemError(37, types.ErrInvalidSignature)
	log := "failed to execute message; message index: 0: " + err.Error()
	i, ok := types.ItemErrorIndex(log)
	require.True(t, ok)
	require.Equal(t, 37, i)
	_, ok = types.ItemErrorIndex("out of gas in location: certs: attestations")
	require.False(t, ok)
}

func TestParseID(t *testing.T) {
	id := vectorPayload().ID()
	bz, err := types.ParseID(id)
	require.NoError(t, err)
	require.Len(t, bz, 32)
	_, err = types.ParseID(strings.ToUpper(id))
	require.NoError(t, err)
	_, err = types.ParseID(id[:63])
	require.ErrorIs(t, err, types.ErrInvalidRequest)
	_, err = types.ParseID("zz" + id[2:])
	require.ErrorIs(t, err, types.ErrInvalidRequest)
	require.True(t, types.IsCanonicalID(id))
	require.False(t, types.IsCanonicalID(strings.ToUpper(id)))
}
