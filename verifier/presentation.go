package verifier

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"

	bcrypto "github.com/baynet/baynet/crypto"
	identitytypes "github.com/baynet/baynet/x/identity/types"
)

// Reason codes start the reasons a presentation does not show that its
// presenter holds the attestation's subject; ReasonKeyUnknown,
// ReasonKeyMalformed and ReasonSignatureInvalid apply to the anchor key.
const (
	// ReasonSubjectMismatch: the attestation's subject is not the presented
	// anchor (or it has none).
	ReasonSubjectMismatch = "subject_mismatch"
	// ReasonAnchorInactive: the anchor is not on record or is deactivated.
	ReasonAnchorInactive = "anchor_inactive"
	// ReasonKeyRevoked: the key is revoked at the proven height.
	ReasonKeyRevoked = "key_revoked"
	// ReasonKeyPurpose: the key lacks the authentication purpose.
	ReasonKeyPurpose = "key_purpose"
	// ReasonChallengeMismatch: the signed challenge is not the one the
	// verifier expected.
	ReasonChallengeMismatch = "challenge_mismatch"
)

// PresentationRequest is a presentation with what the verifier expects of
// it: the challenge it chose, and optionally a region and purpose to decide
// the attestation's recognition for.
type PresentationRequest struct {
	Presentation identitytypes.SignedPresentation `json:"presentation"`
	Challenge    cmtbytes.HexBytes                `json:"expected_challenge"`
	Region       string                           `json:"region,omitempty"`
	Purpose      string                           `json:"purpose,omitempty"`
}

// PresentationVerdict is whether the presenter holds the anchor an
// attestation names as subject, with the attestation's own verdict,
// decided from proven values alone.
type PresentationVerdict struct {
	Attestation AttestationVerdict `json:"attestation"`
	Anchor      string             `json:"anchor"`
	KeyID       string             `json:"key_id"`
	// Held means the subject is the anchor, the anchor is active, the key
	// is the anchor's, in force at the proven height with the
	// authentication purpose, the challenge is the expected one and the
	// signature verifies. It says nothing of the attestation's status,
	// authenticity or entitlement: those are in Attestation.
	Held bool `json:"held"`
	// Reasons say why Held is false, each starting with a Reason* code.
	Reasons []string `json:"reasons"`
	// Key is the anchor key record the signature was checked with; nil
	// when proven absent.
	Key *identitytypes.AnchorKey `json:"key,omitempty"`
	// Recognition is set when a region and purpose were asked.
	Recognition *RecognitionVerdict `json:"recognition,omitempty"`
}

// PresentationResult is one request's verdict, or the error that kept it
// from being decided (an attestation not on chain, a fact not proven).
type PresentationResult struct {
	Verdict PresentationVerdict
	Err     error
}

// Presentation proves, at the latest height, the facts of the presented
// attestation (see Attestation), the anchor and the anchor key record
// (and, with a region and purpose, what Recognition proves), and decides
// with DecidePresentation's checks. The bundle holds every value read.
func (c *Client) Presentation(ctx context.Context, req PresentationRequest, at time.Time) (PresentationVerdict, Bundle, error) {
	res, b, err := c.Presentations(ctx, []PresentationRequest{req}, at)
	if err != nil {
		return PresentationVerdict{}, Bundle{}, err
	}
	return res[0].Verdict, b, res[0].Err
}

// Presentations decides a batch of presentations: every fact is proven at
// one height, the first read's, each key once, and every signature is
// verified in one crypto.BatchVerifier. A request that cannot be decided
// gets its error and does not stop the others. The bundle holds the values
// of the whole batch; it is empty when no request read any.
func (c *Client) Presentations(ctx context.Context, reqs []PresentationRequest, at time.Time) ([]PresentationResult, Bundle, error) {
	read, values := recordOnce(c.readerAtOneHeight(ctx))
	res := decidePresentations(read, c.chainID, reqs, at)
	if len(values()) == 0 {
		return res, Bundle{}, nil
	}
	b, err := c.Bundle(ctx, values())
	return res, b, err
}

