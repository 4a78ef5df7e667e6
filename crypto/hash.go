package crypto

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
)

// Hash is the message digest an item is verified under, when it is not the
// one its key's scheme names.
//
// A scheme names key type, hash and encoding together, and scheme names are
// what the chain stores for agency and anchor keys: every valid name is a key
// type a region may register. X.509 pairs keys and hashes freely instead
// (sha384WithRSAEncryption, ecdsa-with-SHA256 under a P-384 key), per
// signature rather than per key. Naming each such pairing as a scheme would
// make it a key type on chain as well; so the hash travels with the item, as
// it travels with a certificate's signature, and the set of schemes does not
// change.
//
// HashScheme, the zero value, is the scheme's own hash and what every item
// gets unless its caller asks otherwise. Another hash is accepted only under
// PolicyExternal, the policy of certificates and other payloads signed off
// chain, and only for RSA (PKCS#1 v1.5 and PSS) and P-256 and P-384 keys;
// anything else is refused with ErrUnsupportedHash. A transaction signature
// (PolicyTx) is therefore always checked under its scheme's hash, so whoever
// relays it cannot choose another. Naming the scheme's own hash explicitly is
// the same as HashScheme, for verdicts and cache keys alike.
//
// Under RSA-PSS the hash also fixes the rest: MGF1 with the same hash and a
// salt exactly as long as the digest, which are the only PSS parameters
// X.509 verifiers (crypto/x509, smx509) accept. Under ECDSA a digest longer
// than the group order is truncated to its leftmost bits (SEC 1, FIPS 186-5),
// as for P-256 with SHA-384 or SHA-512.
type Hash uint8

// The hashes an item may name.
const (
	// HashScheme is the hash of the key's scheme.
	HashScheme Hash = iota
	// HashSHA256 is SHA-256.
	HashSHA256
	// HashSHA384 is SHA-384.
	HashSHA384
	// HashSHA512 is SHA-512.
	HashSHA512
)

// String returns the hash's name.
func (h Hash) String() string {
	switch h {
	case HashScheme:
		return "scheme"
	case HashSHA256:
		return "sha256"
	case HashSHA384:
		return "sha384"
	case HashSHA512:
		return "sha512"
	}
	return "unknown"
}

// ownHash is the hash of s among those an item can name, HashScheme for
// ed25519 and SM2, whose hashes are part of the algorithm.
func (s Scheme) ownHash() Hash {
	switch s {
	case SchemeSecp256k1, SchemeP256, SchemeRSAPKCS1, SchemeRSAPSS:
		return HashSHA256
	case SchemeP384:
		return HashSHA384
	}
	return HashScheme
}

// normalHash returns the hash an item of scheme s and policy pol is verified
// under, HashScheme when it is the scheme's own, or ErrUnsupportedHash. It is
// step 2 of the package checks on every path, and its result is what the
// cache key records.
func normalHash(s Scheme, h Hash, pol Policy) (Hash, error) {
	if h == HashScheme || h == s.ownHash() {
		return HashScheme, nil
	}
	if h > HashSHA512 || pol != PolicyExternal {
		return HashScheme, ErrUnsupportedHash
	}
	switch s {
	case SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS:
		return h, nil
	}
	return HashScheme, ErrUnsupportedHash
}

// effective resolves HashScheme to the hash of s.
func (h Hash) effective(s Scheme) Hash {
	if h == HashScheme {
		return s.ownHash()
	}
	return h
}

// appendSum appends the digest of msg under h (SHA-256 for anything but
// SHA-384 and SHA-512) to dst.
func (h Hash) appendSum(dst, msg []byte) []byte {
	switch h {
	case HashSHA384:
		d := sha512.Sum384(msg)
		return append(dst, d[:]...)
	case HashSHA512:
		d := sha512.Sum512(msg)
		return append(dst, d[:]...)
	}
	d := sha256.Sum256(msg)
	return append(dst, d[:]...)
}

// std is h as the standard library names it.
func (h Hash) std() crypto.Hash {
	switch h {
	case HashSHA384:
		return crypto.SHA384
	case HashSHA512:
		return crypto.SHA512
	}
	return crypto.SHA256
}
