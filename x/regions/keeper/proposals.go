package keeper

import (
	"bytes"
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

// maxExpiriesPerBlock bounds EndBlock's work; later expiries wait a block.
const maxExpiriesPerBlock = 100

// SubmitProposal opens a consortium proposal with the proposer's region's
// approval, and executes it at once if that already passes the threshold.
func (k Keeper) SubmitProposal(ctx context.Context, signer string, action types.ProposalAction) (uint64, error) {
	if err := action.Validate(); err != nil {
		return 0, err
	}
	region, err := k.regionOfSigner(ctx, signer)
	if err != nil {
		return 0, err
	}
	if err := k.precheck(ctx, action); err != nil {
		return 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	id, err := k.ProposalSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	p := types.Proposal{
		Id: id, ProposerRegion: region.Code, Action: action, Approvals: []string{region.Code},
		Status: types.PROPOSAL_STATUS_PENDING, SubmitTime: now, ExpiryTime: now.Add(params.ProposalLifetime),
	}
	if err := k.PendingProposals.Set(ctx, collections.Join(p.ExpiryTime.UnixNano(), id)); err != nil {
		return 0, err
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventProposalSubmitted{ProposalId: id, ProposerRegion: region.Code}); err != nil {
		return 0, err
	}
	_, err = k.tally(ctx, p, region.Code)
	return id, err
}

// ApproveProposal adds the signer's region's approval and executes the
// proposal once more than two thirds of the regions approve.
func (k Keeper) ApproveProposal(ctx context.Context, signer string, id uint64) (bool, error) {
	region, err := k.regionOfSigner(ctx, signer)
	if err != nil {
		return false, err
	}
	p, err := k.Proposals.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return false, errorsmod.Wrapf(types.ErrUnknownProposal, "%d", id)
	}
	if err != nil {
		return false, err
	}
	if p.Status != types.PROPOSAL_STATUS_PENDING {
		return false, errorsmod.Wrapf(types.ErrProposalClosed, "proposal %d is %s", id, p.Status)
	}
	if !sdk.UnwrapSDKContext(ctx).BlockTime().Before(p.ExpiryTime) {
		return false, errorsmod.Wrapf(types.ErrProposalClosed, "proposal %d expired", id)
	}
	if slices.Contains(p.Approvals, region.Code) {
		return false, errorsmod.Wrapf(types.ErrAlreadyApproved, "%s already approved proposal %d", region.Code, id)
	}
	p.Approvals = append(p.Approvals, region.Code)
	return k.tally(ctx, p, region.Code)
}

func (k Keeper) regionOfSigner(ctx context.Context, signer string) (types.Region, error) {
	bz, err := k.addressCodec.StringToBytes(signer)
	if err != nil {
		return types.Region{}, errorsmod.Wrapf(types.ErrInvalidAddress, "%q: %v", signer, err)
	}
	return k.RegionByAuthority(ctx, bz)
}

// tally counts the approvals of current regions, executes the proposal if they
// pass the threshold, and stores it.
func (k Keeper) tally(ctx context.Context, p types.Proposal, approver string) (bool, error) {
	regions, approvals := 0, 0
	err := k.Regions.Walk(ctx, nil, func(code string, _ types.Region) (bool, error) {
		regions++
		if slices.Contains(p.Approvals, code) {
			approvals++
		}
		return false, nil
	})
	if err != nil {
		return false, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventProposalApproved{
		ProposalId: p.Id, Region: approver, Approvals: uint32(approvals), Regions: uint32(regions),
	}); err != nil {
		return false, err
	}
	executed := false
	if 3*approvals > 2*regions {
		// Execute on a branch: a guard that refuses the action fails the
		// proposal but keeps the approval that triggered it.
		branch, write := sdkCtx.CacheContext()
		if err := k.execute(branch, p.Action); err != nil {
			p.Status, p.FailureReason = types.PROPOSAL_STATUS_FAILED, err.Error()
		} else {
			write()
			p.Status, executed = types.PROPOSAL_STATUS_EXECUTED, true
		}
		if err := k.finish(ctx, &p); err != nil {
			return false, err
		}
	}
	return executed, k.Proposals.Set(ctx, p.Id, p)
}

func (k Keeper) finish(ctx context.Context, p *types.Proposal) error {
	if err := k.PendingProposals.Remove(ctx, collections.Join(p.ExpiryTime.UnixNano(), p.Id)); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventProposalFinished{
		ProposalId: p.Id, Status: p.Status, Reason: p.FailureReason,
	})
}

