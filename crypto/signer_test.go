package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

var holderSchemes = []Scheme{SchemeEd25519, SchemeSecp256k1, SchemeP256, SchemeSM2}

// TestPrivateKeySignaturesVerify checks that what every scheme's PrivateKey
// signs verifies through Verify and a BatchVerifier under both policies,
// and that a signature over another message, or by another key, does not.
func TestPrivateKeySignaturesVerify(t *testing.T) {
	msg := []byte("baynet/identity/v1/op\nhello")
	for _, s := range holderSchemes {
		t.Run(string(s), func(t *testing.T) {
			k, err := GenerateKey(s)
			if err != nil {
				t.Fatal(err)
			}
			other, err := GenerateKey(s)
			if err != nil {
				t.Fatal(err)
			}
			if k.Scheme() != s || k.Public().Scheme() != s {
				t.Fatalf("scheme %s, public %s; want %s", k.Scheme(), k.Public().Scheme(), s)
			}
			bv := NewBatchVerifier()
			// Several signatures: ECDSA and SM2 draw a new nonce each time.
			for range 8 {
				sig, err := k.Sign(msg)
				if err != nil {
					t.Fatal(err)
				}
				for _, pol := range []Policy{PolicyExternal, PolicyTx} {
					if err := Verify(Item{Key: k.Public(), Msg: msg, Sig: sig, Policy: pol}); err != nil {
						t.Fatalf("policy %d: %v", pol, err)
					}
				}
				bv.Add(Item{Key: k.Public(), Msg: msg, Sig: sig})
			}
			if ok, verdicts := bv.Verify(); !ok {
				t.Fatalf("batch: %v", verdicts)
			}
			sig, err := k.Sign(msg)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(Item{Key: k.Public(), Msg: append(msg, '!'), Sig: sig}); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("signature over another message: %v, want ErrInvalidSignature", err)
			}
			if err := Verify(Item{Key: other.Public(), Msg: msg, Sig: sig}); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("signature checked with another key: %v, want ErrInvalidSignature", err)
			}
		})
	}
}

// TestPrivateKeyPEMRoundTrip checks that a saved key loads back as the same
// key, in the format its scheme's usual tools read.
func TestPrivateKeyPEMRoundTrip(t *testing.T) {
	wantType := map[Scheme]string{
		SchemeEd25519: "PRIVATE KEY", SchemeSecp256k1: "EC PRIVATE KEY", SchemeP256: "PRIVATE KEY", SchemeSM2: "PRIVATE KEY",
	}
	for _, s := range holderSchemes {
		t.Run(string(s), func(t *testing.T) {
			k, err := GenerateKey(s)
			if err != nil {
				t.Fatal(err)
			}
			bz, err := k.MarshalPEM()
			if err != nil {
				t.Fatal(err)
			}
			block, _ := pem.Decode(bz)
			if block == nil || block.Type != wantType[s] {
				t.Fatalf("PEM %q, want a %q block", bz, wantType[s])
			}
			// Other tools read it: Go's x509 (ed25519, P-256) and gmsm (SM2).
			switch s {
			case SchemeEd25519, SchemeP256:
				if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
					t.Fatalf("x509: %v", err)
				}
			case SchemeSM2:
				if _, err := smx509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
					t.Fatalf("smx509: %v", err)
				}
			}
			back, err := ParsePrivateKeyPEM(bz)
			if err != nil {
				t.Fatal(err)
			}
			if back.Scheme() != s || !bytes.Equal(back.Public().Bytes(), k.Public().Bytes()) {
				t.Fatalf("loaded %s key %x, saved %s key %x", back.Scheme(), back.Public().Bytes(), s, k.Public().Bytes())
			}
			msg := []byte("signed by the loaded key")
			sig, err := back.Sign(msg)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(Item{Key: k.Public(), Msg: msg, Sig: sig}); err != nil {
				t.Fatalf("the loaded key's signature does not verify with the saved key: %v", err)
			}
		})
	}
}

