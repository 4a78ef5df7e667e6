package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/baynet/baynet/x/identity/types"
)

// SetParams validates and stores the parameters.
func (k Keeper) SetParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, p); err != nil {
		return err
	}
	return emit(ctx, &types.EventParamsUpdated{Params: &p})
}

// InitGenesis loads every anchor with its keys, links, consents and
// recoveries.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, a := range gs.Anchors {
		if err := k.Anchors.Set(ctx, a.Id, a); err != nil {
			return err
		}
	}
	for _, key := range gs.Keys {
		if err := k.Keys.Set(ctx, collections.Join(key.AnchorId, key.KeyId), key); err != nil {
			return err
		}
	}
	for _, l := range gs.Links {
		if err := k.Links.Set(ctx, l.Commitment, l); err != nil {
			return err
		}
		if l.Status == types.LINK_STATUS_ACTIVE {
			if err := k.ActiveLinks.Set(ctx, collections.Join(l.AnchorId, l.Idp), l.Commitment); err != nil {
				return err
			}
		}
	}
	for _, c := range gs.Consents {
		if err := k.Consents.Set(ctx, collections.Join3(c.AnchorId, c.Verifier, c.Purpose), c); err != nil {
			return err
		}
	}
	for _, r := range gs.Recoveries {
		if err := k.Recoveries.Set(ctx, r.AnchorId, r); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the module's state out so that InitGenesis
// reproduces it.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	gs := &types.GenesisState{}
	var err error
	if gs.Params, err = k.Params.Get(ctx); err != nil {
		return nil, err
	}
	if err := k.Anchors.Walk(ctx, nil, func(_ string, a types.Anchor) (bool, error) {
		gs.Anchors = append(gs.Anchors, a)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Keys.Walk(ctx, nil, func(_ KeyPK, key types.AnchorKey) (bool, error) {
		gs.Keys = append(gs.Keys, key)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Links.Walk(ctx, nil, func(_ []byte, l types.Link) (bool, error) {
		gs.Links = append(gs.Links, l)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Consents.Walk(ctx, nil, func(_ ConsentPK, c types.Consent) (bool, error) {
		gs.Consents = append(gs.Consents, c)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Recoveries.Walk(ctx, nil, func(_ string, r types.Recovery) (bool, error) {
		gs.Recoveries = append(gs.Recoveries, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
