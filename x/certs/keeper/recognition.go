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

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// GetRecognitionRule returns a rule's current version.
func (k Keeper) GetRecognitionRule(ctx context.Context, id uint64) (types.RecognitionRule, error) {
	r, err := k.RecognitionRules.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return r, errorsmod.Wrapf(types.ErrUnknownRecognition, "%d", id)
	}
	return r, err
}

// RulesAbout returns region's rules about sourceType, by id, from the
// (region, source type) list.
func (k Keeper) RulesAbout(ctx context.Context, region, sourceType string) ([]types.RecognitionRule, error) {
	ids, err := k.ruleIDs(ctx, region, sourceType)
	if err != nil {
		return nil, err
	}
	return k.rulesByID(ctx, ids)
}

// ruleIDs returns the ids of region's rules about sourceType.
func (k Keeper) ruleIDs(ctx context.Context, region, sourceType string) ([]uint64, error) {
	ids, err := k.RulesByRegionType.Get(ctx, collections.Join(region, sourceType))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	return ids.Ids, err
}

func (k Keeper) rulesByID(ctx context.Context, ids []uint64) ([]types.RecognitionRule, error) {
	out := make([]types.RecognitionRule, 0, len(ids))
	for _, id := range ids {
		r, err := k.RecognitionRules.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("rule %d listed by its region: %w", id, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// SupersededVersions returns a rule's earlier versions, oldest first.
func (k Keeper) SupersededVersions(ctx context.Context, id uint64) ([]types.RecognitionRule, error) {
	var out []types.RecognitionRule
	err := k.SupersededRules.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint32](id), func(_ RuleVersionKey, r types.RecognitionRule) (bool, error) {
		out = append(out, r)
		return false, nil
	})
	return out, err
}

// regionOf returns the region whose authority addr is.
func (k Keeper) regionOf(ctx context.Context, addr string) (regionstypes.Region, error) {
	signer, err := k.addressCodec.StringToBytes(addr)
	if err != nil {
		return regionstypes.Region{}, errorsmod.Wrapf(types.ErrInvalidRequest, "authority %q: %v", addr, err)
	}
	return k.regions.RegionByAuthority(ctx, signer)
}

// checkRule checks a rule about to be written (a new one has id 0) against
// the state: the source type is registered and of another region that
// exists, the local type (if any) is the rule's region's own, a new rule
// stays within MaxRulesPerType, and no other rule of the region about the
// type shares a purpose with it at an overlapping time.
func (k Keeper) checkRule(ctx context.Context, r types.RecognitionRule) error {
	if err := r.Terms().Validate(); err != nil {
		return err
	}
	src, err := k.GetCredentialType(ctx, r.SourceType)
	if err != nil {
		return err
	}
	if src.Region == r.Region {
		return errorsmod.Wrapf(types.ErrInvalidRecognition, "%s is a type of %s itself", r.SourceType, r.Region)
	}
	if _, err := k.regions.GetRegion(ctx, src.Region); err != nil {
		return err
	}
	if r.LocalType != "" {
		local, err := k.GetCredentialType(ctx, r.LocalType)
		if err != nil {
			return err
		}
		if local.Region != r.Region {
			return errorsmod.Wrapf(types.ErrInvalidRecognition, "local type %s is not of %s", r.LocalType, r.Region)
		}
	}
	others, err := k.RulesAbout(ctx, r.Region, r.SourceType)
	if err != nil {
		return err
	}
	if r.Id == 0 && len(others) >= types.MaxRulesPerType {
		return errorsmod.Wrapf(types.ErrInvalidRecognition, "%s already has %d rules about %s, the most it keeps; amend one of them",
			r.Region, len(others), r.SourceType)
	}
	for _, o := range others {
		if o.Id == r.Id {
			continue
		}
		if p, ok := r.Overlaps(o); ok {
			return errorsmod.Wrapf(types.ErrOverlappingRecognition, "rule %d of %s already recognises %s for %q at an overlapping time",
				o.Id, r.Region, r.SourceType, p)
		}
	}
	return nil
}

// DeclareRecognition declares a rule of the signer's region and returns its
// id.
func (k Keeper) DeclareRecognition(ctx context.Context, msg *types.MsgDeclareRecognition) (uint64, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	region, err := k.regionOf(ctx, msg.Authority)
	if err != nil {
		return 0, err
	}
	srcRegion, _, err := regionstypes.SplitScopedID(msg.SourceType)
	if err != nil {
		return 0, errorsmod.Wrap(types.ErrInvalidCredentialType, err.Error())
	}
	r := types.RecognitionRule{
		Region: region.Code, SourceType: msg.SourceType, SourceRegion: srcRegion, Version: 1, ChangedAt: sdkCtx.BlockTime(),
	}.WithTerms(msg.Terms)
	if err := k.checkRule(ctx, r); err != nil {
		return 0, err
	}
	if r.Id, err = k.NextRuleID.Next(ctx); err != nil {
		return 0, err
	}
	if err := k.setRule(ctx, r); err != nil {
		return 0, err
	}
	return r.Id, sdkCtx.EventManager().EmitTypedEvent(&types.EventRecognitionDeclared{Rule: r})
}

// setRule writes a new rule and lists its id, in order, under (region,
// source type).
func (k Keeper) setRule(ctx context.Context, r types.RecognitionRule) error {
	ids, err := k.ruleIDs(ctx, r.Region, r.SourceType)
	if err != nil {
		return err
	}
	if err := k.RecognitionRules.Set(ctx, r.Id, r); err != nil {
		return err
	}
	i, _ := slices.BinarySearch(ids, r.Id)
	return k.RulesByRegionType.Set(ctx, collections.Join(r.Region, r.SourceType), types.RuleIDs{Ids: slices.Insert(ids, i, r.Id)})
}

// ownRule returns rule id if the signer is its region's authority and it is
// not withdrawn.
func (k Keeper) ownRule(ctx context.Context, authority string, id uint64) (types.RecognitionRule, error) {
	region, err := k.regionOf(ctx, authority)
	if err != nil {
		return types.RecognitionRule{}, err
	}
	r, err := k.GetRecognitionRule(ctx, id)
	if err != nil {
		return r, err
	}
	if r.Region != region.Code {
		return r, errorsmod.Wrapf(regionstypes.ErrNotRegionAuthority, "rule %d is of %s, not of %s", id, r.Region, region.Code)
	}
	if r.WithdrawnAt != nil {
		return r, errorsmod.Wrapf(types.ErrRecognitionWithdrawn, "rule %d was withdrawn at %s", id, r.WithdrawnAt.UTC().Format(time.RFC3339))
	}
	return r, nil
}

// AmendRecognition replaces a rule's terms and returns its new version; the
// previous version is kept.
func (k Keeper) AmendRecognition(ctx context.Context, msg *types.MsgAmendRecognition) (uint32, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	old, err := k.ownRule(ctx, msg.Authority, msg.Id)
	if err != nil {
		return 0, err
	}
	if old.Version >= types.MaxRuleVersions {
		return 0, errorsmod.Wrapf(types.ErrInvalidRecognition, "rule %d has %d versions, the most it keeps; withdraw it and declare a new rule", old.Id, old.Version)
	}
	r := old.WithTerms(msg.Terms)
	r.Version, r.ChangedAt = old.Version+1, sdkCtx.BlockTime()
	if err := k.checkRule(ctx, r); err != nil {
		return 0, err
	}
	if err := k.SupersededRules.Set(ctx, collections.Join(old.Id, old.Version), old); err != nil {
		return 0, err
	}
	if err := k.RecognitionRules.Set(ctx, r.Id, r); err != nil {
		return 0, err
	}
	return r.Version, sdkCtx.EventManager().EmitTypedEvent(&types.EventRecognitionAmended{Rule: r})
}

// WithdrawRecognition withdraws a rule from the block time on.
func (k Keeper) WithdrawRecognition(ctx context.Context, msg *types.MsgWithdrawRecognition) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if err := regionstypes.ValidateReason(msg.Reason); err != nil {
		return errorsmod.Wrap(types.ErrInvalidRequest, err.Error())
	}
	r, err := k.ownRule(ctx, msg.Authority, msg.Id)
	if err != nil {
		return err
	}
	now := sdkCtx.BlockTime()
	r.WithdrawnAt, r.WithdrawalReason = &now, msg.Reason
	if err := k.RecognitionRules.Set(ctx, r.Id, r); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventRecognitionWithdrawn{
		Id: r.Id, Region: r.Region, SourceType: r.SourceType, Reason: msg.Reason,
	})
}

