package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

func TestLinkIdentity(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	f.resetEvents()

	gd := commitment(t, "GD", "alice")
	msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", gd)
	_, err := f.ms.LinkIdentity(f.ctx, msg)
	require.NoError(t, err)
	hk := commitment(t, "HK", "alice")
	_, err = f.ms.LinkIdentity(f.ctx, f.linkMsg(h, a, hkIdP, "HK:iamsmart", "HK", hk))
	require.NoError(t, err)

	want := types.Link{
		Commitment: gd, AnchorId: a, Idp: "GD:idp", Region: "GD", LevelOfAssurance: 3,
		ValidFrom: t0, ValidUntil: *msg.ValidUntil, LinkedAt: t0, Status: types.LINK_STATUS_ACTIVE,
	}
	res, err := f.qs.Link(f.ctx, &types.QueryLinkRequest{Commitment: hexOf(gd)})
	require.NoError(t, err)
	require.Equal(t, &types.QueryLinkResponse{Link: want, AnchorStatus: types.ANCHOR_STATUS_ACTIVE, InForce: true}, res)
	// Each approval consumed a sequence, and the anchor counts its links.
	got := f.anchor(a)
	require.Equal(t, uint64(2), got.Sequence)
	require.Equal(t, []string{"GD:idp", "HK:iamsmart"}, got.LinkedIdps)
	byIdP, err := f.k.ActiveLinks.Get(f.ctx, joinPair(a, "HK:iamsmart"))
	require.NoError(t, err)
	require.Equal(t, hk, byIdP)
	require.Equal(t, []*types.EventIdentityLinked{
		{AnchorId: a, Idp: "GD:idp", Region: "GD", Commitment: gd, LevelOfAssurance: 3, ValidUntil: *msg.ValidUntil},
		{AnchorId: a, Idp: "HK:iamsmart", Region: "HK", Commitment: hk, LevelOfAssurance: 3, ValidUntil: *msg.ValidUntil},
	}, events[*types.EventIdentityLinked](t, f.ctx))

	links, err := f.qs.Links(f.ctx, &types.QueryLinksRequest{AnchorId: a})
	require.NoError(t, err)
	require.Len(t, links.Links, 2)

	// In force only within its validity.
	f.advance(366 * 24 * time.Hour)
	res, err = f.qs.Link(f.ctx, &types.QueryLinkRequest{Commitment: hexOf(gd)})
	require.NoError(t, err)
	require.False(t, res.InForce)
}

func TestLinkIdentityRejects(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	c := commitment(t, "GD", "alice")
	tests := []struct {
		name string
		msg  func(f *fixture, a string) *types.MsgLinkIdentity
		want error
		text string
	}{
		{"signer is no agency", func(f *fixture, a string) *types.MsgLinkIdentity {
			return f.linkMsg(h, a, bech("stranger"), "GD:idp", "GD", c)
		}, types.ErrNotIdentityProvider, "no agency"},
		{"agency without the identity provider role", func(f *fixture, a string) *types.MsgLinkIdentity {
			return f.linkMsg(h, a, relayerAcc, "GD:amr", "GD", c)
		}, types.ErrNotIdentityProvider, "role"},
		{"suspended identity provider", func(f *fixture, a string) *types.MsgLinkIdentity {
			return f.linkMsg(h, a, suspendedIdP, "GD:old-idp", "GD", c)
		}, types.ErrNotIdentityProvider, "SUSPENDED"},
		{"provider of another region", func(f *fixture, a string) *types.MsgLinkIdentity {
			return f.linkMsg(h, a, gdIdP, "GD:idp", "HK", commitment(t, "HK", "alice"))
		}, types.ErrWrongRegion, "GD:idp serves GD, not HK"},
		{"unknown anchor", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.AnchorId = "did:baynet:00000000000000000000000000000000"
			return msg
		}, types.ErrUnknownAnchor, ""},
		{"commitment already linked", func(f *fixture, a string) *types.MsgLinkIdentity {
			other := newHolder(t, bcrypto.SchemeSecp256k1, "key-1")
			b := f.create(other)
			f.link(other, b, "alice")
			return f.linkMsg(h, a, hkIdP, "HK:iamsmart", "HK", c)
		}, types.ErrDuplicateLink, "already links"},
		{"second link by the same provider", func(f *fixture, a string) *types.MsgLinkIdentity {
			f.link(h, a, "alice")
			return f.linkMsg(h, a, gdIdP, "GD:idp", "GD", commitment(t, "GD", "alice-passport"))
		}, types.ErrDuplicateLink, "remove it first"},
		{"too many links", func(f *fixture, a string) *types.MsgLinkIdentity {
			f.setParams(func(p *types.Params) { p.MaxLinksPerAnchor = 1 })
			f.link(h, a, "alice")
			return f.linkMsg(h, a, hkIdP, "HK:iamsmart", "HK", commitment(t, "HK", "alice"))
		}, types.ErrLimit, "1 active links"},
		{"approval replayed after it was used", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			_, err := f.ms.LinkIdentity(f.ctx, msg)
			require.NoError(t, err)
			_, err = f.ms.UnlinkIdentity(f.ctx, &types.MsgUnlinkIdentity{Idp: gdIdP, Commitment: c})
			require.NoError(t, err)
			return msg
		}, types.ErrInvalidSignature, "holder approval"},
		{"approval for another provider", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.Idp = hkIdP
			msg.Region = "HK"
			return msg
		}, types.ErrInvalidSignature, "holder approval"},
		{"approval for another commitment", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.Commitment = commitment(t, "GD", "mallory")
			return msg
		}, types.ErrInvalidSignature, "holder approval"},
		{"approval by another anchor's key", func(f *fixture, a string) *types.MsgLinkIdentity {
			other := newHolder(t, bcrypto.SchemeEd25519, "key-1")
			f.create(other)
			return f.linkMsg(other, a, gdIdP, "GD:idp", "GD", c)
		}, types.ErrInvalidSignature, "holder approval"},
		{"approval by a revoked key", func(f *fixture, a string) *types.MsgLinkIdentity {
			f.apply(h, a, rotateKeyOp("key-1", newKey(t, newHolder(t, bcrypto.SchemeP256, "key-2"), a, 0)))
			return f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
		}, types.ErrKeyRevoked, ""},
		{"commitment of 31 bytes", func(f *fixture, a string) *types.MsgLinkIdentity {
			return f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c[:31])
		}, types.ErrInvalidLink, "32 bytes"},
		{"level of assurance 0", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.LevelOfAssurance = 0
			return msg
		}, types.ErrInvalidLink, "level of assurance"},
		{"level of assurance 5", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.LevelOfAssurance = 5
			return msg
		}, types.ErrInvalidLink, "level of assurance"},
		{"no end of validity", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.ValidUntil = nil
			return msg
		}, types.ErrInvalidLink, "valid_until"},
		{"validity already over", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			past := t0.Add(-time.Hour)
			msg.ValidUntil = &past
			return msg
		}, types.ErrInvalidLink, "must be after"},
		{"validity ends before it starts", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			from := msg.ValidUntil.Add(time.Hour)
			msg.ValidFrom = &from
			return msg
		}, types.ErrInvalidLink, "must be after"},
		{"region malformed", func(f *fixture, a string) *types.MsgLinkIdentity {
			msg := f.linkMsg(h, a, gdIdP, "GD:idp", "GD", c)
			msg.Region = "gd"
			return msg
		}, types.ErrInvalidLink, "upper-case"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.create(h)
			msg := tc.msg(f, a)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.LinkIdentity(ctx, msg)
				return err
			}, tc.want, tc.text)
		})
	}
}

