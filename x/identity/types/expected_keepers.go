package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// RegionsKeeper is what x/identity asks x/regions: identity providers are
// agencies with the identity-provider role, and relayers are active agencies.
type RegionsKeeper interface {
	// ActiveAgencyWithRole returns the active agency whose account is addr
	// and which holds role.
	ActiveAgencyWithRole(ctx context.Context, addr sdk.AccAddress, role regionstypes.AgencyRole) (regionstypes.Agency, error)
	// AgencyByAccount returns the agency whose account is addr, in any status.
	AgencyByAccount(ctx context.Context, addr sdk.AccAddress) (regionstypes.Agency, error)
	// GetAgency returns an agency by id.
	GetAgency(ctx context.Context, id string) (regionstypes.Agency, error)
}
