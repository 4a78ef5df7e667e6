package keeper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// LinkIdentity records an identity provider's link of an anchor to a person
// it verified, with the holder's approval. Checks, in order: the message's
// form; that the signer is an active identity provider of the link's
// region; the validity; that the anchor is active; that neither the
// commitment nor a link of this provider is active on it; the cap; that the
// approving key is in force for authentication; the holder's signature.
// The approval consumes the anchor's sequence.
func (k Keeper) LinkIdentity(ctx context.Context, msg *types.MsgLinkIdentity) error {
	if err := validateLinkMsg(msg); err != nil {
		return err
	}
	idp, err := k.identityProvider(ctx, msg.Idp)
	if err != nil {
		return err
	}
	if msg.Region != idp.Region {
		return errorsmod.Wrapf(types.ErrWrongRegion, "%s serves %s, not %s", idp.Id, idp.Region, msg.Region)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	validFrom := now
	if msg.ValidFrom != nil {
		validFrom = *msg.ValidFrom
	}
	if !msg.ValidUntil.After(validFrom) || !msg.ValidUntil.After(now) {
		return errorsmod.Wrapf(types.ErrInvalidLink, "valid_until %s must be after valid_from %s and the block time %s", msg.ValidUntil, validFrom, now)
	}
	a, err := k.activeAnchor(ctx, msg.AnchorId)
	if err != nil {
		return err
	}
	if old, err := k.Links.Get(ctx, msg.Commitment); err == nil && old.Status == types.LINK_STATUS_ACTIVE {
		return errorsmod.Wrapf(types.ErrDuplicateLink, "commitment %X already links %s", msg.Commitment, old.AnchorId)
	} else if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	if has, err := k.ActiveLinks.Has(ctx, collections.Join(a.Id, idp.Id)); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDuplicateLink, "%s already holds an active link by %s; remove it first", a.Id, idp.Id)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if len(a.LinkedIdps) >= int(params.MaxLinksPerAnchor) {
		return errorsmod.Wrapf(types.ErrLimit, "%s already has %d active links, the most an anchor holds", a.Id, len(a.LinkedIdps))
	}
	holderKey, err := k.signingKey(ctx, a.Id, msg.HolderKeyId, types.KEY_PURPOSE_AUTHENTICATION)
	if err != nil {
		return err
	}
	approval := &types.LinkApproval{
		ChainId: sdkCtx.ChainID(), AnchorId: a.Id, Idp: idp.Id, Region: msg.Region, Commitment: msg.Commitment, Sequence: a.Sequence,
	}
	if err := k.verify(ctx, sigItem{"holder approval", holderKey, types.LinkSignBytes(approval), msg.HolderSignature}); err != nil {
		return err
	}

	link := types.Link{
		Commitment: msg.Commitment, AnchorId: a.Id, Idp: idp.Id, Region: msg.Region, LevelOfAssurance: msg.LevelOfAssurance,
		ValidFrom: validFrom, ValidUntil: *msg.ValidUntil, LinkedAt: now, Status: types.LINK_STATUS_ACTIVE,
	}
	if err := k.Links.Set(ctx, link.Commitment, link); err != nil {
		return err
	}
	if err := k.ActiveLinks.Set(ctx, collections.Join(a.Id, idp.Id), link.Commitment); err != nil {
		return err
	}
	if err := emit(ctx, &types.EventIdentityLinked{
		AnchorId: a.Id, Idp: idp.Id, Region: link.Region, Commitment: link.Commitment, LevelOfAssurance: link.LevelOfAssurance, ValidUntil: link.ValidUntil,
	}); err != nil {
		return err
	}
	a.Sequence++
	a.LinkedIdps = insertSorted(a.LinkedIdps, idp.Id)
	a.UpdatedAt = now
	return k.Anchors.Set(ctx, a.Id, a)
}

func validateLinkMsg(msg *types.MsgLinkIdentity) error {
	if err := types.ValidateAnchorID(msg.AnchorId); err != nil {
		return err
	}
	if err := regionstypes.ValidateRegionCode(msg.Region); err != nil {
		return errorsmod.Wrap(types.ErrInvalidLink, err.Error())
	}
	if err := types.ValidateCommitment(msg.Commitment); err != nil {
		return err
	}
	if msg.LevelOfAssurance < types.MinLevelOfAssurance || msg.LevelOfAssurance > types.MaxLevelOfAssurance {
		return errorsmod.Wrapf(types.ErrInvalidLink, "level of assurance must be %d-%d, got %d", types.MinLevelOfAssurance, types.MaxLevelOfAssurance, msg.LevelOfAssurance)
	}
	if msg.ValidUntil == nil {
		return errorsmod.Wrap(types.ErrInvalidLink, "valid_until is required")
	}
	if err := types.ValidateKeyID(msg.HolderKeyId); err != nil {
		return err
	}
	return types.ValidateSignatureSize("holder signature", msg.HolderSignature)
}

