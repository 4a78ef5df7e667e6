package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// TestHolderOperationRejects covers the rules every holder operation obeys,
// with a harmless operation (granting a consent) as the payload.
func TestHolderOperationRejects(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	until := t0.Add(30 * 24 * time.Hour)
	grant := func() *types.HolderOperation {
		return grantOp("HK:bank", "account-opening", until, "GD:business-licence")
	}
	tests := []struct {
		name string
		// msg builds the relayed message once the anchor exists.
		msg  func(f *fixture, anchor string) *types.MsgHolderOperation
		want error
		text string
	}{
		{"replay of an applied payload", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			_, err := f.ms.HolderOperation(f.ctx, msg)
			require.NoError(t, err)
			return msg
		}, types.ErrWrongSequence, "sequence 0"},
		{"payload for a later sequence", func(f *fixture, a string) *types.MsgHolderOperation {
			return opAt(t, h, a, 1, grant())
		}, types.ErrWrongSequence, "applies once"},
		{"payload for another chain", func(f *fixture, a string) *types.MsgHolderOperation {
			op := grant()
			msg := opAt(t, h, a, 0, op)
			op.ChainId = "baynet-other"
			msg.Payload, _ = op.Marshal()
			msg.Signature = h.sign(t, types.OperationSignBytes(msg.Payload))
			return msg
		}, types.ErrWrongChain, "baynet-other"},
		{"payload moved to another anchor", func(f *fixture, a string) *types.MsgHolderOperation {
			// Another anchor whose key has the same id: the payload names it,
			// but the signature is by h's key.
			other := newHolder(t, bcrypto.SchemeEd25519, "key-1")
			b := f.create(other)
			return opAt(t, h, b, 0, grant())
		}, types.ErrInvalidSignature, "holder signature"},
		{"signed by a key of another anchor", func(f *fixture, a string) *types.MsgHolderOperation {
			stranger := newHolder(t, bcrypto.SchemeSecp256k1, "key-1")
			f.create(stranger)
			return opAt(t, stranger, a, 0, grant())
		}, types.ErrInvalidSignature, "holder signature"},
		{"payload altered after signing", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			forged := grant()
			forged.GetGrantConsent().Verifier = "GD:someone-else"
			forged.ChainId, forged.AnchorId = chainID, a
			msg.Payload, _ = forged.Marshal()
			return msg
		}, types.ErrInvalidSignature, "holder signature"},
		{"signature corrupted", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Signature[3] ^= 1
			return msg
		}, types.ErrInvalidSignature, "holder signature"},
		{"signature missing", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Signature = nil
			return msg
		}, types.ErrInvalidSignature, "signature must be"},
		{"signature oversized", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Signature = make([]byte, types.MaxSignatureBytes+1)
			return msg
		}, types.ErrInvalidSignature, "signature must be"},
		{"unknown key id", func(f *fixture, a string) *types.MsgHolderOperation {
			return opAt(t, holder{id: "key-9", key: h.key}, a, 0, grant())
		}, types.ErrUnknownKey, "key-9"},
		{"revoked key", func(f *fixture, a string) *types.MsgHolderOperation {
			k2 := newHolder(t, bcrypto.SchemeP256, "key-2")
			f.apply(h, a, rotateKeyOp("key-1", newKey(t, k2, a, 0)))
			return f.op(h, a, grant())
		}, types.ErrKeyRevoked, "key-1"},
		{"assertion-only key", func(f *fixture, a string) *types.MsgHolderOperation {
			k2 := newHolder(t, bcrypto.SchemeSM2, "stamp")
			f.apply(h, a, addKeyOp(newKey(t, k2, a, 0, types.KEY_PURPOSE_ASSERTION)))
			return f.op(k2, a, grant())
		}, types.ErrKeyPurpose, "AUTHENTICATION"},
		{"deactivated anchor", func(f *fixture, a string) *types.MsgHolderOperation {
			f.apply(h, a, deactivateOp("moved abroad"))
			return f.op(h, a, grant())
		}, types.ErrAnchorDeactivated, ""},
		{"unknown anchor", func(f *fixture, a string) *types.MsgHolderOperation {
			return opAt(t, h, "did:baynet:00000000000000000000000000000000", 0, grant())
		}, types.ErrUnknownAnchor, ""},
		{"malformed anchor id", func(f *fixture, a string) *types.MsgHolderOperation {
			return opAt(t, h, "did:baynet:ABC", 0, grant())
		}, types.ErrInvalidAnchor, "lower-case hex"},
		{"payload with an unknown field", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Payload = append(msg.Payload, 0xf8, 0x01, 0x01) // field 31, varint 1
			msg.Signature = h.sign(t, types.OperationSignBytes(msg.Payload))
			return msg
		}, types.ErrInvalidPayload, "canonical"},
		{"payload not protobuf", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Payload = []byte{0xff, 0xff, 0xff}
			return msg
		}, types.ErrInvalidPayload, "decoding"},
		{"payload oversized", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Payload = make([]byte, types.MaxPayloadBytes+1)
			return msg
		}, types.ErrInvalidPayload, "payload must be"},
		{"payload without operation", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, &types.HolderOperation{})
		}, types.ErrInvalidPayload, "no operation"},
		{"relayer is no agency", func(f *fixture, a string) *types.MsgHolderOperation {
			msg := f.op(h, a, grant())
			msg.Relayer = bech("stranger")
			return msg
		}, types.ErrNotRelayer, ""},
		{"relayer suspended", func(f *fixture, a string) *types.MsgHolderOperation {
			f.regions.setStatus("GD:amr", 2)
			return f.op(h, a, grant())
		}, types.ErrNotRelayer, "SUSPENDED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.create(h)
			msg := tc.msg(f, a)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.HolderOperation(ctx, msg)
				return err
			}, tc.want, tc.text)
		})
	}
}

