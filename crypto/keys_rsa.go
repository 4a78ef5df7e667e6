package crypto

import (
	"crypto/rsa"
	"crypto/x509"
	"strconv"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// RSA key bounds. The lower bounds on size and exponent and the parity rules
// are FIPS 186-5's, which crypto/rsa enforces only under GODEBUG=fips140=only;
// requiring them always keeps verdicts independent of GODEBUG. The upper
// bound keeps the work per signature bounded.
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// pssOptions fixes the salt length to the digest length of the hash given to
// rsa.VerifyPSS, which MGF1 also uses: the parameters X.509 allows for each
// hash, and for SchemeRSAPSS's own SHA-256 a salt of 32 bytes.
var pssOptions = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}

// rsaKey is an RSA key used under one of the two RSA schemes.
type rsaKey struct {
	scheme Scheme
	pub    *rsa.PublicKey
	pkix   []byte
}

// isPKCS1 reports whether b looks like an RSAPublicKey (a SEQUENCE starting
// with an INTEGER) rather than a SubjectPublicKeyInfo.
func isPKCS1(b []byte) bool {
	in := cryptobyte.String(b)
	var seq cryptobyte.String
	return in.ReadASN1(&seq, cbasn1.SEQUENCE) && seq.PeekASN1Tag(cbasn1.INTEGER)
}

func parseRSAPKCS1(s Scheme, der []byte) (*rsaKey, error) {
	if !isRSA(s) {
		return nil, keyErr(s, ErrMalformedKey, "not an "+string(s)+" key")
	}
	pub, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil, keyErr(s, ErrMalformedKey, err.Error())
	}
	bits := pub.N.BitLen()
	switch {
	case bits < minRSABits:
		return nil, keyErr(s, ErrKeyTooSmall, strconv.Itoa(bits)+" bits")
	case bits > maxRSABits:
		return nil, keyErr(s, ErrKeyTooLarge, strconv.Itoa(bits)+" bits")
	case bits%2 != 0 || pub.N.Bit(0) == 0:
		return nil, keyErr(s, ErrUnsupportedKey, "modulus must be odd with an even bit length")
	case pub.E <= 1<<16 || pub.E%2 == 0:
		return nil, keyErr(s, ErrUnsupportedKey, "public exponent must be odd and above 2^16")
	}
	pkix, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, keyErr(s, ErrMalformedKey, err.Error())
	}
	return &rsaKey{scheme: s, pub: pub, pkix: pkix}, nil
}

// Scheme implements PublicKey.
func (k *rsaKey) Scheme() Scheme { return k.scheme }

// Bytes implements PublicKey.
func (k *rsaKey) Bytes() []byte { return append([]byte(nil), k.pkix...) }

// Verify implements PublicKey.
func (k *rsaKey) Verify(msg, sig []byte) error {
	return verifyOne(k, msg, sig, PolicyExternal, nil, HashScheme)
}

func (k *rsaKey) verify(sc *scratch, msg, sig []byte, _ Policy, _ []byte, h Hash) error {
	if len(sig) != k.pub.Size() {
		return ErrMalformedSignature
	}
	digest := h.appendSum(sc.digest[:0], msg)
	var err error
	if k.scheme == SchemeRSAPSS {
		err = rsa.VerifyPSS(k.pub, h.std(), digest, sig, pssOptions)
	} else {
		err = rsa.VerifyPKCS1v15(k.pub, h.std(), digest, sig)
	}
	if err != nil {
		return ErrInvalidSignature
	}
	return nil
}
