package verifier

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	certstypes "github.com/baynet/baynet/x/certs/types"
)

// The keys of an attestation's facts in the certs store, as the keeper's
// collections encode them (x/certs/keeper/state_test.go pins the layout).

// AttestationKey is 0x02 | id: the attestation as anchored.
func AttestationKey(id []byte) []byte {
	return append(bytes.Clone(certstypes.AttestationsKey.Bytes()), id...)
}

// StatusKey is 0x06 | id: the status record, the latest change.
func StatusKey(id []byte) []byte {
	return append(bytes.Clone(certstypes.StatusesKey.Bytes()), id...)
}

// HistoryKey is 0x07 | len(id) | id | seq (uint32 big-endian): one history
// entry. The id is length-prefixed because the seq follows it.
func HistoryKey(id []byte, seq uint32) []byte {
	k := append(bytes.Clone(certstypes.HistoryKey.Bytes()), byte(len(id)))
	k = append(k, id...)
	return binary.BigEndian.AppendUint32(k, seq)
}

// AttestationVerdict is an attestation's status at a time, decided from
// proven values alone.
type AttestationVerdict struct {
	ID     string                       `json:"id"`
	At     time.Time                    `json:"at"`
	Status certstypes.AttestationStatus `json:"status"`
	// Reasons say why the status is not ACTIVE, for people.
	Reasons []string `json:"reasons"`
	// Decided is the history entry in force at At; nil when not anchored.
	Decided     *certstypes.StatusChange `json:"decided_by,omitempty"`
	Attestation *certstypes.Attestation  `json:"attestation,omitempty"`
	// Height is the state height the values were proven at.
	Height int64 `json:"height"`
}

// Attestation proves attestation id's record, status record and every
// history entry at the latest height and decides its status at at. The
// bundle holds everything proven, so the verdict can be re-checked offline
// with VerifyBundle and DecideAttestation.
func (c *Client) Attestation(ctx context.Context, id []byte, at time.Time) (AttestationVerdict, Bundle, error) {
	const store = certstypes.StoreKey
	att, err := c.Prove(ctx, store, AttestationKey(id), 0)
	if err != nil {
		return AttestationVerdict{}, Bundle{}, err
	}
	values := []ProvenValue{att}
	if !att.Absent {
		rec, err := c.Prove(ctx, store, StatusKey(id), att.Height)
		if err != nil {
			return AttestationVerdict{}, Bundle{}, err
		}
		values = append(values, rec)
		var record certstypes.StatusRecord
		if err := record.Unmarshal(rec.Value); err != nil {
			return AttestationVerdict{}, Bundle{}, rec.inconsistent(err)
		}
		for seq := uint32(0); seq < record.Changes; seq++ {
			entry, err := c.Prove(ctx, store, HistoryKey(id, seq), att.Height)
			if err != nil {
				return AttestationVerdict{}, Bundle{}, err
			}
			values = append(values, entry)
		}
	}
	b, err := c.Bundle(ctx, values)
	if err != nil {
		return AttestationVerdict{}, Bundle{}, err
	}
	v, err := DecideAttestation(id, b.Values, at)
	return v, b, err
}

