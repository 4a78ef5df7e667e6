package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

// Permission applies the chain's permission rule: only region authorities,
// validator operators and active agencies submit transactions. It returns the
// standings that entitle addr, or why it has none.
func (k Keeper) Permission(ctx context.Context, addr sdk.AccAddress) (bool, []string, error) {
	var reasons []string
	allowed := false
	if r, err := k.RegionByAuthority(ctx, addr); err == nil {
		allowed = true
		reasons = append(reasons, "authority of region "+r.Code)
	}
	it, err := k.Validators.Indexes.Operator.MatchExact(ctx, addr)
	if err != nil {
		return false, nil, err
	}
	keys, err := it.PrimaryKeys()
	if err != nil {
		return false, nil, err
	}
	for _, key := range keys {
		allowed = true
		reasons = append(reasons, fmt.Sprintf("operator of a validator of region %s", key.K1()))
	}
	a, err := k.AgencyByAccount(ctx, addr)
	switch {
	case err == nil && a.Status == types.AGENCY_STATUS_ACTIVE:
		allowed = true
		reasons = append(reasons, "active agency "+a.Id)
	case err == nil:
		reasons = append(reasons, fmt.Sprintf("agency %s is %s", a.Id, a.Status.Describe()))
	case !errors.Is(err, types.ErrUnknownAgency) && !errors.Is(err, collections.ErrNotFound):
		return false, nil, err
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "not a region authority, validator operator or registered agency")
	}
	return allowed, reasons, nil
}
