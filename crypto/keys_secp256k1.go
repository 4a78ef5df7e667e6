package crypto

import (
	"crypto/sha256"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto/secp256k1"
)

// secp256k1Key keeps the uncompressed point because libsecp256k1 parses it
// without the square root a compressed point needs on every verification.
type secp256k1Key struct {
	compressed   [33]byte
	uncompressed [65]byte
}

// newSecp256k1Key accepts a compressed (02/03) or uncompressed (04) point.
// Hybrid points (06/07), which libsecp256k1 itself would take, are refused.
func newSecp256k1Key(b []byte) (*secp256k1Key, error) {
	if !isSEC1Point(b, 32) {
		return nil, keyErr(SchemeSecp256k1, ErrMalformedKey, "not a compressed or uncompressed point")
	}
	var x, y *big.Int
	if len(b) == 33 {
		x, y = secp256k1.DecompressPubkey(b)
		if x == nil {
			return nil, keyErr(SchemeSecp256k1, ErrMalformedKey, "not a curve point")
		}
	} else {
		x, y = new(big.Int).SetBytes(b[1:33]), new(big.Int).SetBytes(b[33:])
		if !secp256k1.S256().IsOnCurve(x, y) { // also refuses coordinates >= p
			return nil, keyErr(SchemeSecp256k1, ErrMalformedKey, "not a curve point")
		}
	}
	k := new(secp256k1Key)
	k.uncompressed[0] = 4
	x.FillBytes(k.uncompressed[1:33])
	y.FillBytes(k.uncompressed[33:])
	k.compressed[0] = 2 | byte(y.Bit(0))
	copy(k.compressed[1:], k.uncompressed[1:33])
	return k, nil
}

// Scheme implements PublicKey.
func (k *secp256k1Key) Scheme() Scheme { return SchemeSecp256k1 }

// Bytes implements PublicKey.
func (k *secp256k1Key) Bytes() []byte { return append([]byte(nil), k.compressed[:]...) }

// Verify implements PublicKey.
func (k *secp256k1Key) Verify(msg, sig []byte) error {
	return verifyOne(k, msg, sig, PolicyExternal, nil, HashScheme)
}

// verify range-checks r and s itself rather than trust the library (the
// SDK's two secp256k1 builds disagree there), refuses a high S under PolicyTx
// and otherwise normalises it, because libsecp256k1 only verifies low S.
func (k *secp256k1Key) verify(sc *scratch, msg, sig []byte, pol Policy, _ []byte, _ Hash) error {
	if len(sig) > maxECDSA256Sig {
		return ErrMalformedSignature
	}
	rs := sc.rs[:64]
	if err := secp256k1Params.decodeRS(sig, rs); err != nil {
		return err
	}
	if secp256k1Params.isHighS(rs) {
		if pol != PolicyExternal {
			return ErrHighS
		}
		secp256k1Params.negateS(rs)
	}
	digest := sc.digest[:32]
	h := sha256.Sum256(msg)
	copy(digest, h[:])
	if !secp256k1.VerifySignature(k.uncompressed[:], digest, rs) {
		return ErrInvalidSignature
	}
	return nil
}
