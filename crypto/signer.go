package crypto

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/ethereum/go-ethereum/crypto/secp256k1"
)

// PrivateKey signs for one of the schemes anchor holders use: ed25519,
// secp256k1, P-256 or SM2. The chain only verifies; this side exists for
// holders' tools and for tests. Signatures are what Verify accepts under
// either policy: ed25519 per RFC 8032, secp256k1 as 64-byte r||s with a low
// S, P-256 as DER with a low S, SM2 as DER with the default user id.
type PrivateKey interface {
	// Scheme is the key's signature scheme.
	Scheme() Scheme
	// Public returns the public key.
	Public() PublicKey
	// Sign signs msg; ECDSA and SM2 hash it as their schemes define.
	Sign(msg []byte) ([]byte, error)
	// MarshalPEM encodes the key as PEM: PKCS#8 ("PRIVATE KEY") for ed25519,
	// P-256 and SM2; SEC 1 ("EC PRIVATE KEY", curve secp256k1) for secp256k1,
	// which Go's x509 package cannot write as PKCS#8.
	MarshalPEM() ([]byte, error)
}

// GenerateKey returns a new random key of scheme s, which must be ed25519,
// secp256k1, p256 or sm2.
func GenerateKey(s Scheme) (PrivateKey, error) {
	switch s {
	case SchemeEd25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return newEdPrivateKey(priv)
	case SchemeSecp256k1:
		d := make([]byte, 32)
		for {
			if _, err := rand.Read(d); err != nil {
				return nil, err
			}
			if k, err := newK1PrivateKey(d); err == nil {
				return k, nil
			}
		}
	case SchemeP256:
		priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		return newP256PrivateKey(priv)
	case SchemeSM2:
		priv, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return newSM2PrivateKey(priv)
	}
	return nil, fmt.Errorf("crypto: no private keys for scheme %q: %w", s, ErrUnknownScheme)
}

// ParsePrivateKeyPEM parses one PEM block holding a private key: PKCS#8
// ("PRIVATE KEY") of an ed25519, P-256, SM2 or secp256k1 key (the last as
// OpenSSL writes it: id-ecPublicKey with the secp256k1 curve), or SEC 1
// ("EC PRIVATE KEY") of a secp256k1, P-256 or SM2 key.
func ParsePrivateKeyPEM(b []byte) (PrivateKey, error) {
	block, err := decodePEM(b)
	if err != nil {
		return nil, fmt.Errorf("crypto: private key: %w", err)
	}
	switch block.Type {
	case "PRIVATE KEY":
		return parsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		return parseSEC1PrivateKey(block.Bytes)
	}
	return nil, fmt.Errorf("crypto: private key: unexpected PEM block %q", block.Type)
}

// pkcs8 is PKCS#8's PrivateKeyInfo (RFC 5208).
type pkcs8 struct {
	Version    int
	Algorithm  pkcs8Algorithm
	PrivateKey []byte
}

type pkcs8Algorithm struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

// sec1 is SEC 1's ECPrivateKey (RFC 5915).
type sec1 struct {
	Version       int
	PrivateKey    []byte
	NamedCurveOID asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey     asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

func parsePKCS8PrivateKey(der []byte) (PrivateKey, error) {
	var info pkcs8
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errors.New("crypto: private key: malformed PKCS#8")
	}
	var curve asn1.ObjectIdentifier
	if info.Algorithm.Algorithm.Equal(oidECPublicKey) {
		if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &curve); err == nil && curve.Equal(oidCurveSecp256k) {
			return parseSEC1PrivateKey(info.PrivateKey)
		}
	}
	key, err := smx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("crypto: private key: %w", err)
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return newEdPrivateKey(k)
	case *sm2.PrivateKey:
		return newSM2PrivateKey(k)
	case *ecdsa.PrivateKey:
		if k.Curve == elliptic.P256() {
			return newP256PrivateKey(k)
		}
	}
	return nil, fmt.Errorf("crypto: private key: %T is not an ed25519, secp256k1, P-256 or SM2 key", key)
}

func parseSEC1PrivateKey(der []byte) (PrivateKey, error) {
	var k sec1
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) != 0 || k.Version != 1 {
		return nil, errors.New("crypto: private key: malformed SEC 1 EC private key")
	}
	switch {
	case k.NamedCurveOID.Equal(oidCurveSecp256k):
		if len(k.PrivateKey) != 32 {
			return nil, errors.New("crypto: private key: a secp256k1 key is 32 bytes")
		}
		return newK1PrivateKey(k.PrivateKey)
	case k.NamedCurveOID.Equal(oidCurveP256):
		priv, err := x509.ParseECPrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("crypto: private key: %w", err)
		}
		return newP256PrivateKey(priv)
	case k.NamedCurveOID.Equal(oidCurveSM2):
		priv, err := smx509.ParseSM2PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("crypto: private key: %w", err)
		}
		return newSM2PrivateKey(priv)
	}
	return nil, fmt.Errorf("crypto: private key: curve %v is not secp256k1, P-256 or SM2", k.NamedCurveOID)
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// edPrivateKey is an ed25519 key.
type edPrivateKey struct {
	priv ed25519.PrivateKey
	pub  PublicKey
}

