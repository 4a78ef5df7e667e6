package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdked25519 "github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	bcrypto "github.com/baynet/baynet/crypto"
)

// payloadSigner signs attestation sign bytes with an issuer key held on this
// machine.
type payloadSigner interface {
	// Scheme is the baynet signature scheme the key signs in.
	Scheme() bcrypto.Scheme
	// PublicKey is the key's canonical encoding, as x/regions stores it.
	PublicKey() []byte
	Sign(msg []byte) ([]byte, error)
}

// keyringSigner signs with a keyring key. A secp256k1 key signs SHA-256(msg)
// as a 64-byte r||s, which is baynet's secp256k1 scheme.
type keyringSigner struct {
	kr     keyring.Keyring
	name   string
	scheme bcrypto.Scheme
	pub    []byte
	// priv is the key itself when the keyring holds it locally, which spares
	// a keyring read per signature.
	priv cryptotypes.PrivKey
}

func newKeyringSigner(kr keyring.Keyring, name string) (*keyringSigner, error) {
	if kr == nil {
		return nil, errors.New("no keyring: give --from, or --key-file")
	}
	rec, err := kr.Key(name)
	if err != nil {
		return nil, err
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	s := &keyringSigner{kr: kr, name: name, pub: pub.Bytes()}
	switch pub.(type) {
	case *secp256k1.PubKey:
		s.scheme = bcrypto.SchemeSecp256k1
	case *sdked25519.PubKey:
		s.scheme = bcrypto.SchemeEd25519
	default:
		return nil, fmt.Errorf("key %s is a %s key; issuer keys in the keyring must be secp256k1 or ed25519", name, pub.Type())
	}
	if local := rec.GetLocal(); local != nil && local.PrivKey != nil {
		if priv, ok := local.PrivKey.GetCachedValue().(cryptotypes.PrivKey); ok {
			s.priv = priv
		}
	}
	return s, nil
}

func (s *keyringSigner) Scheme() bcrypto.Scheme { return s.scheme }
func (s *keyringSigner) PublicKey() []byte      { return s.pub }

func (s *keyringSigner) Sign(msg []byte) ([]byte, error) {
	if s.priv != nil {
		return s.priv.Sign(msg)
	}
	sig, _, err := s.kr.Sign(s.name, msg, signing.SignMode_SIGN_MODE_DIRECT)
	return sig, err
}

// fileSigner signs with a key read from a PEM file by the crypto package:
// ed25519, P-256 or SM2 in PKCS#8, secp256k1 in SEC 1 or PKCS#8.
type fileSigner struct{ key bcrypto.PrivateKey }

// loadKeyFile reads a private key file, such as the PKCS#8 PEM that
// `openssl genpkey -algorithm ed25519` writes.
func loadKeyFile(path string) (payloadSigner, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := bcrypto.ParsePrivateKeyPEM(bz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fileSigner{key: key}, nil
}

func (s fileSigner) Scheme() bcrypto.Scheme          { return s.key.Scheme() }
func (s fileSigner) PublicKey() []byte               { return s.key.Public().Bytes() }
func (s fileSigner) Sign(msg []byte) ([]byte, error) { return s.key.Sign(msg) }