// precheck refuses at submission what could never execute.
func (k Keeper) precheck(ctx context.Context, a types.ProposalAction) error {
	switch {
	case a.AddRegion != nil:
		if has, err := k.Regions.Has(ctx, a.AddRegion.Code); err != nil {
			return err
		} else if has {
			return errorsmod.Wrapf(types.ErrDuplicateRegion, "%s", a.AddRegion.Code)
		}
		return k.checkAddress("authority", a.AddRegion.Authority)
	case a.RemoveRegion != "":
		_, err := k.GetRegion(ctx, a.RemoveRegion)
		return err
	case a.SetPowerShare != nil:
		_, err := k.GetRegion(ctx, a.SetPowerShare.Region)
		return err
	case len(a.Messages) > 0:
		_, err := k.consortiumMessages(a)
		return err
	}
	return nil
}

// execute carries out an approved action under the consortium's guards.
func (k Keeper) execute(ctx context.Context, a types.ProposalAction) error {
	switch {
	case a.AddRegion != nil:
		return k.addRegion(ctx, *a.AddRegion)
	case a.RemoveRegion != "":
		return k.removeRegion(ctx, a.RemoveRegion)
	case a.SetPowerShare != nil:
		return k.setPowerShare(ctx, a.SetPowerShare.Region, a.SetPowerShare.PowerShare)
	case a.UpdateParams != nil:
		return k.updateParams(ctx, *a.UpdateParams)
	case len(a.Messages) > 0:
		return k.executeMessages(ctx, a)
	}
	return errorsmod.Wrap(types.ErrInvalidProposal, "no action")
}

func (k Keeper) addRegion(ctx context.Context, r types.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := k.checkAddress("authority", r.Authority); err != nil {
		return err
	}
	if has, err := k.Regions.Has(ctx, r.Code); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDuplicateRegion, "%s", r.Code)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	n := 0
	if err := k.Regions.Walk(ctx, nil, func(string, types.Region) (bool, error) { n++; return false, nil }); err != nil {
		return err
	}
	if n >= int(params.MaxRegions) {
		return errorsmod.Wrapf(types.ErrLimit, "the consortium already has %d regions", n)
	}
	authority, _ := k.addressCodec.StringToBytes(r.Authority)
	if other, err := k.Regions.Indexes.Authority.MatchExact(ctx, authority); err == nil {
		return errorsmod.Wrapf(types.ErrInvalidRegion, "%s is already the authority of %s", r.Authority, other)
	}
	if err := k.ensureAccount(ctx, r.Authority); err != nil {
		return err
	}
	if err := k.Regions.Set(ctx, r.Code, r); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventRegionAdded{
		Code: r.Code, Authority: r.Authority, PowerShare: r.PowerShare,
	})
}

// removeRegion removes a region, its validators, and retires its agencies
// (their past signatures stay verifiable).
func (k Keeper) removeRegion(ctx context.Context, code string) error {
	if _, err := k.GetRegion(ctx, code); err != nil {
		return err
	}
	if err := k.guard(ctx, func(s *setView) { delete(s.counts, code); delete(s.shares, code) }); err != nil {
		return err
	}
	var vals []types.Validator
	if err := k.Validators.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](code), func(_ ValidatorKey, v types.Validator) (bool, error) {
		vals = append(vals, v)
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Regions.Remove(ctx, code); err != nil {
		return err
	}
	for _, v := range vals {
		if err := k.removeValidator(ctx, v, "region removed"); err != nil {
			return err
		}
	}
	var agencies []types.Agency
	if err := k.Agencies.Walk(ctx, collections.NewPrefixedPairRange[string, string](code), func(_ AgencyKey, a types.Agency) (bool, error) {
		agencies = append(agencies, a)
		return false, nil
	}); err != nil {
		return err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	for _, a := range agencies {
		if a.Status == types.AGENCY_STATUS_RETIRED {
			continue
		}
		old := a.Status
		a.Status, a.StatusReason, a.StatusSince = types.AGENCY_STATUS_RETIRED, "region removed", now
		if err := k.Agencies.Set(ctx, collections.Join(code, a.Id), a); err != nil {
			return err
		}
		if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAgencyStatusChanged{
			AgencyId: a.Id, OldStatus: old, NewStatus: a.Status, Reason: a.StatusReason,
		}); err != nil {
			return err
		}
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventRegionRemoved{Code: code})
}