// UnlinkIdentity removes a link by the identity provider that made it.
func (k Keeper) UnlinkIdentity(ctx context.Context, msg *types.MsgUnlinkIdentity) error {
	if err := types.ValidateCommitment(msg.Commitment); err != nil {
		return err
	}
	if err := types.ValidateReason(msg.Reason); err != nil {
		return errorsmod.Wrap(types.ErrInvalidLink, err.Error())
	}
	idp, err := k.identityProvider(ctx, msg.Idp)
	if err != nil {
		return err
	}
	link, err := k.activeLink(ctx, msg.Commitment)
	if err != nil {
		return err
	}
	if link.Idp != idp.Id {
		return errorsmod.Wrapf(types.ErrNotIdentityProvider, "link %X was made by %s, not %s", msg.Commitment, link.Idp, idp.Id)
	}
	a, err := k.GetAnchor(ctx, link.AnchorId)
	if err != nil {
		return err
	}
	recovery, err := k.pendingRecovery(ctx, a.Id)
	if err != nil {
		return err
	}
	if err := k.removeLink(ctx, &a, link, idp.Id, msg.Reason, recovery); err != nil {
		return err
	}
	return k.Anchors.Set(ctx, a.Id, a)
}

// activeLink returns the active link with a commitment.
func (k Keeper) activeLink(ctx context.Context, commitment []byte) (types.Link, error) {
	link, err := k.Links.Get(ctx, commitment)
	if errors.Is(err, collections.ErrNotFound) {
		return link, errorsmod.Wrapf(types.ErrUnknownLink, "%X", commitment)
	}
	if err != nil {
		return link, err
	}
	if link.Status != types.LINK_STATUS_ACTIVE {
		return link, errorsmod.Wrapf(types.ErrUnknownLink, "%X was removed at %s", commitment, link.RemovedAt)
	}
	return link, nil
}

func (k Keeper) planRemoveLink(ctx context.Context, a types.Anchor, rl *types.RemoveLink) (opPlan, error) {
	link, err := k.activeLink(ctx, rl.Commitment)
	if err != nil {
		return opPlan{}, err
	}
	if link.AnchorId != a.Id {
		return opPlan{}, errorsmod.Wrapf(types.ErrUnknownLink, "%X is not a link of %s", rl.Commitment, a.Id)
	}
	recovery, err := k.pendingRecovery(ctx, a.Id)
	if err != nil {
		return opPlan{}, err
	}
	return opPlan{apply: func(a *types.Anchor) error { return k.removeLink(ctx, a, link, "holder", rl.Reason, recovery) }}, nil
}

// removeLink marks a link removed and, if the recovery pending on its anchor
// came from the link's provider, cancels it; the caller saves the anchor.
func (k Keeper) removeLink(ctx context.Context, a *types.Anchor, link types.Link, by, reason string, recovery *types.Recovery) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	link.Status, link.RemovedAt, link.RemovedBy, link.RemovalReason = types.LINK_STATUS_REMOVED, &now, by, reason
	if err := k.Links.Set(ctx, link.Commitment, link); err != nil {
		return err
	}
	if err := k.ActiveLinks.Remove(ctx, collections.Join(link.AnchorId, link.Idp)); err != nil {
		return err
	}
	a.LinkedIdps = slices.DeleteFunc(a.LinkedIdps, func(id string) bool { return id == link.Idp })
	if err := emit(ctx, &types.EventLinkRemoved{AnchorId: link.AnchorId, Idp: link.Idp, Commitment: link.Commitment, RemovedBy: by, Reason: reason}); err != nil {
		return err
	}
	if recovery != nil && recovery.Idp == link.Idp {
		return k.cancelRecovery(ctx, *recovery, "the link of "+link.Idp+" was removed")
	}
	return nil
}

// AssuranceAt returns the highest level of assurance among the anchor's
// active region identity links valid at t, with that link; level 0 and a
// reason when none is. It reads the anchor's linked_idps, then one
// ActiveLinks and one Links key per provider, so a verifier can prove each
// input. Like ConsentAt it answers from the current links: a link removed
// since t is answered for by the state at an earlier height.
func (k Keeper) AssuranceAt(ctx context.Context, anchorID string, t time.Time) (uint32, *types.Link, string, error) {
	a, err := k.GetAnchor(ctx, anchorID)
	if err != nil {
		return 0, nil, "", err
	}
	links := make([]types.Link, 0, len(a.LinkedIdps))
	for _, idp := range a.LinkedIdps {
		commitment, err := k.ActiveLinks.Get(ctx, collections.Join(a.Id, idp))
		if err != nil {
			return 0, nil, "", fmt.Errorf("anchor %s lists a link by %s: %w", a.Id, idp, err)
		}
		link, err := k.Links.Get(ctx, commitment)
		if err != nil {
			return 0, nil, "", fmt.Errorf("active link %X of %s: %w", commitment, a.Id, err)
		}
		links = append(links, link)
	}
	level, best, why := types.AssuranceAt(a, links, t)
	return level, best, why, nil
}
