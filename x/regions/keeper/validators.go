package keeper

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

// setView is the shape of the validator set that the consensus guards look
// at: each region's power share and how many validators it runs.
type setView struct {
	shares map[string]uint64
	counts map[string]int
}

func (k Keeper) loadSetView(ctx context.Context) (setView, error) {
	v := setView{shares: map[string]uint64{}, counts: map[string]int{}}
	err := k.Regions.Walk(ctx, nil, func(code string, r types.Region) (bool, error) {
		v.shares[code] = r.PowerShare
		return false, nil
	})
	if err != nil {
		return v, err
	}
	err = k.Validators.Walk(ctx, nil, func(key ValidatorKey, _ types.Validator) (bool, error) {
		v.counts[key.K1()]++
		return false, nil
	})
	return v, err
}

func (v setView) clone() setView {
	c := setView{shares: make(map[string]uint64, len(v.shares)), counts: make(map[string]int, len(v.counts))}
	for r, s := range v.shares {
		c.shares[r] = s
	}
	for r, n := range v.counts {
		c.counts[r] = n
	}
	return c
}

func (v setView) total() (validators int, share uint64) {
	for r, n := range v.counts {
		if n > 0 {
			validators += n
			share += v.shares[r]
		}
	}
	return validators, share
}

// regions lists the regions that run validators in code order, so that a
// guard names the same region on every node (a failed proposal stores it).
func (v setView) regions() []string { return slices.Sorted(maps.Keys(v.counts)) }

// checkChange applies the consortium's guards to a change from v to next. A
// guard refuses a change that makes things worse: a set below the minimum
// that shrinks further, or a region over the maximum share whose share grows.
// (A forced removal after double signing may leave the set outside a guard;
// the regions can still repair it.)
func checkChange(p types.Params, v, next setView) error {
	before, prevTotal := v.total()
	after, total := next.total()
	if after == 0 || (after < int(p.MinValidators) && after < before) {
		return errorsmod.Wrapf(types.ErrQuorum, "%d validators would remain, the minimum is %d", after, p.MinValidators)
	}
	for _, r := range next.regions() {
		n := next.counts[r]
		if n > int(p.MaxValidatorsPerRegion) && n > v.counts[r] {
			return errorsmod.Wrapf(types.ErrLimit, "region %s would run %d validators, the maximum is %d", r, n, p.MaxValidatorsPerRegion)
		}
		if n == 0 || next.shares[r]*10000 <= uint64(p.MaxRegionShareBps)*total {
			continue
		}
		// Over the maximum: refuse if r newly holds power or its fraction grows
		// (fractions compared exactly by cross-multiplying).
		if v.counts[r] == 0 || next.shares[r]*prevTotal > v.shares[r]*total {
			return errorsmod.Wrapf(types.ErrRegionShare, "region %s would hold %.2f%% of the voting power, the maximum is %.2f%%",
				r, float64(next.shares[r])*100/float64(total), float64(p.MaxRegionShareBps)/100)
		}
	}
	return nil
}

// guard loads the current set, applies mutate to a copy and checks the result.
func (k Keeper) guard(ctx context.Context, mutate func(*setView)) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	v, err := k.loadSetView(ctx)
	if err != nil {
		return err
	}
	next := v.clone()
	mutate(&next)
	return checkChange(p, v, next)
}

// checkNewcomer refuses a change that would bring in a key holding a third or
// more of the voting power: until that node is online and in step, the
// chain could not reach the two-thirds quorum it needs to commit.
func (k Keeper) checkNewcomer(ctx context.Context, power uint64, mutate func(*setView)) error {
	v, err := k.loadSetView(ctx)
	if err != nil {
		return err
	}
	mutate(&v)
	_, total := v.total()
	if 3*power >= total {
		return errorsmod.Wrapf(types.ErrQuorum, "the new key would hold %d of %d voting power, a third or more; the chain would halt until it signs", power, total)
	}
	return nil
}

// GetValidator returns a validator by its consensus key.
func (k Keeper) GetValidator(ctx context.Context, pubKey []byte) (types.Validator, error) {
	key, err := k.Validators.Indexes.PubKey.MatchExact(ctx, pubKey)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Validator{}, errorsmod.Wrapf(types.ErrUnknownValidator, "%X", pubKey)
	}
	if err != nil {
		return types.Validator{}, err
	}
	return k.Validators.Get(ctx, key)
}