// Mutual returns the rules recognising typeA in typeB's region and typeB in
// typeA's region, and the pairs of them, neither withdrawn, that make a
// mutual recognition.
func (k Keeper) Mutual(ctx context.Context, typeA, typeB string) (aInB, bInA []types.RecognitionRule, pairs []types.MutualPair, err error) {
	regionA, _, err := regionstypes.SplitScopedID(typeA)
	if err != nil {
		return nil, nil, nil, errorsmod.Wrap(types.ErrInvalidCredentialType, err.Error())
	}
	regionB, _, err := regionstypes.SplitScopedID(typeB)
	if err != nil {
		return nil, nil, nil, errorsmod.Wrap(types.ErrInvalidCredentialType, err.Error())
	}
	if aInB, err = k.RulesAbout(ctx, regionB, typeA); err != nil {
		return nil, nil, nil, err
	}
	if bInA, err = k.RulesAbout(ctx, regionA, typeB); err != nil {
		return nil, nil, nil, err
	}
	for _, x := range aInB {
		for _, y := range bInA {
			if x.WithdrawnAt == nil && y.WithdrawnAt == nil {
				pairs = append(pairs, types.MutualPair{AInB: x.Id, BInA: y.Id})
			}
		}
	}
	return aInB, bInA, pairs, nil
}

