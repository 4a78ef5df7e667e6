package crypto

import "fmt"

// Scheme names a signature algorithm: key type, hash and encoding rules.
type Scheme string

// The schemes baynet verifies.
const (
	// SchemeEd25519 is pure ed25519, verified under ZIP-215 rules on every path.
	SchemeEd25519 Scheme = "ed25519"
	// SchemeSecp256k1 is ECDSA on secp256k1 over SHA-256(msg); the signature is
	// 64-byte r||s or DER.
	SchemeSecp256k1 Scheme = "secp256k1"
	// SchemeP256 is ECDSA on NIST P-256 over SHA-256(msg); DER or 64-byte r||s.
	SchemeP256 Scheme = "p256"
	// SchemeP384 is ECDSA on NIST P-384 over SHA-384(msg); DER or 96-byte r||s.
	SchemeP384 Scheme = "p384"
	// SchemeRSAPKCS1 is RSASSA-PKCS1-v1_5 with SHA-256, keys of 2048 to 8192
	// bits.
	SchemeRSAPKCS1 Scheme = "rsa-pkcs1v15-sha256"
	// SchemeRSAPSS is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt of
	// exactly 32 bytes (the hash length), keys of 2048 to 8192 bits. Other salt
	// lengths are rejected so that the scheme name fixes every parameter.
	SchemeRSAPSS Scheme = "rsa-pss-sha256"
	// SchemeSM2 is SM2 with SM3 (GB/T 32918.2), with the user id
	// "1234567812345678" unless the item gives one; DER or 64-byte r||s.
	SchemeSM2 Scheme = "sm2"
)

// Upper bounds on input sizes, checked before any other work.
const (
	maxECDSA256Sig = 72   // DER of two 33-byte INTEGERs
	maxECDSA384Sig = 104  // DER of two 49-byte INTEGERs
	maxRSASig      = 1024 // an 8192-bit modulus
	maxKeyInput    = 16 << 10
	maxCertInput   = 64 << 10
	// maxSM2UID is the longest user id whose bit length fits the 16-bit ENTL
	// field of GB/T 32918.2.
	maxSM2UID = 8191
)

// ParseScheme returns the Scheme named s, or an error wrapping
// ErrUnknownScheme. Names are matched exactly.
func ParseScheme(s string) (Scheme, error) {
	if sc := Scheme(s); sc.Valid() {
		return sc, nil
	}
	return "", fmt.Errorf("crypto: %w: %q", ErrUnknownScheme, s)
}

// Valid reports whether s is one of the schemes this package verifies.
func (s Scheme) Valid() bool {
	switch s {
	case SchemeEd25519, SchemeSecp256k1, SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS, SchemeSM2:
		return true
	}
	return false
}

// maxSignatureLen is the longest signature any encoding of s can produce.
func (s Scheme) maxSignatureLen() int {
	switch s {
	case SchemeEd25519:
		return 64
	case SchemeSecp256k1, SchemeP256, SchemeSM2:
		return maxECDSA256Sig
	case SchemeP384:
		return maxECDSA384Sig
	case SchemeRSAPKCS1, SchemeRSAPSS:
		return maxRSASig
	}
	return 0
}
