package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/identity/types"
)

func (k Keeper) getConsent(ctx context.Context, anchorID, verifier, purpose string) (*types.Consent, error) {
	c, err := k.Consents.Get(ctx, collections.Join3(anchorID, verifier, purpose))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func (k Keeper) planGrantConsent(ctx context.Context, a types.Anchor, sequence uint64, g *types.GrantConsent) (opPlan, error) {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if !g.ValidUntil.After(now) {
		return opPlan{}, errorsmod.Wrapf(types.ErrInvalidConsent, "valid_until %s has already passed (block time %s)", g.ValidUntil.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	old, err := k.getConsent(ctx, a.Id, g.Verifier, g.Purpose)
	if err != nil {
		return opPlan{}, err
	}
	replaces := old != nil && old.WithdrawnAt == nil
	if !replaces {
		params, err := k.Params.Get(ctx)
		if err != nil {
			return opPlan{}, err
		}
		if a.Consents >= params.MaxConsentsPerAnchor {
			return opPlan{}, errorsmod.Wrapf(types.ErrLimit, "%s already has %d consents not withdrawn, the most an anchor holds; withdraw expired ones first", a.Id, a.Consents)
		}
	}
	c := types.Consent{
		AnchorId: a.Id, Verifier: g.Verifier, Purpose: g.Purpose, CredentialTypes: g.CredentialTypes,
		GrantedAt: now, ValidUntil: *g.ValidUntil, GrantedSequence: sequence,
	}
	return opPlan{apply: func(a *types.Anchor) error {
		if err := k.Consents.Set(ctx, collections.Join3(c.AnchorId, c.Verifier, c.Purpose), c); err != nil {
			return err
		}
		if !replaces {
			a.Consents++
		}
		return emit(ctx, &types.EventConsentGranted{
			AnchorId: c.AnchorId, Verifier: c.Verifier, Purpose: c.Purpose, CredentialTypes: c.CredentialTypes, ValidUntil: c.ValidUntil,
		})
	}}, nil
}

func (k Keeper) planWithdrawConsent(ctx context.Context, a types.Anchor, w *types.WithdrawConsent) (opPlan, error) {
	c, err := k.getConsent(ctx, a.Id, w.Verifier, w.Purpose)
	if err != nil {
		return opPlan{}, err
	}
	if c == nil || c.WithdrawnAt != nil {
		return opPlan{}, errorsmod.Wrapf(types.ErrUnknownConsent, "%s has no consent in place for %q to use for %q", a.Id, w.Verifier, w.Purpose)
	}
	return opPlan{apply: func(a *types.Anchor) error {
		now := sdk.UnwrapSDKContext(ctx).BlockTime()
		c.WithdrawnAt = &now
		if err := k.Consents.Set(ctx, collections.Join3(c.AnchorId, c.Verifier, c.Purpose), *c); err != nil {
			return err
		}
		a.Consents--
		return emit(ctx, &types.EventConsentWithdrawn{AnchorId: c.AnchorId, Verifier: c.Verifier, Purpose: c.Purpose})
	}}, nil
}

// ConsentAt answers whether the anchor's holder lets verifier use
// credentialType for purpose at t, with the reason and the deciding record.
// It answers from the current record for (anchor, verifier, purpose): for t
// before that record was granted it says no consent is known, and the state
// at an earlier height answers for earlier grants.
func (k Keeper) ConsentAt(ctx context.Context, anchorID, verifier, purpose, credentialType string, t time.Time) (bool, string, *types.Consent, error) {
	a, err := k.GetAnchor(ctx, anchorID)
	if err != nil {
		return false, "", nil, err
	}
	c, err := k.getConsent(ctx, anchorID, verifier, purpose)
	if err != nil {
		return false, "", nil, err
	}
	ok, why := types.ConsentAt(a, c, verifier, purpose, credentialType, t)
	return ok, why, c, nil
}
