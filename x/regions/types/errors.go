package types

import "cosmossdk.io/errors"

// Errors of the consortium registry, registered from code 2 without gaps.
var (
	ErrInvalidRegion      = errors.Register(ModuleName, 2, "invalid region")
	ErrUnknownRegion      = errors.Register(ModuleName, 3, "unknown region")
	ErrNotRegionAuthority = errors.Register(ModuleName, 4, "signer is not the region's authority")
	ErrInvalidValidator   = errors.Register(ModuleName, 5, "invalid validator")
	ErrDuplicateValidator = errors.Register(ModuleName, 6, "validator key already registered")
	ErrUnknownValidator   = errors.Register(ModuleName, 7, "unknown validator")
	ErrLastValidator      = errors.Register(ModuleName, 8, "a region cannot remove its last validator")
	ErrQuorum             = errors.Register(ModuleName, 9, "change would leave the chain without a quorum")
	ErrRegionShare        = errors.Register(ModuleName, 10, "change would give a region more than the maximum share")
	ErrInvalidAgency      = errors.Register(ModuleName, 11, "invalid agency")
	ErrDuplicateAgency    = errors.Register(ModuleName, 12, "agency already registered")
	ErrUnknownAgency      = errors.Register(ModuleName, 13, "unknown agency")
	ErrAgencyStatus       = errors.Register(ModuleName, 14, "agency status does not allow this")
	ErrInvalidKey         = errors.Register(ModuleName, 15, "invalid agency key")
	ErrDuplicateKey       = errors.Register(ModuleName, 16, "agency key already registered")
	ErrUnknownKey         = errors.Register(ModuleName, 17, "unknown agency key")
	ErrInvalidProposal    = errors.Register(ModuleName, 18, "invalid proposal")
	ErrUnknownProposal    = errors.Register(ModuleName, 19, "unknown proposal")
	ErrProposalClosed     = errors.Register(ModuleName, 20, "proposal is no longer pending")
	ErrAlreadyApproved    = errors.Register(ModuleName, 21, "region already approved this proposal")
	ErrInvalidParams      = errors.Register(ModuleName, 22, "invalid params")
	ErrLimit              = errors.Register(ModuleName, 23, "limit reached")
	ErrDuplicateRegion    = errors.Register(ModuleName, 24, "region already exists")
	ErrNotPermitted       = errors.Register(ModuleName, 25, "account is not permitted to submit transactions")
	ErrInvalidAddress     = errors.Register(ModuleName, 26, "invalid address")
	ErrInvalidGenesis     = errors.Register(ModuleName, 27, "invalid genesis")
)