// DecideAttestation decides attestation id's status at at from values, which
// must be proven (by Prove, or a bundle VerifyBundle accepted) and read at
// one height: the attestation's record or its absence, then its status
// record and every history entry. It checks that they agree with each other
// as the chain keeps them, then applies certs' StatusAt.
func DecideAttestation(id []byte, values []ProvenValue, at time.Time) (AttestationVerdict, error) {
	find := func(key []byte) (ProvenValue, error) {
		for _, v := range values {
			if v.Store == certstypes.StoreKey && bytes.Equal(v.Key, key) {
				return v, nil
			}
		}
		return ProvenValue{}, &ProofError{Store: certstypes.StoreKey, Key: key, Err: fmt.Errorf("%w: not among the proven values", ErrInconsistent)}
	}
	verdict := AttestationVerdict{ID: hex.EncodeToString(id), At: at, Reasons: []string{}}
	attV, err := find(AttestationKey(id))
	if err != nil {
		return verdict, err
	}
	verdict.Height = attV.Height
	if attV.Absent {
		verdict.Status = certstypes.ATTESTATION_STATUS_NOT_ANCHORED
		verdict.Reasons = append(verdict.Reasons, fmt.Sprintf("no attestation with this id at height %d", attV.Height))
		return verdict, nil
	}
	var att certstypes.Attestation
	if err := att.Unmarshal(attV.Value); err != nil {
		return verdict, attV.inconsistent(err)
	}
	// The id is the hash of the signed payload: a record stored under
	// another payload's id would be a broken chain, not a fact.
	if att.Id != verdict.ID || att.Payload.ID() != verdict.ID {
		return verdict, attV.inconsistent(fmt.Errorf("record of payload %s under id %s", att.Payload.ID(), verdict.ID))
	}
	recV, err := find(StatusKey(id))
	if err != nil {
		return verdict, err
	}
	var rec certstypes.StatusRecord
	if err := rec.Unmarshal(recV.Value); err != nil || rec.Changes == 0 {
		return verdict, recV.inconsistent(fmt.Errorf("status record %v with %d changes", err, rec.Changes))
	}
	history := make([]certstypes.StatusChange, rec.Changes)
	for seq := range history {
		hv, err := find(HistoryKey(id, uint32(seq)))
		if err != nil {
			return verdict, err
		}
		if err := history[seq].Unmarshal(hv.Value); err != nil || history[seq].Seq != uint32(seq) {
			return verdict, hv.inconsistent(fmt.Errorf("history entry %d: %v", seq, err))
		}
	}
	if last := history[len(history)-1]; last.Status != rec.Status || !last.Time.Equal(rec.Since) {
		return verdict, recV.inconsistent(fmt.Errorf("status record %s since %s, latest change %s at %s", rec.Status, rec.Since, last.Status, last.Time))
	}
	verdict.Attestation = &att
	verdict.Status, verdict.Decided = certstypes.StatusAt(att, history, at)
	verdict.Reasons = reasons(att, verdict.Status, verdict.Decided)
	return verdict, nil
}

func (v ProvenValue) inconsistent(err error) error {
	return &ProofError{Store: v.Store, Key: v.Key, Height: v.Height, Err: wrap(ErrInconsistent, err)}
}

// reasons explains a status other than ACTIVE with the entry that decided it.
func reasons(att certstypes.Attestation, status certstypes.AttestationStatus, decided *certstypes.StatusChange) []string {
	out := []string{}
	switch status {
	case certstypes.ATTESTATION_STATUS_NOT_ANCHORED:
		out = append(out, fmt.Sprintf("not anchored yet: issued at %s", att.IssuedAt.UTC().Format(time.RFC3339)))
	case certstypes.ATTESTATION_STATUS_REVOKED:
		out = append(out, fmt.Sprintf("revoked at %s (height %d): %s", decided.Time.UTC().Format(time.RFC3339), decided.Height, decided.Reason))
	case certstypes.ATTESTATION_STATUS_EXPIRED:
		out = append(out, fmt.Sprintf("expired at %s", time.Unix(att.ExpiresAt, 0).UTC().Format(time.RFC3339)))
	case certstypes.ATTESTATION_STATUS_NOT_YET_VALID:
		out = append(out, fmt.Sprintf("valid from %s", time.Unix(att.Payload.ValidFrom, 0).UTC().Format(time.RFC3339)))
	case certstypes.ATTESTATION_STATUS_SUSPENDED:
		r := fmt.Sprintf("suspended at %s (height %d): %s", decided.Time.UTC().Format(time.RFC3339), decided.Height, decided.Reason)
		if decided.SuspendedUntil != nil {
			r += fmt.Sprintf(", until %s", decided.SuspendedUntil.UTC().Format(time.RFC3339))
		}
		out = append(out, r)
	}
	return out
}
