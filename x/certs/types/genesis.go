package types

import (
	"crypto/sha256"
	"encoding/hex"
	"math/big"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis has no credential types and the default params; rule ids
// start at 1.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextRuleId: 1}
}

// Validate checks the genesis state: every credential type and attestation
// well formed, ids matching their payloads, histories complete and in
// order, no duplicate. Issuer signatures are not re-verified: they were when
// the attestations were anchored, and an exported state is trusted as a
// whole; the issuers are checked against x/regions by InitGenesis.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	types := map[string]CredentialType{}
	for _, t := range gs.CredentialTypes {
		if err := t.Validate(); err != nil {
			return err
		}
		if _, dup := types[t.Id]; dup {
			return errorsmod.Wrapf(ErrDuplicateCredentialType, "%s", t.Id)
		}
		types[t.Id] = t
	}
	ids := map[string]bool{}
	licences := map[[2]string]bool{}
	for _, ga := range gs.Attestations {
		a := ga.Attestation
		if err := a.Payload.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: %v", a.Id, err)
		}
		id := AttestationID(a.Payload.SignBytes())
		if a.Id != hex.EncodeToString(id[:]) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: id does not match its payload", a.Id)
		}
		if _, ok := types[a.Payload.Type]; !ok {
			return errorsmod.Wrapf(ErrUnknownCredentialType, "attestation %s: type %s", a.Id, a.Payload.Type)
		}
		// expires_at is a fact of the issuance (the type's default validity
		// then), so only its consistency with the payload is checked.
		if a.ExpiresAt < 0 || (a.ExpiresAt != 0 && a.ExpiresAt <= a.Payload.ValidFrom) ||
			(a.Payload.ValidUntil != 0 && a.ExpiresAt != a.Payload.ValidUntil) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: expires_at does not match its payload", a.Id)
		}
		if len(a.Signature) == 0 || len(a.Signature) > MaxSignatureLength {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: signature must be 1-%d bytes", a.Id, MaxSignatureLength)
		}
		if ids[a.Id] {
			return errorsmod.Wrapf(ErrDuplicateAttestation, "%s", a.Id)
		}
		ids[a.Id] = true
		lic := [2]string{a.Payload.LicenceId, a.Payload.Issuer}
		if licences[lic] {
			return errorsmod.Wrapf(ErrDuplicateLicence, "licence %s of %s", lic[0], lic[1])
		}
		licences[lic] = true
		if err := validateHistory(a, ga.History, gs.Params.MaxStatusChanges); err != nil {
			return err
		}
	}
	if err := gs.validateRules(types); err != nil {
		return err
	}
	return gs.validateCAs()
}

// validateCAs checks the CA trust lists: each CA's fingerprint is its DER's
// SHA-256, once, with its parent a CA of the genesis and of its region; each
// recognition and revocation is about a CA of the genesis, a revocation
// once per serial and by a positive decimal serial. The certificates are
// not re-checked: they were when registered.
func (gs GenesisState) validateCAs() error {
	cas := map[string]CA{}
	for _, ca := range gs.Cas {
		sum := sha256.Sum256(ca.Der)
		if ca.Fingerprint != hex.EncodeToString(sum[:]) || ca.Region == "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "CA %s: fingerprint is not its certificate's, or no region", ca.Fingerprint)
		}
		if _, dup := cas[ca.Fingerprint]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "CA %s twice", ca.Fingerprint)
		}
		cas[ca.Fingerprint] = ca
	}
	perRegion := map[string]int{}
	for _, ca := range gs.Cas {
		if p, ok := cas[ca.Parent]; ca.Parent != "" && (!ok || p.Region != ca.Region) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "CA %s: parent %s is not a CA of its region", ca.Fingerprint, ca.Parent)
		}
		if perRegion[ca.Region]++; perRegion[ca.Region] > MaxCAsPerRegion {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s registers more than %d CAs", ca.Region, MaxCAsPerRegion)
		}
	}
	clear(perRegion)
	recs := map[[2]string]bool{}
	for _, r := range gs.CaRecognitions {
		ca, ok := cas[r.Ca]
		if !ok || ca.Region != r.CaRegion || r.Region == r.CaRegion || recs[[2]string{r.Region, r.Ca}] || len(r.Purposes) == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "recognition of CA %s by %s does not match a foreign CA, or repeats", r.Ca, r.Region)
		}
		recs[[2]string{r.Region, r.Ca}] = true
		if perRegion[r.Region]++; perRegion[r.Region] > MaxCARecognitionsPerRegion {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s recognises more than %d CAs", r.Region, MaxCARecognitionsPerRegion)
		}
		if err := r.validatePeriods(); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
	}
	revs := map[[2]string]bool{}
	for _, r := range gs.CertificateRevocations {
		n, ok := new(big.Int).SetString(r.Serial, 10)
		if _, known := cas[r.Ca]; !known || !ok || n.Sign() <= 0 || n.String() != r.Serial || revs[[2]string{r.Ca, r.Serial}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "revocation of serial %s under CA %s", r.Serial, r.Ca)
		}
		revs[[2]string{r.Ca, r.Serial}] = true
	}
	return nil
}

