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
	identitytypes "github.com/baynet/baynet/x/identity/types"
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

// ruleAt returns the version of rule r that applied at t (see
// RecognitionRule.VersionAt), reading earlier versions only when the
// current one was made after t.
func (k Keeper) ruleAt(ctx context.Context, r types.RecognitionRule, t time.Time) (types.RecognitionRule, error) {
	if !r.ChangedAt.After(t) || r.Version == 1 {
		return r, nil
	}
	earlier, err := k.SupersededVersions(ctx, r.Id)
	if err != nil {
		return r, err
	}
	return r.VersionAt(earlier, t), nil
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
// purpose at t. It checks, and reports every failure of: the attestation's
// status at t (from its history: not anchored, revoked, suspended,
// expired, not yet valid); a rule of the region about the attestation's
// type naming the purpose (type not recognised) and in force at t (rule
// not in force); and that rule's conditions: max age from the anchoring,
// the issuing agency's roles, and the holder's consent (verifier: the
// region's code) and level of assurance (the best of the subject's
// identity links valid at t), which x/identity answers. A type of the
// region itself needs no rule. Each rule is taken as it stood at t (its
// version then). The rules of the region are checked in id order; the
// first whose conditions all hold decides, else the reasons are those of
// the rules in force.
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
	var reasons []types.RecognitionReason
	if code := statusReason(status); code != "" {
		reasons = append(reasons, types.RecognitionReason{Code: code, Detail: fmt.Sprintf("attestation %s is %s at %s", att.Id, status, t.UTC().Format(time.RFC3339))})
	}
	typeRegion, _, err := regionstypes.SplitScopedID(att.Payload.Type)
	if err != nil {
		return nil, err
	}
	if typeRegion == region {
		return &types.QueryIsRecognisedResponse{Recognised: len(reasons) == 0, Reasons: reasons}, nil
	}
	rules, err := k.RulesAbout(ctx, region, att.Payload.Type)
	if err != nil {
		return nil, err
	}
	var (
		named    bool
		inForce  []types.RecognitionReason
		deciding uint64
	)
	for _, current := range rules {
		r, err := k.ruleAt(ctx, current, t)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(r.Purposes, purpose) {
			continue
		}
		named = true
		if !r.InForceAt(t) {
			inForce = append(inForce, types.RecognitionReason{Code: types.ReasonRuleNotInForce, RuleId: r.Id,
				Detail: fmt.Sprintf("rule %d is not in force at %s", r.Id, t.UTC().Format(time.RFC3339))})
			continue
		}
		failed, err := k.conditionFailures(ctx, r, att, purpose, t)
		if err != nil {
			return nil, err
		}
		if len(failed) == 0 {
			deciding = r.Id
			break
		}
		inForce = append(inForce, failed...)
	}
	switch {
	case !named:
		reasons = append(reasons, types.RecognitionReason{Code: types.ReasonTypeNotRecognised,
			Detail: fmt.Sprintf("%s has no rule recognising %s for %q", region, att.Payload.Type, purpose)})
	case deciding == 0:
		reasons = append(reasons, inForce...)
	}
	if len(reasons) > 0 {
		return &types.QueryIsRecognisedResponse{Reasons: reasons}, nil
	}
	return &types.QueryIsRecognisedResponse{Recognised: true, RuleId: deciding}, nil
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
		r, err := k.ruleAt(ctx, current, t)
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

// conditionFailures lists the conditions of rule r that attestation att
// fails for purpose at t.
func (k Keeper) conditionFailures(ctx context.Context, r types.RecognitionRule, att types.Attestation, purpose string, t time.Time) ([]types.RecognitionReason, error) {
	var out []types.RecognitionReason
	c := r.Conditions
	if c.MaxAge > 0 && t.Sub(att.IssuedAt) > c.MaxAge {
		out = append(out, types.RecognitionReason{Code: types.ReasonMaxAgeExceeded, RuleId: r.Id,
			Detail: fmt.Sprintf("attestation anchored at %s is older than %s", att.IssuedAt.UTC().Format(time.RFC3339), c.MaxAge)})
	}
	if len(c.IssuerRoles) > 0 {
		a, err := k.regions.GetAgency(ctx, att.Payload.Issuer)
		if err != nil {
			return nil, err
		}
		for _, role := range c.IssuerRoles {
			if !a.HasRole(regionstypes.AgencyRole(regionstypes.AgencyRole_value[role])) {
				out = append(out, types.RecognitionReason{Code: types.ReasonIssuerRoleMissing, RuleId: r.Id,
					Detail: fmt.Sprintf("issuer %s does not hold %s", a.Id, role)})
			}
		}
	}
	if c.ConsentRequired {
		switch {
		case att.Payload.Subject == "":
			out = append(out, types.RecognitionReason{Code: types.ReasonSubjectUnspecified, RuleId: r.Id,
				Detail: "consent is required but the attestation names no subject"})
		case k.identity == nil:
			out = append(out, types.RecognitionReason{Code: types.ReasonNeedsIdentityData, RuleId: r.Id,
				Detail: "consent is required and x/identity is not available"})
		default:
			ok, why, _, err := k.identity.ConsentAt(ctx, att.Payload.Subject, r.Region, purpose, att.Payload.Type, t)
			if errors.Is(err, identitytypes.ErrUnknownAnchor) {
				ok, why = false, err.Error()
			} else if err != nil {
				return nil, err
			}
			if !ok {
				out = append(out, types.RecognitionReason{Code: types.ReasonConsentMissing, RuleId: r.Id, Detail: why})
			}
		}
	}
	if c.MinLevelOfAssurance > 0 {
		switch {
		case att.Payload.Subject == "":
			out = append(out, types.RecognitionReason{Code: types.ReasonSubjectUnspecified, RuleId: r.Id,
				Detail: fmt.Sprintf("level of assurance %d is required but the attestation names no subject", c.MinLevelOfAssurance)})
		case k.identity == nil:
			out = append(out, types.RecognitionReason{Code: types.ReasonNeedsIdentityData, RuleId: r.Id,
				Detail: "a level of assurance is required and x/identity is not available"})
		default:
			level, _, why, err := k.identity.AssuranceAt(ctx, att.Payload.Subject, t)
			if errors.Is(err, identitytypes.ErrUnknownAnchor) {
				level, why = 0, err.Error()
			} else if err != nil {
				return nil, err
			}
			if level < c.MinLevelOfAssurance {
				out = append(out, types.RecognitionReason{Code: types.ReasonAssuranceTooLow, RuleId: r.Id,
					Detail: fmt.Sprintf("level of assurance %d is required, the subject has %d: %s", c.MinLevelOfAssurance, level, why)})
			}
		}
	}
	return out, nil
}

// statusReason is the reason code of a status that is not ACTIVE.
func statusReason(s types.AttestationStatus) string {
	switch s {
	case types.ATTESTATION_STATUS_ACTIVE:
		return ""
	case types.ATTESTATION_STATUS_REVOKED:
		return types.ReasonRevoked
	case types.ATTESTATION_STATUS_SUSPENDED:
		return types.ReasonSuspended
	case types.ATTESTATION_STATUS_EXPIRED:
		return types.ReasonExpired
	case types.ATTESTATION_STATUS_NOT_YET_VALID:
		return types.ReasonNotYetValid
	default:
		return types.ReasonNotAnchored
	}
}
