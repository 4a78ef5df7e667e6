package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// pendingRecovery returns the anchor's pending recovery, or nil.
func (k Keeper) pendingRecovery(ctx context.Context, anchorID string) (*types.Recovery, error) {
	r, err := k.Recoveries.Get(ctx, anchorID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (k Keeper) cancelRecovery(ctx context.Context, r types.Recovery, reason string) error {
	if err := k.Recoveries.Remove(ctx, r.AnchorId); err != nil {
		return err
	}
	return emit(ctx, &types.EventRecoveryCancelled{AnchorId: r.AnchorId, Idp: r.Idp, Reason: reason})
}

// InitiateRecovery starts replacing every key of an anchor by a new one, on
// the word of the identity provider that linked it. Checks, in order: the
// message's form; that the signer is an active identity provider; that the
// anchor is active and holds a link by it in force; that no recovery is
// pending; the new key (authentication purpose, an id and a public key never
// used); its proof of possession at the anchor's sequence. The recovery can
// complete once the recovery delay has passed; until then the holder may
// cancel it with any surviving key.
func (k Keeper) InitiateRecovery(ctx context.Context, msg *types.MsgInitiateRecovery) (types.Recovery, error) {
	if err := types.ValidateAnchorID(msg.AnchorId); err != nil {
		return types.Recovery{}, err
	}
	if _, err := msg.NewKey.Parse(); err != nil {
		return types.Recovery{}, err
	}
	if !types.HasPurpose(msg.NewKey.Purposes, types.KEY_PURPOSE_AUTHENTICATION) {
		return types.Recovery{}, errorsmod.Wrap(types.ErrKeyPurpose, "a recovery's key must have the authentication purpose")
	}
	idp, err := k.identityProvider(ctx, msg.Idp)
	if err != nil {
		return types.Recovery{}, err
	}
	a, err := k.activeAnchor(ctx, msg.AnchorId)
	if err != nil {
		return types.Recovery{}, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	if err := k.checkLinkedBy(ctx, a.Id, idp); err != nil {
		return types.Recovery{}, err
	}
	if r, err := k.pendingRecovery(ctx, a.Id); err != nil {
		return types.Recovery{}, err
	} else if r != nil {
		return types.Recovery{}, errorsmod.Wrapf(types.ErrRecoveryPending, "%s: started by %s", a.Id, idpOf(r))
	}
	pk, err := k.checkNewKey(ctx, a.Id, msg.NewKey)
	if err != nil {
		return types.Recovery{}, err
	}
	pop := msg.NewKey.Possession(sdkCtx.ChainID(), a.Id, a.Sequence, pk.Bytes())
	if err := k.verify(ctx, sigItem{"proof of possession of " + msg.NewKey.KeyId, pk, types.RecoverSignBytes(pop), msg.NewKey.PopSignature}); err != nil {
		return types.Recovery{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Recovery{}, err
	}
	nk := msg.NewKey
	nk.PublicKey = pk.Bytes()
	r := types.Recovery{AnchorId: a.Id, Idp: idp.Id, NewKey: nk, InitiatedAt: now, ExecutableAt: now.Add(params.RecoveryDelay)}
	if err := k.Recoveries.Set(ctx, a.Id, r); err != nil {
		return r, err
	}
	return r, emit(ctx, &types.EventRecoveryInitiated{AnchorId: a.Id, Idp: idp.Id, NewKeyId: nk.KeyId, ExecutableAt: r.ExecutableAt})
}

func idpOf(r *types.Recovery) string {
	if r == nil {
		return ""
	}
	return r.Idp
}

// checkLinkedBy checks that idp's link of the anchor is active and in force.
func (k Keeper) checkLinkedBy(ctx context.Context, anchorID string, idp regionstypes.Agency) error {
	commitment, err := k.ActiveLinks.Get(ctx, collections.Join(anchorID, idp.Id))
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrNotIdentityProvider, "%s holds no active link of %s", idp.Id, anchorID)
	}
	if err != nil {
		return err
	}
	link, err := k.Links.Get(ctx, commitment)
	if err != nil {
		return err
	}
	if now := sdk.UnwrapSDKContext(ctx).BlockTime(); !link.InForce(now) {
		return errorsmod.Wrapf(types.ErrNotIdentityProvider, "the link of %s by %s is valid from %s until %s", anchorID, idp.Id, link.ValidFrom, link.ValidUntil)
	}
	return nil
}

// CompleteRecovery replaces every key in force of the anchor by the
// recovery's new key, once the waiting period is over, if the identity
// provider is still active and still links the anchor. It consumes the
// anchor's sequence, so nothing signed before applies after.
func (k Keeper) CompleteRecovery(ctx context.Context, msg *types.MsgCompleteRecovery) error {
	if _, err := k.addressCodec.StringToBytes(msg.Signer); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "signer %q: %v", msg.Signer, err)
	}
	if err := types.ValidateAnchorID(msg.AnchorId); err != nil {
		return err
	}
	a, err := k.activeAnchor(ctx, msg.AnchorId)
	if err != nil {
		return err
	}
	r, err := k.pendingRecovery(ctx, a.Id)
	if err != nil {
		return err
	}
	if r == nil {
		return errorsmod.Wrapf(types.ErrNoRecovery, "%s", a.Id)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	if now.Before(r.ExecutableAt) {
		return errorsmod.Wrapf(types.ErrRecoveryNotDue, "%s can complete from %s", a.Id, r.ExecutableAt)
	}
	idp, err := k.regions.GetAgency(ctx, r.Idp)
	if err != nil {
		return errorsmod.Wrapf(types.ErrNotIdentityProvider, "%s: %v", r.Idp, err)
	}
	if idp.Status != regionstypes.AGENCY_STATUS_ACTIVE || !idp.HasRole(regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER) {
		return errorsmod.Wrapf(types.ErrNotIdentityProvider, "%s is %s and no longer vouches for the recovery", idp.Id, idp.Status)
	}
	if err := k.checkLinkedBy(ctx, a.Id, idp); err != nil {
		return err
	}
	// A key added since the recovery began may have taken its id or key.
	pk, err := k.checkNewKey(ctx, a.Id, r.NewKey)
	if err != nil {
		return err
	}

	revoked := append([]string(nil), a.ActiveKeys...)
	for _, id := range revoked {
		if err := k.revokeKey(ctx, &a, id, "replaced by a recovery through "+r.Idp); err != nil {
			return err
		}
	}
	if err := k.addKey(ctx, &a, r.NewKey, pk); err != nil {
		return err
	}
	a.Sequence++
	a.UpdatedAt = now
	if err := k.Anchors.Set(ctx, a.Id, a); err != nil {
		return err
	}
	if err := k.Recoveries.Remove(ctx, a.Id); err != nil {
		return err
	}
	return emit(ctx, &types.EventRecoveryCompleted{AnchorId: a.Id, Idp: r.Idp, NewKeyId: r.NewKey.KeyId, RevokedKeyIds: revoked})
}
