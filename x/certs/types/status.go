package types

import (
	"time"
)

// StatusAt returns the status of att at time t, given its complete history
// in seq order, and the history entry in force at t (nil before anchoring).
// It needs nothing but these values, so a verifier holding proven copies
// reaches the chain's answer offline. The rules, in the order they apply:
//
//  1. before the anchoring block's time: NOT_ANCHORED;
//  2. the entry in force is the last one whose time is at or before t;
//  3. a revocation is final: REVOKED;
//  4. at or after expires_at: EXPIRED;
//  5. before the payload's valid_from: NOT_YET_VALID;
//  6. a suspension whose end has come: ACTIVE;
//  7. otherwise the entry's status (ACTIVE or SUSPENDED).
func StatusAt(att Attestation, history []StatusChange, t time.Time) (AttestationStatus, *StatusChange) {
	if len(history) == 0 || t.Before(att.IssuedAt) {
		return ATTESTATION_STATUS_NOT_ANCHORED, nil
	}
	var inForce *StatusChange
	for i := range history {
		if history[i].Time.After(t) {
			break
		}
		inForce = &history[i]
	}
	if inForce == nil {
		// An entry time before issued_at cannot come from the chain; treat
		// the history as starting at its first entry.
		return ATTESTATION_STATUS_NOT_ANCHORED, nil
	}
	return derive(att, inForce.Status, inForce.SuspendedUntil, t), inForce
}

// CurrentStatus returns the status at t (at or after rec.Since) from the
// stored status record alone.
func CurrentStatus(att Attestation, rec StatusRecord, t time.Time) AttestationStatus {
	if t.Before(att.IssuedAt) {
		return ATTESTATION_STATUS_NOT_ANCHORED
	}
	return derive(att, rec.Status, rec.SuspendedUntil, t)
}

// derive applies steps 3-7 of StatusAt to a stored status.
func derive(att Attestation, stored AttestationStatus, suspendedUntil *time.Time, t time.Time) AttestationStatus {
	switch {
	case stored == ATTESTATION_STATUS_REVOKED:
		return ATTESTATION_STATUS_REVOKED
	case att.ExpiresAt != 0 && !t.Before(time.Unix(att.ExpiresAt, 0)):
		return ATTESTATION_STATUS_EXPIRED
	case t.Before(time.Unix(att.Payload.ValidFrom, 0)):
		return ATTESTATION_STATUS_NOT_YET_VALID
	case stored == ATTESTATION_STATUS_SUSPENDED && suspendedUntil != nil && !t.Before(*suspendedUntil):
		return ATTESTATION_STATUS_ACTIVE
	}
	return stored
}

// Record returns the status record that c, the latest of n history
// entries, leaves in force.
func (c StatusChange) Record(n uint32) StatusRecord {
	return StatusRecord{Status: c.Status, Reason: c.Reason, Since: c.Time, SuspendedUntil: c.SuspendedUntil, Changes: n}
}

// IsStored reports whether s is a status a history entry can hold.
func (s AttestationStatus) IsStored() bool {
	return s == ATTESTATION_STATUS_ACTIVE || s == ATTESTATION_STATUS_SUSPENDED || s == ATTESTATION_STATUS_REVOKED
}
