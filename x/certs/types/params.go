package types

import errorsmod "cosmossdk.io/errors"

// Bounds on the params themselves.
const (
	// MaxBulkLimit is the highest max_bulk the params accept.
	MaxBulkLimit = 50_000
	// MaxStatusChangesLimit is the highest max_status_changes the params accept.
	MaxStatusChangesLimit = 1024
	// MinGasPerAttestation is the lowest gas_per_attestation the params accept:
	// about what the SDK charges for one signature check.
	MinGasPerAttestation = 1000
	// MaxCertificateSizeLimit is the highest max_certificate_size the params
	// accept.
	MaxCertificateSizeLimit = 64 << 10
	// MaxIntermediatesLimit is the highest max_intermediates the params accept.
	MaxIntermediatesLimit = 16
)

// DefaultParams: 10,000 attestations a message, 64 status changes an
// attestation, and 10,000 gas an attestation, so that a bulk of 10,000
// (about 2 MB, 20 M gas of transaction size) fits a block of 200 M gas;
// certificates of up to 16 KiB and chains of up to 8 intermediates.
func DefaultParams() Params {
	return Params{MaxBulk: 10_000, MaxStatusChanges: 64, GasPerAttestation: 10_000, MaxCertificateSize: 16 << 10, MaxIntermediates: 8}
}

// Validate checks the params.
func (p Params) Validate() error {
	switch {
	case p.MaxBulk == 0 || p.MaxBulk > MaxBulkLimit:
		return errorsmod.Wrapf(ErrInvalidParams, "max_bulk must be 1-%d", MaxBulkLimit)
	case p.MaxStatusChanges < 2 || p.MaxStatusChanges > MaxStatusChangesLimit:
		return errorsmod.Wrapf(ErrInvalidParams, "max_status_changes must be 2-%d", MaxStatusChangesLimit)
	case p.GasPerAttestation < MinGasPerAttestation:
		return errorsmod.Wrapf(ErrInvalidParams, "gas_per_attestation must be at least %d", MinGasPerAttestation)
	case p.MaxCertificateSize < 512 || p.MaxCertificateSize > MaxCertificateSizeLimit:
		return errorsmod.Wrapf(ErrInvalidParams, "max_certificate_size must be 512-%d", MaxCertificateSizeLimit)
	case p.MaxIntermediates == 0 || p.MaxIntermediates > MaxIntermediatesLimit:
		return errorsmod.Wrapf(ErrInvalidParams, "max_intermediates must be 1-%d", MaxIntermediatesLimit)
	}
	return nil
}
