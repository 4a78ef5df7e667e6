package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

// GetAgency returns an agency by id ("GD:amr").
func (k Keeper) GetAgency(ctx context.Context, id string) (types.Agency, error) {
	region, _, err := types.SplitScopedID(id)
	if err != nil {
		return types.Agency{}, errorsmod.Wrap(types.ErrInvalidAgency, err.Error())
	}
	a, err := k.Agencies.Get(ctx, collections.Join(region, id))
	if errors.Is(err, collections.ErrNotFound) {
		return a, errorsmod.Wrapf(types.ErrUnknownAgency, "%q", id)
	}
	return a, err
}

// AgencyByAccount returns the agency whose account is addr.
func (k Keeper) AgencyByAccount(ctx context.Context, addr sdk.AccAddress) (types.Agency, error) {
	key, err := k.Agencies.Indexes.Account.MatchExact(ctx, addr)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Agency{}, errorsmod.Wrapf(types.ErrUnknownAgency, "no agency has account %s", addr)
	}
	if err != nil {
		return types.Agency{}, err
	}
	return k.Agencies.Get(ctx, key)
}

// ActiveAgencyWithRole returns the active agency whose account is addr and
// which holds role: what every agency action in other modules checks first.
func (k Keeper) ActiveAgencyWithRole(ctx context.Context, addr sdk.AccAddress, role types.AgencyRole) (types.Agency, error) {
	a, err := k.AgencyByAccount(ctx, addr)
	if err != nil {
		return a, err
	}
	if a.Status != types.AGENCY_STATUS_ACTIVE {
		return a, errorsmod.Wrapf(types.ErrAgencyStatus, "agency %s is %s", a.Id, a.Status.Describe())
	}
	if !a.HasRole(role) {
		return a, errorsmod.Wrapf(types.ErrInvalidAgency, "agency %s does not hold the role %s", a.Id, role)
	}
	return a, nil
}

// AgencyKeyAt returns an agency's key if it was valid for signing at t.
func (k Keeper) AgencyKeyAt(ctx context.Context, agencyID, keyID string, t time.Time) (types.AgencyKey, error) {
	key, err := k.AgencyKeys.Get(ctx, collections.Join(agencyID, keyID))
	if errors.Is(err, collections.ErrNotFound) {
		return key, errorsmod.Wrapf(types.ErrUnknownKey, "%s/%s", agencyID, keyID)
	}
	if err != nil {
		return key, err
	}
	if !key.ActiveAt(t) {
		return key, errorsmod.Wrapf(types.ErrInvalidKey, "key %s/%s was not valid at %s", agencyID, keyID, t.UTC().Format(time.RFC3339))
	}
	return key, nil
}

// agencyOfAuthority loads an agency and checks that signer is its region's authority.
func (k Keeper) agencyOfAuthority(ctx context.Context, signer, id string) (types.Agency, error) {
	a, err := k.GetAgency(ctx, id)
	if err != nil {
		return a, err
	}
	if _, err := k.regionOfAuthority(ctx, signer, a.Region); err != nil {
		return a, err
	}
	return a, nil
}

