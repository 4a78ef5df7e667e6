package types

import (
	"regexp"
	"time"

	errorsmod "cosmossdk.io/errors"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// MaxDefaultValidity is the longest default validity a credential type may
// give: a century.
const MaxDefaultValidity = 100 * 365 * 24 * time.Hour

// catalogueCodeRE is a licence type code of the national catalogue
// (GB/T 36902): the defining department's unified social credit code (18
// characters of the GB 32100 alphabet, which has no I, O, S, V or Z) and a
// 3-digit sequence number.
var catalogueCodeRE = regexp.MustCompile(`^[0-9A-HJ-NP-RTUWXY]{18}[0-9]{3}$`)

// ValidateCatalogueCode checks a GB/T 36902 licence type code; empty is
// allowed, since not every credential type has one.
func ValidateCatalogueCode(code string) error {
	if code != "" && !catalogueCodeRE.MatchString(code) {
		return errorsmod.Wrapf(ErrInvalidCredentialType,
			"catalogue code %q must be an 18-character unified social credit code followed by 3 digits", code)
	}
	return nil
}

// Validate checks a credential type's stateless fields and returns its region.
func (t CredentialType) Validate() error {
	region, _, err := regionstypes.SplitScopedID(t.Id)
	if err != nil {
		return errorsmod.Wrap(ErrInvalidCredentialType, err.Error())
	}
	if region != t.Region {
		return errorsmod.Wrapf(ErrInvalidCredentialType, "type %s: region %q does not match its id", t.Id, t.Region)
	}
	if err := regionstypes.ValidateName("name_zh", t.NameZh); err != nil {
		return errorsmod.Wrap(ErrInvalidCredentialType, err.Error())
	}
	if err := regionstypes.ValidateName("name_en", t.NameEn); err != nil {
		return errorsmod.Wrap(ErrInvalidCredentialType, err.Error())
	}
	if err := ValidateCatalogueCode(t.CatalogueCode); err != nil {
		return err
	}
	if len(t.SchemaDigest) != DigestLength {
		return errorsmod.Wrapf(ErrInvalidCredentialType, "schema digest must be %d bytes (SHA-256), got %d", DigestLength, len(t.SchemaDigest))
	}
	if t.DefaultValidity < 0 || t.DefaultValidity > MaxDefaultValidity || t.DefaultValidity%time.Second != 0 {
		return errorsmod.Wrapf(ErrInvalidCredentialType, "default validity must be whole seconds between 0 and %s", MaxDefaultValidity)
	}
	return nil
}