// validateRules checks the recognition rules: each well formed, about
// types of the genesis, below next_rule_id, not overlapping another
// rule; and each superseded version of a rule that exists, older than
// its current version.
func (gs GenesisState) validateRules(credTypes map[string]CredentialType) error {
	rules := map[uint64]RecognitionRule{}
	for _, r := range gs.RecognitionRules {
		if err := r.Validate(); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		if _, dup := rules[r.Id]; dup || r.Id >= gs.NextRuleId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "rule %d: duplicate, or not below next_rule_id %d", r.Id, gs.NextRuleId)
		}
		for _, t := range []string{r.SourceType, r.LocalType} {
			if _, ok := credTypes[t]; t != "" && !ok {
				return errorsmod.Wrapf(ErrInvalidGenesis, "rule %d: unknown credential type %s", r.Id, t)
			}
		}
		for _, o := range rules {
			if _, overlap := r.Overlaps(o); overlap && o.Region == r.Region && o.SourceType == r.SourceType {
				return errorsmod.Wrapf(ErrInvalidGenesis, "rules %d and %d overlap", o.Id, r.Id)
			}
		}
		rules[r.Id] = r
	}
	perType := map[[2]string]int{}
	for _, r := range rules {
		if perType[[2]string{r.Region, r.SourceType}]++; perType[[2]string{r.Region, r.SourceType}] > MaxRulesPerType {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s has more than %d rules about %s", r.Region, MaxRulesPerType, r.SourceType)
		}
		if r.Version > MaxRuleVersions {
			return errorsmod.Wrapf(ErrInvalidGenesis, "rule %d has version %d, above %d", r.Id, r.Version, MaxRuleVersions)
		}
	}
	versions := map[[2]uint64]bool{}
	for _, v := range gs.SupersededRules {
		if err := v.Validate(); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		cur, ok := rules[v.Id]
		key := [2]uint64{v.Id, uint64(v.Version)}
		if !ok || v.Version >= cur.Version || versions[key] || v.Region != cur.Region || v.SourceType != cur.SourceType {
			return errorsmod.Wrapf(ErrInvalidGenesis, "superseded rule %d version %d does not match a current rule", v.Id, v.Version)
		}
		versions[key] = true
	}
	// Every earlier version is kept: a rule at version n has versions 1..n-1.
	for _, r := range rules {
		for v := uint32(1); v < r.Version; v++ {
			if !versions[[2]uint64{r.Id, uint64(v)}] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "rule %d is at version %d but version %d is missing", r.Id, r.Version, v)
			}
		}
	}
	return nil
}

// validatePeriods checks a CA recognition's earlier periods: at most
// MaxCARecognitionPeriods, each with purposes and a positive length, in
// order and ended before the next began.
func (r CARecognition) validatePeriods() error {
	if len(r.Earlier) > MaxCARecognitionPeriods {
		return errorsmod.Wrapf(ErrInvalidCARecognition, "recognition of CA %s by %s keeps %d earlier periods, above %d", r.Ca, r.Region, len(r.Earlier), MaxCARecognitionPeriods)
	}
	for i, p := range r.Earlier {
		next := r.RecognisedAt
		if i+1 < len(r.Earlier) {
			next = r.Earlier[i+1].RecognisedAt
		}
		if len(p.Purposes) == 0 || !p.RecognisedAt.Before(p.WithdrawnAt) || p.WithdrawnAt.After(next) {
			return errorsmod.Wrapf(ErrInvalidCARecognition, "recognition of CA %s by %s: earlier period %d is empty or out of order", r.Ca, r.Region, i)
		}
	}
	return nil
}

// validateHistory checks that history is what the chain writes: issuance
// first, at the anchoring time, then changes in order, none after a
// revocation, no more than max.
func validateHistory(a Attestation, history []StatusChange, max uint32) error {
	if len(history) == 0 || len(history) > int(max) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: history must have 1-%d entries", a.Id, max)
	}
	first := history[0]
	if first.Status != ATTESTATION_STATUS_ACTIVE || !first.Time.Equal(a.IssuedAt) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: history must start with its issuance", a.Id)
	}
	for i, c := range history {
		if c.Seq != uint32(i) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: entry %d has seq %d", a.Id, i, c.Seq)
		}
		if !c.Status.IsStored() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: entry %d has status %s", a.Id, i, c.Status)
		}
		if c.SuspendedUntil != nil && c.Status != ATTESTATION_STATUS_SUSPENDED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: entry %d has an end but is no suspension", a.Id, i)
		}
		if i > 0 {
			prev := history[i-1]
			if c.Time.Before(prev.Time) {
				return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: entry %d is older than entry %d", a.Id, i, i-1)
			}
			if prev.Status == ATTESTATION_STATUS_REVOKED {
				return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: entry %d follows a revocation", a.Id, i)
			}
		}
	}
	return nil
}