// IsRecognised answers whether attestation id is recognised in region for
// purpose at t: types.Recognise over the attestation's status at t and the
// facts read from the state (stateFacts), so a verifier deciding over
// proven values gives the same answer.
//
// Every input is one store key a verifier can prove: the attestation, its
// status record and history entries, the region's rule ids about the type,
// each rule and the earlier version used, the issuing agency, the consent
// record, and the subject's anchor with its listed links.
func (k Keeper) IsRecognised(ctx context.Context, id []byte, region, purpose string, t time.Time) (*types.QueryIsRecognisedResponse, error) {
	if err := types.ValidatePurpose(purpose); err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidRequest, err.Error())
	}
	if _, err := k.regions.GetRegion(ctx, region); err != nil {
		return nil, err
	}
	att, status, _, err := k.StatusAt(ctx, id, t)
	if err != nil {
		return nil, err
	}
	return types.Recognise(stateFacts{ctx: ctx, k: k}, att, status, region, purpose, t)
}

// stateFacts answers types.RecognitionFacts from the keeper's state and
// x/identity's.
type stateFacts struct {
	ctx context.Context
	k   Keeper
}

func (f stateFacts) RulesAbout(region, sourceType string) ([]types.RecognitionRule, error) {
	return f.k.RulesAbout(f.ctx, region, sourceType)
}

func (f stateFacts) EarlierVersions(id uint64) ([]types.RecognitionRule, error) {
	return f.k.SupersededVersions(f.ctx, id)
}

func (f stateFacts) Agency(id string) (regionstypes.Agency, error) {
	return f.k.regions.GetAgency(f.ctx, id)
}

func (f stateFacts) ConsentAt(anchorID, verifier, purpose, credentialType string, t time.Time) (bool, string, error) {
	if f.k.identity == nil {
		return false, "", types.ErrNoIdentityData
	}
	ok, why, _, err := f.k.identity.ConsentAt(f.ctx, anchorID, verifier, purpose, credentialType, t)
	return ok, why, err
}

func (f stateFacts) AssuranceAt(anchorID string, t time.Time) (uint32, string, error) {
	if f.k.identity == nil {
		return 0, "", types.ErrNoIdentityData
	}
	level, _, why, err := f.k.identity.AssuranceAt(f.ctx, anchorID, t)
	return level, why, err
}

// DataFlow answers whether data of credentialType may flow from its region
// to region to at t: the rules of to about the type that, as they stood at
// t, were in force and set data_flow.
func (k Keeper) DataFlow(ctx context.Context, credentialType, to string, t time.Time) (*types.QueryDataFlowResponse, error) {
	from, _, err := regionstypes.SplitScopedID(credentialType)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidCredentialType, err.Error())
	}
	if _, err := k.regions.GetRegion(ctx, to); err != nil {
		return nil, err
	}
	rules, err := k.RulesAbout(ctx, to, credentialType)
	if err != nil {
		return nil, err
	}
	res := &types.QueryDataFlowResponse{FromRegion: from}
	for _, current := range rules {
		r, err := types.RuleAt(current, t, func(id uint64) ([]types.RecognitionRule, error) { return k.SupersededVersions(ctx, id) })
		if err != nil {
			return nil, err
		}
		if r.DataFlow && r.InForceAt(t) {
			res.Rules = append(res.Rules, types.DataFlowRule{
				RuleId: r.Id, Version: r.Version, Purposes: r.Purposes, ConsentRequired: r.Conditions.ConsentRequired,
			})
		}
	}
	res.Allowed = len(res.Rules) > 0
	return res, nil
}
