package types

import (
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis has no credential types and the default params.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
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
