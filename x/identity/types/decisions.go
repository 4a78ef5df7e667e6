package types

import (
	"fmt"
	"slices"
	"time"
)

// The decisions below are pure functions of stored records, so that the
// keeper (reading its state) and a verifier (reading values it proved)
// answer the same question the same way.

// ConsentAt answers whether the holder of anchor a lets verifier use
// credentialType for purpose at t, given the one consent record stored for
// (anchor, verifier, purpose) (nil if none), with the reason. Only the
// current record is known: for t before it was granted it answers no.
func ConsentAt(a Anchor, c *Consent, verifier, purpose, credentialType string, t time.Time) (bool, string) {
	at := t.UTC().Format(time.RFC3339)
	switch {
	case a.DeactivatedAt != nil && !t.Before(*a.DeactivatedAt):
		return false, fmt.Sprintf("the anchor was deactivated at %s", a.DeactivatedAt.UTC().Format(time.RFC3339))
	case c == nil:
		return false, fmt.Sprintf("no consent of %s for %q to use for %q", a.Id, verifier, purpose)
	case t.Before(c.GrantedAt):
		return false, fmt.Sprintf("the consent on record was granted at %s, after %s", c.GrantedAt.UTC().Format(time.RFC3339), at)
	case c.WithdrawnAt != nil && !t.Before(*c.WithdrawnAt):
		return false, fmt.Sprintf("withdrawn at %s", c.WithdrawnAt.UTC().Format(time.RFC3339))
	case !t.Before(c.ValidUntil):
		return false, fmt.Sprintf("expired at %s", c.ValidUntil.UTC().Format(time.RFC3339))
	case !slices.Contains(c.CredentialTypes, credentialType):
		return false, fmt.Sprintf("the consent does not cover the credential type %q", credentialType)
	}
	return true, "consent holds"
}

// AssuranceAt returns the highest level of assurance among links, the
// active links of anchor a (one per provider in a.LinkedIdps), that are
// valid at t, with that link and a reason; level 0 when none is.
func AssuranceAt(a Anchor, links []Link, t time.Time) (uint32, *Link, string) {
	if a.DeactivatedAt != nil && !t.Before(*a.DeactivatedAt) {
		return 0, nil, fmt.Sprintf("the anchor was deactivated at %s", a.DeactivatedAt.UTC().Format(time.RFC3339))
	}
	var best *Link
	for i := range links {
		l := &links[i]
		if t.Before(l.LinkedAt) || t.Before(l.ValidFrom) || !t.Before(l.ValidUntil) {
			continue
		}
		if best == nil || l.LevelOfAssurance > best.LevelOfAssurance {
			best = l
		}
	}
	if best == nil {
		return 0, nil, fmt.Sprintf("%s holds no region identity link valid at %s", a.Id, t.UTC().Format(time.RFC3339))
	}
	return best.LevelOfAssurance, best, fmt.Sprintf("link by %s at level %d", best.Idp, best.LevelOfAssurance)
}
