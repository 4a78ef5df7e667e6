package keeper

import (
	"context"

	"cosmossdk.io/core/comet"

	sdk "github.com/cosmos/cosmos-sdk/types"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/baynet/baynet/x/regions/types"
)

// BeginBlocker records the misbehaviour CometBFT reports (one entry per
// piece of evidence in the block, so the work is bounded by the block).
func (k Keeper) BeginBlocker(ctx context.Context) error {
	evidence := sdk.UnwrapSDKContext(ctx).CometInfo().GetEvidence()
	if evidence == nil {
		return nil
	}
	for i := 0; i < evidence.Len(); i++ {
		ev := evidence.Get(i)
		if ev.Type() != comet.DuplicateVote && ev.Type() != comet.LightClientAttack {
			continue
		}
		rec := types.DoubleSignRecord{
			ConsensusAddress: ev.Validator().Address(),
			InfractionHeight: ev.Height(),
			InfractionTime:   ev.Time(),
		}
		if err := k.RecordDoubleSign(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}

// EndBlocker expires overdue proposals and hands validator-set changes to
// CometBFT.
func (k Keeper) EndBlocker(ctx context.Context) ([]abci.ValidatorUpdate, error) {
	if err := k.ExpireProposals(ctx); err != nil {
		return nil, err
	}
	return k.ValidatorUpdates(ctx)
}
