package crypto

import (
	"bytes"
	"encoding/pem"
	"errors"
)

// PublicKey is a parsed public key of one scheme.
type PublicKey interface {
	// Scheme is the key's signature scheme.
	Scheme() Scheme
	// Bytes is the canonical encoding: ed25519 32 bytes; secp256k1, P-256,
	// P-384 and SM2 the compressed SEC1 point; RSA PKIX DER.
	Bytes() []byte
	// Verify checks sig over msg as Verify(Item{Key: k, Msg: msg, Sig: sig})
	// does: PolicyExternal, the scheme's hash, the default SM2 user id, and
	// the batch path's verdict.
	Verify(msg, sig []byte) error
}

// key is what every PublicKey made here implements: the verdict function that
// single and batch verification share.
type key interface {
	PublicKey
	// verify runs steps 3 to 6 of the package checks. sc is scratch space
	// owned by the caller for the duration of the call; h is the hash the
	// item was accepted under in step 2, never HashScheme for a scheme that
	// has a hash an item can name.
	verify(sc *scratch, msg, sig []byte, pol Policy, uid []byte, h Hash) error
}

// ParsePublicKey parses a public key of scheme s from the encodings people
// hold: raw 32-byte ed25519; compressed or uncompressed SEC1 points for the
// elliptic-curve schemes; PKIX SubjectPublicKeyInfo DER for every scheme
// (SM2 keys carry the SM2 curve OID); PKCS#1 RSAPublicKey DER for RSA; and PEM
// of the DER forms ("PUBLIC KEY", "RSA PUBLIC KEY"). Hybrid points, the point
// at infinity, trailing data and PEM headers are refused. Errors are
// *KeyError; malformed input never panics.
func ParsePublicKey(s Scheme, b []byte) (PublicKey, error) {
	k, err := parseKey(s, b)
	if err != nil {
		return nil, err
	}
	return k, nil
}

func parseKey(s Scheme, b []byte) (key, error) {
	if !s.Valid() {
		return nil, keyErr(s, ErrUnknownScheme, "")
	}
	if len(b) == 0 || len(b) > maxKeyInput {
		return nil, keyErr(s, ErrMalformedKey, "empty or oversized input")
	}
	if isPEM(b) {
		block, err := decodePEM(b)
		if err != nil {
			return nil, keyErr(s, ErrMalformedKey, err.Error())
		}
		switch {
		case block.Type == "PUBLIC KEY":
			return parseSPKIKey(s, block.Bytes)
		case block.Type == "RSA PUBLIC KEY" && isRSA(s):
			return parseRSAPKCS1(s, block.Bytes)
		}
		return nil, keyErr(s, ErrMalformedKey, "unexpected PEM block "+block.Type)
	}
	switch s {
	case SchemeEd25519:
		if len(b) == 32 {
			return newEd25519Key(b)
		}
	case SchemeSecp256k1:
		if isSEC1Point(b, 32) {
			return newSecp256k1Key(b)
		}
	case SchemeP256, SchemeP384:
		if isSEC1Point(b, nistParams(s).size) {
			return newNISTKey(s, b)
		}
	case SchemeSM2:
		if isSEC1Point(b, 32) {
			return newSM2Key(b)
		}
	case SchemeRSAPKCS1, SchemeRSAPSS:
		if isPKCS1(b) {
			return parseRSAPKCS1(s, b)
		}
	}
	if b[0] != 0x30 { // not a DER SEQUENCE: e.g. a hybrid (06/07) point
		return nil, keyErr(s, ErrMalformedKey, "unrecognised encoding")
	}
	return parseSPKIKey(s, b)
}

// isSEC1Point reports whether b has the length and prefix of a compressed or
// uncompressed point on a curve with size-byte coordinates.
func isSEC1Point(b []byte, size int) bool {
	switch len(b) {
	case 1 + size:
		return b[0] == 2 || b[0] == 3
	case 1 + 2*size:
		return b[0] == 4
	}
	return false
}

func isRSA(s Scheme) bool { return s == SchemeRSAPKCS1 || s == SchemeRSAPSS }

func isPEM(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("-----BEGIN "))
}

// decodePEM decodes exactly one unencrypted PEM block with nothing but
// whitespace around it; pem.Decode alone would skip leading text.
func decodePEM(b []byte) (*pem.Block, error) {
	block, rest := pem.Decode(bytes.TrimLeft(b, " \t\r\n"))
	switch {
	case block == nil:
		return nil, errors.New("invalid PEM")
	case len(bytes.TrimSpace(rest)) != 0:
		return nil, errors.New("trailing data after PEM block")
	case len(block.Headers) != 0:
		return nil, errors.New("PEM headers are not accepted")
	}
	return block, nil
}

// resolve returns the package's own implementation of k: k itself, or k
// re-parsed from its canonical bytes when another package implements
// PublicKey, so that a foreign type can never decide a verdict.
func resolve(k PublicKey) (key, error) {
	switch k := k.(type) {
	case nil:
		return nil, ErrMalformedKey
	case key:
		return k, nil
	}
	s := k.Scheme()
	if !s.Valid() {
		return nil, ErrUnknownScheme
	}
	own, err := parseKey(s, k.Bytes())
	if err != nil {
		var ke *KeyError
		if errors.As(err, &ke) {
			return nil, ke.Reason
		}
		return nil, ErrMalformedKey
	}
	return own, nil
}