func (k Keeper) setPowerShare(ctx context.Context, code string, share uint64) error {
	r, err := k.GetRegion(ctx, code)
	if err != nil {
		return err
	}
	n, err := k.countValidators(ctx, code)
	if err != nil {
		return err
	}
	if uint64(n) > share {
		return errorsmod.Wrapf(types.ErrLimit, "power share %d cannot be split among %s's %d validators", share, code, n)
	}
	if err := k.guard(ctx, func(s *setView) { s.shares[code] = share }); err != nil {
		return err
	}
	old := r.PowerShare
	r.PowerShare = share
	if err := k.Regions.Set(ctx, code, r); err != nil {
		return err
	}
	if err := k.assignPowers(ctx, r); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventPowerShareChanged{
		Region: code, OldPowerShare: old, NewPowerShare: share,
	})
}

func (k Keeper) updateParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	v, err := k.loadSetView(ctx)
	if err != nil {
		return err
	}
	if err := checkSet(p, v); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, p); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventParamsUpdated{Params: &p})
}

// ExpireProposals closes pending proposals whose time ran out.
func (k Keeper) ExpireProposals(ctx context.Context) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UnixNano()
	var due []collections.Pair[int64, uint64]
	rng := new(collections.Range[collections.Pair[int64, uint64]]).EndExclusive(collections.Join(now+1, uint64(0)))
	err := k.PendingProposals.Walk(ctx, rng, func(key collections.Pair[int64, uint64]) (bool, error) {
		due = append(due, key)
		return len(due) >= maxExpiriesPerBlock, nil
	})
	if err != nil {
		return err
	}
	for _, key := range due {
		p, err := k.Proposals.Get(ctx, key.K2())
		if err != nil {
			return err
		}
		p.Status = types.PROPOSAL_STATUS_EXPIRED
		if err := k.finish(ctx, &p); err != nil {
			return err
		}
		if err := k.Proposals.Set(ctx, p.Id, p); err != nil {
			return err
		}
	}
	return nil
}

// consortiumMessages unpacks the messages of a proposal and checks that each
// is signed by the consortium's authority and has a handler.
func (k Keeper) consortiumMessages(a types.ProposalAction) ([]sdk.Msg, error) {
	msgs := make([]sdk.Msg, 0, len(a.Messages))
	for i, any := range a.Messages {
		var msg sdk.Msg
		if err := k.cdc.UnpackAny(any, &msg); err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidProposal, "message %d: %v", i, err)
		}
		signers, _, err := k.cdc.GetMsgV1Signers(msg)
		if err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidProposal, "message %d: %v", i, err)
		}
		if len(signers) != 1 || !bytes.Equal(signers[0], k.authority) {
			return nil, errorsmod.Wrapf(types.ErrInvalidProposal, "message %d must be signed by the consortium authority %s", i, sdk.AccAddress(k.authority))
		}
		if k.router.Handler(msg) == nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidProposal, "message %d: no handler for %s", i, sdk.MsgTypeURL(msg))
		}
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

// executeMessages runs a proposal's messages with the consortium's authority.
func (k Keeper) executeMessages(ctx context.Context, a types.ProposalAction) error {
	msgs, err := k.consortiumMessages(a)
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for i, msg := range msgs {
		res, err := k.router.Handler(msg)(sdkCtx, msg)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidProposal, "message %d (%s): %v", i, sdk.MsgTypeURL(msg), err)
		}
		sdkCtx.EventManager().EmitEvents(res.GetEvents())
	}
	return nil
}
