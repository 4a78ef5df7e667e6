package types

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"

	bcrypto "github.com/baynet/baynet/crypto"
)

// Field limits. They bound what one message can make the chain store or loop over.
const (
	MaxNameLength        = 128
	MaxMonikerLength     = 70
	MaxReasonLength      = 256
	MaxCredentialTypes   = 64
	MaxPowerShare        = 1_000_000
	ConsensusPubKeyBytes = 32
	MaxPublicKeyBytes    = 2048
	MaxProposalMessages  = 8
)

var (
	regionCodeRE = regexp.MustCompile(`^[A-Z]{2,8}$`)
	localNameRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	keyIDRE      = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
)

// ValidateRegionCode checks a region code such as "GD".
func ValidateRegionCode(code string) error {
	if !regionCodeRE.MatchString(code) {
		return errorsmod.Wrapf(ErrInvalidRegion, "code %q must be 2-8 upper-case letters", code)
	}
	return nil
}

// ValidateName checks a display name in either language.
func ValidateName(field, name string) error {
	if name == "" || len(name) > MaxNameLength || !utf8.ValidString(name) {
		return fmt.Errorf("%s must be 1-%d bytes of UTF-8", field, MaxNameLength)
	}
	return nil
}

// ValidateReason checks a free-text reason.
func ValidateReason(reason string) error {
	if len(reason) > MaxReasonLength || !utf8.ValidString(reason) {
		return fmt.Errorf("reason must be at most %d bytes of UTF-8", MaxReasonLength)
	}
	return nil
}

// SplitScopedID splits "<REGION>:<name>" (an agency id or a credential type)
// into its region code and local name, checking both.
func SplitScopedID(id string) (region, local string, err error) {
	region, local, ok := strings.Cut(id, ":")
	if !ok || ValidateRegionCode(region) != nil || !localNameRE.MatchString(local) {
		return "", "", fmt.Errorf("%q must be <REGION>:<name> with a 2-8 letter region code and a lower-case name of up to 63 letters, digits and dashes", id)
	}
	return region, local, nil
}

// Validate checks a region's stateless fields.
func (r Region) Validate() error {
	if err := ValidateRegionCode(r.Code); err != nil {
		return err
	}
	if err := ValidateName("name_zh", r.NameZh); err != nil {
		return errorsmod.Wrap(ErrInvalidRegion, err.Error())
	}
	if err := ValidateName("name_en", r.NameEn); err != nil {
		return errorsmod.Wrap(ErrInvalidRegion, err.Error())
	}
	if r.PowerShare == 0 || r.PowerShare > MaxPowerShare {
		return errorsmod.Wrapf(ErrInvalidRegion, "power share must be 1-%d", MaxPowerShare)
	}
	return nil
}

// ValidateConsensusPubKey checks a raw ed25519 consensus key.
func ValidateConsensusPubKey(pk []byte) error {
	if len(pk) != ConsensusPubKeyBytes {
		return errorsmod.Wrapf(ErrInvalidValidator, "consensus key must be %d bytes of ed25519, got %d", ConsensusPubKeyBytes, len(pk))
	}
	if _, err := bcrypto.ParsePublicKey(bcrypto.SchemeEd25519, pk); err != nil {
		return errorsmod.Wrapf(ErrInvalidValidator, "consensus key: %v", err)
	}
	return nil
}

// ValidateMoniker checks a validator's display name.
func ValidateMoniker(m string) error {
	if m == "" || len(m) > MaxMonikerLength || !utf8.ValidString(m) {
		return errorsmod.Wrapf(ErrInvalidValidator, "moniker must be 1-%d bytes of UTF-8", MaxMonikerLength)
	}
	return nil
}

// ValidateRoles checks a set of agency roles: at least one, known, no repeats.
func ValidateRoles(roles []AgencyRole) error {
	if len(roles) == 0 {
		return errorsmod.Wrap(ErrInvalidAgency, "an agency needs at least one role")
	}
	seen := map[AgencyRole]bool{}
	for _, r := range roles {
		if _, ok := AgencyRole_name[int32(r)]; !ok || r == AGENCY_ROLE_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidAgency, "unknown role %d", r)
		}
		if seen[r] {
			return errorsmod.Wrapf(ErrInvalidAgency, "role %s listed twice", r)
		}
		seen[r] = true
	}
	return nil
}

// ValidateCredentialTypes checks the credential types an issuer of region
// may issue: its own region's types only (another region's licences are
// accepted through recognition rules, never issued here).
func ValidateCredentialTypes(region string, types []string, roles []AgencyRole) error {
	if len(types) > MaxCredentialTypes {
		return errorsmod.Wrapf(ErrInvalidAgency, "at most %d credential types", MaxCredentialTypes)
	}
	if len(types) > 0 && !slices.Contains(roles, AGENCY_ROLE_ISSUER) {
		return errorsmod.Wrap(ErrInvalidAgency, "only an issuer can be entitled to credential types")
	}
	seen := map[string]bool{}
	for _, t := range types {
		typeRegion, _, err := SplitScopedID(t)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidAgency, "credential type: %v", err)
		}
		if typeRegion != region {
			return errorsmod.Wrapf(ErrInvalidAgency, "credential type %s is not of the agency's region %s", t, region)
		}
		if seen[t] {
			return errorsmod.Wrapf(ErrInvalidAgency, "credential type %s listed twice", t)
		}
		seen[t] = true
	}
	return nil
}