// RegisterAgency registers an agency of the signer's region with its keys.
func (k Keeper) RegisterAgency(ctx context.Context, msg *types.MsgRegisterAgency) error {
	region, _, err := types.SplitScopedID(msg.AgencyId)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidAgency, err.Error())
	}
	if err := types.ValidateName("name_zh", msg.NameZh); err != nil {
		return errorsmod.Wrap(types.ErrInvalidAgency, err.Error())
	}
	if err := types.ValidateName("name_en", msg.NameEn); err != nil {
		return errorsmod.Wrap(types.ErrInvalidAgency, err.Error())
	}
	if err := types.ValidateRoles(msg.Roles); err != nil {
		return err
	}
	if err := types.ValidateCredentialTypes(region, msg.CredentialTypes, msg.Roles); err != nil {
		return err
	}
	if err := k.checkAddress("account", msg.Account); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if len(msg.Keys) > int(params.MaxKeysPerAgency) {
		return errorsmod.Wrapf(types.ErrLimit, "%d keys, an agency holds at most %d", len(msg.Keys), params.MaxKeysPerAgency)
	}
	keys, err := k.canonicalKeys(ctx, msg.AgencyId, msg.Keys)
	if err != nil {
		return err
	}
	if _, err := k.regionOfAuthority(ctx, msg.Authority, region); err != nil {
		return err
	}
	if has, err := k.Agencies.Has(ctx, collections.Join(region, msg.AgencyId)); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDuplicateAgency, "%s", msg.AgencyId)
	}
	accBz, _ := k.addressCodec.StringToBytes(msg.Account)
	if other, err := k.Agencies.Indexes.Account.MatchExact(ctx, accBz); err == nil {
		return errorsmod.Wrapf(types.ErrDuplicateAgency, "account %s already belongs to %s", msg.Account, other.K2())
	}
	n := 0
	if err := k.Agencies.Walk(ctx, collections.NewPrefixedPairRange[string, string](region), func(AgencyKey, types.Agency) (bool, error) {
		n++
		return false, nil
	}); err != nil {
		return err
	}
	if n >= int(params.MaxAgenciesPerRegion) {
		return errorsmod.Wrapf(types.ErrLimit, "region %s already has %d agencies", region, n)
	}
	if err := k.ensureAccount(ctx, msg.Account); err != nil {
		return err
	}
	a := types.Agency{
		Id: msg.AgencyId, Region: region, NameZh: msg.NameZh, NameEn: msg.NameEn, Account: msg.Account,
		Roles: msg.Roles, CredentialTypes: msg.CredentialTypes,
		Status: types.AGENCY_STATUS_ACTIVE, StatusSince: sdk.UnwrapSDKContext(ctx).BlockTime(),
	}
	if err := k.Agencies.Set(ctx, collections.Join(region, a.Id), a); err != nil {
		return err
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAgencyRegistered{
		AgencyId: a.Id, Region: region, Account: a.Account, Roles: a.Roles, CredentialTypes: a.CredentialTypes,
	}); err != nil {
		return err
	}
	for _, key := range keys {
		if err := k.setAgencyKey(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

// canonicalKeys checks key inputs and turns them into stored keys.
func (k Keeper) canonicalKeys(ctx context.Context, agencyID string, inputs []types.AgencyKeyInput) ([]types.AgencyKey, error) {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	seen := map[string]bool{}
	out := make([]types.AgencyKey, 0, len(inputs))
	for _, in := range inputs {
		pk, err := in.CanonicalKey()
		if err != nil {
			return nil, err
		}
		if seen[in.KeyId] {
			return nil, errorsmod.Wrapf(types.ErrDuplicateKey, "key id %s listed twice", in.KeyId)
		}
		seen[in.KeyId] = true
		key := types.AgencyKey{AgencyId: agencyID, KeyId: in.KeyId, Scheme: in.Scheme, PublicKey: pk, NotBefore: now, NotAfter: in.NotAfter}
		if in.NotBefore != nil {
			key.NotBefore = *in.NotBefore
		}
		if key.NotAfter != nil && !key.NotAfter.After(now) {
			return nil, errorsmod.Wrapf(types.ErrInvalidKey, "key %s: validity already ended", in.KeyId)
		}
		out = append(out, key)
	}
	return out, nil
}

func (k Keeper) setAgencyKey(ctx context.Context, key types.AgencyKey) error {
	if err := k.AgencyKeys.Set(ctx, collections.Join(key.AgencyId, key.KeyId), key); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAgencyKeyAdded{
		AgencyId: key.AgencyId, KeyId: key.KeyId, Scheme: key.Scheme,
	})
}

// SetAgencyEntitlements replaces an agency's roles and credential types.
func (k Keeper) SetAgencyEntitlements(ctx context.Context, msg *types.MsgSetAgencyEntitlements) error {
	if err := types.ValidateRoles(msg.Roles); err != nil {
		return err
	}
	region, _, err := types.SplitScopedID(msg.AgencyId)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidAgency, err.Error())
	}
	if err := types.ValidateCredentialTypes(region, msg.CredentialTypes, msg.Roles); err != nil {
		return err
	}
	a, err := k.agencyOfAuthority(ctx, msg.Authority, msg.AgencyId)
	if err != nil {
		return err
	}
	if a.Status == types.AGENCY_STATUS_RETIRED {
		return errorsmod.Wrapf(types.ErrAgencyStatus, "agency %s is retired", a.Id)
	}
	a.Roles, a.CredentialTypes = msg.Roles, msg.CredentialTypes
	if err := k.Agencies.Set(ctx, collections.Join(a.Region, a.Id), a); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAgencyEntitlementsChanged{
		AgencyId: a.Id, Roles: a.Roles, CredentialTypes: a.CredentialTypes,
	})
}

