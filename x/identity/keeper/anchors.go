package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/identity/types"
)

// CreateAnchor creates the anchor whose first key is the message's, relayed
// by an active agency, and returns its id. Checks, in order: the relayer's
// address and the key's form; that the key may authenticate; that the
// relayer is an active agency; that neither the anchor nor the public key
// exists; the key's proof of possession.
func (k Keeper) CreateAnchor(ctx context.Context, msg *types.MsgCreateAnchor) (string, error) {
	if _, err := k.addressCodec.StringToBytes(msg.Relayer); err != nil {
		return "", errorsmod.Wrapf(types.ErrInvalidAddress, "relayer %q: %v", msg.Relayer, err)
	}
	nk := types.NewKey{KeyId: msg.KeyId, Scheme: msg.Scheme, PublicKey: msg.PublicKey, Purposes: msg.Purposes, PopSignature: msg.PopSignature}
	pk, err := nk.Parse()
	if err != nil {
		return "", err
	}
	if !types.HasPurpose(nk.Purposes, types.KEY_PURPOSE_AUTHENTICATION) {
		return "", errorsmod.Wrap(types.ErrKeyPurpose, "an anchor's first key must have the authentication purpose")
	}
	relayer, err := k.relayer(ctx, msg.Relayer)
	if err != nil {
		return "", err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	id := types.AnchorID(sdkCtx.ChainID(), nk.Scheme, pk.Bytes())
	if has, err := k.Anchors.Has(ctx, id); err != nil {
		return "", err
	} else if has {
		return "", errorsmod.Wrapf(types.ErrDuplicateAnchor, "%s", id)
	}
	if pk, err = k.checkNewKey(ctx, id, nk); err != nil {
		return "", err
	}
	if err := k.verify(ctx, createPoP(sdkCtx.ChainID(), id, nk, pk)); err != nil {
		return "", err
	}

	now := sdkCtx.BlockTime()
	a := types.Anchor{Id: id, Status: types.ANCHOR_STATUS_ACTIVE, CreatedAt: now, UpdatedAt: now, ActiveKeys: []string{nk.KeyId}, CreatedBy: relayer.Id}
	if err := k.Anchors.Set(ctx, id, a); err != nil {
		return "", err
	}
	if err := emit(ctx, &types.EventAnchorCreated{AnchorId: id, Relayer: relayer.Id}); err != nil {
		return "", err
	}
	if err := k.storeKey(ctx, id, nk, pk); err != nil {
		return "", err
	}
	return id, nil
}

// opPlan is a checked operation: the signatures it carries besides the
// operation's own, and the writes that apply it to the anchor (which the
// caller saves).
type opPlan struct {
	sigs  []sigItem
	apply func(a *types.Anchor) error
}

// ApplyHolderOperation applies a relayed holder-signed operation and returns
// it. Checks, in order: the message's form and the payload's canonical
// encoding; that the relayer is an active agency; the chain id; that the
// anchor exists and is active; the sequence (no replay); that the signing
// key is in force with the authentication purpose (any purpose to cancel a
// recovery); the operation's own rules; then every signature, as one batch.
// Applying it increments the anchor's sequence.
func (k Keeper) ApplyHolderOperation(ctx context.Context, msg *types.MsgHolderOperation) (*types.HolderOperation, error) {
	if _, err := k.addressCodec.StringToBytes(msg.Relayer); err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "relayer %q: %v", msg.Relayer, err)
	}
	if err := types.ValidateKeyID(msg.KeyId); err != nil {
		return nil, err
	}
	if err := types.ValidateSignatureSize("signature", msg.Signature); err != nil {
		return nil, err
	}
	op, err := types.DecodeHolderOperation(msg.Payload)
	if err != nil {
		return nil, err
	}
	if err := op.ValidateBasic(); err != nil {
		return nil, err
	}
	relayer, err := k.relayer(ctx, msg.Relayer)
	if err != nil {
		return nil, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if op.ChainId != sdkCtx.ChainID() {
		return nil, errorsmod.Wrapf(types.ErrWrongChain, "payload for chain %q, this is %q", op.ChainId, sdkCtx.ChainID())
	}
	a, err := k.activeAnchor(ctx, op.AnchorId)
	if err != nil {
		return nil, err
	}
	if op.Sequence != a.Sequence {
		return nil, errorsmod.Wrapf(types.ErrWrongSequence, "payload has sequence %d, %s is at %d: a payload applies once, in order", op.Sequence, a.Id, a.Sequence)
	}
	purpose := types.KEY_PURPOSE_AUTHENTICATION
	if _, ok := op.Op.(*types.HolderOperation_CancelRecovery); ok {
		// A holder may stop a recovery with any key that survived.
		purpose = types.KEY_PURPOSE_UNSPECIFIED
	}
	signer, err := k.signingKey(ctx, a.Id, msg.KeyId, purpose)
	if err != nil {
		return nil, err
	}
	plan, err := k.planOperation(ctx, a, op, msg.KeyId)
	if err != nil {
		return nil, err
	}
	sigs := append([]sigItem{holderSignature(msg, signer)}, plan.sigs...)
	if err := k.verify(ctx, sigs...); err != nil {
		return nil, err
	}

	a.Sequence++
	a.UpdatedAt = sdkCtx.BlockTime()
	if err := plan.apply(&a); err != nil {
		return nil, err
	}
	if err := k.Anchors.Set(ctx, a.Id, a); err != nil {
		return nil, err
	}
	return op, emit(ctx, &types.EventHolderOperation{
		AnchorId: a.Id, Operation: op.OperationName(), Sequence: op.Sequence, KeyId: msg.KeyId, Relayer: relayer.Id,
	})
}