// AddValidator adds a validator to a region after the guards pass.
func (k Keeper) AddValidator(ctx context.Context, v types.Validator) error {
	if err := types.ValidateConsensusPubKey(v.ConsensusPubkey); err != nil {
		return err
	}
	if err := types.ValidateMoniker(v.Moniker); err != nil {
		return err
	}
	if err := k.checkAddress("operator", v.Operator); err != nil {
		return err
	}
	region, err := k.GetRegion(ctx, v.Region)
	if err != nil {
		return err
	}
	if _, err := k.Validators.Indexes.PubKey.MatchExact(ctx, v.ConsensusPubkey); err == nil {
		return errorsmod.Wrapf(types.ErrDuplicateValidator, "%X", v.ConsensusPubkey)
	}
	if err := k.guard(ctx, func(s *setView) { s.counts[v.Region]++ }); err != nil {
		return err
	}
	n, err := k.countValidators(ctx, v.Region)
	if err != nil {
		return err
	}
	if uint64(n+1) > region.PowerShare {
		return errorsmod.Wrapf(types.ErrLimit, "region %s's power share %d cannot be split among %d validators", v.Region, region.PowerShare, n+1)
	}
	newPower := (region.PowerShare + uint64(n)) / uint64(n+1) // at most this, after the split
	if err := k.checkNewcomer(ctx, newPower, func(s *setView) { s.counts[v.Region]++ }); err != nil {
		return err
	}
	if err := k.ensureAccount(ctx, v.Operator); err != nil {
		return err
	}
	v.Power = 0
	if err := k.Validators.Set(ctx, collections.Join(v.Region, v.ConsensusPubkey), v); err != nil {
		return err
	}
	if err := k.assignPowers(ctx, region); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventValidatorAdded{
		Region: v.Region, ConsensusPubkey: v.ConsensusPubkey, Moniker: v.Moniker, Operator: v.Operator,
	})
}

// RotateValidatorKey moves a validator to a new consensus key; CometBFT sees
// the old key leave and the new one join with the same power.
func (k Keeper) RotateValidatorKey(ctx context.Context, region string, oldKey, newKey []byte) error {
	if err := types.ValidateConsensusPubKey(newKey); err != nil {
		return err
	}
	v, err := k.GetValidator(ctx, oldKey)
	if err != nil {
		return err
	}
	if v.Region != region {
		return errorsmod.Wrapf(types.ErrUnknownValidator, "%X is not a validator of %s", oldKey, region)
	}
	if bytes.Equal(oldKey, newKey) {
		return errorsmod.Wrap(types.ErrInvalidValidator, "the new key is the current key")
	}
	if _, err := k.Validators.Indexes.PubKey.MatchExact(ctx, newKey); err == nil {
		return errorsmod.Wrapf(types.ErrDuplicateValidator, "%X", newKey)
	}
	if err := k.checkNewcomer(ctx, uint64(v.Power), func(*setView) {}); err != nil {
		return err
	}
	if err := k.dropValidator(ctx, v); err != nil {
		return err
	}
	v.ConsensusPubkey = newKey
	if err := k.Validators.Set(ctx, collections.Join(region, newKey), v); err != nil {
		return err
	}
	r, err := k.GetRegion(ctx, region)
	if err != nil {
		return err
	}
	if err := k.assignPowers(ctx, r); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventValidatorKeyRotated{
		Region: region, OldConsensusPubkey: oldKey, NewConsensusPubkey: newKey,
	})
}

// RemoveValidator removes one of a region's validators; a region keeps at
// least one (the consortium removes whole regions by proposal).
func (k Keeper) RemoveValidator(ctx context.Context, region string, pubKey []byte) error {
	v, err := k.GetValidator(ctx, pubKey)
	if err != nil {
		return err
	}
	if v.Region != region {
		return errorsmod.Wrapf(types.ErrUnknownValidator, "%X is not a validator of %s", pubKey, region)
	}
	n, err := k.countValidators(ctx, region)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errorsmod.Wrapf(types.ErrLastValidator, "region %s", region)
	}
	if err := k.guard(ctx, func(s *setView) { s.counts[region]-- }); err != nil {
		return err
	}
	return k.removeValidator(ctx, v, "removed by region")
}

func (k Keeper) removeValidator(ctx context.Context, v types.Validator, reason string) error {
	if err := k.dropValidator(ctx, v); err != nil {
		return err
	}
	if r, err := k.Regions.Get(ctx, v.Region); err == nil {
		if err := k.assignPowers(ctx, r); err != nil {
			return err
		}
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventValidatorRemoved{
		Region: v.Region, ConsensusPubkey: v.ConsensusPubkey, Reason: reason,
	})
}

// dropValidator takes v's key out of the registry and keeps its region in
// Departures until EndBlock reports the key's removal.
func (k Keeper) dropValidator(ctx context.Context, v types.Validator) error {
	if err := k.Validators.Remove(ctx, collections.Join(v.Region, v.ConsensusPubkey)); err != nil {
		return err
	}
	return k.Departures.Set(ctx, v.ConsensusPubkey, v.Region)
}

func (k Keeper) countValidators(ctx context.Context, region string) (int, error) {
	n := 0
	err := k.Validators.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](region), func(ValidatorKey, types.Validator) (bool, error) {
		n++
		return false, nil
	})
	return n, err
}

// assignPowers splits the region's power share evenly among its validators;
// the remainder goes one unit each to the first validators in key order.
func (k Keeper) assignPowers(ctx context.Context, r types.Region) error {
	var vals []types.Validator
	err := k.Validators.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](r.Code), func(_ ValidatorKey, v types.Validator) (bool, error) {
		vals = append(vals, v)
		return false, nil
	})
	if err != nil || len(vals) == 0 {
		return err
	}
	n := uint64(len(vals))
	for i, v := range vals {
		power := r.PowerShare / n
		if uint64(i) < r.PowerShare%n {
			power++
		}
		if v.Power == int64(power) {
			continue
		}
		v.Power = int64(power)
		if err := k.Validators.Set(ctx, collections.Join(v.Region, v.ConsensusPubkey), v); err != nil {
			return err
		}
	}
	return nil
}

