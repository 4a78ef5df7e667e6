package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// journey runs a resident's journey on f and returns the exported state:
// two anchors, keys added, rotated and revoked, links by two providers (one
// removed), consents granted and withdrawn, a pending recovery and a
// deactivated anchor.
func journey(t *testing.T, f *fixture) *types.GenesisState {
	t.Helper()
	alice := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(alice)
	f.link(alice, a, "alice")
	_, err := f.ms.LinkIdentity(f.ctx, f.linkMsg(alice, a, hkIdP, "HK:iamsmart", "HK", commitment(t, "HK", "alice")))
	require.NoError(t, err)
	f.advance(time.Hour)
	k2 := newHolder(t, bcrypto.SchemeSM2, "key-2")
	f.apply(alice, a, rotateKeyOp("key-1", newKey(t, k2, a, 2)))
	f.apply(k2, a, addKeyOp(newKey(t, newHolder(t, bcrypto.SchemeP256, "stamp"), a, 3, types.KEY_PURPOSE_ASSERTION)))
	f.apply(k2, a, grantOp("HK:bank", "kyc", f.ctx.BlockTime().Add(24*time.Hour), "GD:business-licence"))
	f.apply(k2, a, grantOp("MO:insurer", "claims", f.ctx.BlockTime().Add(24*time.Hour), "HK:registered-engineer"))
	f.apply(k2, a, withdrawOp("MO:insurer", "claims"))
	_, err = f.ms.InitiateRecovery(f.ctx, &types.MsgInitiateRecovery{
		Idp: hkIdP, AnchorId: a, NewKey: recoveryKey(t, newHolder(t, bcrypto.SchemeSecp256k1, "r"), a, f.anchor(a).Sequence),
	})
	require.NoError(t, err)

	bob := newHolder(t, bcrypto.SchemeSecp256k1, "key-1")
	b := f.create(bob)
	c := f.link(bob, b, "bob")
	f.apply(bob, b, removeLinkOp(c, "moved"))
	f.apply(bob, b, deactivateOp("duplicate anchor"))
	return f.export()
}

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	gs := journey(t, f)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Anchors, 2)
	require.Len(t, gs.Keys, 4)
	require.Len(t, gs.Links, 3)
	require.Len(t, gs.Consents, 2)
	require.Len(t, gs.Recoveries, 1)

	// A new chain loaded from the export holds the same bytes under the
	// same keys, indexes included, and exports the same genesis.
	g := newEmptyFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	require.Equal(t, f.raw(), g.raw())
	require.Equal(t, gs, g.export())
}

func TestDefaultGenesis(t *testing.T) {
	gs := types.DefaultGenesis()
	require.NoError(t, gs.Validate())
	require.Equal(t, types.Params{MaxKeysPerAnchor: 8, MaxLinksPerAnchor: 8, MaxConsentsPerAnchor: 32, RecoveryDelay: 72 * time.Hour}, gs.Params)
	f := newFixture(t)
	require.Equal(t, gs, f.export())
}

