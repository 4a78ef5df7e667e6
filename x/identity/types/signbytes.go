package types

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cosmos/gogoproto/proto"

	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// AnchorIDPrefix starts every anchor id: the DID method is "baynet".
const AnchorIDPrefix = "did:baynet:"

// Domain separators. Every byte string a holder key signs starts with one of
// them, so that a signature made for one purpose is never valid for another.
const (
	anchorIDDomain   = "baynet/identity/v1/anchor"
	commitmentDomain = "baynet/identity/v1/commitment"
	// CreateDomain precedes the KeyPossession of an anchor's first key.
	CreateDomain = "baynet/identity/v1/create\n"
	// PossessionDomain precedes the KeyPossession of a key a holder adds or
	// rotates to.
	PossessionDomain = "baynet/identity/v1/pop\n"
	// RecoverDomain precedes the KeyPossession of a recovery's new key.
	RecoverDomain = "baynet/identity/v1/recover\n"
	// OperationDomain precedes a HolderOperation payload.
	OperationDomain = "baynet/identity/v1/op\n"
	// LinkDomain precedes a LinkApproval.
	LinkDomain = "baynet/identity/v1/link\n"
	// PresentationDomain precedes a Presentation: a holder answering a
	// verifier's challenge.
	PresentationDomain = "baynet/identity/v1/present\n"
)

// A verifier's challenge is 16 to 64 bytes: at least 128 random bits so a
// presentation cannot be prepared in advance, at most what a QR code or a
// URL carries comfortably.
const (
	MinChallengeBytes = 16
	MaxChallengeBytes = 64
)

// AnchorID derives the id of the anchor whose first key is canonicalKey:
// "did:baynet:" and the hex of the first 16 bytes of
// SHA-256("baynet/identity/v1/anchor" 0x00 chainID 0x00 scheme 0x00 canonicalKey).
func AnchorID(chainID, scheme string, canonicalKey []byte) string {
	h := sha256.New()
	h.Write([]byte(anchorIDDomain))
	h.Write([]byte{0})
	h.Write([]byte(chainID))
	h.Write([]byte{0})
	h.Write([]byte(scheme))
	h.Write([]byte{0})
	h.Write(canonicalKey)
	return AnchorIDPrefix + hex.EncodeToString(h.Sum(nil)[:16])
}

// Commitment computes a region identity link's commitment to a person's
// identifier: SHA-256("baynet/identity/v1/commitment" 0x00 region 0x00
// idScheme 0x00 identifier salt). The salt is 32 random bytes the holder
// keeps; shown salt and identifier, a verifier recomputes the commitment and
// finds the link. The identifier is hashed exactly as given.
func Commitment(region, idScheme, identifier string, salt []byte) ([]byte, error) {
	if err := regionstypes.ValidateRegionCode(region); err != nil {
		return nil, err
	}
	if !idSchemeRE.MatchString(idScheme) {
		return nil, fmt.Errorf("identifier scheme %q must be 1-32 upper-case letters, digits or dashes, e.g. CN-RIC, HKID, MO-BIR", idScheme)
	}
	if identifier == "" || len(identifier) > MaxIdentifierLength || strings.ContainsRune(identifier, 0) {
		return nil, fmt.Errorf("identifier must be 1-%d bytes without NUL", MaxIdentifierLength)
	}
	if len(salt) != SaltBytes {
		return nil, fmt.Errorf("salt must be %d bytes, got %d", SaltBytes, len(salt))
	}
	h := sha256.New()
	for _, part := range []string{commitmentDomain, region, idScheme} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write([]byte(identifier))
	h.Write(salt)
	return h.Sum(nil), nil
}

// marshal encodes m canonically: fields in number order, default values
// left out, repeated enums packed. The messages signed here have no field
// whose encoding can fail.
func marshal(m proto.Marshaler) []byte {
	bz, err := m.Marshal()
	if err != nil {
		panic(fmt.Errorf("identity: encoding a signed message: %w", err))
	}
	return bz
}

func prefixed(domain string, body []byte) []byte {
	return append([]byte(domain), body...)
}

// CreateSignBytes is what an anchor's first key signs: CreateDomain and the
// key's KeyPossession, whose anchor id is the one AnchorID derives and whose
// sequence is 0.
func CreateSignBytes(p *KeyPossession) []byte { return prefixed(CreateDomain, marshal(p)) }

// PossessionSignBytes is what a key a holder adds or rotates to signs:
// PossessionDomain and its KeyPossession at the operation's sequence.
func PossessionSignBytes(p *KeyPossession) []byte { return prefixed(PossessionDomain, marshal(p)) }

// RecoverSignBytes is what a recovery's new key signs: RecoverDomain and its
// KeyPossession at the anchor's sequence when the recovery starts.
func RecoverSignBytes(p *KeyPossession) []byte { return prefixed(RecoverDomain, marshal(p)) }

// OperationSignBytes is what a holder key signs to authorise an operation:
// OperationDomain and the payload bytes exactly as relayed.
func OperationSignBytes(payload []byte) []byte { return prefixed(OperationDomain, payload) }

// LinkSignBytes is what a holder key signs to approve a link: LinkDomain and
// the LinkApproval at the anchor's current sequence.
func LinkSignBytes(a *LinkApproval) []byte { return prefixed(LinkDomain, marshal(a)) }

// PresentationSignBytes is what a holder's anchor key signs to present
// attestation attestationID to a verifier: PresentationDomain and the
// Presentation of the verifier's challenge, bound to the chain, the anchor
// and the key. The challenge must be 16 to 64 bytes and every field set.
func PresentationSignBytes(chainID, anchorID, keyID string, attestationID, challenge []byte) ([]byte, error) {
	if len(challenge) < MinChallengeBytes || len(challenge) > MaxChallengeBytes {
		return nil, fmt.Errorf("a challenge must be %d to %d bytes, got %d", MinChallengeBytes, MaxChallengeBytes, len(challenge))
	}
	if chainID == "" || anchorID == "" || keyID == "" || len(attestationID) == 0 {
		return nil, fmt.Errorf("a presentation names a chain, an anchor, a key and an attestation")
	}
	p := &Presentation{ChainId: chainID, AnchorId: anchorID, KeyId: keyID, AttestationId: attestationID, Challenge: challenge}
	return prefixed(PresentationDomain, marshal(p)), nil
}

// Possession returns the KeyPossession of k for anchor at sequence, with the
// canonical public key.
func (k NewKey) Possession(chainID, anchorID string, sequence uint64, canonicalKey []byte) *KeyPossession {
	return &KeyPossession{
		ChainId: chainID, AnchorId: anchorID, Sequence: sequence,
		KeyId: k.KeyId, Scheme: k.Scheme, PublicKey: canonicalKey, Purposes: k.Purposes,
	}
}