// CanonicalKey parses a key in any encoding its scheme accepts and returns
// the canonical bytes the chain stores.
func (in AgencyKeyInput) CanonicalKey() ([]byte, error) {
	if !keyIDRE.MatchString(in.KeyId) {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "key id %q must be 1-64 letters, digits, dots, dashes or underscores", in.KeyId)
	}
	scheme, err := bcrypto.ParseScheme(in.Scheme)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "key %s: %v", in.KeyId, err)
	}
	if len(in.PublicKey) == 0 || len(in.PublicKey) > MaxPublicKeyBytes {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "key %s: public key must be 1-%d bytes", in.KeyId, MaxPublicKeyBytes)
	}
	pk, err := bcrypto.ParsePublicKey(scheme, in.PublicKey)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "key %s: %v", in.KeyId, err)
	}
	if in.NotBefore != nil && in.NotAfter != nil && !in.NotAfter.After(*in.NotBefore) {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "key %s: validity ends before it starts", in.KeyId)
	}
	return pk.Bytes(), nil
}

// ActiveAt reports whether the key was valid for signing at t.
func (k AgencyKey) ActiveAt(t time.Time) bool {
	if t.Before(k.NotBefore) {
		return false
	}
	return k.NotAfter == nil || t.Before(*k.NotAfter)
}

// HasRole reports whether the agency holds the role.
func (a Agency) HasRole(r AgencyRole) bool { return slices.Contains(a.Roles, r) }

// Validate checks the consortium's rules.
func (p Params) Validate() error {
	switch {
	case p.MaxRegionShareBps == 0 || p.MaxRegionShareBps > 10000:
		return errorsmod.Wrap(ErrInvalidParams, "max_region_share_bps must be 1-10000")
	case p.MinValidators == 0:
		return errorsmod.Wrap(ErrInvalidParams, "min_validators must be at least 1")
	case p.MaxValidatorsPerRegion == 0 || p.MaxValidatorsPerRegion > 64:
		return errorsmod.Wrap(ErrInvalidParams, "max_validators_per_region must be 1-64")
	case p.MaxRegions == 0 || p.MaxRegions > 32:
		return errorsmod.Wrap(ErrInvalidParams, "max_regions must be 1-32")
	case p.MaxAgenciesPerRegion == 0 || p.MaxAgenciesPerRegion > 10000:
		return errorsmod.Wrap(ErrInvalidParams, "max_agencies_per_region must be 1-10000")
	case p.MaxKeysPerAgency == 0 || p.MaxKeysPerAgency > 64:
		return errorsmod.Wrap(ErrInvalidParams, "max_keys_per_agency must be 1-64")
	case p.ProposalLifetime < time.Minute || p.ProposalLifetime > 365*24*time.Hour:
		return errorsmod.Wrap(ErrInvalidParams, "proposal_lifetime must be between a minute and a year")
	}
	return nil
}

// DefaultParams are the rules of a production consortium: no region may hold
// a third of the power, so the chain survives a whole region's outage.
func DefaultParams() Params {
	return Params{
		MaxRegionShareBps:      3333,
		MinValidators:          1,
		MaxValidatorsPerRegion: 16,
		MaxRegions:             16,
		MaxAgenciesPerRegion:   1000,
		MaxKeysPerAgency:       16,
		ProposalLifetime:       7 * 24 * time.Hour,
	}
}

// Validate checks that exactly one action is set and that it is well formed.
func (a ProposalAction) Validate() error {
	set := 0
	if a.AddRegion != nil {
		set++
		if err := a.AddRegion.Validate(); err != nil {
			return err
		}
	}
	if a.RemoveRegion != "" {
		set++
		if err := ValidateRegionCode(a.RemoveRegion); err != nil {
			return err
		}
	}
	if a.SetPowerShare != nil {
		set++
		if err := ValidateRegionCode(a.SetPowerShare.Region); err != nil {
			return err
		}
		if a.SetPowerShare.PowerShare == 0 || a.SetPowerShare.PowerShare > MaxPowerShare {
			return errorsmod.Wrapf(ErrInvalidProposal, "power share must be 1-%d", MaxPowerShare)
		}
	}
	if a.UpdateParams != nil {
		set++
		if err := a.UpdateParams.Validate(); err != nil {
			return err
		}
	}
	if len(a.Messages) > 0 {
		set++
		if len(a.Messages) > MaxProposalMessages {
			return errorsmod.Wrapf(ErrInvalidProposal, "at most %d messages", MaxProposalMessages)
		}
	}
	if set != 1 {
		return errorsmod.Wrapf(ErrInvalidProposal, "a proposal must carry exactly one action, got %d", set)
	}
	return nil
}

// Describe names a status in plain words for error messages: "suspended".
func (s AgencyStatus) Describe() string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "AGENCY_STATUS_"))
}