func TestAddKey(t *testing.T) {
	for _, scheme := range holderSchemes {
		t.Run(string(scheme), func(t *testing.T) {
			f := newFixture(t)
			h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
			a := f.create(h)
			f.advance(time.Minute)
			f.resetEvents()
			k2 := newHolder(t, scheme, "phone")
			msg := f.op(h, a, addKeyOp(newKey(t, k2, a, 0, types.KEY_PURPOSE_ASSERTION)))
			gas := f.ctx.GasMeter().GasConsumed()
			res, err := f.ms.HolderOperation(f.ctx, msg)
			require.NoError(t, err)
			require.Equal(t, &types.MsgHolderOperationResponse{AnchorId: a, Sequence: 1}, res)
			require.GreaterOrEqual(t, f.ctx.GasMeter().GasConsumed()-gas, uint64(2*types.GasPerSignature), "both signatures are charged")

			require.Equal(t, types.AnchorKey{
				AnchorId: a, KeyId: "phone", Scheme: string(scheme), PublicKey: k2.public(), Purposes: []types.KeyPurpose{types.KEY_PURPOSE_ASSERTION},
				Status: types.KEY_STATUS_ACTIVE, AddedAt: t0.Add(time.Minute), AddedHeight: 11,
			}, f.anchorKey(a, "phone"))
			got := f.anchor(a)
			require.Equal(t, uint64(1), got.Sequence)
			require.Equal(t, []string{"key-1", "phone"}, got.ActiveKeys)
			require.Equal(t, t0.Add(time.Minute), got.UpdatedAt)
			require.Equal(t, []*types.EventKeyAdded{{AnchorId: a, KeyId: "phone", Scheme: string(scheme), Purposes: []types.KeyPurpose{types.KEY_PURPOSE_ASSERTION}}},
				events[*types.EventKeyAdded](t, f.ctx))
			require.Equal(t, []*types.EventHolderOperation{{AnchorId: a, Operation: "add_key", Sequence: 0, KeyId: "key-1", Relayer: "GD:amr"}},
				events[*types.EventHolderOperation](t, f.ctx))
		})
	}
}

