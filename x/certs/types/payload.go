package types

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	errorsmod "cosmossdk.io/errors"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// SignBytesPrefix separates attestation signatures from every other use of
// an issuer key.
const SignBytesPrefix = "baynet/certs/v1/attestation\n"

// Field limits of a payload. They bound what one item can make the chain
// store.
const (
	MaxChainIDLength   = 64
	MaxLicenceIDLength = 64
	DigestLength       = 32
	MaxKeyIDLength     = 64
	// MaxSignatureLength is the longest signature of any scheme: RSA-8192.
	MaxSignatureLength = 1024
	// IDLength is the length of an attestation id in hex.
	IDLength = 2 * sha256.Size
)

// SubjectPrefix starts every identity anchor of x/identity, which is
// followed by 32 lower-case hex characters.
const SubjectPrefix = "did:baynet:"

var idRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SignBytes returns what the issuer signs: SignBytesPrefix followed by the
// payload's protobuf encoding. gogoproto writes the fields in ascending
// number and leaves out default values (empty strings and bytes, zero
// integers), so the encoding of a payload is unique.
func (p AttestationPayload) SignBytes() []byte {
	out := make([]byte, len(SignBytesPrefix)+p.Size())
	copy(out, SignBytesPrefix)
	if _, err := p.MarshalToSizedBuffer(out[len(SignBytesPrefix):]); err != nil {
		// Marshalling into a buffer of exactly Size() bytes cannot fail.
		panic(err)
	}
	return out
}

// AttestationID returns the id of the attestation whose sign bytes are
// signBytes: their SHA-256.
func AttestationID(signBytes []byte) [32]byte { return sha256.Sum256(signBytes) }

// ID returns the payload's attestation id in its hex form.
func (p AttestationPayload) ID() string {
	id := AttestationID(p.SignBytes())
	return hex.EncodeToString(id[:])
}

// ParseID decodes a hex attestation id (lower or upper case) into its 32 bytes.
func ParseID(s string) ([]byte, error) {
	if len(s) != IDLength {
		return nil, errorsmod.Wrapf(ErrInvalidRequest, "attestation id %q must be %d hex characters", s, IDLength)
	}
	bz, err := hex.DecodeString(s)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidRequest, "attestation id %q is not hex", s)
	}
	return bz, nil
}

// IsCanonicalID reports whether s is an id as the chain writes it: 64
// lower-case hex characters.
func IsCanonicalID(s string) bool { return idRE.MatchString(s) }

// Validate checks a payload's stateless rules. The credential type, the
// issuer's key and entitlement and the chain id are checked against state.
func (p AttestationPayload) Validate() error {
	if _, _, err := regionstypes.SplitScopedID(p.Type); err != nil {
		return errorsmod.Wrapf(ErrInvalidAttestation, "type: %v", err)
	}
	if _, _, err := regionstypes.SplitScopedID(p.Issuer); err != nil {
		return errorsmod.Wrapf(ErrInvalidAttestation, "issuer: %v", err)
	}
	return p.ValidateFields()
}

// ValidateFields checks every field but the type and issuer, which the
// keeper matches against the sending agency's entitlements and id (whose
// form x/regions checked) rather than parse them again for every item.
func (p AttestationPayload) ValidateFields() error {
	if p.ChainId == "" || len(p.ChainId) > MaxChainIDLength {
		return errorsmod.Wrapf(ErrInvalidAttestation, "chain id must be 1-%d bytes", MaxChainIDLength)
	}
	if p.Subject != "" && !validSubject(p.Subject) {
		return errorsmod.Wrapf(ErrInvalidAttestation, "subject %q must be an identity anchor: did:baynet: and 32 lower-case hex characters", p.Subject)
	}
	if err := ValidateLicenceID(p.LicenceId); err != nil {
		return err
	}
	if len(p.Sha256) != 0 && len(p.Sha256) != DigestLength {
		return errorsmod.Wrapf(ErrInvalidAttestation, "sha256 digest must be %d bytes, got %d", DigestLength, len(p.Sha256))
	}
	if len(p.Sm3) != 0 && len(p.Sm3) != DigestLength {
		return errorsmod.Wrapf(ErrInvalidAttestation, "sm3 digest must be %d bytes, got %d", DigestLength, len(p.Sm3))
	}
	if len(p.Sha256) == 0 && len(p.Sm3) == 0 {
		return errorsmod.Wrap(ErrInvalidAttestation, "a sha256 or sm3 digest of the licence file is required")
	}
	if p.ValidFrom <= 0 || p.ValidFrom > maxUnix {
		return errorsmod.Wrapf(ErrInvalidAttestation, "valid_from %d must be a positive unix time before year 10000", p.ValidFrom)
	}
	if p.ValidUntil < 0 || p.ValidUntil > maxUnix {
		return errorsmod.Wrapf(ErrInvalidAttestation, "valid_until %d must be 0 or a unix time before year 10000", p.ValidUntil)
	}
	if p.ValidUntil != 0 && p.ValidUntil <= p.ValidFrom {
		return errorsmod.Wrapf(ErrInvalidAttestation, "validity ends (%d) before it starts (%d)", p.ValidUntil, p.ValidFrom)
	}
	if len(p.KeyId) == 0 || len(p.KeyId) > MaxKeyIDLength || !allIn(p.KeyId, "._-") {
		return errorsmod.Wrapf(ErrInvalidAttestation, "key id %q must be 1-%d letters, digits, '.', '_' or '-'", p.KeyId, MaxKeyIDLength)
	}
	return nil
}

// maxUnix is 9999-12-31T23:59:59Z, so every validity bound prints as RFC 3339.
var maxUnix = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()

// validSubject reports whether s has the form of an x/identity anchor id.
// Whether the anchor exists is not checked: a holder may create it later.
func validSubject(s string) bool {
	id, ok := strings.CutPrefix(s, SubjectPrefix)
	if !ok || len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// allIn reports whether s holds only ASCII letters, digits and bytes of extra.
func allIn(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// ValidateLicenceID checks a licence identifier: 1-64 visible ASCII characters.
func ValidateLicenceID(id string) error {
	if id == "" || len(id) > MaxLicenceIDLength {
		return errorsmod.Wrapf(ErrInvalidAttestation, "licence id must be 1-%d characters", MaxLicenceIDLength)
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return errorsmod.Wrapf(ErrInvalidAttestation, "licence id %q: character %d is not visible ASCII", id, i)
		}
	}
	return nil
}

// ExpiresAt returns when an attestation of payload p and credential type t
// expires, in unix seconds, 0 for never: the payload's valid_until, or
// valid_from plus the type's default validity.
func ExpiresAt(p AttestationPayload, t CredentialType) int64 {
	if p.ValidUntil != 0 {
		return p.ValidUntil
	}
	if t.DefaultValidity <= 0 {
		return 0
	}
	return min(p.ValidFrom+int64(t.DefaultValidity/time.Second), maxUnix)
}

// ItemError is the error of a bulk message's item i: reason with the item's
// index in front, so a client can tell which line of its input failed.
func ItemError(i int, reason error) error {
	return errorsmod.Wrapf(reason, "item %d", i)
}

// ItemErrorIndex reads the item index back from an error's text, as a client
// sees it in a transaction's log; ok is false if the error names no item.
func ItemErrorIndex(log string) (int, bool) {
	m := itemRE.FindStringSubmatch(log)
	if m == nil {
		return 0, false
	}
	var i int
	if _, err := fmt.Sscan(m[1], &i); err != nil {
		return 0, false
	}
	return i, true
}

var itemRE = regexp.MustCompile(`\bitem (\d+): `)
