package types

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"

	bcrypto "github.com/baynet/baynet/crypto"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// Field limits. They bound what one message can make the chain store, parse
// or loop over.
const (
	MaxPublicKeyBytes         = 512
	MaxSignatureBytes         = 128
	MaxPayloadBytes           = 4096
	MaxChainIDLength          = 64
	MaxReasonLength           = 256
	MaxVerifierLength         = 128
	MaxPurposeLength          = 128
	MaxConsentCredentialTypes = 32
	MaxIdentifierLength       = 256
	CommitmentBytes           = 32
	SaltBytes                 = 32
	MinLevelOfAssurance       = 1
	MaxLevelOfAssurance       = 4
	// GasPerSignature is charged for each holder signature a message carries,
	// on top of the transaction's own signature.
	GasPerSignature = 2000
)

var (
	anchorIDRE = regexp.MustCompile(`^did:baynet:[0-9a-f]{32}$`)
	keyIDRE    = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	idSchemeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)
)

// HolderSchemes are the signature schemes an anchor key may use.
var HolderSchemes = []bcrypto.Scheme{bcrypto.SchemeEd25519, bcrypto.SchemeSecp256k1, bcrypto.SchemeP256, bcrypto.SchemeSM2}

// ValidateAnchorID checks "did:baynet:" followed by 32 lower-case hex characters.
func ValidateAnchorID(id string) error {
	if !anchorIDRE.MatchString(id) {
		return errorsmod.Wrapf(ErrInvalidAnchor, "anchor id %q must be did:baynet: followed by 32 lower-case hex characters", id)
	}
	return nil
}

// ValidateKeyID checks an anchor key id.
func ValidateKeyID(id string) error {
	if !keyIDRE.MatchString(id) {
		return errorsmod.Wrapf(ErrInvalidKey, "key id %q must be 1-64 letters, digits, dots, dashes or underscores", id)
	}
	return nil
}

// ValidatePurposes checks a key's purposes: one or both, known, no repeats.
func ValidatePurposes(ps []KeyPurpose) error {
	if len(ps) == 0 {
		return errorsmod.Wrap(ErrInvalidKey, "a key needs at least one purpose")
	}
	seen := map[KeyPurpose]bool{}
	for _, p := range ps {
		if p != KEY_PURPOSE_AUTHENTICATION && p != KEY_PURPOSE_ASSERTION {
			return errorsmod.Wrapf(ErrInvalidKey, "unknown key purpose %d", p)
		}
		if seen[p] {
			return errorsmod.Wrapf(ErrInvalidKey, "purpose %s listed twice", p)
		}
		seen[p] = true
	}
	return nil
}

// HasPurpose reports whether ps holds p.
func HasPurpose(ps []KeyPurpose, p KeyPurpose) bool { return slices.Contains(ps, p) }

// ParseHolderKey parses a public key of a holder scheme in any encoding the
// scheme accepts.
func ParseHolderKey(scheme string, pk []byte) (bcrypto.PublicKey, error) {
	s, err := bcrypto.ParseScheme(scheme)
	if err != nil || !slices.Contains(HolderSchemes, s) {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "scheme %q: an anchor key is ed25519, secp256k1, p256 or sm2", scheme)
	}
	if len(pk) == 0 || len(pk) > MaxPublicKeyBytes {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "public key must be 1-%d bytes", MaxPublicKeyBytes)
	}
	key, err := bcrypto.ParsePublicKey(s, pk)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidKey, "%v", err)
	}
	return key, nil
}

// ValidateSignatureSize checks that a signature is present and not oversized.
func ValidateSignatureSize(field string, sig []byte) error {
	if len(sig) == 0 || len(sig) > MaxSignatureBytes {
		return errorsmod.Wrapf(ErrInvalidSignature, "%s must be 1-%d bytes", field, MaxSignatureBytes)
	}
	return nil
}

