package verifier

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	bcrypto "github.com/baynet/baynet/crypto"
	certstypes "github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
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

// The keys of the issuer's facts in the regions store, as the keeper's
// collections encode them: a pair of strings is the first NUL-terminated,
// then the second as it is (x/regions/keeper/state_test.go pins the layout).

// AgencyKey is 0x08 | region | 0x00 | agency id: the agency's record.
func AgencyKey(region, agencyID string) []byte {
	return pairKey(regionstypes.AgenciesKey, region, agencyID)
}

// SigningKeyKey is 0x0a | agency id | 0x00 | key id: one signing key of an
// agency, which stays stored after it is retired.
func SigningKeyKey(agencyID, keyID string) []byte {
	return pairKey(regionstypes.AgencyKeysKey, agencyID, keyID)
}

func pairKey(prefix []byte, first, second string) []byte {
	k := append(bytes.Clone(prefix), first...)
	k = append(k, 0)
	return append(k, second...)
}

// issuerKeys are the regions store keys of the payload's signing key and
// of its issuer's record. The chain anchors only payloads whose issuer is
// a registered agency id, so one that names no region is inconsistent.
func issuerKeys(p certstypes.AttestationPayload) (signingKey, agency []byte, err error) {
	region, _, err := regionstypes.SplitScopedID(p.Issuer)
	if err != nil {
		return nil, nil, err
	}
	return SigningKeyKey(p.Issuer, p.KeyId), AgencyKey(region, p.Issuer), nil
}

// Reason codes start the reasons that an attestation is not authentic or
// its issuer not entitled: a code, ": ", then the detail for people.
const (
	// ReasonKeyUnknown: the issuer has no key with the payload's key id.
	ReasonKeyUnknown = "key_unknown"
	// ReasonKeyMismatch: the key record names another agency or key id than
	// the payload.
	ReasonKeyMismatch = "key_mismatch"
	// ReasonKeyMalformed: the key record's scheme or public key does not parse.
	ReasonKeyMalformed = "key_malformed"
	// ReasonKeyNotValidAtIssuance: the key was not valid when the chain
	// anchored the attestation.
	ReasonKeyNotValidAtIssuance = "key_not_valid_at_issuance"
	// ReasonSignatureInvalid: the signature does not verify over the
	// payload's sign bytes with the key.
	ReasonSignatureInvalid = "signature_invalid"
	// ReasonIssuerUnknown: no agency record under the payload's issuer.
	ReasonIssuerUnknown = "issuer_unknown"
	// ReasonIssuerNotEntitled: the agency, as it is at the proven height,
	// lacks the issuer role, the type, or the type's region.
	ReasonIssuerNotEntitled = "issuer_not_entitled"
)

// AttestationVerdict is an attestation's authenticity, its issuer's
// entitlement and its status at a time, decided from proven values alone.
type AttestationVerdict struct {
	ID     string                       `json:"id"`
	At     time.Time                    `json:"at"`
	Status certstypes.AttestationStatus `json:"status"`
	// Authentic means the signature verifies over the payload's sign bytes
	// with the agency key the payload names (issuer and key id), and that
	// key was valid at the attestation's anchoring time (IssuedAt).
	Authentic bool `json:"authentic"`
	// Entitled means the issuing agency holds the issuer role, belongs to
	// the region of the credential type and lists the type. It is checked
	// against the agency as it is at Height, not as it was at issuance: the
	// chain refuses to anchor an attestation whose issuer is not entitled
	// then, so an anchored attestation was entitled when issued, and false
	// here says the agency's entitlements changed since.
	Entitled bool `json:"entitled"`
	// Reasons say why the status is not ACTIVE, why the attestation is not
	// authentic or not entitled (those start with a Reason* code), for people.
	Reasons []string `json:"reasons"`
	// Decided is the history entry in force at At; nil when not anchored.
	Decided     *certstypes.StatusChange `json:"decided_by,omitempty"`
	Attestation *certstypes.Attestation  `json:"attestation,omitempty"`
	// SigningKey and Issuer are the records the verdict checked the
	// signature and entitlement against; nil when not proven present.
	SigningKey *regionstypes.AgencyKey `json:"signing_key,omitempty"`
	Issuer     *regionstypes.Agency    `json:"issuer,omitempty"`
	// Height is the state height the values were proven at.
	Height int64 `json:"height"`
}

