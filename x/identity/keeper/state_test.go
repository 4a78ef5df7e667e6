package keeper_test

import (
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// TestStoreLayout pins the key and value encoding of every collection: a
// verifier proves reads against these exact bytes, so a change here is a
// breaking change of the chain's state.
func TestStoreLayout(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	c := f.link(h, a, "alice")
	f.apply(h, a, grantOp("HK:bank", "kyc", t0.Add(time.Hour), "GD:business-licence"))
	fresh := newHolder(t, bcrypto.SchemeSM2, "r")
	_, err := f.ms.InitiateRecovery(f.ctx, &types.MsgInitiateRecovery{Idp: gdIdP, AnchorId: a, NewKey: recoveryKey(t, fresh, a, 2)})
	require.NoError(t, err)
	state := f.export()

	marshal := func(m proto.Message) []byte {
		bz, err := f.cdc.Marshal(m)
		require.NoError(t, err)
		return bz
	}
	cat := func(parts ...string) string {
		out := ""
		for _, p := range parts {
			out += p
		}
		return out
	}
	pk := string(h.public())
	want := map[string][]byte{
		// 0x00 -> Params
		"\x00": marshal(&state.Params),
		// 0x01 | anchor id -> Anchor
		cat("\x01", a): marshal(&state.Anchors[0]),
		// 0x02 | anchor id NUL-terminated | key id -> AnchorKey
		cat("\x02", a, "\x00key-1"): marshal(&state.Keys[0]),
		// 0x03 | scheme NUL public key -> anchor id NUL-terminated | key id
		cat("\x03ed25519\x00", pk): []byte(cat(a, "\x00key-1")),
		// 0x04 | commitment -> Link
		cat("\x04", string(c)): marshal(&state.Links[0]),
		// 0x05 | anchor id NUL-terminated | commitment -> nothing
		cat("\x05", a, "\x00", string(c)): {},
		// 0x06 | anchor id NUL-terminated | provider id -> commitment
		cat("\x06", a, "\x00GD:idp"): c,
		// 0x07 | anchor id NUL | verifier NUL | purpose -> Consent
		cat("\x07", a, "\x00HK:bank\x00kyc"): marshal(&state.Consents[0]),
		// 0x08 | anchor id -> Recovery
		cat("\x08", a): marshal(&state.Recoveries[0]),
	}
	require.Equal(t, want, f.raw())

	for prefix, got := range map[byte][]byte{
		0x00: types.ParamsKey, 0x01: types.AnchorsKey, 0x02: types.KeysKey, 0x03: types.KeysByPublicKeyKey, 0x04: types.LinksKey,
		0x05: types.LinksByAnchorKey, 0x06: types.ActiveLinksKey, 0x07: types.ConsentsKey, 0x08: types.RecoveriesKey,
	} {
		require.Equal(t, []byte{prefix}, got)
	}
}

// TestEventTypeNames pins the event type strings the indexer subscribes to.
func TestEventTypeNames(t *testing.T) {
	for want, ev := range map[string]proto.Message{
		"EventAnchorCreated": &types.EventAnchorCreated{}, "EventHolderOperation": &types.EventHolderOperation{},
		"EventKeyAdded": &types.EventKeyAdded{}, "EventKeyRevoked": &types.EventKeyRevoked{},
		"EventAnchorDeactivated": &types.EventAnchorDeactivated{}, "EventIdentityLinked": &types.EventIdentityLinked{},
		"EventLinkRemoved": &types.EventLinkRemoved{}, "EventConsentGranted": &types.EventConsentGranted{},
		"EventConsentWithdrawn": &types.EventConsentWithdrawn{}, "EventRecoveryInitiated": &types.EventRecoveryInitiated{},
		"EventRecoveryCancelled": &types.EventRecoveryCancelled{}, "EventRecoveryCompleted": &types.EventRecoveryCompleted{},
		"EventParamsUpdated": &types.EventParamsUpdated{},
	} {
		require.Equal(t, "baynet.identity.v1."+want, proto.MessageName(ev))
	}
}

func TestUpdateParams(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxKeysPerAnchor, p.RecoveryDelay = 4, 24*time.Hour
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: relayerAcc, Params: p})
		return err
	}, sdkerrors.ErrUnauthorized, "invalid authority")
	bad := p
	bad.MaxConsentsPerAnchor = 0
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: authorityAcc, Params: bad})
		return err
	}, types.ErrInvalidParams, "max_consents_per_anchor")

	_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authorityAcc, Params: p})
	require.NoError(t, err)
	require.Equal(t, p, f.export().Params)
	require.Equal(t, []*types.EventParamsUpdated{{Params: &p}}, events[*types.EventParamsUpdated](t, f.ctx))
}
