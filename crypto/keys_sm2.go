package crypto

import (
	"crypto/ecdsa"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm2/sm2ec"
)

// defaultSM2UID is the user id GB/T 32918 and GM/T 0009 use when none is
// agreed.
var defaultSM2UID = []byte("1234567812345678")

// sm2Key is an SM2 key on the GB/T 32918.5 recommended curve. Z_A for the
// default user id depends on the key alone, so it is computed once.
type sm2Key struct {
	pub        *ecdsa.PublicKey
	compressed [33]byte
	zaDefault  []byte
}

func newSM2Key(b []byte) (*sm2Key, error) {
	if !isSEC1Point(b, 32) {
		return nil, keyErr(SchemeSM2, ErrMalformedKey, "not a compressed or uncompressed point")
	}
	curve := sm2.P256()
	var pub *ecdsa.PublicKey
	if b[0] == 4 {
		x, y := sm2ec.Unmarshal(curve, b)
		if x != nil {
			pub = &ecdsa.PublicKey{Curve: curve, X: x, Y: y}
		}
	} else {
		x, y := sm2ec.UnmarshalCompressed(curve, b)
		if x != nil {
			pub = &ecdsa.PublicKey{Curve: curve, X: x, Y: y}
		}
	}
	if pub == nil {
		return nil, keyErr(SchemeSM2, ErrMalformedKey, "not a curve point")
	}
	za, err := sm2.CalculateZA(pub, defaultSM2UID)
	if err != nil {
		return nil, keyErr(SchemeSM2, ErrMalformedKey, err.Error())
	}
	k := &sm2Key{pub: pub, zaDefault: za}
	k.compressed[0] = 2 | byte(pub.Y.Bit(0))
	pub.X.FillBytes(k.compressed[1:])
	return k, nil
}

// Scheme implements PublicKey.
func (k *sm2Key) Scheme() Scheme { return SchemeSM2 }

// Bytes implements PublicKey.
func (k *sm2Key) Bytes() []byte { return append([]byte(nil), k.compressed[:]...) }

// Verify implements PublicKey.
func (k *sm2Key) Verify(msg, sig []byte) error {
	return verifyOne(k, msg, sig, PolicyExternal, nil, HashScheme)
}

// verify computes e = SM3(Z_A || msg) and checks the signature with gmsm. SM2
// signatures have no low-S form ((r, n-s) is not a signature), so the policy
// does not apply. An empty uid means the default one, as in gmsm and OpenSSL.
func (k *sm2Key) verify(sc *scratch, msg, sig []byte, _ Policy, uid []byte, _ Hash) error {
	if len(uid) > maxSM2UID {
		return ErrInvalidUID
	}
	if len(sig) > maxECDSA256Sig {
		return ErrMalformedSignature
	}
	rs := sc.rs[:64]
	if err := sm2Params.decodeRS(sig, rs); err != nil {
		return err
	}
	za := k.zaDefault
	if len(uid) != 0 {
		var err error
		if za, err = sm2.CalculateZA(k.pub, uid); err != nil {
			return ErrInvalidUID
		}
	}
	h := sc.sm3Hash()
	h.Write(za)
	h.Write(msg)
	e := h.Sum(sc.digest[:0])
	if !sm2.VerifyASN1(k.pub, e, sm2Params.appendDER(sc.der[:0], rs)) {
		return ErrInvalidSignature
	}
	return nil
}