func newEdPrivateKey(priv ed25519.PrivateKey) (*edPrivateKey, error) {
	pub, err := ParsePublicKey(SchemeEd25519, priv.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	return &edPrivateKey{priv: priv, pub: pub}, nil
}

func (k *edPrivateKey) Scheme() Scheme                  { return SchemeEd25519 }
func (k *edPrivateKey) Public() PublicKey               { return k.pub }
func (k *edPrivateKey) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(k.priv, msg), nil }

func (k *edPrivateKey) MarshalPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, err
	}
	return pemBlock("PRIVATE KEY", der), nil
}

// k1PrivateKey is a secp256k1 key, signing through libsecp256k1.
type k1PrivateKey struct {
	d            []byte // 32 bytes
	uncompressed []byte
	pub          PublicKey
}

func newK1PrivateKey(d []byte) (*k1PrivateKey, error) {
	v := new(big.Int).SetBytes(d)
	if v.Sign() == 0 || v.Cmp(secp256k1.S256().N) >= 0 {
		return nil, errors.New("crypto: private key: secp256k1 scalar out of range")
	}
	x, y := secp256k1.S256().ScalarBaseMult(d)
	u := make([]byte, 65)
	u[0] = 4
	x.FillBytes(u[1:33])
	y.FillBytes(u[33:])
	pub, err := ParsePublicKey(SchemeSecp256k1, u)
	if err != nil {
		return nil, err
	}
	return &k1PrivateKey{d: append([]byte(nil), d...), uncompressed: u, pub: pub}, nil
}

func (k *k1PrivateKey) Scheme() Scheme    { return SchemeSecp256k1 }
func (k *k1PrivateKey) Public() PublicKey { return k.pub }

// Sign returns r||s over SHA-256(msg); libsecp256k1 always produces a low S.
func (k *k1PrivateKey) Sign(msg []byte) ([]byte, error) {
	h := sha256.Sum256(msg)
	sig, err := secp256k1.Sign(h[:], k.d)
	if err != nil {
		return nil, err
	}
	return sig[:64], nil
}

func (k *k1PrivateKey) MarshalPEM() ([]byte, error) {
	der, err := asn1.Marshal(sec1{
		Version: 1, PrivateKey: k.d, NamedCurveOID: oidCurveSecp256k,
		PublicKey: asn1.BitString{Bytes: k.uncompressed, BitLength: 8 * len(k.uncompressed)},
	})
	if err != nil {
		return nil, err
	}
	return pemBlock("EC PRIVATE KEY", der), nil
}

// p256PrivateKey is an ECDSA P-256 key.
type p256PrivateKey struct {
	priv *ecdsa.PrivateKey
	pub  PublicKey
}

func newP256PrivateKey(priv *ecdsa.PrivateKey) (*p256PrivateKey, error) {
	u, err := priv.PublicKey.Bytes()
	if err != nil {
		return nil, err
	}
	pub, err := ParsePublicKey(SchemeP256, u)
	if err != nil {
		return nil, err
	}
	return &p256PrivateKey{priv: priv, pub: pub}, nil
}

func (k *p256PrivateKey) Scheme() Scheme    { return SchemeP256 }
func (k *p256PrivateKey) Public() PublicKey { return k.pub }

// Sign returns a DER signature over SHA-256(msg) with a low S, so that it is
// valid under PolicyTx too.
func (k *p256PrivateKey) Sign(msg []byte) ([]byte, error) {
	h := sha256.Sum256(msg)
	der, err := ecdsa.SignASN1(rand.Reader, k.priv, h[:])
	if err != nil {
		return nil, err
	}
	rs := make([]byte, 64)
	if err := p256Params.decodeRS(der, rs); err != nil {
		return nil, err
	}
	if p256Params.isHighS(rs) {
		p256Params.negateS(rs)
	}
	return p256Params.appendDER(nil, rs), nil
}

func (k *p256PrivateKey) MarshalPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, err
	}
	return pemBlock("PRIVATE KEY", der), nil
}

// sm2PrivateKey is an SM2 key on the GB/T 32918.5 curve.
type sm2PrivateKey struct {
	priv *sm2.PrivateKey
	pub  PublicKey
}

func newSM2PrivateKey(priv *sm2.PrivateKey) (*sm2PrivateKey, error) {
	u := make([]byte, 65)
	u[0] = 4
	priv.X.FillBytes(u[1:33])
	priv.Y.FillBytes(u[33:])
	pub, err := ParsePublicKey(SchemeSM2, u)
	if err != nil {
		return nil, err
	}
	return &sm2PrivateKey{priv: priv, pub: pub}, nil
}

func (k *sm2PrivateKey) Scheme() Scheme    { return SchemeSM2 }
func (k *sm2PrivateKey) Public() PublicKey { return k.pub }

// Sign returns a DER signature over SM3(Z_A || msg) with the default user
// id "1234567812345678".
func (k *sm2PrivateKey) Sign(msg []byte) ([]byte, error) {
	return sm2.SignASN1(rand.Reader, k.priv, msg, sm2.NewSM2SignerOption(true, nil))
}

func (k *sm2PrivateKey) MarshalPEM() ([]byte, error) {
	der, err := smx509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, err
	}
	return pemBlock("PRIVATE KEY", der), nil
}