func TestAddKeyRejects(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	k2 := newHolder(t, bcrypto.SchemeSecp256k1, "key-2")
	tests := []struct {
		name string
		nk   func(f *fixture, a string) types.NewKey
		want error
		text string
	}{
		{"key id taken", func(f *fixture, a string) types.NewKey { return newKey(t, holder{id: "key-1", key: k2.key}, a, 0) },
			types.ErrDuplicateKey, "key ids are never reused"},
		{"key id of a revoked key", func(f *fixture, a string) types.NewKey {
			f.apply(h, a, addKeyOp(newKey(t, k2, a, 0)))
			f.apply(h, a, revokeKeyOp("key-2", "lost"))
			return newKey(t, holder{id: "key-2", key: newHolder(t, bcrypto.SchemeP256, "").key}, a, 2)
		}, types.ErrDuplicateKey, "never reused"},
		{"public key already on the anchor", func(f *fixture, a string) types.NewKey {
			return newKey(t, holder{id: "again", key: h.key}, a, 0)
		}, types.ErrDuplicateKey, "#key-1"},
		{"public key of a revoked key", func(f *fixture, a string) types.NewKey {
			f.apply(h, a, addKeyOp(newKey(t, k2, a, 0)))
			f.apply(h, a, revokeKeyOp("key-2", "lost"))
			return newKey(t, holder{id: "key-3", key: k2.key}, a, 2)
		}, types.ErrDuplicateKey, "#key-2"},
		{"public key of another anchor", func(f *fixture, a string) types.NewKey {
			f.create(k2)
			return newKey(t, k2, a, 0)
		}, types.ErrDuplicateKey, k2.anchorID()},
		{"too many keys", func(f *fixture, a string) types.NewKey {
			f.setParams(func(p *types.Params) { p.MaxKeysPerAnchor = 2 })
			f.apply(h, a, addKeyOp(newKey(t, k2, a, 0)))
			return newKey(t, newHolder(t, bcrypto.SchemeP256, "key-3"), a, 1)
		}, types.ErrLimit, "2 keys in force"},
		{"proof of possession by another key", func(f *fixture, a string) types.NewKey {
			nk := newKey(t, k2, a, 0)
			nk.PopSignature = newKey(t, newHolder(t, bcrypto.SchemeSecp256k1, "key-2"), a, 0).PopSignature
			return nk
		}, types.ErrInvalidSignature, "proof of possession of key-2"},
		{"proof of possession for another sequence", func(f *fixture, a string) types.NewKey { return newKey(t, k2, a, 5) },
			types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession for another anchor", func(f *fixture, a string) types.NewKey {
			return newKey(t, k2, "did:baynet:00000000000000000000000000000000", 0)
		}, types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession for creation", func(f *fixture, a string) types.NewKey {
			nk := newKey(t, k2, a, 0)
			nk.PopSignature = k2.sign(t, types.CreateSignBytes(nk.Possession(chainID, a, 0, k2.public())))
			return nk
		}, types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession missing", func(f *fixture, a string) types.NewKey {
			nk := newKey(t, k2, a, 0)
			nk.PopSignature = nil
			return nk
		}, types.ErrInvalidSignature, "proof of possession"},
		{"malformed secp256k1 key", func(f *fixture, a string) types.NewKey {
			nk := newKey(t, k2, a, 0)
			nk.PublicKey = append([]byte{2}, make([]byte, 32)...)
			return nk
		}, types.ErrInvalidKey, "malformed public key"},
		{"rsa key", func(f *fixture, a string) types.NewKey {
			nk := newKey(t, k2, a, 0)
			nk.Scheme = "rsa-pkcs1v15-sha256"
			return nk
		}, types.ErrInvalidKey, "scheme"},
		{"no purpose", func(f *fixture, a string) types.NewKey { return newKey(t, k2, a, 0, types.KEY_PURPOSE_UNSPECIFIED) },
			types.ErrInvalidKey, "purpose"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.create(h)
			msg := f.op(h, a, addKeyOp(tc.nk(f, a)))
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.HolderOperation(ctx, msg)
				return err
			}, tc.want, tc.text)
		})
	}
}