func TestRemoveLink(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")

	t.Run("by the holder", func(t *testing.T) {
		f := newFixture(t)
		a := f.create(h)
		c := f.link(h, a, "alice")
		f.advance(time.Hour)
		f.resetEvents()
		f.apply(h, a, removeLinkOp(c, "changed my mind"))
		link, err := f.k.Links.Get(f.ctx, c)
		require.NoError(t, err)
		at := t0.Add(time.Hour)
		require.Equal(t, types.LINK_STATUS_REMOVED, link.Status)
		require.Equal(t, &at, link.RemovedAt)
		require.Equal(t, "holder", link.RemovedBy)
		require.Empty(t, f.anchor(a).LinkedIdps)
		has, err := f.k.ActiveLinks.Has(f.ctx, joinPair(a, "GD:idp"))
		require.NoError(t, err)
		require.False(t, has)
		require.Equal(t, []*types.EventLinkRemoved{{AnchorId: a, Idp: "GD:idp", Commitment: c, RemovedBy: "holder", Reason: "changed my mind"}},
			events[*types.EventLinkRemoved](t, f.ctx))
		// A removed link was in force before its removal, not after.
		require.True(t, link.InForce(t0.Add(time.Minute)))
		require.False(t, link.InForce(at))

		// The provider may link the same person again, with a new approval.
		f.link(h, a, "alice")
		require.Len(t, f.anchor(a).LinkedIdps, 1)
	})

	t.Run("by the provider", func(t *testing.T) {
		f := newFixture(t)
		a := f.create(h)
		c := f.link(h, a, "alice")
		f.resetEvents()
		_, err := f.ms.UnlinkIdentity(f.ctx, &types.MsgUnlinkIdentity{Idp: gdIdP, Commitment: c, Reason: "identity revoked"})
		require.NoError(t, err)
		link, err := f.k.Links.Get(f.ctx, c)
		require.NoError(t, err)
		require.Equal(t, "GD:idp", link.RemovedBy)
		require.Equal(t, "identity revoked", link.RemovalReason)
		require.Empty(t, f.anchor(a).LinkedIdps)
		require.Len(t, events[*types.EventLinkRemoved](t, f.ctx), 1)
	})

	rejects := []struct {
		name string
		call func(f *fixture, a string, c []byte) func(sdk.Context) error
		want error
		text string
	}{
		{"provider removes another provider's link", func(f *fixture, a string, c []byte) func(sdk.Context) error {
			return func(ctx sdk.Context) error {
				_, err := f.ms.UnlinkIdentity(ctx, &types.MsgUnlinkIdentity{Idp: hkIdP, Commitment: c})
				return err
			}
		}, types.ErrNotIdentityProvider, "made by GD:idp"},
		{"an agency that is no provider", func(f *fixture, a string, c []byte) func(sdk.Context) error {
			return func(ctx sdk.Context) error {
				_, err := f.ms.UnlinkIdentity(ctx, &types.MsgUnlinkIdentity{Idp: relayerAcc, Commitment: c})
				return err
			}
		}, types.ErrNotIdentityProvider, ""},
		{"provider removes an unknown link", func(f *fixture, a string, c []byte) func(sdk.Context) error {
			return func(ctx sdk.Context) error {
				_, err := f.ms.UnlinkIdentity(ctx, &types.MsgUnlinkIdentity{Idp: gdIdP, Commitment: commitment(t, "GD", "bob")})
				return err
			}
		}, types.ErrUnknownLink, ""},
		{"provider removes a removed link", func(f *fixture, a string, c []byte) func(sdk.Context) error {
			_, err := f.ms.UnlinkIdentity(f.ctx, &types.MsgUnlinkIdentity{Idp: gdIdP, Commitment: c})
			require.NoError(t, err)
			return func(ctx sdk.Context) error {
				_, err := f.ms.UnlinkIdentity(ctx, &types.MsgUnlinkIdentity{Idp: gdIdP, Commitment: c})
				return err
			}
		}, types.ErrUnknownLink, "removed"},
		{"holder removes another anchor's link", func(f *fixture, a string, c []byte) func(sdk.Context) error {
			other := newHolder(t, bcrypto.SchemeSM2, "key-1")
			b := f.create(other)
			msg := f.op(other, b, removeLinkOp(c, ""))
			return func(ctx sdk.Context) error {
				_, err := f.ms.HolderOperation(ctx, msg)
				return err
			}
		}, types.ErrUnknownLink, "not a link of"},
		{"holder removes a removed link", func(f *fixture, a string, c []byte) func(sdk.Context) error {
			f.apply(h, a, removeLinkOp(c, ""))
			msg := f.op(h, a, removeLinkOp(c, ""))
			return func(ctx sdk.Context) error {
				_, err := f.ms.HolderOperation(ctx, msg)
				return err
			}
		}, types.ErrUnknownLink, "removed"},
	}
	for _, tc := range rejects {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.create(h)
			c := f.link(h, a, "alice")
			f.requireRejected(tc.call(f, a, c), tc.want, tc.text)
		})
	}
}

