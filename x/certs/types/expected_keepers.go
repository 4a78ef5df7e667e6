package types

import (
	"context"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	identitytypes "github.com/baynet/baynet/x/identity/types"
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
	GetRegion(ctx context.Context, code string) (regionstypes.Region, error)
}

// IdentityKeeper is what x/certs asks x/identity when a recognition rule
// requires the holder's consent or a level of assurance. It is optional:
// without it such a rule's condition is reported as needing identity data.
type IdentityKeeper interface {
	// ConsentAt answers whether the anchor's holder lets verifier use
	// credentialType for purpose at t, with the reason.
	ConsentAt(ctx context.Context, anchorID, verifier, purpose, credentialType string, t time.Time) (bool, string, *identitytypes.Consent, error)
	// AssuranceAt returns the highest level of assurance among the anchor's
	// identity links valid at t (0 if none), the link and a reason.
	AssuranceAt(ctx context.Context, anchorID string, t time.Time) (uint32, *identitytypes.Link, string, error)
}
