package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// GetAttestation returns an attestation and its status record by id.
func (k Keeper) GetAttestation(ctx context.Context, id []byte) (types.Attestation, types.StatusRecord, error) {
	att, err := k.Attestations.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return att, types.StatusRecord{}, errorsmod.Wrapf(types.ErrUnknownAttestation, "%x", id)
	}
	if err != nil {
		return att, types.StatusRecord{}, err
	}
	rec, err := k.Statuses.Get(ctx, id)
	return att, rec, err
}

// HistoryOf returns an attestation's status changes in order. There are at
// most max_status_changes of them.
func (k Keeper) HistoryOf(ctx context.Context, id []byte) ([]types.StatusChange, error) {
	var out []types.StatusChange
	err := k.History.Walk(ctx, collections.NewPrefixedPairRange[[]byte, uint32](id), func(_ HistoryKey, c types.StatusChange) (bool, error) {
		out = append(out, c)
		return false, nil
	})
	return out, err
}

// statusChange is a requested suspension, reinstatement or revocation.
type statusChange struct {
	signer, id, reason string
	to                 types.AttestationStatus
	until              *time.Time
}

// changeStatus suspends, reinstates or revokes an attestation. Checks, in
// order: the request is well formed (a reason for suspensions and
// revocations, a suspension end in the future); the attestation exists; the
// signer is its issuing agency, active, or for a revocation its region's
// authority; the change is allowed from the status now (nothing after a
// revocation, no suspension or reinstatement after expiry, a reinstatement
// only of a suspension still running); the history has room, keeping its
// last entry for a revocation.
func (k Keeper) changeStatus(ctx context.Context, c statusChange) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	id, err := types.ParseID(c.id)
	if err != nil {
		return err
	}
	if err := regionstypes.ValidateReason(c.reason); err != nil {
		return errorsmod.Wrap(types.ErrInvalidRequest, err.Error())
	}
	if c.reason == "" && c.to != types.ATTESTATION_STATUS_ACTIVE {
		return errorsmod.Wrap(types.ErrInvalidRequest, "a reason is required to suspend or revoke")
	}
	if c.until != nil && !c.until.After(now) {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "suspension end %s is not after the block time %s",
			c.until.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	signer, err := k.addressCodec.StringToBytes(c.signer)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "signer %q: %v", c.signer, err)
	}
	att, rec, err := k.GetAttestation(ctx, id)
	if err != nil {
		return err
	}
	if err := k.authorizeChange(ctx, signer, c.signer, att, c.to); err != nil {
		return err
	}
	old := types.CurrentStatus(att, rec, now)
	if err := checkTransition(att, rec, old, c.to, now); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	room := params.MaxStatusChanges
	if c.to != types.ATTESTATION_STATUS_REVOKED {
		room-- // the last entry is kept for a revocation
	}
	if rec.Changes >= room {
		return errorsmod.Wrapf(types.ErrHistoryFull, "attestation %s has %d status changes; only a revocation is still possible", att.Id, rec.Changes)
	}
	change := types.StatusChange{
		Seq: rec.Changes, Status: c.to, Reason: c.reason, Time: now, Height: sdkCtx.BlockHeight(), Signer: c.signer, SuspendedUntil: c.until,
	}
	if err := k.History.Set(ctx, collections.Join(id, change.Seq), change); err != nil {
		return err
	}
	if err := k.Statuses.Set(ctx, id, change.Record(rec.Changes+1)); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventAttestationStatusChanged{
		Id: att.Id, Issuer: att.Payload.Issuer, OldStatus: old, NewStatus: c.to, Reason: c.reason,
		SuspendedUntil: c.until, Seq: change.Seq, Signer: c.signer,
	})
}

// authorizeChange lets the issuing agency (while active) make any change,
// and its region's authority revoke.
func (k Keeper) authorizeChange(ctx context.Context, signer sdk.AccAddress, signerStr string, att types.Attestation, to types.AttestationStatus) error {
	a, err := k.regions.AgencyByAccount(ctx, signer)
	switch {
	case err == nil && a.Id == att.Payload.Issuer:
		if a.Status != regionstypes.AGENCY_STATUS_ACTIVE {
			return errorsmod.Wrapf(regionstypes.ErrAgencyStatus, "agency %s is %s", a.Id, a.Status)
		}
		return nil
	case err != nil && !errors.Is(err, regionstypes.ErrUnknownAgency):
		return err
	}
	if to == types.ATTESTATION_STATUS_REVOKED {
		r, err := k.regions.RegionByAuthority(ctx, signer)
		if err != nil && !errors.Is(err, regionstypes.ErrNotRegionAuthority) {
			return err
		}
		if err == nil {
			issuer, err := k.regions.GetAgency(ctx, att.Payload.Issuer)
			if err != nil {
				return err
			}
			if issuer.Region == r.Code {
				return nil
			}
		}
		return errorsmod.Wrapf(types.ErrUnauthorized, "%s is neither the issuer %s nor its region's authority", signerStr, att.Payload.Issuer)
	}
	return errorsmod.Wrapf(types.ErrUnauthorized, "%s is not the account of the issuer %s", signerStr, att.Payload.Issuer)
}

// checkTransition says whether an attestation whose record is rec and whose
// status now is current may become to.
func checkTransition(att types.Attestation, rec types.StatusRecord, current, to types.AttestationStatus, now time.Time) error {
	if rec.Status == types.ATTESTATION_STATUS_REVOKED {
		return errorsmod.Wrapf(types.ErrInvalidTransition, "attestation %s is revoked, which is final", att.Id)
	}
	if to == types.ATTESTATION_STATUS_REVOKED {
		return nil
	}
	if current == types.ATTESTATION_STATUS_EXPIRED {
		return errorsmod.Wrapf(types.ErrInvalidTransition, "attestation %s expired at %s", att.Id,
			time.Unix(att.ExpiresAt, 0).UTC().Format(time.RFC3339))
	}
	if to == types.ATTESTATION_STATUS_ACTIVE {
		if rec.Status != types.ATTESTATION_STATUS_SUSPENDED {
			return errorsmod.Wrapf(types.ErrInvalidTransition, "attestation %s is not suspended", att.Id)
		}
		if rec.SuspendedUntil != nil && !now.Before(*rec.SuspendedUntil) {
			return errorsmod.Wrapf(types.ErrInvalidTransition, "attestation %s's suspension already ended at %s", att.Id,
				rec.SuspendedUntil.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// StatusAt returns an attestation's status at t with the history entry in
// force then (nil before anchoring).
func (k Keeper) StatusAt(ctx context.Context, id []byte, t time.Time) (types.Attestation, types.AttestationStatus, *types.StatusChange, error) {
	att, err := k.Attestations.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return att, 0, nil, errorsmod.Wrapf(types.ErrUnknownAttestation, "%x", id)
	}
	if err != nil {
		return att, 0, nil, err
	}
	history, err := k.HistoryOf(ctx, id)
	if err != nil {
		return att, 0, nil, err
	}
	status, change := types.StatusAt(att, history, t)
	return att, status, change, nil
}
