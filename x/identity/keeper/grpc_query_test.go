package keeper_test

import (
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm2/sm2ec"
	"github.com/ethereum/go-ethereum/crypto/secp256k1"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// jwkOf computes a key's JWK coordinates with the curve libraries directly.
func jwkOf(t *testing.T, scheme bcrypto.Scheme, compressed []byte) (crv, x, y string) {
	t.Helper()
	enc := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	switch scheme {
	case bcrypto.SchemeSecp256k1:
		px, py := secp256k1.DecompressPubkey(compressed)
		return "secp256k1", enc(px.FillBytes(make([]byte, 32))), enc(py.FillBytes(make([]byte, 32)))
	case bcrypto.SchemeP256:
		px, py := elliptic.UnmarshalCompressed(elliptic.P256(), compressed)
		return "P-256", enc(px.FillBytes(make([]byte, 32))), enc(py.FillBytes(make([]byte, 32)))
	case bcrypto.SchemeSM2:
		px, py := sm2ec.UnmarshalCompressed(sm2.P256(), compressed)
		return "SM2", enc(px.FillBytes(make([]byte, 32))), enc(py.FillBytes(make([]byte, 32)))
	}
	t.Fatalf("no JWK for %s", scheme)
	return
}

func TestResolveDID(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	keys := map[bcrypto.Scheme]holder{}
	for i, s := range []bcrypto.Scheme{bcrypto.SchemeSecp256k1, bcrypto.SchemeP256, bcrypto.SchemeSM2} {
		k := newHolder(t, s, "k-"+string(s))
		keys[s] = k
		f.apply(h, a, addKeyOp(newKey(t, k, a, uint64(i), types.KEY_PURPOSE_ASSERTION)))
	}
	f.advance(time.Hour)
	revoked := newHolder(t, bcrypto.SchemeEd25519, "old")
	f.apply(h, a, addKeyOp(newKey(t, revoked, a, 3)))
	f.apply(h, a, revokeKeyOp("old", ""))

	res, err := f.qs.ResolveDID(f.ctx, &types.QueryResolveDIDRequest{Did: a})
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.DidDocument), &doc))

	vm := func(id, typ string, extra map[string]any) map[string]any {
		m := map[string]any{"id": a + "#" + id, "type": typ, "controller": a}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	jwk := func(s bcrypto.Scheme) map[string]any {
		crv, x, y := jwkOf(t, s, keys[s].public())
		return map[string]any{"publicKeyJwk": map[string]any{"kty": "EC", "crv": crv, "x": x, "y": y}}
	}
	multibase := "z" + base58(t, append([]byte{0xed, 0x01}, h.public()...))
	require.True(t, strings.HasPrefix(multibase, "z6Mk"), "every ed25519 multikey starts z6Mk: %s", multibase)
	want := map[string]any{
		"@context": []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/ed25519-2020/v1", "https://w3id.org/security/suites/jws-2020/v1"},
		"id":       a,
		// Keys in force only, in key-id order; the revoked key is gone.
		"verificationMethod": []any{
			vm("k-p256", "JsonWebKey2020", jwk(bcrypto.SchemeP256)),
			vm("k-secp256k1", "JsonWebKey2020", jwk(bcrypto.SchemeSecp256k1)),
			vm("k-sm2", "JsonWebKey2020", jwk(bcrypto.SchemeSM2)),
			vm("key-1", "Ed25519VerificationKey2020", map[string]any{"publicKeyMultibase": multibase}),
		},
		"authentication":  []any{a + "#key-1"},
		"assertionMethod": []any{a + "#k-p256", a + "#k-secp256k1", a + "#k-sm2", a + "#key-1"},
	}
	require.Equal(t, want, doc)
	require.JSONEq(t, `{"created":"2026-03-01T08:00:00Z","updated":"2026-03-01T09:00:00Z","versionId":"5"}`, res.DidDocumentMetadata)

	// A deactivated anchor resolves to a document without keys, marked so.
	f.apply(h, a, deactivateOp(""))
	res, err = f.qs.ResolveDID(f.ctx, &types.QueryResolveDIDRequest{Did: a})
	require.NoError(t, err)
	require.JSONEq(t, `{"@context":["https://www.w3.org/ns/did/v1"],"id":"`+a+`"}`, res.DidDocument)
	require.JSONEq(t, `{"created":"2026-03-01T08:00:00Z","updated":"2026-03-01T09:00:00Z","versionId":"6","deactivated":true}`, res.DidDocumentMetadata)

	for did, code := range map[string]codes.Code{
		"did:baynet:00000000000000000000000000000000": codes.NotFound,
		"did:example:123": codes.InvalidArgument,
	} {
		_, err := f.qs.ResolveDID(f.ctx, &types.QueryResolveDIDRequest{Did: did})
		require.Equal(t, code, status.Code(err), did)
	}
}

// base58 is an independent big-number base58btc encoder.
func base58(t *testing.T, b []byte) string {
	t.Helper()
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := append([]byte(nil), b...)
	var out []byte
	for len(n) > 0 {
		rem, next := 0, []byte{}
		for _, d := range n {
			acc := rem*256 + int(d)
			q := acc / 58
			rem = acc % 58
			if len(next) > 0 || q > 0 {
				next = append(next, byte(q))
			}
		}
		out = append([]byte{alphabet[rem]}, out...)
		n = next
	}
	for _, d := range b {
		if d != 0 {
			break
		}
		out = append([]byte{'1'}, out...)
	}
	return string(out)
}

func TestKeyQueries(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeSecp256k1, "key-1")
	a := f.create(h)
	for i := 0; i < 4; i++ {
		f.apply(h, a, addKeyOp(newKey(t, newHolder(t, bcrypto.SchemeEd25519, "k"+string(rune('a'+i))), a, uint64(i))))
	}

	owner, err := f.qs.KeyOwner(f.ctx, &types.QueryKeyOwnerRequest{Scheme: "secp256k1", PublicKey: h.public()})
	require.NoError(t, err)
	require.Equal(t, a, owner.Key.AnchorId)
	require.Equal(t, "key-1", owner.Key.KeyId)
	_, err = f.qs.KeyOwner(f.ctx, &types.QueryKeyOwnerRequest{Scheme: "secp256k1", PublicKey: newHolder(t, bcrypto.SchemeSecp256k1, "").public()})
	require.Equal(t, codes.NotFound, status.Code(err))

	// Paginated: two pages of the anchor's five keys, in key-id order.
	page1, err := f.qs.AnchorKeys(f.ctx, &types.QueryAnchorKeysRequest{AnchorId: a, Pagination: &query.PageRequest{Limit: 3}})
	require.NoError(t, err)
	page2, err := f.qs.AnchorKeys(f.ctx, &types.QueryAnchorKeysRequest{AnchorId: a, Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	var ids []string
	for _, k := range append(page1.Keys, page2.Keys...) {
		ids = append(ids, k.KeyId)
	}
	require.Equal(t, []string{"ka", "kb", "kc", "kd", "key-1"}, ids)

	key, err := f.qs.AnchorKey(f.ctx, &types.QueryAnchorKeyRequest{AnchorId: a, KeyId: "kb"})
	require.NoError(t, err)
	require.Equal(t, "ed25519", key.Key.Scheme)
	_, err = f.qs.AnchorKey(f.ctx, &types.QueryAnchorKeyRequest{AnchorId: a, KeyId: "zz"})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.qs.Anchor(f.ctx, &types.QueryAnchorRequest{AnchorId: "did:baynet:00000000000000000000000000000000"})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.qs.Link(f.ctx, &types.QueryLinkRequest{Commitment: "abc"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}