// TestAssuranceAt: the highest level among the links valid at t decides;
// a removed link, a link outside its validity and a deactivated anchor
// give no level.
func TestAssuranceAt(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	f := newFixture(t)
	a := f.create(h)

	level, link, why, err := f.k.AssuranceAt(f.ctx, a, t0)
	require.NoError(t, err)
	require.Zero(t, level)
	require.Nil(t, link)
	require.Contains(t, why, "holds no region identity link valid at")

	gd := f.link(h, a, "alice") // level 3, valid a year from t0
	hkMsg := f.linkMsg(h, a, hkIdP, "HK:iamsmart", "HK", commitment(t, "HK", "alice"))
	hkMsg.LevelOfAssurance = 4
	hkUntil := t0.Add(30 * 24 * time.Hour)
	hkMsg.ValidUntil = &hkUntil
	_, err = f.ms.LinkIdentity(f.ctx, hkMsg)
	require.NoError(t, err)

	level, link, _, err = f.k.AssuranceAt(f.ctx, a, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, uint32(4), level)
	require.Equal(t, "HK:iamsmart", link.Idp)
	// After the HK link's validity only GD's level 3 remains.
	level, link, _, err = f.k.AssuranceAt(f.ctx, a, hkUntil)
	require.NoError(t, err)
	require.Equal(t, uint32(3), level)
	require.Equal(t, gd, link.Commitment)
	// Before either link was made there was none.
	level, _, _, err = f.k.AssuranceAt(f.ctx, a, t0.Add(-time.Second))
	require.NoError(t, err)
	require.Zero(t, level)

	// A removed link no longer counts.
	_, err = f.ms.UnlinkIdentity(f.ctx, &types.MsgUnlinkIdentity{Idp: hkIdP, Commitment: hkMsg.Commitment, Reason: "identity revoked"})
	require.NoError(t, err)
	level, _, _, err = f.k.AssuranceAt(f.ctx, a, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, uint32(3), level)

	// A deactivated anchor has no level from its deactivation on.
	f.advance(time.Hour)
	f.apply(h, a, deactivateOp("moved abroad"))
	level, _, why, err = f.k.AssuranceAt(f.ctx, a, f.ctx.BlockTime())
	require.NoError(t, err)
	require.Zero(t, level)
	require.Contains(t, why, "deactivated")

	_, _, _, err = f.k.AssuranceAt(f.ctx, "did:baynet:00000000000000000000000000000000", t0)
	require.ErrorIs(t, err, types.ErrUnknownAnchor)
}