// TestParsePrivateKeyPEMForeignForms loads the forms other tools write:
// OpenSSL's PKCS#8 secp256k1 key and SEC 1 P-256 and SM2 keys.
func TestParsePrivateKeyPEMForeignForms(t *testing.T) {
	k1, err := GenerateKey(SchemeSecp256k1)
	if err != nil {
		t.Fatal(err)
	}
	sec1PEM, err := k1.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(sec1PEM)
	params, err := asn1.Marshal(oidCurveSecp256k)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8DER, err := asn1.Marshal(pkcs8{Algorithm: pkcs8Algorithm{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: params}}, PrivateKey: block.Bytes})
	if err != nil {
		t.Fatal(err)
	}

	p256Key, err := GenerateKey(SchemeP256)
	if err != nil {
		t.Fatal(err)
	}
	p256SEC1, err := x509.MarshalECPrivateKey(p256Key.(*p256PrivateKey).priv)
	if err != nil {
		t.Fatal(err)
	}
	sm2Priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sm2SEC1, err := smx509.MarshalSM2PrivateKey(sm2Priv)
	if err != nil {
		t.Fatal(err)
	}
	sm2Pub, err := ParsePublicKey(SchemeSM2, elliptic256Uncompressed(sm2Priv.PublicKey))
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name   string
		pem    []byte
		scheme Scheme
		pub    []byte
	}{
		{"secp256k1 PKCS#8", pemBlock("PRIVATE KEY", pkcs8DER), SchemeSecp256k1, k1.Public().Bytes()},
		{"P-256 SEC 1", pemBlock("EC PRIVATE KEY", p256SEC1), SchemeP256, p256Key.Public().Bytes()},
		{"SM2 SEC 1", pemBlock("EC PRIVATE KEY", sm2SEC1), SchemeSM2, sm2Pub.Bytes()},
	} {
		got, err := ParsePrivateKeyPEM(c.pem)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Scheme() != c.scheme || !bytes.Equal(got.Public().Bytes(), c.pub) {
			t.Fatalf("%s: loaded %s %x, want %s %x", c.name, got.Scheme(), got.Public().Bytes(), c.scheme, c.pub)
		}
	}
}

func elliptic256Uncompressed(pub ecdsa.PublicKey) []byte {
	u := make([]byte, 65)
	u[0] = 4
	pub.X.FillBytes(u[1:33])
	pub.Y.FillBytes(u[33:])
	return u
}

// TestParsePrivateKeyPEMRefuses checks that keys of other schemes and
// malformed input are refused with an error, not a panic.
func TestParsePrivateKeyPEMRefuses(t *testing.T) {
	rsaKeys, err := rsaKeys()
	if err != nil {
		t.Fatal(err)
	}
	rsaDER, err := x509.MarshalPKCS8PrivateKey(rsaKeys[0])
	if err != nil {
		t.Fatal(err)
	}
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edDER, err := x509.MarshalPKCS8PrivateKey(edPriv)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"RSA key":         pemBlock("PRIVATE KEY", rsaDER),
		"public key":      pemBlock("PUBLIC KEY", []byte{0x30, 0}),
		"truncated DER":   pemBlock("PRIVATE KEY", edDER[:len(edDER)-3]),
		"trailing data":   pemBlock("PRIVATE KEY", append(edDER, 0)),
		"empty SEC 1":     pemBlock("EC PRIVATE KEY", []byte{0x30, 0}),
		"not PEM":         []byte("-----BEGIN nothing"),
		"two PEM blocks":  append(pemBlock("PRIVATE KEY", edDER), pemBlock("PRIVATE KEY", edDER)...),
		"secp256k1 zero":  pemBlock("EC PRIVATE KEY", mustASN1(t, sec1{Version: 1, PrivateKey: make([]byte, 32), NamedCurveOID: oidCurveSecp256k})),
		"P-384 SEC 1 key": pemBlock("EC PRIVATE KEY", mustASN1(t, sec1{Version: 1, PrivateKey: make([]byte, 48), NamedCurveOID: oidCurveP384})),
	} {
		if k, err := ParsePrivateKeyPEM(in); err == nil {
			t.Errorf("%s: loaded as a %s key", name, k.Scheme())
		}
	}
	if _, err := GenerateKey(SchemeRSAPSS); !errors.Is(err, ErrUnknownScheme) {
		t.Errorf("GenerateKey(rsa-pss): %v, want ErrUnknownScheme", err)
	}
}

func mustASN1(t *testing.T, v any) []byte {
	t.Helper()
	bz, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}
