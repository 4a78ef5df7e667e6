package crypto

import (
	"crypto/elliptic"
	"math/big"

	"github.com/emmansun/gmsm/sm2"
	"github.com/ethereum/go-ethereum/crypto/secp256k1"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ecParams is what signature decoding needs to know about a curve's group.
// Scalars are handled as fixed-width big-endian bytes so that decoding and
// range checks allocate nothing.
type ecParams struct {
	size  int    // bytes per scalar
	n     []byte // group order
	halfN []byte // floor(n/2), the largest low S
}

var (
	secp256k1Params = newECParams(secp256k1.S256().N, 32)
	p256Params      = newECParams(elliptic.P256().Params().N, 32)
	p384Params      = newECParams(elliptic.P384().Params().N, 48)
	sm2Params       = newECParams(sm2.P256().Params().N, 32)
)

func newECParams(n *big.Int, size int) *ecParams {
	half := new(big.Int).Rsh(n, 1)
	return &ecParams{size: size, n: n.FillBytes(make([]byte, size)), halfN: half.FillBytes(make([]byte, size))}
}

// decodeRS decodes sig into rs as r||s, each p.size bytes. A signature of
// exactly 2*p.size bytes is fixed-width r||s; anything else must be strict DER
// (SEQUENCE of two minimal, non-negative INTEGERs and nothing after it). A DER
// signature that happens to be 2*p.size bytes long is therefore refused; that
// needs r and s together about 7 bytes shorter than usual, which an honest
// signer produces with probability below 2^-40. Both scalars must lie in
// [1, n-1].
func (p *ecParams) decodeRS(sig, rs []byte) error {
	r, s := rs[:p.size], rs[p.size:2*p.size]
	if len(sig) == 2*p.size {
		copy(rs, sig)
	} else {
		var (
			in          = cryptobyte.String(sig)
			seq, ri, si cryptobyte.String
		)
		if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() ||
			!seq.ReadASN1(&ri, cbasn1.INTEGER) || !seq.ReadASN1(&si, cbasn1.INTEGER) || !seq.Empty() ||
			!putScalar(r, ri) || !putScalar(s, si) {
			return ErrMalformedSignature
		}
	}
	if !p.inRange(r) || !p.inRange(s) {
		return ErrMalformedSignature
	}
	return nil
}

// putScalar copies the DER INTEGER content v into dst, right-aligned, if it
// is a minimal non-negative encoding that fits.
func putScalar(dst []byte, v []byte) bool {
	if len(v) == 0 || v[0]&0x80 != 0 {
		return false
	}
	if v[0] == 0 && len(v) > 1 {
		if v[1]&0x80 == 0 {
			return false
		}
		v = v[1:]
	}
	if len(v) > len(dst) {
		return false
	}
	clear(dst[:len(dst)-len(v)])
	copy(dst[len(dst)-len(v):], v)
	return true
}

func (p *ecParams) inRange(x []byte) bool {
	return !isZero(x) && cmpBE(x, p.n) < 0
}

func (p *ecParams) isHighS(rs []byte) bool {
	return cmpBE(rs[p.size:2*p.size], p.halfN) > 0
}

// negateS replaces s by n - s, the other half of the same signature.
func (p *ecParams) negateS(rs []byte) {
	s := rs[p.size : 2*p.size]
	var borrow byte
	for i := p.size - 1; i >= 0; i-- {
		d := int(p.n[i]) - int(s[i]) - int(borrow)
		borrow = 0
		if d < 0 {
			d += 256
			borrow = 1
		}
		s[i] = byte(d)
	}
}

// appendDER appends the DER encoding of r||s to dst; it is what the Go and
// gmsm verifiers take. Lengths stay in short form: at most 2*(2+49) bytes.
func (p *ecParams) appendDER(dst, rs []byte) []byte {
	r := trimInt(rs[:p.size])
	s := trimInt(rs[p.size : 2*p.size])
	dst = append(dst, 0x30, byte(intLen(r)+intLen(s)))
	dst = appendInt(dst, r)
	return appendInt(dst, s)
}

func trimInt(x []byte) []byte {
	for len(x) > 1 && x[0] == 0 {
		x = x[1:]
	}
	return x
}

func intLen(x []byte) int {
	if x[0]&0x80 != 0 {
		return 3 + len(x)
	}
	return 2 + len(x)
}

func appendInt(dst, x []byte) []byte {
	if x[0]&0x80 != 0 {
		dst = append(dst, 0x02, byte(len(x)+1), 0)
	} else {
		dst = append(dst, 0x02, byte(len(x)))
	}
	return append(dst, x...)
}

func isZero(x []byte) bool {
	var acc byte
	for _, b := range x {
		acc |= b
	}
	return acc == 0
}

// cmpBE compares equal-length big-endian integers.
func cmpBE(a, b []byte) int {
	for i := range a {
		switch {
		case a[i] < b[i]:
			return -1
		case a[i] > b[i]:
			return 1
		}
	}
	return 0
}
