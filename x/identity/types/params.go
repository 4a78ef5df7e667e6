package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// DefaultParams: eight keys, eight links and 32 consents per anchor, and
// three days for a holder to cancel a recovery.
func DefaultParams() Params {
	return Params{
		MaxKeysPerAnchor:     8,
		MaxLinksPerAnchor:    8,
		MaxConsentsPerAnchor: 32,
		RecoveryDelay:        72 * time.Hour,
	}
}

// Validate checks the parameters' ranges.
func (p Params) Validate() error {
	switch {
	case p.MaxKeysPerAnchor == 0 || p.MaxKeysPerAnchor > 64:
		return errorsmod.Wrap(ErrInvalidParams, "max_keys_per_anchor must be 1-64")
	case p.MaxLinksPerAnchor == 0 || p.MaxLinksPerAnchor > 64:
		return errorsmod.Wrap(ErrInvalidParams, "max_links_per_anchor must be 1-64")
	case p.MaxConsentsPerAnchor == 0 || p.MaxConsentsPerAnchor > 1024:
		return errorsmod.Wrap(ErrInvalidParams, "max_consents_per_anchor must be 1-1024")
	case p.RecoveryDelay < time.Minute || p.RecoveryDelay > 365*24*time.Hour:
		return errorsmod.Wrap(ErrInvalidParams, "recovery_delay must be between a minute and a year")
	}
	return nil
}
