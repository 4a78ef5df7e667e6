package types

import (
	"bytes"
	"slices"

	errorsmod "cosmossdk.io/errors"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// DefaultGenesis has no anchors and the default parameters.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
}

// Validate checks every record and that the anchors' derived fields (keys
// in force, link and consent counts) match the records.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	anchors := map[string]Anchor{}
	for _, a := range gs.Anchors {
		if err := ValidateAnchorID(a.Id); err != nil {
			return err
		}
		if _, dup := anchors[a.Id]; dup {
			return errorsmod.Wrapf(ErrDuplicateAnchor, "%s", a.Id)
		}
		switch {
		case a.Status == ANCHOR_STATUS_ACTIVE && a.DeactivatedAt != nil, a.Status == ANCHOR_STATUS_DEACTIVATED && a.DeactivatedAt == nil:
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchor %s: deactivated_at must be set exactly when deactivated", a.Id)
		case a.Status != ANCHOR_STATUS_ACTIVE && a.Status != ANCHOR_STATUS_DEACTIVATED:
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchor %s: invalid status", a.Id)
		case !slices.IsSorted(a.ActiveKeys) || len(slices.Compact(slices.Clone(a.ActiveKeys))) != len(a.ActiveKeys):
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchor %s: active_keys must be sorted without repeats", a.Id)
		}
		anchors[a.Id] = a
	}

	type keyRef struct{ anchor, key string }
	keys, pubKeys := map[keyRef]bool{}, map[string]bool{}
	active := map[string][]string{}
	for _, k := range gs.Keys {
		if _, ok := anchors[k.AnchorId]; !ok {
			return errorsmod.Wrapf(ErrUnknownAnchor, "key %s: anchor %q", k.KeyId, k.AnchorId)
		}
		if err := ValidateKeyID(k.KeyId); err != nil {
			return err
		}
		pk, err := ParseHolderKey(k.Scheme, k.PublicKey)
		if err != nil {
			return errorsmod.Wrapf(err, "key %s/%s", k.AnchorId, k.KeyId)
		}
		if !bytes.Equal(pk.Bytes(), k.PublicKey) {
			return errorsmod.Wrapf(ErrInvalidKey, "key %s/%s is not in canonical form", k.AnchorId, k.KeyId)
		}
		if err := ValidatePurposes(k.Purposes); err != nil {
			return errorsmod.Wrapf(err, "key %s/%s", k.AnchorId, k.KeyId)
		}
		switch {
		case k.Status == KEY_STATUS_ACTIVE && k.RevokedAt == nil:
			active[k.AnchorId] = append(active[k.AnchorId], k.KeyId)
		case k.Status == KEY_STATUS_REVOKED && k.RevokedAt != nil:
		default:
			return errorsmod.Wrapf(ErrInvalidGenesis, "key %s/%s: invalid status or revocation time", k.AnchorId, k.KeyId)
		}
		ref := keyRef{k.AnchorId, k.KeyId}
		if keys[ref] {
			return errorsmod.Wrapf(ErrDuplicateKey, "key %s/%s", k.AnchorId, k.KeyId)
		}
		keys[ref] = true
		pkID := k.Scheme + "\x00" + string(k.PublicKey)
		if pubKeys[pkID] {
			return errorsmod.Wrapf(ErrDuplicateKey, "key %s/%s: public key held twice", k.AnchorId, k.KeyId)
		}
		pubKeys[pkID] = true
	}

	linkedIdps, idpLinks := map[string][]string{}, map[string]bool{}
	commitments := map[string]bool{}
	for _, l := range gs.Links {
		if err := ValidateCommitment(l.Commitment); err != nil {
			return err
		}
		if commitments[string(l.Commitment)] {
			return errorsmod.Wrapf(ErrDuplicateLink, "commitment %X", l.Commitment)
		}
		commitments[string(l.Commitment)] = true
		if _, ok := anchors[l.AnchorId]; !ok {
			return errorsmod.Wrapf(ErrUnknownAnchor, "link %X: anchor %q", l.Commitment, l.AnchorId)
		}
		region, _, err := regionstypes.SplitScopedID(l.Idp)
		if err != nil || region != l.Region {
			return errorsmod.Wrapf(ErrInvalidLink, "link %X: identity provider %q of region %q", l.Commitment, l.Idp, l.Region)
		}
		if l.LevelOfAssurance < MinLevelOfAssurance || l.LevelOfAssurance > MaxLevelOfAssurance {
			return errorsmod.Wrapf(ErrInvalidLink, "link %X: level of assurance %d", l.Commitment, l.LevelOfAssurance)
		}
		switch {
		case l.Status == LINK_STATUS_ACTIVE && l.RemovedAt == nil:
			linkedIdps[l.AnchorId] = append(linkedIdps[l.AnchorId], l.Idp)
			if idpLinks[l.AnchorId+"\x00"+l.Idp] {
				return errorsmod.Wrapf(ErrDuplicateLink, "anchor %s has two active links by %s", l.AnchorId, l.Idp)
			}
			idpLinks[l.AnchorId+"\x00"+l.Idp] = true
		case l.Status == LINK_STATUS_REMOVED && l.RemovedAt != nil:
		default:
			return errorsmod.Wrapf(ErrInvalidGenesis, "link %X: invalid status or removal time", l.Commitment)
		}
	}

	liveConsents := map[string]uint32{}
	consents := map[string]bool{}
	for _, c := range gs.Consents {
		if _, ok := anchors[c.AnchorId]; !ok {
			return errorsmod.Wrapf(ErrUnknownAnchor, "consent: anchor %q", c.AnchorId)
		}
		if err := ValidateVerifier(c.Verifier); err != nil {
			return err
		}
		if err := ValidateConsentPurpose(c.Purpose); err != nil {
			return err
		}
		if err := ValidateCredentialTypes(c.CredentialTypes); err != nil {
			return err
		}
		id := c.AnchorId + "\x00" + c.Verifier + "\x00" + c.Purpose
		if consents[id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "consent of %s to %q for %q listed twice", c.AnchorId, c.Verifier, c.Purpose)
		}
		consents[id] = true
		if c.WithdrawnAt == nil {
			liveConsents[c.AnchorId]++
		}
	}

	recoveries := map[string]bool{}
	for _, r := range gs.Recoveries {
		a, ok := anchors[r.AnchorId]
		if !ok {
			return errorsmod.Wrapf(ErrUnknownAnchor, "recovery: anchor %q", r.AnchorId)
		}
		if a.Status != ANCHOR_STATUS_ACTIVE || recoveries[r.AnchorId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "recovery of %s: anchor deactivated or recovery listed twice", r.AnchorId)
		}
		recoveries[r.AnchorId] = true
		if _, err := r.NewKey.Parse(); err != nil {
			return errorsmod.Wrapf(err, "recovery of %s", r.AnchorId)
		}
		if !idpLinks[r.AnchorId+"\x00"+r.Idp] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "recovery of %s: %s holds no active link", r.AnchorId, r.Idp)
		}
	}

	for id, a := range anchors {
		want := active[id]
		slices.Sort(want)
		if !slices.Equal(want, a.ActiveKeys) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchor %s: active_keys %v, but the keys in force are %v", id, a.ActiveKeys, want)
		}
		if a.Status == ANCHOR_STATUS_ACTIVE && len(want) == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "active anchor %s has no key in force", id)
		}
		idps := linkedIdps[id]
		slices.Sort(idps)
		if !slices.Equal(idps, a.LinkedIdps) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchor %s: linked_idps %v, but the active links are by %v", id, a.LinkedIdps, idps)
		}
		if a.Consents != liveConsents[id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "anchor %s: counts consents %d, records say %d", id, a.Consents, liveConsents[id])
		}
	}
	return nil
}
