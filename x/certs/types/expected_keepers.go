package types

import (
	"context"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// RegionsKeeper is what x/certs asks the consortium registry: who the
// agencies and region authorities are, and which agency keys were valid when.
type RegionsKeeper interface {
	GetAgency(ctx context.Context, id string) (regionstypes.Agency, error)
	AgencyByAccount(ctx context.Context, addr sdk.AccAddress) (regionstypes.Agency, error)
	ActiveAgencyWithRole(ctx context.Context, addr sdk.AccAddress, role regionstypes.AgencyRole) (regionstypes.Agency, error)
	AgencyKeyAt(ctx context.Context, agencyID, keyID string, t time.Time) (regionstypes.AgencyKey, error)
	RegionByAuthority(ctx context.Context, addr sdk.AccAddress) (regionstypes.Region, error)
}