// planOperation checks an operation against the anchor's state and returns
// how to apply it. It writes nothing.
func (k Keeper) planOperation(ctx context.Context, a types.Anchor, op *types.HolderOperation, signerKeyID string) (opPlan, error) {
	switch o := op.Op.(type) {
	case *types.HolderOperation_AddKey:
		return k.planAddKey(ctx, a, op, o.AddKey.Key)
	case *types.HolderOperation_RevokeKey:
		return k.planRevokeKey(ctx, a, o.RevokeKey)
	case *types.HolderOperation_RotateKey:
		return k.planRotateKey(ctx, a, op, o.RotateKey)
	case *types.HolderOperation_Deactivate:
		return k.planDeactivate(ctx, a, o.Deactivate.Reason)
	case *types.HolderOperation_GrantConsent:
		return k.planGrantConsent(ctx, a, op.Sequence, o.GrantConsent)
	case *types.HolderOperation_WithdrawConsent:
		return k.planWithdrawConsent(ctx, a, o.WithdrawConsent)
	case *types.HolderOperation_RemoveLink:
		return k.planRemoveLink(ctx, a, o.RemoveLink)
	case *types.HolderOperation_CancelRecovery:
		return k.planCancelRecovery(ctx, a)
	}
	return opPlan{}, errorsmod.Wrap(types.ErrInvalidPayload, "the payload carries no operation")
}

func (k Keeper) planAddKey(ctx context.Context, a types.Anchor, op *types.HolderOperation, nk types.NewKey) (opPlan, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return opPlan{}, err
	}
	if len(a.ActiveKeys) >= int(params.MaxKeysPerAnchor) {
		return opPlan{}, errorsmod.Wrapf(types.ErrLimit, "%s already has %d keys in force, the most an anchor holds", a.Id, len(a.ActiveKeys))
	}
	pk, err := k.checkNewKey(ctx, a.Id, nk)
	if err != nil {
		return opPlan{}, err
	}
	return opPlan{sigs: []sigItem{keyPoP(op, a.Id, nk, pk)}, apply: func(a *types.Anchor) error { return k.addKey(ctx, a, nk, pk) }}, nil
}

