package crypto

import (
	"encoding/asn1"
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of the SubjectPublicKeyInfo algorithms and named curves
// baynet accepts.
var (
	oidEd25519       = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidECPublicKey   = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSASSAPSS     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidCurveP256     = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidCurveP384     = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidCurveSecp256k = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	oidCurveSM2      = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}
)

// spki is a SubjectPublicKeyInfo split into what decides the scheme and the
// key bits.
type spki struct {
	scheme Scheme
	// pssOnly marks an RSA key published under id-RSASSA-PSS, which RFC 4055
	// restricts to PSS.
	pssOnly bool
	key     []byte
}

// parseSPKI decodes a DER SubjectPublicKeyInfo and names its scheme. Only
// strict DER is accepted: cryptobyte refuses indefinite and non-minimal
// lengths, and nothing may follow the structure.
func parseSPKI(der []byte) (spki, error) {
	var (
		in        = cryptobyte.String(der)
		info, alg cryptobyte.String
		oid       asn1.ObjectIdentifier
		bits      asn1.BitString
	)
	if !in.ReadASN1(&info, cbasn1.SEQUENCE) || !in.Empty() ||
		!info.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!info.ReadASN1BitString(&bits) || !info.Empty() ||
		!alg.ReadASN1ObjectIdentifier(&oid) {
		return spki{}, errInvalidSPKI
	}
	if bits.BitLength%8 != 0 {
		return spki{}, errInvalidSPKI
	}
	params := alg // what follows the OID
	out := spki{key: bits.Bytes}
	switch {
	case oid.Equal(oidEd25519):
		if !params.Empty() {
			return spki{}, errInvalidSPKI
		}
		out.scheme = SchemeEd25519
	case oid.Equal(oidRSAEncryption):
		// RFC 3279 requires NULL parameters, as crypto/x509 does.
		var null cryptobyte.String
		if !params.ReadASN1(&null, cbasn1.NULL) || !null.Empty() || !params.Empty() {
			return spki{}, errInvalidSPKI
		}
		out.scheme = SchemeRSAPKCS1
	case oid.Equal(oidRSASSAPSS):
		// The parameters may pin hash and salt; a key pinned to others
		// simply fails to verify under SchemeRSAPSS.
		out.scheme, out.pssOnly = SchemeRSAPSS, true
	case oid.Equal(oidECPublicKey):
		var curve asn1.ObjectIdentifier
		if !params.ReadASN1ObjectIdentifier(&curve) || !params.Empty() {
			return spki{}, errUnsupportedCurve
		}
		switch {
		case curve.Equal(oidCurveP256):
			out.scheme = SchemeP256
		case curve.Equal(oidCurveP384):
			out.scheme = SchemeP384
		case curve.Equal(oidCurveSecp256k):
			out.scheme = SchemeSecp256k1
		case curve.Equal(oidCurveSM2):
			out.scheme = SchemeSM2
		default:
			return spki{}, errUnsupportedCurve
		}
	default:
		return spki{}, errUnsupportedAlgorithm
	}
	return out, nil
}

// parseSPKIKey parses a SubjectPublicKeyInfo that must hold a key of scheme
// s. An rsaEncryption key serves both RSA schemes.
func parseSPKIKey(s Scheme, der []byte) (key, error) {
	info, err := parseSPKI(der)
	if err != nil {
		return nil, keyErr(s, ErrMalformedKey, err.Error())
	}
	if info.scheme != s && !(isRSA(s) && isRSA(info.scheme) && !info.pssOnly) {
		return nil, keyErr(s, ErrMalformedKey, "key is for "+string(info.scheme))
	}
	return keyFromSPKI(s, info)
}

func keyFromSPKI(s Scheme, info spki) (key, error) {
	switch s {
	case SchemeEd25519:
		if len(info.key) != 32 {
			return nil, keyErr(s, ErrMalformedKey, "ed25519 key is not 32 bytes")
		}
		return newEd25519Key(info.key)
	case SchemeSecp256k1:
		return newSecp256k1Key(info.key)
	case SchemeP256, SchemeP384:
		return newNISTKey(s, info.key)
	case SchemeSM2:
		return newSM2Key(info.key)
	default:
		return parseRSAPKCS1(s, info.key)
	}
}

var (
	errInvalidSPKI          = errors.New("invalid SubjectPublicKeyInfo")
	errUnsupportedCurve     = errors.New("unsupported elliptic curve")
	errUnsupportedAlgorithm = errors.New("unsupported public key algorithm")
)
