package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis is an empty consortium with the default rules.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextProposalId: 1}
}

// Validate checks the genesis state's stateless rules and its references.
// Account addresses and the validator-set guards are checked by InitGenesis,
// which has the address codec and the full picture.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextProposalId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_proposal_id must be at least 1")
	}
	regions := map[string]bool{}
	for _, r := range gs.Regions {
		if err := r.Validate(); err != nil {
			return err
		}
		if regions[r.Code] {
			return errorsmod.Wrapf(ErrDuplicateRegion, "region %s", r.Code)
		}
		regions[r.Code] = true
	}
	validators := map[string]bool{}
	for _, v := range gs.Validators {
		if !regions[v.Region] {
			return errorsmod.Wrapf(ErrUnknownRegion, "validator %s: region %q", v.Moniker, v.Region)
		}
		if err := ValidateConsensusPubKey(v.ConsensusPubkey); err != nil {
			return err
		}
		if err := ValidateMoniker(v.Moniker); err != nil {
			return err
		}
		if validators[string(v.ConsensusPubkey)] {
			return errorsmod.Wrapf(ErrDuplicateValidator, "validator %s", v.Moniker)
		}
		validators[string(v.ConsensusPubkey)] = true
	}
	agencies := map[string]bool{}
	for _, a := range gs.Agencies {
		region, _, err := SplitScopedID(a.Id)
		if err != nil {
			return errorsmod.Wrap(ErrInvalidAgency, err.Error())
		}
		// A removed region's agencies stay on record, retired, so that what
		// they signed stays verifiable.
		if region != a.Region || (!regions[region] && a.Status != AGENCY_STATUS_RETIRED) {
			return errorsmod.Wrapf(ErrUnknownRegion, "agency %s: region %q", a.Id, a.Region)
		}
		if err := ValidateRoles(a.Roles); err != nil {
			return err
		}
		if err := ValidateName("name_zh", a.NameZh); err != nil {
			return errorsmod.Wrapf(ErrInvalidAgency, "agency %s: %v", a.Id, err)
		}
		if err := ValidateName("name_en", a.NameEn); err != nil {
			return errorsmod.Wrapf(ErrInvalidAgency, "agency %s: %v", a.Id, err)
		}
		if err := ValidateCredentialTypes(a.Region, a.CredentialTypes, a.Roles); err != nil {
			return err
		}
		if _, ok := AgencyStatus_name[int32(a.Status)]; !ok || a.Status == AGENCY_STATUS_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidAgency, "agency %s: invalid status", a.Id)
		}
		if agencies[a.Id] {
			return errorsmod.Wrapf(ErrDuplicateAgency, "agency %s", a.Id)
		}
		agencies[a.Id] = true
	}
	keys := map[string]bool{}
	for _, k := range gs.AgencyKeys {
		if !agencies[k.AgencyId] {
			return errorsmod.Wrapf(ErrUnknownAgency, "key %s: agency %q", k.KeyId, k.AgencyId)
		}
		// The window is not checked: a key retired before it started (or in
		// the block that added it) is stored with not_after <= not_before.
		in := AgencyKeyInput{KeyId: k.KeyId, Scheme: k.Scheme, PublicKey: k.PublicKey}
		if _, err := in.CanonicalKey(); err != nil {
			return err
		}
		id := k.AgencyId + "/" + k.KeyId
		if keys[id] {
			return errorsmod.Wrapf(ErrDuplicateKey, "key %s", id)
		}
		keys[id] = true
	}
	for _, p := range gs.Proposals {
		if p.Id == 0 || p.Id >= gs.NextProposalId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "proposal id %d outside 1..%d", p.Id, gs.NextProposalId-1)
		}
		if err := p.Action.Validate(); err != nil {
			return fmt.Errorf("proposal %d: %w", p.Id, err)
		}
	}
	return nil
}
