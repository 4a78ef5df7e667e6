package types

import (
	"regexp"
	"slices"
	"time"

	errorsmod "cosmossdk.io/errors"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// Bounds on a recognition rule.
const (
	// MaxPurposes is the most purposes one rule names.
	MaxPurposes = 16
	// MaxLevelOfAssurance is the highest level of assurance a rule may ask.
	MaxLevelOfAssurance = 4
	// MaxRulesPerType is the most rules, withdrawn ones included, a region
	// declares about one source type: the ids are one store value (RuleIDs)
	// that a verifier proves. A region past it amends a rule instead.
	MaxRulesPerType = 32
	// MaxRuleVersions is the most versions a rule has; past it the region
	// withdraws the rule and declares a new one.
	MaxRuleVersions = 64
	// MaxCARecognitionPeriods is the most earlier recognitions one region's
	// record of a CA keeps; past it the CA is not recognised again.
	MaxCARecognitionPeriods = 32
	// MaxCAsPerRegion is the most CA certificates a region registers, and
	// MaxCARecognitionsPerRegion the most other regions' CAs it recognises
	// (withdrawn ones included): a region's trust list, which every chain
	// verification in it reads, stays bounded.
	MaxCAsPerRegion            = 256
	MaxCARecognitionsPerRegion = 256
)

// Reason codes of an IsRecognised answer.
const (
	ReasonNotAnchored        = "not_anchored"
	ReasonRevoked            = "revoked"
	ReasonSuspended          = "suspended"
	ReasonExpired            = "expired"
	ReasonNotYetValid        = "not_yet_valid"
	ReasonTypeNotRecognised  = "type_not_recognised"
	ReasonRuleNotInForce     = "rule_not_in_force"
	ReasonMaxAgeExceeded     = "max_age_exceeded"
	ReasonIssuerRoleMissing  = "issuer_role_missing"
	ReasonConsentMissing     = "consent_missing"
	ReasonNeedsIdentityData  = "condition_needs_identity_data"
	ReasonSubjectUnspecified = "subject_unspecified"
	ReasonAssuranceTooLow    = "assurance_too_low"
)

var purposeRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// ValidatePurpose checks a purpose's short name: 1-32 characters of a-z,
// 0-9 and '-', starting with a letter.
func ValidatePurpose(p string) error {
	if !purposeRe.MatchString(p) {
		return errorsmod.Wrapf(ErrInvalidRecognition, "purpose %q must be 1-32 of a-z, 0-9 and '-', starting with a letter", p)
	}
	return nil
}

// Validate checks the terms on their own: purposes, validity window and
// conditions. The types and regions are checked against the state by the
// keeper.
func (t RecognitionTerms) Validate() error {
	if len(t.Purposes) == 0 || len(t.Purposes) > MaxPurposes {
		return errorsmod.Wrapf(ErrInvalidRecognition, "a rule names 1-%d purposes", MaxPurposes)
	}
	for i, p := range t.Purposes {
		if err := ValidatePurpose(p); err != nil {
			return err
		}
		if slices.Contains(t.Purposes[:i], p) {
			return errorsmod.Wrapf(ErrInvalidRecognition, "purpose %q named twice", p)
		}
	}
	if t.ValidFrom.IsZero() {
		return errorsmod.Wrap(ErrInvalidRecognition, "valid_from is required")
	}
	if t.ValidUntil != nil && !t.ValidUntil.After(t.ValidFrom) {
		return errorsmod.Wrap(ErrInvalidRecognition, "valid_until must be after valid_from")
	}
	return t.Conditions.Validate()
}

// Validate checks the conditions.
func (c RecognitionConditions) Validate() error {
	if c.MinLevelOfAssurance > MaxLevelOfAssurance {
		return errorsmod.Wrapf(ErrInvalidRecognition, "min_level_of_assurance must be 0-%d", MaxLevelOfAssurance)
	}
	if c.MaxAge < 0 {
		return errorsmod.Wrap(ErrInvalidRecognition, "max_age must not be negative")
	}
	for i, r := range c.IssuerRoles {
		if v, ok := regionstypes.AgencyRole_value[r]; !ok || v == 0 {
			return errorsmod.Wrapf(ErrInvalidRecognition, "unknown issuer role %q", r)
		}
		if slices.Contains(c.IssuerRoles[:i], r) {
			return errorsmod.Wrapf(ErrInvalidRecognition, "issuer role %q named twice", r)
		}
	}
	return nil
}

// Terms returns the rule's terms.
func (r RecognitionRule) Terms() RecognitionTerms {
	return RecognitionTerms{
		LocalType: r.LocalType, Purposes: r.Purposes, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil,
		Conditions: r.Conditions, DataFlow: r.DataFlow,
	}
}

// WithTerms returns the rule with its terms replaced.
func (r RecognitionRule) WithTerms(t RecognitionTerms) RecognitionRule {
	r.LocalType, r.Purposes, r.ValidFrom, r.ValidUntil = t.LocalType, t.Purposes, t.ValidFrom, t.ValidUntil
	r.Conditions, r.DataFlow = t.Conditions, t.DataFlow
	return r
}

// InForceAt reports whether the rule applies at t: within its window and
// not withdrawn by then.
func (r RecognitionRule) InForceAt(t time.Time) bool {
	return !t.Before(r.ValidFrom) && (r.ValidUntil == nil || t.Before(*r.ValidUntil)) &&
		(r.WithdrawnAt == nil || t.Before(*r.WithdrawnAt))
}

// VersionAt returns the version of the rule that applied at t, given its
// earlier versions oldest first (as stored): the latest changed at or
// before t, else the first (a rule declared after t with a valid_from
// before it applies as first declared). A withdrawal belongs to the rule,
// so the version returned carries the current version's.
func (r RecognitionRule) VersionAt(earlier []RecognitionRule, t time.Time) RecognitionRule {
	pick := r
	for i := len(earlier) - 1; i >= 0 && pick.ChangedAt.After(t); i-- {
		pick = earlier[i]
	}
	pick.WithdrawnAt, pick.WithdrawalReason = r.WithdrawnAt, r.WithdrawalReason
	return pick
}

// PeriodAt returns the purposes and policies under which the CA was
// recognised at t, from the current recognition or an earlier one.
func (r CARecognition) PeriodAt(t time.Time) (purposes, policies []string, ok bool) {
	if !t.Before(r.RecognisedAt) && (r.WithdrawnAt == nil || t.Before(*r.WithdrawnAt)) {
		return r.Purposes, r.Policies, true
	}
	for _, p := range r.Earlier {
		if !t.Before(p.RecognisedAt) && t.Before(p.WithdrawnAt) {
			return p.Purposes, p.Policies, true
		}
	}
	return nil, nil, false
}

// Overlaps reports whether two rules of one region about one type would both
// be in force, for a shared purpose, at some time. A withdrawn rule ends at
// its withdrawal.
func (r RecognitionRule) Overlaps(o RecognitionRule) (string, bool) {
	shared := ""
	for _, p := range r.Purposes {
		if slices.Contains(o.Purposes, p) {
			shared = p
			break
		}
	}
	if shared == "" {
		return "", false
	}
	return shared, before(r.ValidFrom, o.end()) && before(o.ValidFrom, r.end())
}

// end is when the rule stops applying, nil if never.
func (r RecognitionRule) end() *time.Time {
	end := r.ValidUntil
	if r.WithdrawnAt != nil && (end == nil || r.WithdrawnAt.Before(*end)) {
		end = r.WithdrawnAt
	}
	return end
}

// before reports t < end, an unset end being +infinity.
func before(t time.Time, end *time.Time) bool { return end == nil || t.Before(*end) }

// Validate checks a stored rule: its ids, regions and terms.
func (r RecognitionRule) Validate() error {
	if r.Id == 0 || r.Version == 0 {
		return errorsmod.Wrapf(ErrInvalidRecognition, "rule %d: id and version must be positive", r.Id)
	}
	src, _, err := regionstypes.SplitScopedID(r.SourceType)
	if err != nil || src != r.SourceRegion {
		return errorsmod.Wrapf(ErrInvalidRecognition, "rule %d: source type %q is not of region %q", r.Id, r.SourceType, r.SourceRegion)
	}
	if r.SourceRegion == r.Region {
		return errorsmod.Wrapf(ErrInvalidRecognition, "rule %d: a region does not recognise its own types", r.Id)
	}
	if r.LocalType != "" {
		if local, _, err := regionstypes.SplitScopedID(r.LocalType); err != nil || local != r.Region {
			return errorsmod.Wrapf(ErrInvalidRecognition, "rule %d: local type %q is not of region %q", r.Id, r.LocalType, r.Region)
		}
	}
	if r.WithdrawnAt == nil && r.WithdrawalReason != "" {
		return errorsmod.Wrapf(ErrInvalidRecognition, "rule %d: a withdrawal reason without a withdrawal", r.Id)
	}
	if err := r.Terms().Validate(); err != nil {
		return errorsmod.Wrapf(err, "rule %d", r.Id)
	}
	return nil
}
