package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// GetCredentialType returns a credential type by id ("GD:business-licence").
func (k Keeper) GetCredentialType(ctx context.Context, id string) (types.CredentialType, error) {
	region, _, err := regionstypes.SplitScopedID(id)
	if err != nil {
		return types.CredentialType{}, errorsmod.Wrap(types.ErrInvalidCredentialType, err.Error())
	}
	t, err := k.CredentialTypes.Get(ctx, collections.Join(region, id))
	if errors.Is(err, collections.ErrNotFound) {
		return t, errorsmod.Wrapf(types.ErrUnknownCredentialType, "%q", id)
	}
	return t, err
}

// RegisterCredentialType registers a credential type of the signer's region.
func (k Keeper) RegisterCredentialType(ctx context.Context, msg *types.MsgRegisterCredentialType) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	region, _, err := regionstypes.SplitScopedID(msg.TypeId)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidCredentialType, err.Error())
	}
	t := types.CredentialType{
		Id: msg.TypeId, Region: region, NameZh: msg.NameZh, NameEn: msg.NameEn, CatalogueCode: msg.CatalogueCode,
		SchemaDigest: msg.SchemaDigest, DefaultValidity: msg.DefaultValidity, RegisteredAt: now,
	}
	if err := t.Validate(); err != nil {
		return err
	}
	signer, err := k.addressCodec.StringToBytes(msg.Authority)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "authority %q: %v", msg.Authority, err)
	}
	r, err := k.regions.RegionByAuthority(ctx, signer)
	if err != nil {
		return err
	}
	if r.Code != region {
		return errorsmod.Wrapf(regionstypes.ErrNotRegionAuthority, "%s is the authority of %s, not of %s", msg.Authority, r.Code, region)
	}
	key := collections.Join(region, t.Id)
	if has, err := k.CredentialTypes.Has(ctx, key); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDuplicateCredentialType, "%s", t.Id)
	}
	if err := k.CredentialTypes.Set(ctx, key, t); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCredentialTypeRegistered{
		TypeId: t.Id, Region: region, CatalogueCode: t.CatalogueCode,
	})
}