func (k Keeper) planRevokeKey(ctx context.Context, a types.Anchor, rk *types.RevokeKey) (opPlan, error) {
	if err := k.checkInForce(ctx, a.Id, rk.KeyId); err != nil {
		return opPlan{}, err
	}
	if err := k.checkAuthenticationLeft(ctx, a, rk.KeyId, nil); err != nil {
		return opPlan{}, err
	}
	reason := rk.Reason
	if reason == "" {
		reason = "revoked by the holder"
	}
	return opPlan{apply: func(a *types.Anchor) error { return k.revokeKey(ctx, a, rk.KeyId, reason) }}, nil
}

func (k Keeper) planRotateKey(ctx context.Context, a types.Anchor, op *types.HolderOperation, rk *types.RotateKey) (opPlan, error) {
	if err := k.checkInForce(ctx, a.Id, rk.OldKeyId); err != nil {
		return opPlan{}, err
	}
	pk, err := k.checkNewKey(ctx, a.Id, rk.NewKey)
	if err != nil {
		return opPlan{}, err
	}
	if err := k.checkAuthenticationLeft(ctx, a, rk.OldKeyId, &rk.NewKey); err != nil {
		return opPlan{}, err
	}
	nk := rk.NewKey
	return opPlan{sigs: []sigItem{keyPoP(op, a.Id, nk, pk)}, apply: func(a *types.Anchor) error {
		if err := k.revokeKey(ctx, a, rk.OldKeyId, "rotated to "+nk.KeyId); err != nil {
			return err
		}
		return k.addKey(ctx, a, nk, pk)
	}}, nil
}

func (k Keeper) planDeactivate(ctx context.Context, a types.Anchor, reason string) (opPlan, error) {
	recovery, err := k.pendingRecovery(ctx, a.Id)
	if err != nil {
		return opPlan{}, err
	}
	return opPlan{apply: func(a *types.Anchor) error {
		now := sdk.UnwrapSDKContext(ctx).BlockTime()
		a.Status, a.DeactivatedAt = types.ANCHOR_STATUS_DEACTIVATED, &now
		if err := k.Anchors.Set(ctx, a.Id, *a); err != nil {
			return err
		}
		if err := emit(ctx, &types.EventAnchorDeactivated{AnchorId: a.Id, Reason: reason}); err != nil {
			return err
		}
		if recovery != nil {
			return k.cancelRecovery(ctx, *recovery, "the anchor was deactivated")
		}
		return nil
	}}, nil
}

func (k Keeper) planCancelRecovery(ctx context.Context, a types.Anchor) (opPlan, error) {
	recovery, err := k.pendingRecovery(ctx, a.Id)
	if err != nil {
		return opPlan{}, err
	}
	if recovery == nil {
		return opPlan{}, errorsmod.Wrapf(types.ErrNoRecovery, "%s", a.Id)
	}
	return opPlan{apply: func(*types.Anchor) error {
		return k.cancelRecovery(ctx, *recovery, "cancelled by the holder")
	}}, nil
}

// checkInForce checks that an anchor's key exists and is not revoked.
func (k Keeper) checkInForce(ctx context.Context, anchorID, keyID string) error {
	key, err := k.GetKey(ctx, anchorID, keyID)
	if err != nil {
		return err
	}
	if key.Status != types.KEY_STATUS_ACTIVE {
		return errorsmod.Wrapf(types.ErrKeyRevoked, "%s#%s", anchorID, keyID)
	}
	return nil
}

// checkAuthenticationLeft checks that the anchor keeps a key with the
// authentication purpose once removed is revoked and added (if any) added.
// It reads at most the anchor's keys in force.
func (k Keeper) checkAuthenticationLeft(ctx context.Context, a types.Anchor, removed string, added *types.NewKey) error {
	if added != nil && types.HasPurpose(added.Purposes, types.KEY_PURPOSE_AUTHENTICATION) {
		return nil
	}
	for _, id := range a.ActiveKeys {
		if id == removed {
			continue
		}
		key, err := k.Keys.Get(ctx, collections.Join(a.Id, id))
		if err != nil {
			return err
		}
		if types.HasPurpose(key.Purposes, types.KEY_PURPOSE_AUTHENTICATION) {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrLastAuthenticationKey, "%s would have no authentication key left; deactivate the anchor instead", a.Id)
}
