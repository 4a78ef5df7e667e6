package crypto

import (
	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// zip215 selects ZIP-215 rules: non-canonical and small-order A and R are
// allowed, S must be below the group order L, and the equation is the
// cofactored one, which single and batch verification both use.
var zip215 = &ed25519.Options{Verify: ed25519.VerifyOptionsZIP_215}

// ed25519Key keeps the key pre-expanded: parsing costs one point
// decompression plus a small table (about 6 µs and 1.5 KiB), and every later
// verification, single or batched, skips the decompression and uses the
// table. This is as cheap as decompressing per use for a key seen once and
// cheaper for any key seen twice.
type ed25519Key struct {
	raw [32]byte
	exp *ed25519.ExpandedPublicKey
}

func newEd25519Key(b []byte) (*ed25519Key, error) {
	exp, err := ed25519.NewExpandedPublicKey(b)
	if err != nil {
		return nil, keyErr(SchemeEd25519, ErrMalformedKey, "not a curve point")
	}
	k := &ed25519Key{exp: exp}
	copy(k.raw[:], b)
	return k, nil
}

// Scheme implements PublicKey.
func (k *ed25519Key) Scheme() Scheme { return SchemeEd25519 }

// Bytes implements PublicKey.
func (k *ed25519Key) Bytes() []byte { return append([]byte(nil), k.raw[:]...) }

// Verify implements PublicKey.
func (k *ed25519Key) Verify(msg, sig []byte) error {
	return verifyOne(k, msg, sig, PolicyExternal, nil, HashScheme)
}

func (k *ed25519Key) verify(_ *scratch, msg, sig []byte, _ Policy, _ []byte, _ Hash) error {
	if err := ed25519Precheck(sig); err != nil {
		return err
	}
	if !ed25519.VerifyExpandedWithOptions(k.exp, msg, sig, zip215) {
		return ErrInvalidSignature
	}
	return nil
}

// ed25519L is the group order L in little-endian bytes.
var ed25519L = [32]byte{
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
}

// ed25519Precheck refuses, as malformed, what voi would refuse without
// telling why: a signature that is not 64 bytes or whose S is not below L.
// The batch path runs it too, so such items get the same reason there and
// never force a batch into its per-item fallback.
func ed25519Precheck(sig []byte) error {
	if len(sig) != 64 {
		return ErrMalformedSignature
	}
	for i := 31; i >= 0; i-- {
		switch s := sig[32+i]; {
		case s < ed25519L[i]:
			return nil
		case s > ed25519L[i]:
			return ErrMalformedSignature
		}
	}
	return ErrMalformedSignature // S == L
}