// DecidePresentation decides from values, which must be proven and read at
// one height (a bundle VerifyBundle accepted), whether req's presenter holds
// the subject of the attestation it presents, on chain chainID. The checks,
// in the order they run:
//
//  1. the attestation's verdict, as DecideAttestation (and with a region
//     and purpose, DecideRecognition) decides it; an attestation not on
//     chain is an error;
//  2. the attestation's subject is the presented anchor;
//  3. the anchor record is on record and active;
//  4. the anchor key record exists, is in force (not revoked at the proven
//     height) and has the authentication purpose;
//  5. the signed challenge equals the expected one;
//  6. the signature verifies with that key over PresentationSignBytes of
//     chainID (not the presentation's own chain id), as crypto.Verify under
//     crypto.PolicyExternal would.
//
// 2 to 6 give Held and its reasons.
func DecidePresentation(chainID string, req PresentationRequest, values []ProvenValue, at time.Time) (PresentationVerdict, error) {
	res := DecidePresentations(chainID, []PresentationRequest{req}, values, at)
	return res[0].Verdict, res[0].Err
}

// DecidePresentations is DecidePresentation over a batch, with all
// signatures verified in one crypto.BatchVerifier.
func DecidePresentations(chainID string, reqs []PresentationRequest, values []ProvenValue, at time.Time) []PresentationResult {
	return decidePresentations(valuesReader(values), chainID, reqs, at)
}

// pendingPresentation is a presentation decided but for its signature.
type pendingPresentation struct {
	verdict PresentationVerdict
	// item is the signature to verify; nil when there is none to check
	// (no key, a malformed key or presentation).
	item *bcrypto.Item
}

func decidePresentations(read Reader, chainID string, reqs []PresentationRequest, at time.Time) []PresentationResult {
	results := make([]PresentationResult, len(reqs))
	pending := make([]pendingPresentation, len(reqs))
	index := make([]int, len(reqs))
	batch := bcrypto.NewBatchVerifier()
	for i, req := range reqs {
		pending[i], results[i].Err = preparePresentation(read, chainID, req, at)
		index[i] = -1
		if results[i].Err == nil && pending[i].item != nil {
			index[i] = batch.Add(*pending[i].item)
		}
	}
	_, sigErrs := batch.Verify()
	for i := range reqs {
		if results[i].Err != nil {
			continue
		}
		v := pending[i].verdict
		if index[i] >= 0 && sigErrs[index[i]] != nil {
			v.Reasons = append(v.Reasons, reason(ReasonSignatureInvalid, "%s signature with key %s of %s: %v",
				v.Key.Scheme, v.KeyID, v.Anchor, sigErrs[index[i]]))
		}
		v.Held = len(v.Reasons) == 0
		results[i].Verdict = v
	}
	return results
}

