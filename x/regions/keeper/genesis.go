package keeper

import (
	"context"
	"slices"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/baynet/baynet/x/regions/types"
)

// InitGenesis loads the registry and returns the initial validator set.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) ([]abci.ValidatorUpdate, error) {
	if err := gs.Validate(); err != nil {
		return nil, err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return nil, err
	}
	for _, r := range gs.Regions {
		if err := k.checkAddress("authority", r.Authority); err != nil {
			return nil, err
		}
		if err := k.ensureAccount(ctx, r.Authority); err != nil {
			return nil, err
		}
		if err := k.Regions.Set(ctx, r.Code, r); err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidGenesis, "region %s: %v", r.Code, err)
		}
	}
	for _, v := range gs.Validators {
		if err := k.ensureAccount(ctx, v.Operator); err != nil {
			return nil, err
		}
		if err := k.Validators.Set(ctx, collections.Join(v.Region, v.ConsensusPubkey), v); err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidGenesis, "validator %s: %v", v.Moniker, err)
		}
	}
	for _, r := range gs.Regions {
		n, err := k.countValidators(ctx, r.Code)
		if err != nil {
			return nil, err
		}
		if uint64(n) > r.PowerShare {
			return nil, errorsmod.Wrapf(types.ErrInvalidGenesis, "region %s's power share %d cannot be split among %d validators", r.Code, r.PowerShare, n)
		}
		if err := k.assignPowers(ctx, r); err != nil {
			return nil, err
		}
	}
	view, err := k.loadSetView(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkSet(gs.Params, view); err != nil {
		// A removal forced by double signing may leave the live set outside
		// a guard (see checkChange), and a genesis exported after one must
		// still load. A fresh genesis, and an empty set, meet every guard.
		if n, _ := view.total(); n == 0 || !slices.ContainsFunc(gs.DoubleSigns, func(r types.DoubleSignRecord) bool { return r.Removed }) {
			return nil, err
		}
	}
	for _, a := range gs.Agencies {
		if err := k.ensureAccount(ctx, a.Account); err != nil {
			return nil, err
		}
		if err := k.Agencies.Set(ctx, collections.Join(a.Region, a.Id), a); err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidGenesis, "agency %s: %v", a.Id, err)
		}
	}
	for _, key := range gs.AgencyKeys {
		if err := k.AgencyKeys.Set(ctx, collections.Join(key.AgencyId, key.KeyId), key); err != nil {
			return nil, err
		}
	}
	for _, p := range gs.Proposals {
		if err := k.Proposals.Set(ctx, p.Id, p); err != nil {
			return nil, err
		}
		if p.Status == types.PROPOSAL_STATUS_PENDING {
			if err := k.PendingProposals.Set(ctx, collections.Join(p.ExpiryTime.UnixNano(), p.Id)); err != nil {
				return nil, err
			}
		}
	}
	if err := k.ProposalSeq.Set(ctx, gs.NextProposalId); err != nil {
		return nil, err
	}
	for _, rec := range gs.DoubleSigns {
		if err := k.DoubleSigns.Set(ctx, collections.Join(rec.InfractionHeight, rec.ConsensusAddress), rec); err != nil {
			return nil, err
		}
	}
	return k.ValidatorUpdates(ctx)
}

// ExportGenesis writes the registry out so that InitGenesis reproduces it.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	gs := &types.GenesisState{}
	var err error
	if gs.Params, err = k.Params.Get(ctx); err != nil {
		return nil, err
	}
	if gs.NextProposalId, err = k.ProposalSeq.Peek(ctx); err != nil {
		return nil, err
	}
	if err := k.Regions.Walk(ctx, nil, func(_ string, r types.Region) (bool, error) {
		gs.Regions = append(gs.Regions, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Validators.Walk(ctx, nil, func(_ ValidatorKey, v types.Validator) (bool, error) {
		gs.Validators = append(gs.Validators, v)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Agencies.Walk(ctx, nil, func(_ AgencyKey, a types.Agency) (bool, error) {
		gs.Agencies = append(gs.Agencies, a)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.AgencyKeys.Walk(ctx, nil, func(_ collections.Pair[string, string], key types.AgencyKey) (bool, error) {
		gs.AgencyKeys = append(gs.AgencyKeys, key)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Proposals.Walk(ctx, nil, func(_ uint64, p types.Proposal) (bool, error) {
		gs.Proposals = append(gs.Proposals, p)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.DoubleSigns.Walk(ctx, nil, func(_ collections.Pair[int64, []byte], rec types.DoubleSignRecord) (bool, error) {
		gs.DoubleSigns = append(gs.DoubleSigns, rec)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