// ValidatorUpdates compares the registry with what CometBFT was last told and
// returns the difference, in key order so every node returns the same list.
// A key that left reports power 0 in the region Departures kept for it; the
// departures are cleared.
func (k Keeper) ValidatorUpdates(ctx context.Context) ([]abci.ValidatorUpdate, error) {
	current := map[string]types.Validator{}
	var order [][]byte
	err := k.Validators.Walk(ctx, nil, func(_ ValidatorKey, v types.Validator) (bool, error) {
		current[string(v.ConsensusPubkey)] = v
		order = append(order, v.ConsensusPubkey)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	var updates []abci.ValidatorUpdate
	var gone [][]byte
	err = k.LastPowers.Walk(ctx, nil, func(pk []byte, _ int64) (bool, error) {
		if _, ok := current[string(pk)]; !ok {
			gone = append(gone, pk)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, pk := range gone {
		if err := k.LastPowers.Remove(ctx, pk); err != nil {
			return nil, err
		}
		// Keys leave through dropValidator; one that did not would still be
		// reported, without a region.
		region, err := k.Departures.Get(ctx, pk)
		if err != nil && !errors.Is(err, collections.ErrNotFound) {
			return nil, err
		}
		updates = append(updates, abci.UpdateValidator(pk, 0, "ed25519"))
		if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventValidatorPowerChanged{Region: region, ConsensusPubkey: pk, Power: 0}); err != nil {
			return nil, err
		}
	}
	// A key removed and added back in the same block, or added and removed
	// before CometBFT heard of it, leaves a departure no update reports.
	if err := k.Departures.Clear(ctx, nil); err != nil {
		return nil, err
	}
	for _, pk := range order {
		v := current[string(pk)]
		last, err := k.LastPowers.Get(ctx, pk)
		if err != nil && !errors.Is(err, collections.ErrNotFound) {
			return nil, err
		}
		if last == v.Power {
			continue
		}
		if err := k.LastPowers.Set(ctx, pk, v.Power); err != nil {
			return nil, err
		}
		updates = append(updates, abci.UpdateValidator(pk, v.Power, "ed25519"))
		if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventValidatorPowerChanged{Region: v.Region, ConsensusPubkey: pk, Power: v.Power}); err != nil {
			return nil, err
		}
	}
	return updates, nil
}

// RecordDoubleSign records misbehaviour reported by CometBFT and removes the
// validator, unless it is the last one. It never fails the block for a
// validator it does not know (one already removed or rotated away).
func (k Keeper) RecordDoubleSign(ctx context.Context, rec types.DoubleSignRecord) error {
	if has, err := k.DoubleSigns.Has(ctx, collections.Join(rec.InfractionHeight, rec.ConsensusAddress)); err != nil || has {
		return err
	}
	key, err := k.Validators.Indexes.ConsAddr.MatchExact(ctx, rec.ConsensusAddress)
	var v types.Validator
	if err == nil {
		v, err = k.Validators.Get(ctx, key)
	}
	switch {
	case errors.Is(err, collections.ErrNotFound):
	case err != nil:
		return err
	default:
		rec.Region, rec.ConsensusPubkey = v.Region, v.ConsensusPubkey
		total := 0
		if err := k.Validators.Walk(ctx, nil, func(ValidatorKey, types.Validator) (bool, error) { total++; return false, nil }); err != nil {
			return err
		}
		if total > 1 {
			if err := k.removeValidator(ctx, v, "double sign"); err != nil {
				return err
			}
			rec.Removed = true
		}
	}
	rec.RecordedHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.DoubleSigns.Set(ctx, collections.Join(rec.InfractionHeight, rec.ConsensusAddress), rec); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventDoubleSign{
		Region: rec.Region, ConsensusAddress: rec.ConsensusAddress, InfractionHeight: rec.InfractionHeight, Removed: rec.Removed,
	})
}

// checkSet checks a whole validator set against the rules, as genesis and a
// change of the rules require.
func checkSet(p types.Params, v setView) error {
	n, total := v.total()
	if n < int(p.MinValidators) {
		return errorsmod.Wrapf(types.ErrQuorum, "%d validators, the minimum is %d", n, p.MinValidators)
	}
	for _, r := range v.regions() {
		c := v.counts[r]
		if c > int(p.MaxValidatorsPerRegion) {
			return errorsmod.Wrapf(types.ErrLimit, "region %s runs %d validators, the maximum is %d", r, c, p.MaxValidatorsPerRegion)
		}
		if c > 0 && v.shares[r]*10000 > uint64(p.MaxRegionShareBps)*total {
			return errorsmod.Wrapf(types.ErrRegionShare, "region %s holds %.2f%% of the voting power, the maximum is %.2f%%",
				r, float64(v.shares[r])*100/float64(total), float64(p.MaxRegionShareBps)/100)
		}
	}
	return nil
}