func TestInitGenesisRejects(t *testing.T) {
	f := newFixture(t)
	base := journey(t, f)
	tests := []struct {
		name   string
		mutate func(gs *types.GenesisState)
		want   error
		msg    string
	}{
		{"invalid params", func(gs *types.GenesisState) { gs.Params.MaxKeysPerAnchor = 0 }, types.ErrInvalidParams, "max_keys_per_anchor"},
		{"recovery delay too short", func(gs *types.GenesisState) { gs.Params.RecoveryDelay = time.Second }, types.ErrInvalidParams, "recovery_delay"},
		{"malformed anchor id", func(gs *types.GenesisState) { gs.Anchors[0].Id = "did:baynet:x" }, types.ErrInvalidAnchor, ""},
		{"anchor twice", func(gs *types.GenesisState) { gs.Anchors = append(gs.Anchors, gs.Anchors[0]) }, types.ErrDuplicateAnchor, ""},
		{"active anchor with a deactivation time", func(gs *types.GenesisState) {
			gs.Anchors[activeIndex(gs)].DeactivatedAt = &t0
		}, types.ErrInvalidGenesis, "deactivated_at"},
		{"key of an unknown anchor", func(gs *types.GenesisState) { gs.Keys[0].AnchorId = "did:baynet:00000000000000000000000000000000" }, types.ErrUnknownAnchor, ""},
		{"key not canonical", func(gs *types.GenesisState) {
			for i, k := range gs.Keys {
				if k.Scheme == "p256" {
					pk, _ := bcrypto.ParsePublicKey(bcrypto.SchemeP256, k.PublicKey)
					gs.Keys[i].PublicKey = uncompressedP256(t, pk.Bytes())
				}
			}
		}, types.ErrInvalidKey, "canonical"},
		{"malformed key", func(gs *types.GenesisState) { gs.Keys[0].PublicKey = []byte{1, 2, 3} }, types.ErrInvalidKey, ""},
		{"key twice", func(gs *types.GenesisState) { gs.Keys = append(gs.Keys, gs.Keys[0]) }, types.ErrDuplicateKey, ""},
		{"revoked key without its time", func(gs *types.GenesisState) {
			for i, k := range gs.Keys {
				if k.Status == types.KEY_STATUS_REVOKED {
					gs.Keys[i].RevokedAt = nil
				}
			}
		}, types.ErrInvalidGenesis, "revocation"},
		{"active keys disagree with the key records", func(gs *types.GenesisState) {
			gs.Anchors[activeIndex(gs)].ActiveKeys = []string{"key-2"}
		}, types.ErrInvalidGenesis, "active_keys"},
		{"linked providers disagree", func(gs *types.GenesisState) { gs.Anchors[activeIndex(gs)].LinkedIdps = []string{"MO:not-a-provider"} }, types.ErrInvalidGenesis, "linked_idps"},
		{"consent counts disagree", func(gs *types.GenesisState) { gs.Anchors[activeIndex(gs)].Consents = 0 }, types.ErrInvalidGenesis, "counts"},
		{"link twice", func(gs *types.GenesisState) { gs.Links = append(gs.Links, gs.Links[0]) }, types.ErrDuplicateLink, ""},
		{"link of a provider of another region", func(gs *types.GenesisState) { gs.Links[0].Region = "MO" }, types.ErrInvalidLink, ""},
		{"link with level of assurance 9", func(gs *types.GenesisState) { gs.Links[0].LevelOfAssurance = 9 }, types.ErrInvalidLink, "assurance"},
		{"consent twice", func(gs *types.GenesisState) { gs.Consents = append(gs.Consents, gs.Consents[0]) }, types.ErrInvalidGenesis, "twice"},
		{"consent with a bad credential type", func(gs *types.GenesisState) { gs.Consents[0].CredentialTypes = []string{"x"} }, types.ErrInvalidConsent, ""},
		{"recovery by a provider without a link", func(gs *types.GenesisState) { gs.Recoveries[0].Idp = "MO:idp" }, types.ErrInvalidGenesis, "no active link"},
		{"recovery of an unknown anchor", func(gs *types.GenesisState) {
			gs.Recoveries[0].AnchorId = "did:baynet:00000000000000000000000000000000"
		}, types.ErrUnknownAnchor, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := cloneGenesis(t, f, base)
			tc.mutate(gs)
			g := newEmptyFixture(t)
			err := g.k.InitGenesis(g.ctx, *gs)
			require.ErrorIs(t, err, tc.want)
			require.ErrorContains(t, err, tc.msg)
			require.Empty(t, g.raw(), "a refused genesis wrote nothing")
		})
	}
}

func activeIndex(gs *types.GenesisState) int {
	for i, a := range gs.Anchors {
		if a.Status == types.ANCHOR_STATUS_ACTIVE {
			return i
		}
	}
	panic("no active anchor")
}

func cloneGenesis(t *testing.T, f *fixture, gs *types.GenesisState) *types.GenesisState {
	t.Helper()
	bz, err := f.cdc.Marshal(gs)
	require.NoError(t, err)
	var out types.GenesisState
	require.NoError(t, f.cdc.Unmarshal(bz, &out))
	return &out
}