func TestRotateKey(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeSecp256k1, "key-1")
	a := f.create(h)
	f.advance(time.Hour)
	f.resetEvents()
	k2 := newHolder(t, bcrypto.SchemeSM2, "key-2")
	f.apply(h, a, rotateKeyOp("key-1", newKey(t, k2, a, 0)))

	old := f.anchorKey(a, "key-1")
	rotatedAt := t0.Add(time.Hour)
	require.Equal(t, types.KEY_STATUS_REVOKED, old.Status)
	require.Equal(t, &rotatedAt, old.RevokedAt)
	require.Equal(t, int64(11), old.RevokedHeight)
	require.Equal(t, "rotated to key-2", old.RevocationReason)
	require.True(t, old.ActiveAt(t0.Add(time.Minute)), "what the old key signed before stays attributable")
	require.False(t, old.ActiveAt(rotatedAt))
	require.Equal(t, types.KEY_STATUS_ACTIVE, f.anchorKey(a, "key-2").Status)
	require.Equal(t, []string{"key-2"}, f.anchor(a).ActiveKeys)
	require.Equal(t, []*types.EventKeyRevoked{{AnchorId: a, KeyId: "key-1", Reason: "rotated to key-2"}}, events[*types.EventKeyRevoked](t, f.ctx))
	require.Len(t, events[*types.EventKeyAdded](t, f.ctx), 1)

	// The old key signs nothing more; the new one does.
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.HolderOperation(ctx, f.op(h, a, grantOp("HK:bank", "kyc", t0.Add(48*time.Hour), "GD:business-licence")))
		return err
	}, types.ErrKeyRevoked, "")
	f.apply(k2, a, grantOp("HK:bank", "kyc", t0.Add(48*time.Hour), "GD:business-licence"))
}

func TestRotateAndRevokeRejects(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	stamp := newHolder(t, bcrypto.SchemeP256, "stamp")
	tests := []struct {
		name string
		op   func(f *fixture, a string) *types.HolderOperation
		want error
		text string
	}{
		{"rotate an unknown key", func(f *fixture, a string) *types.HolderOperation {
			return rotateKeyOp("nope", newKey(t, newHolder(t, bcrypto.SchemeEd25519, "key-2"), a, 0))
		}, types.ErrUnknownKey, "nope"},
		{"rotate a revoked key", func(f *fixture, a string) *types.HolderOperation {
			f.apply(h, a, addKeyOp(newKey(t, stamp, a, 0)))
			f.apply(h, a, revokeKeyOp("stamp", ""))
			return rotateKeyOp("stamp", newKey(t, newHolder(t, bcrypto.SchemeEd25519, "key-2"), a, 2))
		}, types.ErrKeyRevoked, "stamp"},
		{"rotate to the same id", func(f *fixture, a string) *types.HolderOperation {
			return rotateKeyOp("key-1", newKey(t, holder{id: "key-1", key: stamp.key}, a, 0))
		}, types.ErrDuplicateKey, "id of its own"},
		{"rotate the last authentication key to an assertion key", func(f *fixture, a string) *types.HolderOperation {
			return rotateKeyOp("key-1", newKey(t, stamp, a, 0, types.KEY_PURPOSE_ASSERTION))
		}, types.ErrLastAuthenticationKey, "deactivate"},
		{"revoke the last authentication key", func(f *fixture, a string) *types.HolderOperation {
			f.apply(h, a, addKeyOp(newKey(t, stamp, a, 0, types.KEY_PURPOSE_ASSERTION)))
			return revokeKeyOp("key-1", "")
		}, types.ErrLastAuthenticationKey, ""},
		{"revoke an unknown key", func(f *fixture, a string) *types.HolderOperation { return revokeKeyOp("nope", "") }, types.ErrUnknownKey, ""},
		{"revoke with a reason too long", func(f *fixture, a string) *types.HolderOperation {
			return revokeKeyOp("key-1", string(make([]byte, types.MaxReasonLength+1)))
		}, types.ErrInvalidPayload, "reason"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.create(h)
			msg := f.op(h, a, tc.op(f, a))
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.HolderOperation(ctx, msg)
				return err
			}, tc.want, tc.text)
		})
	}
}

