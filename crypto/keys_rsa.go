package crypto

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
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

var pssOptions = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256}

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
func (k *rsaKey) Verify(msg, sig []byte) error { return verifyOne(k, msg, sig, PolicyExternal, nil) }

func (k *rsaKey) verify(sc *scratch, msg, sig []byte, _ Policy, _ []byte) error {
	if len(sig) != k.pub.Size() {
		return ErrMalformedSignature
	}
	h := sha256.Sum256(msg)
	digest := append(sc.digest[:0], h[:]...)
	var err error
	if k.scheme == SchemeRSAPSS {
		err = rsa.VerifyPSS(k.pub, crypto.SHA256, digest, sig, pssOptions)
	} else {
		err = rsa.VerifyPKCS1v15(k.pub, crypto.SHA256, digest, sig)
	}
	if err != nil {
		return ErrInvalidSignature
	}
	return nil
}