// Parse checks a new key and returns its parsed public key.
func (k NewKey) Parse() (bcrypto.PublicKey, error) {
	if err := ValidateKeyID(k.KeyId); err != nil {
		return nil, err
	}
	pk, err := ParseHolderKey(k.Scheme, k.PublicKey)
	if err != nil {
		return nil, errorsmod.Wrapf(err, "key %s", k.KeyId)
	}
	if err := ValidatePurposes(k.Purposes); err != nil {
		return nil, errorsmod.Wrapf(err, "key %s", k.KeyId)
	}
	if err := ValidateSignatureSize("proof of possession", k.PopSignature); err != nil {
		return nil, errorsmod.Wrapf(err, "key %s", k.KeyId)
	}
	return pk, nil
}

// validText checks free text: 1 to max bytes of UTF-8 without control
// characters (so no NUL, which would end a store key).
func validText(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// ValidateReason checks an optional free-text reason.
func ValidateReason(reason string) error {
	if reason != "" && !validText(reason, MaxReasonLength) {
		return fmt.Errorf("reason must be at most %d bytes of UTF-8 without control characters", MaxReasonLength)
	}
	return nil
}

// ValidateVerifier checks a consent's verifier name.
func ValidateVerifier(v string) error {
	if !validText(v, MaxVerifierLength) {
		return errorsmod.Wrapf(ErrInvalidConsent, "verifier must be 1-%d bytes of UTF-8 without control characters", MaxVerifierLength)
	}
	return nil
}

// ValidateConsentPurpose checks a consent's purpose.
func ValidateConsentPurpose(p string) error {
	if !validText(p, MaxPurposeLength) {
		return errorsmod.Wrapf(ErrInvalidConsent, "purpose must be 1-%d bytes of UTF-8 without control characters", MaxPurposeLength)
	}
	return nil
}

// ValidateCredentialTypes checks a consent's credential types: 1 to
// MaxConsentCredentialTypes ids "<REGION>:<name>", no repeats.
func ValidateCredentialTypes(types []string) error {
	if len(types) == 0 || len(types) > MaxConsentCredentialTypes {
		return errorsmod.Wrapf(ErrInvalidConsent, "a consent names 1-%d credential types", MaxConsentCredentialTypes)
	}
	seen := map[string]bool{}
	for _, t := range types {
		if _, _, err := regionstypes.SplitScopedID(t); err != nil {
			return errorsmod.Wrapf(ErrInvalidConsent, "credential type: %v", err)
		}
		if seen[t] {
			return errorsmod.Wrapf(ErrInvalidConsent, "credential type %s listed twice", t)
		}
		seen[t] = true
	}
	return nil
}

// ValidateCommitment checks a link commitment's length.
func ValidateCommitment(c []byte) error {
	if len(c) != CommitmentBytes {
		return errorsmod.Wrapf(ErrInvalidLink, "commitment must be %d bytes, got %d", CommitmentBytes, len(c))
	}
	return nil
}

// ValidateBasic checks everything about an operation that needs no state.
func (op *HolderOperation) ValidateBasic() error {
	if op.ChainId == "" || len(op.ChainId) > MaxChainIDLength {
		return errorsmod.Wrapf(ErrInvalidPayload, "chain id must be 1-%d bytes", MaxChainIDLength)
	}
	if err := ValidateAnchorID(op.AnchorId); err != nil {
		return err
	}
	switch o := op.Op.(type) {
	case *HolderOperation_AddKey:
		if o.AddKey == nil {
			break
		}
		_, err := o.AddKey.Key.Parse()
		return err
	case *HolderOperation_RevokeKey:
		if o.RevokeKey == nil {
			break
		}
		if err := ValidateReason(o.RevokeKey.Reason); err != nil {
			return errorsmod.Wrap(ErrInvalidPayload, err.Error())
		}
		return ValidateKeyID(o.RevokeKey.KeyId)
	case *HolderOperation_RotateKey:
		if o.RotateKey == nil {
			break
		}
		if err := ValidateKeyID(o.RotateKey.OldKeyId); err != nil {
			return err
		}
		if _, err := o.RotateKey.NewKey.Parse(); err != nil {
			return err
		}
		if o.RotateKey.OldKeyId == o.RotateKey.NewKey.KeyId {
			return errorsmod.Wrapf(ErrDuplicateKey, "the new key needs an id of its own, not %s", o.RotateKey.OldKeyId)
		}
		return nil
	case *HolderOperation_Deactivate:
		if o.Deactivate == nil {
			break
		}
		if err := ValidateReason(o.Deactivate.Reason); err != nil {
			return errorsmod.Wrap(ErrInvalidPayload, err.Error())
		}
		return nil
	case *HolderOperation_GrantConsent:
		g := o.GrantConsent
		if g == nil {
			break
		}
		if err := ValidateVerifier(g.Verifier); err != nil {
			return err
		}
		if err := ValidateConsentPurpose(g.Purpose); err != nil {
			return err
		}
		if err := ValidateCredentialTypes(g.CredentialTypes); err != nil {
			return err
		}
		if g.ValidUntil == nil {
			return errorsmod.Wrap(ErrInvalidConsent, "valid_until is required")
		}
		return nil
	case *HolderOperation_WithdrawConsent:
		w := o.WithdrawConsent
		if w == nil {
			break
		}
		if err := ValidateVerifier(w.Verifier); err != nil {
			return err
		}
		return ValidateConsentPurpose(w.Purpose)
	case *HolderOperation_RemoveLink:
		if o.RemoveLink == nil {
			break
		}
		if err := ValidateReason(o.RemoveLink.Reason); err != nil {
			return errorsmod.Wrap(ErrInvalidPayload, err.Error())
		}
		return ValidateCommitment(o.RemoveLink.Commitment)
	case *HolderOperation_CancelRecovery:
		if o.CancelRecovery == nil {
			break
		}
		return nil
	}
	return errorsmod.Wrap(ErrInvalidPayload, "the payload carries no operation")
}

// OperationName names the operation as events and errors do.
func (op *HolderOperation) OperationName() string {
	switch op.Op.(type) {
	case *HolderOperation_AddKey:
		return "add_key"
	case *HolderOperation_RevokeKey:
		return "revoke_key"
	case *HolderOperation_RotateKey:
		return "rotate_key"
	case *HolderOperation_Deactivate:
		return "deactivate"
	case *HolderOperation_GrantConsent:
		return "grant_consent"
	case *HolderOperation_WithdrawConsent:
		return "withdraw_consent"
	case *HolderOperation_RemoveLink:
		return "remove_link"
	case *HolderOperation_CancelRecovery:
		return "cancel_recovery"
	}
	return ""
}

// DecodeHolderOperation decodes a relayed payload. It refuses any payload
// that is not the canonical encoding of the operation it decodes to, so
// that the signed bytes carry nothing the chain does not read (no unknown
// fields, no second encoding of one operation).
func DecodeHolderOperation(payload []byte) (*HolderOperation, error) {
	if len(payload) == 0 || len(payload) > MaxPayloadBytes {
		return nil, errorsmod.Wrapf(ErrInvalidPayload, "payload must be 1-%d bytes", MaxPayloadBytes)
	}
	var op HolderOperation
	if err := op.Unmarshal(payload); err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidPayload, "decoding: %v", err)
	}
	canonical, err := op.Marshal()
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidPayload, "encoding: %v", err)
	}
	if !bytes.Equal(canonical, payload) {
		return nil, errorsmod.Wrap(ErrInvalidPayload, "payload is not the canonical encoding of a HolderOperation (unknown fields, or fields out of order)")
	}
	return &op, nil
}

// ActiveAt reports whether the key could sign at t: added at or before t and
// not revoked by then.
func (k AnchorKey) ActiveAt(t time.Time) bool {
	if t.Before(k.AddedAt) {
		return false
	}
	return k.Status == KEY_STATUS_ACTIVE || (k.RevokedAt != nil && t.Before(*k.RevokedAt))
}

// InForce reports whether the link attests the anchor at t (the anchor's own
// status aside).
func (l Link) InForce(t time.Time) bool {
	if l.Status == LINK_STATUS_REMOVED && (l.RemovedAt == nil || !t.Before(*l.RemovedAt)) {
		return false
	}
	return !t.Before(l.ValidFrom) && t.Before(l.ValidUntil)
}