// agencyTransitions lists the status changes a region may make.
var agencyTransitions = map[types.AgencyStatus][]types.AgencyStatus{
	types.AGENCY_STATUS_SUSPENDED: {types.AGENCY_STATUS_ACTIVE},
	types.AGENCY_STATUS_ACTIVE:    {types.AGENCY_STATUS_SUSPENDED},
	types.AGENCY_STATUS_RETIRED:   {types.AGENCY_STATUS_ACTIVE, types.AGENCY_STATUS_SUSPENDED},
}

// SetAgencyStatus suspends, reinstates or retires an agency.
func (k Keeper) SetAgencyStatus(ctx context.Context, signer, id string, to types.AgencyStatus, reason string) error {
	if err := types.ValidateReason(reason); err != nil {
		return errorsmod.Wrap(types.ErrInvalidAgency, err.Error())
	}
	a, err := k.agencyOfAuthority(ctx, signer, id)
	if err != nil {
		return err
	}
	allowed := false
	for _, from := range agencyTransitions[to] {
		allowed = allowed || from == a.Status
	}
	if !allowed {
		return errorsmod.Wrapf(types.ErrAgencyStatus, "agency %s is %s and cannot become %s", a.Id, a.Status.Describe(), to.Describe())
	}
	old := a.Status
	a.Status, a.StatusReason, a.StatusSince = to, reason, sdk.UnwrapSDKContext(ctx).BlockTime()
	if err := k.Agencies.Set(ctx, collections.Join(a.Region, a.Id), a); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAgencyStatusChanged{
		AgencyId: a.Id, OldStatus: old, NewStatus: to, Reason: reason,
	})
}

// AddAgencyKey adds a signing key to an agency.
func (k Keeper) AddAgencyKey(ctx context.Context, signer, id string, in types.AgencyKeyInput) error {
	keys, err := k.canonicalKeys(ctx, id, []types.AgencyKeyInput{in})
	if err != nil {
		return err
	}
	a, err := k.agencyOfAuthority(ctx, signer, id)
	if err != nil {
		return err
	}
	if a.Status == types.AGENCY_STATUS_RETIRED {
		return errorsmod.Wrapf(types.ErrAgencyStatus, "agency %s is retired", a.Id)
	}
	if has, err := k.AgencyKeys.Has(ctx, collections.Join(id, in.KeyId)); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDuplicateKey, "%s/%s", id, in.KeyId)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	live := 0
	if err := k.AgencyKeys.Walk(ctx, collections.NewPrefixedPairRange[string, string](id), func(_ collections.Pair[string, string], key types.AgencyKey) (bool, error) {
		if key.NotAfter == nil || key.NotAfter.After(now) {
			live++
		}
		return false, nil
	}); err != nil {
		return err
	}
	if live >= int(params.MaxKeysPerAgency) {
		return errorsmod.Wrapf(types.ErrLimit, "agency %s already has %d keys in force", id, live)
	}
	return k.setAgencyKey(ctx, keys[0])
}

// RetireAgencyKey ends a key's validity at the block time. Signatures it made
// before stay valid.
func (k Keeper) RetireAgencyKey(ctx context.Context, signer, id, keyID string) error {
	if _, err := k.agencyOfAuthority(ctx, signer, id); err != nil {
		return err
	}
	key, err := k.AgencyKeys.Get(ctx, collections.Join(id, keyID))
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrUnknownKey, "%s/%s", id, keyID)
	}
	if err != nil {
		return err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if key.NotAfter != nil && !key.NotAfter.After(now) {
		return errorsmod.Wrapf(types.ErrInvalidKey, "key %s/%s already ended", id, keyID)
	}
	key.NotAfter = &now
	if err := k.AgencyKeys.Set(ctx, collections.Join(id, keyID), key); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAgencyKeyRetired{AgencyId: id, KeyId: keyID})
}
