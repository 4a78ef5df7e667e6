package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// recoveryKey is h as a recovery's new key for anchor at sequence.
func recoveryKey(t *testing.T, h holder, anchor string, sequence uint64, purposes ...types.KeyPurpose) types.NewKey {
	t.Helper()
	if len(purposes) == 0 {
		purposes = bothPurposes
	}
	nk := types.NewKey{KeyId: h.id, Scheme: h.scheme(), PublicKey: h.public(), Purposes: purposes}
	nk.PopSignature = h.sign(t, types.RecoverSignBytes(nk.Possession(chainID, anchor, sequence, h.public())))
	return nk
}

// linkedAnchor is an anchor with two keys (key-1 authenticates, stamp only
// asserts) linked by GD:idp.
func linkedAnchor(t *testing.T, f *fixture) (string, holder, holder) {
	t.Helper()
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	stamp := newHolder(t, bcrypto.SchemeP256, "stamp")
	a := f.create(h)
	f.apply(h, a, addKeyOp(newKey(t, stamp, a, 0, types.KEY_PURPOSE_ASSERTION)))
	f.link(h, a, "alice")
	return a, h, stamp
}

func TestRecovery(t *testing.T) {
	f := newFixture(t)
	a, h, _ := linkedAnchor(t, f)
	fresh := newHolder(t, bcrypto.SchemeSecp256k1, "recovered-1")
	f.resetEvents()
	res, err := f.ms.InitiateRecovery(f.ctx, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})
	require.NoError(t, err)
	due := t0.Add(72 * time.Hour)
	require.Equal(t, due, res.ExecutableAt)
	require.Equal(t, []*types.EventRecoveryInitiated{{AnchorId: a, Idp: "GD:idp", NewKeyId: "recovered-1", ExecutableAt: due}},
		events[*types.EventRecoveryInitiated](t, f.ctx))
	q, err := f.qs.Anchor(f.ctx, &types.QueryAnchorRequest{AnchorId: a})
	require.NoError(t, err)
	require.NotNil(t, q.Recovery)
	require.Equal(t, "GD:idp", q.Recovery.Idp)

	complete := func(ctx sdk.Context) error {
		_, err := f.ms.CompleteRecovery(ctx, &types.MsgCompleteRecovery{Signer: bech("anyone"), AnchorId: a})
		return err
	}
	f.advance(72*time.Hour - time.Second)
	f.requireRejected(complete, types.ErrRecoveryNotDue, "can complete from")

	f.advance(time.Second)
	f.resetEvents()
	require.NoError(t, complete(f.ctx))
	got := f.anchor(a)
	require.Equal(t, []string{"recovered-1"}, got.ActiveKeys)
	require.Equal(t, uint64(3), got.Sequence, "completion consumes a sequence")
	for _, id := range []string{"key-1", "stamp"} {
		k := f.anchorKey(a, id)
		require.Equal(t, types.KEY_STATUS_REVOKED, k.Status, id)
		require.Equal(t, "replaced by a recovery through GD:idp", k.RevocationReason, id)
	}
	require.Equal(t, []*types.EventRecoveryCompleted{{AnchorId: a, Idp: "GD:idp", NewKeyId: "recovered-1", RevokedKeyIds: []string{"key-1", "stamp"}}},
		events[*types.EventRecoveryCompleted](t, f.ctx))
	require.Len(t, events[*types.EventKeyRevoked](t, f.ctx), 2)
	_, err = f.qs.Recovery(f.ctx, &types.QueryRecoveryRequest{AnchorId: a})
	require.Error(t, err, "the recovery is over")

	// The new key holds the anchor; the old ones sign nothing more.
	f.apply(fresh, a, grantOp("HK:bank", "kyc", f.ctx.BlockTime().Add(time.Hour), "GD:business-licence"))
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.HolderOperation(ctx, f.op(h, a, deactivateOp("")))
		return err
	}, types.ErrKeyRevoked, "")
}

func TestRecoveryCancelledByHolder(t *testing.T) {
	f := newFixture(t)
	a, _, stamp := linkedAnchor(t, f)
	_, err := f.ms.InitiateRecovery(f.ctx, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, newHolder(t, bcrypto.SchemeEd25519, "r"), a, 2)})
	require.NoError(t, err)
	f.resetEvents()
	// Any surviving key cancels, even one that only asserts.
	f.apply(stamp, a, cancelRecoveryOp())
	require.Equal(t, []*types.EventRecoveryCancelled{{AnchorId: a, Idp: "GD:idp", Reason: "cancelled by the holder"}},
		events[*types.EventRecoveryCancelled](t, f.ctx))
	f.advance(100 * time.Hour)
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.CompleteRecovery(ctx, &types.MsgCompleteRecovery{Signer: gdIdP, AnchorId: a})
		return err
	}, types.ErrNoRecovery, "")
	// An assertion key still cannot do anything else.
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.HolderOperation(ctx, f.op(stamp, a, deactivateOp("")))
		return err
	}, types.ErrKeyPurpose, "")
}

