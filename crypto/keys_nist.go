package crypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
)

// nistKey is an ECDSA key on P-256 or P-384, verified by crypto/ecdsa.
type nistKey struct {
	scheme     Scheme
	params     *ecParams
	pub        *ecdsa.PublicKey
	compressed []byte
}

func nistParams(s Scheme) *ecParams {
	if s == SchemeP384 {
		return p384Params
	}
	return p256Params
}

func nistCurve(s Scheme) elliptic.Curve {
	if s == SchemeP384 {
		return elliptic.P384()
	}
	return elliptic.P256()
}

// newNISTKey accepts a compressed or uncompressed point on the curve of s.
func newNISTKey(s Scheme, b []byte) (*nistKey, error) {
	params, curve := nistParams(s), nistCurve(s)
	if !isSEC1Point(b, params.size) {
		return nil, keyErr(s, ErrMalformedKey, "not a compressed or uncompressed point")
	}
	uncompressed := b
	if b[0] != 4 {
		x, y := elliptic.UnmarshalCompressed(curve, b)
		if x == nil {
			return nil, keyErr(s, ErrMalformedKey, "not a curve point")
		}
		uncompressed = make([]byte, 1+2*params.size)
		uncompressed[0] = 4
		x.FillBytes(uncompressed[1 : 1+params.size])
		y.FillBytes(uncompressed[1+params.size:])
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, uncompressed)
	if err != nil {
		return nil, keyErr(s, ErrMalformedKey, "not a curve point")
	}
	compressed := make([]byte, 1+params.size)
	compressed[0] = 2 | uncompressed[len(uncompressed)-1]&1
	copy(compressed[1:], uncompressed[1:1+params.size])
	return &nistKey{scheme: s, params: params, pub: pub, compressed: compressed}, nil
}

// Scheme implements PublicKey.
func (k *nistKey) Scheme() Scheme { return k.scheme }

// Bytes implements PublicKey.
func (k *nistKey) Bytes() []byte { return append([]byte(nil), k.compressed...) }

// Verify implements PublicKey.
func (k *nistKey) Verify(msg, sig []byte) error {
	return verifyOne(k, msg, sig, PolicyExternal, nil, HashScheme)
}

// verify decodes and range-checks the signature here so that the encodings
// accepted are baynet's (fixed-width or strict DER), then hands crypto/ecdsa
// the canonical DER and the digest under h, which crypto/ecdsa truncates to
// the group order's length when it is longer.
func (k *nistKey) verify(sc *scratch, msg, sig []byte, pol Policy, _ []byte, h Hash) error {
	if len(sig) > k.scheme.maxSignatureLen() {
		return ErrMalformedSignature
	}
	rs := sc.rs[:2*k.params.size]
	if err := k.params.decodeRS(sig, rs); err != nil {
		return err
	}
	if pol != PolicyExternal && k.params.isHighS(rs) {
		return ErrHighS
	}
	digest := h.appendSum(sc.digest[:0], msg)
	if !ecdsa.VerifyASN1(k.pub, digest, k.params.appendDER(sc.der[:0], rs)) {
		return ErrInvalidSignature
	}
	return nil
}