// preparePresentation runs steps 1 to 5 of DecidePresentation through read
// and returns the verdict so far with the signature step 6 verifies.
func preparePresentation(read Reader, chainID string, req PresentationRequest, at time.Time) (pendingPresentation, error) {
	p := req.Presentation
	out := pendingPresentation{verdict: PresentationVerdict{Anchor: p.Anchor, KeyID: p.KeyID, Reasons: []string{}}}
	v := &out.verdict
	if n := len(req.Challenge); n < identitytypes.MinChallengeBytes || n > identitytypes.MaxChallengeBytes {
		return out, fmt.Errorf("verifier: the expected challenge must be %d to %d bytes, got %d",
			identitytypes.MinChallengeBytes, identitytypes.MaxChallengeBytes, n)
	}
	attValues, err := readAttestationFacts(read, p.Attestation)
	if err != nil {
		return out, err
	}
	if v.Attestation, err = DecideAttestation(p.Attestation, attValues, at); err != nil {
		return out, err
	}
	att := v.Attestation.Attestation
	if att == nil {
		return out, fmt.Errorf("verifier: no attestation %X at height %d", []byte(p.Attestation), v.Attestation.Height)
	}
	if req.Region != "" || req.Purpose != "" {
		r, _, err := DecideRecognitionFrom(read, p.Attestation, req.Region, req.Purpose, at)
		if err != nil {
			return out, err
		}
		v.Recognition = &r
	}
	if att.Payload.Subject != p.Anchor {
		v.Reasons = append(v.Reasons, reason(ReasonSubjectMismatch, "the attestation's subject is %q, the presentation's anchor %q", att.Payload.Subject, p.Anchor))
	}
	f := &provenFacts{read: read}
	var a identitytypes.Anchor
	absent, err := readFact(f, identitytypes.StoreKey, identitytypes.AnchorsKey, collections.StringKey, p.Anchor, &a)
	switch {
	case err != nil:
		return out, err
	case absent:
		v.Reasons = append(v.Reasons, reason(ReasonAnchorInactive, "no anchor %s at height %d", p.Anchor, v.Attestation.Height))
	case a.Id != p.Anchor:
		return out, fmt.Errorf("%w: the record of anchor %s is under %s", ErrInconsistent, a.Id, p.Anchor)
	case a.Status != identitytypes.ANCHOR_STATUS_ACTIVE:
		v.Reasons = append(v.Reasons, reason(ReasonAnchorInactive, "anchor %s is %s", p.Anchor, a.Status))
	}
	var k identitytypes.AnchorKey
	absent, err = readFact(f, identitytypes.StoreKey, identitytypes.KeysKey, stringPair, collections.Join(p.Anchor, p.KeyID), &k)
	switch {
	case err != nil:
		return out, err
	case absent:
		v.Reasons = append(v.Reasons, reason(ReasonKeyUnknown, "anchor %s has no key %q at height %d", p.Anchor, p.KeyID, v.Attestation.Height))
		return out, nil
	case k.AnchorId != p.Anchor || k.KeyId != p.KeyID:
		return out, fmt.Errorf("%w: the record of key %s/%s is under %s/%s", ErrInconsistent, k.AnchorId, k.KeyId, p.Anchor, p.KeyID)
	}
	v.Key = &k
	if k.Status != identitytypes.KEY_STATUS_ACTIVE {
		when := ""
		if k.RevokedAt != nil {
			when = fmt.Sprintf(" at %s (height %d)", k.RevokedAt.UTC().Format(time.RFC3339), k.RevokedHeight)
		}
		v.Reasons = append(v.Reasons, reason(ReasonKeyRevoked, "key %s of %s is %s%s", p.KeyID, p.Anchor, k.Status, when))
	}
	if !identitytypes.HasPurpose(k.Purposes, identitytypes.KEY_PURPOSE_AUTHENTICATION) {
		v.Reasons = append(v.Reasons, reason(ReasonKeyPurpose, "key %s of %s has purposes %v, not authentication", p.KeyID, p.Anchor, k.Purposes))
	}
	if !bytes.Equal(p.Challenge, req.Challenge) {
		v.Reasons = append(v.Reasons, reason(ReasonChallengeMismatch, "signed challenge %X, expected %X", []byte(p.Challenge), []byte(req.Challenge)))
	}
	pub, err := identitytypes.ParseHolderKey(k.Scheme, k.PublicKey)
	if err != nil {
		v.Reasons = append(v.Reasons, reason(ReasonKeyMalformed, "key %s of %s: %v", p.KeyID, p.Anchor, err))
		return out, nil
	}
	if p.ChainID != chainID {
		v.Reasons = append(v.Reasons, reason(ReasonSignatureInvalid, "presented for chain %q, this is %q", p.ChainID, chainID))
		return out, nil
	}
	msg, err := identitytypes.PresentationSignBytes(chainID, p.Anchor, p.KeyID, p.Attestation, p.Challenge)
	if err != nil {
		v.Reasons = append(v.Reasons, reason(ReasonSignatureInvalid, "%v", err))
		return out, nil
	}
	out.item = &bcrypto.Item{Key: pub, Msg: msg, Sig: p.Signature, Policy: bcrypto.PolicyExternal}
	return out, nil
}

// valuesReader reads among proven values, as a bundle holds them; a key
// not among them is an error, never an absence.
func valuesReader(values []ProvenValue) Reader {
	return func(store string, key []byte) (ProvenValue, error) {
		for _, v := range values {
			if v.Store == store && bytes.Equal(v.Key, key) {
				return v, nil
			}
		}
		return ProvenValue{}, &ProofError{Store: store, Key: key, Err: fmt.Errorf("%w: not among the proven values", ErrInconsistent)}
	}
}

// recordOnce reads each key through read once, and returns the values read
// in the order first read.
func recordOnce(read Reader) (Reader, func() []ProvenValue) {
	var values []ProvenValue
	seen := map[string]int{}
	return func(store string, key []byte) (ProvenValue, error) {
			id := store + "/" + string(key)
			if i, ok := seen[id]; ok {
				return values[i], nil
			}
			v, err := read(store, key)
			if err == nil {
				seen[id] = len(values)
				values = append(values, v)
			}
			return v, err
		}, func() []ProvenValue {
			return values
		}
}