// TestRecoveryEndsWithItsBasis: removing the provider's link, or
// deactivating the anchor, cancels the provider's pending recovery.
func TestRecoveryEndsWithItsBasis(t *testing.T) {
	for name, end := range map[string]func(f *fixture, a string, h holder){
		"holder removes the link": func(f *fixture, a string, h holder) {
			f.apply(h, a, removeLinkOp(commitment(t, "GD", "alice"), ""))
		},
		"provider removes the link": func(f *fixture, a string, _ holder) {
			_, err := f.ms.UnlinkIdentity(f.ctx, &types.MsgUnlinkIdentity{Idp: gdIdP, Commitment: commitment(t, "GD", "alice")})
			require.NoError(t, err)
		},
		"holder deactivates": func(f *fixture, a string, h holder) { f.apply(h, a, deactivateOp("")) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			a, h, _ := linkedAnchor(t, f)
			_, err := f.ms.InitiateRecovery(f.ctx, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, newHolder(t, bcrypto.SchemeEd25519, "r"), a, 2)})
			require.NoError(t, err)
			f.resetEvents()
			end(f, a, h)
			require.Len(t, events[*types.EventRecoveryCancelled](t, f.ctx), 1)
			has, err := f.k.Recoveries.Has(f.ctx, a)
			require.NoError(t, err)
			require.False(t, has)
		})
	}
}

func TestRecoveryRejects(t *testing.T) {
	fresh := newHolder(t, bcrypto.SchemeSM2, "r")
	initiate := func(f *fixture, msg *types.MsgInitiateRecovery) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.ms.InitiateRecovery(ctx, msg)
			return err
		}
	}
	complete := func(f *fixture, a string) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.ms.CompleteRecovery(ctx, &types.MsgCompleteRecovery{Signer: relayerAcc, AnchorId: a})
			return err
		}
	}
	tests := []struct {
		name string
		call func(f *fixture, a string, h holder) func(sdk.Context) error
		want error
		text string
	}{
		{"provider that did not link the anchor", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			return initiate(f, &types.MsgInitiateRecovery{Idp: hkIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})
		}, types.ErrNotIdentityProvider, "no active link"},
		{"agency that is no provider", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			return initiate(f, &types.MsgInitiateRecovery{Idp: relayerAcc, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})
		}, types.ErrNotIdentityProvider, ""},
		{"link expired", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			f.advance(366 * 24 * time.Hour)
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})
		}, types.ErrNotIdentityProvider, "valid from"},
		{"recovery already pending", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			require.NoError(t, initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})(f.ctx))
			other := newHolder(t, bcrypto.SchemeEd25519, "r2")
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, other, a, 2)})
		}, types.ErrRecoveryPending, "GD:idp"},
		{"new key cannot authenticate", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2, types.KEY_PURPOSE_ASSERTION)})
		}, types.ErrKeyPurpose, ""},
		{"proof of possession for the wrong sequence", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 1)})
		}, types.ErrInvalidSignature, "proof of possession"},
		{"proof of possession under the add-key domain", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: newKey(t, fresh, a, 2)})
		}, types.ErrInvalidSignature, "proof of possession"},
		{"new key is the lost one", func(f *fixture, a string, h holder) func(sdk.Context) error {
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, holder{id: "r", key: h.key}, a, 2)})
		}, types.ErrDuplicateKey, ""},
		{"deactivated anchor", func(f *fixture, a string, h holder) func(sdk.Context) error {
			f.apply(h, a, deactivateOp(""))
			return initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 3)})
		}, types.ErrAnchorDeactivated, ""},
		{"complete without a recovery", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			return complete(f, a)
		}, types.ErrNoRecovery, ""},
		{"complete after the provider was suspended", func(f *fixture, a string, _ holder) func(sdk.Context) error {
			require.NoError(t, initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})(f.ctx))
			f.regions.setStatus("GD:idp", 2)
			f.advance(73 * time.Hour)
			return complete(f, a)
		}, types.ErrNotIdentityProvider, "no longer vouches"},
		{"complete when the holder took the key id meanwhile", func(f *fixture, a string, h holder) func(sdk.Context) error {
			require.NoError(t, initiate(f, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})(f.ctx))
			f.apply(h, a, addKeyOp(newKey(t, newHolder(t, bcrypto.SchemeEd25519, "r"), a, 2)))
			f.advance(73 * time.Hour)
			return complete(f, a)
		}, types.ErrDuplicateKey, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a, h, _ := linkedAnchor(t, f)
			f.requireRejected(tc.call(f, a, h), tc.want, tc.text)
		})
	}
}