func TestRevokeKey(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	k2 := newHolder(t, bcrypto.SchemeP256, "key-2")
	f.apply(h, a, addKeyOp(newKey(t, k2, a, 0)))
	f.resetEvents()
	// A key may revoke itself while another authentication key remains.
	f.apply(h, a, revokeKeyOp("key-1", "phone lost"))
	require.Equal(t, types.KEY_STATUS_REVOKED, f.anchorKey(a, "key-1").Status)
	require.Equal(t, "phone lost", f.anchorKey(a, "key-1").RevocationReason)
	require.Equal(t, []string{"key-2"}, f.anchor(a).ActiveKeys)
	require.Equal(t, []*types.EventKeyRevoked{{AnchorId: a, KeyId: "key-1", Reason: "phone lost"}}, events[*types.EventKeyRevoked](t, f.ctx))
	// A revocation without a reason says who revoked.
	f.apply(k2, a, addKeyOp(newKey(t, newHolder(t, bcrypto.SchemeSM2, "key-3"), a, 2)))
	f.apply(k2, a, revokeKeyOp("key-3", ""))
	require.Equal(t, "revoked by the holder", f.anchorKey(a, "key-3").RevocationReason)
}

func TestDeactivate(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	c := f.link(h, a, "alice")
	f.apply(h, a, grantOp("HK:bank", "kyc", t0.Add(time.Hour*48), "GD:business-licence"))
	f.advance(time.Hour)
	f.resetEvents()
	f.apply(h, a, deactivateOp("moving abroad"))

	got := f.anchor(a)
	at := t0.Add(time.Hour)
	require.Equal(t, types.ANCHOR_STATUS_DEACTIVATED, got.Status)
	require.Equal(t, &at, got.DeactivatedAt)
	require.Equal(t, []*types.EventAnchorDeactivated{{AnchorId: a, Reason: "moving abroad"}}, events[*types.EventAnchorDeactivated](t, f.ctx))
	// Keys stay as they were, so what they signed stays attributable.
	require.Equal(t, types.KEY_STATUS_ACTIVE, f.anchorKey(a, "key-1").Status)

	// Nothing more applies to it, and verifiers are told.
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.HolderOperation(ctx, f.op(h, a, grantOp("HK:bank", "kyc", t0.Add(48*time.Hour), "GD:business-licence")))
		return err
	}, types.ErrAnchorDeactivated, "")
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.LinkIdentity(ctx, f.linkMsg(h, a, hkIdP, "HK:iamsmart", "HK", commitment(t, "HK", "alice")))
		return err
	}, types.ErrAnchorDeactivated, "")
	holds, reason, _, err := f.k.ConsentAt(f.ctx, a, "HK:bank", "kyc", "GD:business-licence", f.ctx.BlockTime())
	require.NoError(t, err)
	require.False(t, holds)
	require.Contains(t, reason, "deactivated")
	link, err := f.qs.Link(f.ctx, &types.QueryLinkRequest{Commitment: hexOf(c)})
	require.NoError(t, err)
	require.False(t, link.InForce)
	require.Equal(t, types.ANCHOR_STATUS_DEACTIVATED, link.AnchorStatus)
}