// Attestation proves attestation id's record, status record and every
// history entry, and its issuer's signing key and agency record, at the
// latest height, and decides the verdict at at. The bundle holds everything
// proven, so the verdict can be re-checked offline with VerifyBundle and
// DecideAttestation.
func (c *Client) Attestation(ctx context.Context, id []byte, at time.Time) (AttestationVerdict, Bundle, error) {
	values, err := readAttestationFacts(c.readerAtOneHeight(ctx), id)
	if err != nil {
		return AttestationVerdict{}, Bundle{}, err
	}
	b, err := c.Bundle(ctx, values)
	if err != nil {
		return AttestationVerdict{}, Bundle{}, err
	}
	v, err := DecideAttestation(id, b.Values, at)
	return v, b, err
}

// readerAtOneHeight proves keys at the latest height, fixed by the first
// read, so that everything read together comes from one state.
func (c *Client) readerAtOneHeight(ctx context.Context) Reader {
	var height int64
	return func(store string, key []byte) (ProvenValue, error) {
		v, err := c.Prove(ctx, store, key, height)
		if err == nil {
			height = v.Height
		}
		return v, err
	}
}

// readAttestationFacts reads what DecideAttestation decides from: the
// attestation's record, then (if anchored) its status record, every
// history entry it counts, and the issuer's signing-key and agency records.
func readAttestationFacts(read Reader, id []byte) ([]ProvenValue, error) {
	att, err := read(certstypes.StoreKey, AttestationKey(id))
	if err != nil || att.Absent {
		return []ProvenValue{att}, err
	}
	rec, err := read(certstypes.StoreKey, StatusKey(id))
	if err != nil {
		return nil, err
	}
	values := []ProvenValue{att, rec}
	var record certstypes.StatusRecord
	if err := record.Unmarshal(rec.Value); err != nil {
		return nil, rec.inconsistent(err)
	}
	for seq := uint32(0); seq < record.Changes; seq++ {
		entry, err := read(certstypes.StoreKey, HistoryKey(id, seq))
		if err != nil {
			return nil, err
		}
		values = append(values, entry)
	}
	var a certstypes.Attestation
	if err := a.Unmarshal(att.Value); err != nil {
		return nil, att.inconsistent(err)
	}
	signingKey, agency, err := issuerKeys(a.Payload)
	if err != nil {
		return nil, att.inconsistent(err)
	}
	for _, key := range [][]byte{signingKey, agency} {
		v, err := read(regionstypes.StoreKey, key)
		if err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, nil
}

// DecideAttestation decides attestation id's verdict at at from values,
// which must be proven (by Prove, or a bundle VerifyBundle accepted) and read
// at one height: the attestation's record or its absence, then its status
// record and every history entry, its issuer's signing key and agency
// record (present or absent). The checks, in the order they run:
//
//  1. the records agree with each other as the chain keeps them: the
//     attestation is stored under its payload's id, the status record is
//     the latest history entry;
//  2. status: certs' StatusAt over the attestation and its history;
//  3. authentic: the key record is the payload's issuer's key id, it was
//     valid at the anchoring time (regions' AgencyKey.ActiveAt), and the
//     signature verifies over the payload's sign bytes with it, as the
//     chain verified it (crypto.Verify under crypto.PolicyExternal);
//  4. entitled: the agency record is the issuer's, holds the issuer role,
//     belongs to the region of the payload's credential type (the region
//     its id names) and lists the type — as the agency is at the proven
//     height; the chain checked the same against the agency at issuance.
//
// A failed 1 is an error; 2 to 4 give the verdict and its reasons.
func DecideAttestation(id []byte, values []ProvenValue, at time.Time) (AttestationVerdict, error) {
	findIn := valuesReader(values)
	find := func(key []byte) (ProvenValue, error) { return findIn(certstypes.StoreKey, key) }
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
	signingKey, agency, err := issuerKeys(att.Payload)
	if err != nil {
		return verdict, attV.inconsistent(err)
	}
	keyV, err := findIn(regionstypes.StoreKey, signingKey)
	if err != nil {
		return verdict, err
	}
	agencyV, err := findIn(regionstypes.StoreKey, agency)
	if err != nil {
		return verdict, err
	}
	verdict.Attestation = &att
	verdict.Status, verdict.Decided = certstypes.StatusAt(att, history, at)
	verdict.Reasons = reasons(att, verdict.Status, verdict.Decided)
	var why []string
	if verdict.SigningKey, why, err = checkSignature(att, keyV); err != nil {
		return verdict, err
	}
	verdict.Authentic = len(why) == 0
	verdict.Reasons = append(verdict.Reasons, why...)
	if verdict.Issuer, why, err = checkEntitlement(att, agencyV); err != nil {
		return verdict, err
	}
	verdict.Entitled = len(why) == 0
	verdict.Reasons = append(verdict.Reasons, why...)
	return verdict, nil
}

// checkSignature runs step 3 of DecideAttestation on the proven key record
// and returns it with the reasons the attestation is not authentic.
func checkSignature(att certstypes.Attestation, keyV ProvenValue) (*regionstypes.AgencyKey, []string, error) {
	p := att.Payload
	if keyV.Absent {
		return nil, []string{reason(ReasonKeyUnknown, "agency %s has no key %q at height %d", p.Issuer, p.KeyId, keyV.Height)}, nil
	}
	var key regionstypes.AgencyKey
	if err := key.Unmarshal(keyV.Value); err != nil {
		return nil, nil, keyV.inconsistent(err)
	}
	var out []string
	if key.AgencyId != p.Issuer || key.KeyId != p.KeyId {
		out = append(out, reason(ReasonKeyMismatch, "the record is of key %s/%s, the payload names %s/%s", key.AgencyId, key.KeyId, p.Issuer, p.KeyId))
	}
	if !key.ActiveAt(att.IssuedAt) {
		until := "no end"
		if key.NotAfter != nil {
			until = key.NotAfter.UTC().Format(time.RFC3339)
		}
		out = append(out, reason(ReasonKeyNotValidAtIssuance, "key %s/%s is valid from %s until %s, the attestation was anchored at %s",
			key.AgencyId, key.KeyId, key.NotBefore.UTC().Format(time.RFC3339), until, att.IssuedAt.UTC().Format(time.RFC3339)))
	}
	scheme, err := bcrypto.ParseScheme(key.Scheme)
	var pub bcrypto.PublicKey
	if err == nil {
		pub, err = bcrypto.ParsePublicKey(scheme, key.PublicKey)
	}
	if err != nil {
		return &key, append(out, reason(ReasonKeyMalformed, "key %s/%s: %v", key.AgencyId, key.KeyId, err)), nil
	}
	item := bcrypto.Item{Key: pub, Msg: p.SignBytes(), Sig: att.Signature, Policy: bcrypto.PolicyExternal}
	if err := bcrypto.Verify(item); err != nil {
		out = append(out, reason(ReasonSignatureInvalid, "%s signature with key %s/%s: %v", scheme, key.AgencyId, key.KeyId, err))
	}
	return &key, out, nil
}

// checkEntitlement runs step 4 of DecideAttestation on the proven agency
// record and returns it with the reasons its issuer is not entitled.
func checkEntitlement(att certstypes.Attestation, agencyV ProvenValue) (*regionstypes.Agency, []string, error) {
	p := att.Payload
	if agencyV.Absent {
		return nil, []string{reason(ReasonIssuerUnknown, "no agency %s at height %d", p.Issuer, agencyV.Height)}, nil
	}
	var a regionstypes.Agency
	if err := a.Unmarshal(agencyV.Value); err != nil {
		return nil, nil, agencyV.inconsistent(err)
	}
	if a.Id != p.Issuer {
		return &a, []string{reason(ReasonIssuerUnknown, "the record is of agency %s, the payload names %s", a.Id, p.Issuer)}, nil
	}
	// The chain checked entitlement when it anchored the attestation; this
	// is the agency of the proven height.
	since := fmt.Sprintf("at height %d (the chain found it entitled when it anchored the attestation at height %d)", agencyV.Height, att.IssuedHeight)
	var out []string
	if !a.HasRole(regionstypes.AGENCY_ROLE_ISSUER) {
		out = append(out, reason(ReasonIssuerNotEntitled, "agency %s does not hold the issuer role %s", a.Id, since))
	}
	if region, _, err := regionstypes.SplitScopedID(p.Type); err != nil || region != a.Region {
		out = append(out, reason(ReasonIssuerNotEntitled, "type %s is not of agency %s's region %s", p.Type, a.Id, a.Region))
	}
	if !slices.Contains(a.CredentialTypes, p.Type) {
		out = append(out, reason(ReasonIssuerNotEntitled, "agency %s does not list type %s %s", a.Id, p.Type, since))
	}
	return &a, out, nil
}

// reason is a Reason* code followed by its detail.
func reason(code, format string, args ...any) string {
	return code + ": " + fmt.Sprintf(format, args...)
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
