package types

import (
	"errors"
	"fmt"
	"slices"
	"time"

	identitytypes "github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// ErrNoIdentityData is what RecognitionFacts answers about consent or a
// level of assurance when it cannot read x/identity; the verdict reports
// the condition as needing identity data.
var ErrNoIdentityData = errors.New("x/identity is not available")

// RecognitionFacts are what a recognition verdict reads besides the
// attestation and its status, each from one store key (or, for the
// identity answers, a few): the keeper reads them from its state, a
// verifier from values it proved, and Recognise decides the same way for
// both.
type RecognitionFacts interface {
	// RulesAbout returns the current versions of region's rules about
	// sourceType, by id.
	RulesAbout(region, sourceType string) ([]RecognitionRule, error)
	// EarlierVersions returns rule id's superseded versions, oldest first.
	EarlierVersions(id uint64) ([]RecognitionRule, error)
	// Agency returns an agency of x/regions.
	Agency(id string) (regionstypes.Agency, error)
	// ConsentAt answers whether the anchor's holder lets verifier use
	// credentialType for purpose at t, with the reason
	// (identitytypes.ConsentAt over the stored records).
	ConsentAt(anchorID, verifier, purpose, credentialType string, t time.Time) (bool, string, error)
	// AssuranceAt returns the anchor's best level of assurance at t with
	// the reason (identitytypes.AssuranceAt over the stored records).
	AssuranceAt(anchorID string, t time.Time) (uint32, string, error)
}

// Recognise decides whether attestation att, whose status at t is status,
// is recognised in region for purpose at t. It reports every failure of:
// the status (not anchored, revoked, suspended, expired, not yet valid); a
// rule of the region about the attestation's type naming the purpose (type
// not recognised) and in force at t (rule not in force); and that rule's
// conditions: maximum age from the anchoring, the issuing agency's roles,
// the holder's consent (verifier: the region's code) and level of
// assurance. A type of the region itself needs no rule. Each rule is taken
// as it stood at t (RecognitionRule.VersionAt). The rules are tried in id
// order; the first whose conditions all hold decides, else the reasons are
// those of the rules in force.
func Recognise(f RecognitionFacts, att Attestation, status AttestationStatus, region, purpose string, t time.Time) (*QueryIsRecognisedResponse, error) {
	var reasons []RecognitionReason
	if code := StatusReason(status); code != "" {
		reasons = append(reasons, RecognitionReason{Code: code, Detail: fmt.Sprintf("attestation %s is %s at %s", att.Id, status, stamp(t))})
	}
	typeRegion, _, err := regionstypes.SplitScopedID(att.Payload.Type)
	if err != nil {
		return nil, err
	}
	if typeRegion == region {
		return &QueryIsRecognisedResponse{Recognised: len(reasons) == 0, Reasons: reasons}, nil
	}
	rules, err := f.RulesAbout(region, att.Payload.Type)
	if err != nil {
		return nil, err
	}
	var (
		named    bool
		inForce  []RecognitionReason
		deciding uint64
	)
	for _, current := range rules {
		r, err := RuleAt(current, t, f.EarlierVersions)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(r.Purposes, purpose) {
			continue
		}
		named = true
		if !r.InForceAt(t) {
			inForce = append(inForce, RecognitionReason{Code: ReasonRuleNotInForce, RuleId: r.Id,
				Detail: fmt.Sprintf("rule %d is not in force at %s", r.Id, stamp(t))})
			continue
		}
		failed, err := conditionFailures(f, r, att, purpose, t)
		if err != nil {
			return nil, err
		}
		if len(failed) == 0 {
			deciding = r.Id
			break
		}
		inForce = append(inForce, failed...)
	}
	switch {
	case !named:
		reasons = append(reasons, RecognitionReason{Code: ReasonTypeNotRecognised,
			Detail: fmt.Sprintf("%s has no rule recognising %s for %q", region, att.Payload.Type, purpose)})
	case deciding == 0:
		reasons = append(reasons, inForce...)
	}
	if len(reasons) > 0 {
		return &QueryIsRecognisedResponse{Reasons: reasons}, nil
	}
	return &QueryIsRecognisedResponse{Recognised: true, RuleId: deciding}, nil
}

// RuleAt returns the version of rule current that applied at t (see
// RecognitionRule.VersionAt), reading its earlier versions only when the
// current one was made after t.
func RuleAt(current RecognitionRule, t time.Time, earlierVersions func(id uint64) ([]RecognitionRule, error)) (RecognitionRule, error) {
	if !current.ChangedAt.After(t) || current.Version == 1 {
		return current, nil
	}
	earlier, err := earlierVersions(current.Id)
	if err != nil {
		return current, err
	}
	return current.VersionAt(earlier, t), nil
}

// conditionFailures lists the conditions of rule r that att fails for
// purpose at t.
func conditionFailures(f RecognitionFacts, r RecognitionRule, att Attestation, purpose string, t time.Time) ([]RecognitionReason, error) {
	var out []RecognitionReason
	c := r.Conditions
	if c.MaxAge > 0 && t.Sub(att.IssuedAt) > c.MaxAge {
		out = append(out, RecognitionReason{Code: ReasonMaxAgeExceeded, RuleId: r.Id,
			Detail: fmt.Sprintf("attestation anchored at %s is older than %s", stamp(att.IssuedAt), c.MaxAge)})
	}
	if len(c.IssuerRoles) > 0 {
		a, err := f.Agency(att.Payload.Issuer)
		if err != nil {
			return nil, err
		}
		for _, role := range c.IssuerRoles {
			if !a.HasRole(regionstypes.AgencyRole(regionstypes.AgencyRole_value[role])) {
				out = append(out, RecognitionReason{Code: ReasonIssuerRoleMissing, RuleId: r.Id,
					Detail: fmt.Sprintf("issuer %s does not hold %s", a.Id, role)})
			}
		}
	}
	if c.ConsentRequired {
		reason, err := identityCondition(r, att, "consent is required", func() (bool, string, error) {
			return f.ConsentAt(att.Payload.Subject, r.Region, purpose, att.Payload.Type, t)
		}, ReasonConsentMissing)
		if err != nil {
			return nil, err
		}
		out = append(out, reason...)
	}
	if c.MinLevelOfAssurance > 0 {
		required := fmt.Sprintf("level of assurance %d is required", c.MinLevelOfAssurance)
		reason, err := identityCondition(r, att, required, func() (bool, string, error) {
			level, why, err := f.AssuranceAt(att.Payload.Subject, t)
			return level >= c.MinLevelOfAssurance, fmt.Sprintf("%s, the subject has %d: %s", required, level, why), err
		}, ReasonAssuranceTooLow)
		if err != nil {
			return nil, err
		}
		out = append(out, reason...)
	}
	return out, nil
}

// identityCondition checks a condition about the attestation's subject
// that x/identity answers: none without a subject, "needs identity data"
// when x/identity cannot be read, failCode when check says no (an unknown
// anchor is a no).
func identityCondition(r RecognitionRule, att Attestation, required string, check func() (bool, string, error), failCode string) ([]RecognitionReason, error) {
	if att.Payload.Subject == "" {
		return []RecognitionReason{{Code: ReasonSubjectUnspecified, RuleId: r.Id, Detail: required + " but the attestation names no subject"}}, nil
	}
	ok, why, err := check()
	switch {
	case errors.Is(err, ErrNoIdentityData):
		return []RecognitionReason{{Code: ReasonNeedsIdentityData, RuleId: r.Id, Detail: required + " and " + err.Error()}}, nil
	case errors.Is(err, identitytypes.ErrUnknownAnchor):
		ok, why = false, err.Error()
	case err != nil:
		return nil, err
	}
	if ok {
		return nil, nil
	}
	return []RecognitionReason{{Code: failCode, RuleId: r.Id, Detail: why}}, nil
}

// StatusReason is the reason code of a status that is not ACTIVE, "" for
// ACTIVE.
func StatusReason(s AttestationStatus) string {
	switch s {
	case ATTESTATION_STATUS_ACTIVE:
		return ""
	case ATTESTATION_STATUS_REVOKED:
		return ReasonRevoked
	case ATTESTATION_STATUS_SUSPENDED:
		return ReasonSuspended
	case ATTESTATION_STATUS_EXPIRED:
		return ReasonExpired
	case ATTESTATION_STATUS_NOT_YET_VALID:
		return ReasonNotYetValid
	default:
		return ReasonNotAnchored
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
