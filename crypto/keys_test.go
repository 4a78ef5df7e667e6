package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto/secp256k1"
)

func TestParseScheme(t *testing.T) {
	for _, s := range allSchemes {
		got, err := ParseScheme(string(s))
		if err != nil || got != s || !s.Valid() {
			t.Errorf("ParseScheme(%q) = %q, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "ED25519", "rsa", "ecdsa", "sm2 ", "secp256r1"} {
		if _, err := ParseScheme(bad); !errors.Is(err, ErrUnknownScheme) {
			t.Errorf("ParseScheme(%q) = %v, want ErrUnknownScheme", bad, err)
		}
		if Scheme(bad).Valid() {
			t.Errorf("Scheme(%q).Valid()", bad)
		}
	}
}

// TestParsePublicKeyEncodings parses every encoding of a key of each scheme
// and requires one canonical key that verifies the signer's signatures.
func TestParsePublicKeyEncodings(t *testing.T) {
	canonicalLen := map[Scheme]int{SchemeEd25519: 32, SchemeSecp256k1: 33, SchemeP256: 33, SchemeP384: 49, SchemeSM2: 33}
	for _, s := range allSchemes {
		ts := signers(t, s)[0]
		msg := []byte("encodings")
		sig := ts.sign(msg, nil)
		for name, enc := range ts.encodings {
			t.Run(string(s)+"/"+name, func(t *testing.T) {
				k, err := ParsePublicKey(s, enc)
				if err != nil {
					t.Fatal(err)
				}
				if k.Scheme() != s || !bytes.Equal(k.Bytes(), ts.pub.Bytes()) {
					t.Fatalf("got %s %x, want %x", k.Scheme(), k.Bytes(), ts.pub.Bytes())
				}
				if n, ok := canonicalLen[s]; ok && len(k.Bytes()) != n {
					t.Fatalf("canonical encoding is %d bytes, want %d", len(k.Bytes()), n)
				}
				if isRSA(s) {
					if _, err := x509.ParsePKIXPublicKey(k.Bytes()); err != nil {
						t.Fatalf("canonical RSA encoding is not PKIX: %v", err)
					}
				}
				again, err := ParsePublicKey(s, k.Bytes())
				if err != nil || !bytes.Equal(again.Bytes(), k.Bytes()) {
					t.Fatalf("canonical bytes do not round-trip: %v", err)
				}
				if err := k.Verify(msg, sig); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				out := k.Bytes()
				out[len(out)-1] ^= 1
				if bytes.Equal(out, k.Bytes()) {
					t.Fatal("Bytes exposes the key's memory")
				}
			})
		}
	}
}

func TestParsePublicKeyRejects(t *testing.T) {
	p256 := signers(t, SchemeP256)[0]
	sm2s := signers(t, SchemeSM2)[0]
	k1 := signers(t, SchemeSecp256k1)[0]
	rsas := signers(t, SchemeRSAPKCS1)[0]
	edPKIX := signers(t, SchemeEd25519)[0].encodings["pkix"]

	hybrid := append([]byte(nil), k1.encodings["uncompressed"]...)
	hybrid[0] = 6 | hybrid[64]&1
	offCurve := append([]byte(nil), k1.encodings["uncompressed"]...)
	offCurve[64] ^= 1
	xIsP := append([]byte{4}, secp256k1.S256().P.Bytes()...)
	xIsP = append(xIsP, k1.encodings["uncompressed"][33:]...)
	spkiTrailing := append(append([]byte(nil), p256.encodings["pkix"]...), 0)
	pemText := append([]byte("comment\n"), p256.encodings["pkix-pem"]...)
	pemTrailing := append(append([]byte(nil), p256.encodings["pkix-pem"]...), "junk"...)
	pemHeaders := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: p256.encodings["pkix"]})
	pemPrivate := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p256.encodings["pkix"]})
	pemRSAForEC := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: rsas.encodings["pkcs1"]})

	odd2048 := new(big.Int).Lsh(big.NewInt(1), 2047)
	odd2048.Add(odd2048, big.NewInt(1))
	tests := []struct {
		name   string
		scheme Scheme
		in     []byte
		want   error
	}{
		{"unknown scheme", "dsa", p256.encodings["pkix"], ErrUnknownScheme},
		{"empty", SchemeP256, nil, ErrMalformedKey},
		{"oversized", SchemeRSAPKCS1, make([]byte, maxKeyInput+1), ErrMalformedKey},
		{"ed25519 31 bytes", SchemeEd25519, make([]byte, 31), ErrMalformedKey},
		{"ed25519 y not on curve", SchemeEd25519, ed25519NonPoint(t), ErrMalformedKey},
		{"secp256k1 hybrid point", SchemeSecp256k1, hybrid, ErrMalformedKey},
		{"secp256k1 off curve", SchemeSecp256k1, offCurve, ErrMalformedKey},
		{"secp256k1 x = p", SchemeSecp256k1, xIsP, ErrMalformedKey},
		{"secp256k1 compressed x without y", SchemeSecp256k1, secp256k1NonX(t), ErrMalformedKey},
		{"point at infinity", SchemeP256, []byte{0}, ErrMalformedKey},
		{"sm2 point on p256", SchemeP256, sm2s.encodings["uncompressed"], ErrMalformedKey},
		{"p256 key as sm2", SchemeSM2, p256.encodings["pkix"], ErrMalformedKey},
		{"ed25519 key as p256", SchemeP256, edPKIX, ErrMalformedKey},
		{"rsa key as p256", SchemeP256, rsas.encodings["pkix"], ErrMalformedKey},
		{"pkix trailing byte", SchemeP256, spkiTrailing, ErrMalformedKey},
		{"pem after text", SchemeP256, pemText, ErrMalformedKey},
		{"pem trailing junk", SchemeP256, pemTrailing, ErrMalformedKey},
		{"pem headers", SchemeP256, pemHeaders, ErrMalformedKey},
		{"pem private key", SchemeP256, pemPrivate, ErrMalformedKey},
		{"pem rsa key for ec scheme", SchemeP256, pemRSAForEC, ErrMalformedKey},
		{"rsa 1024 bits", SchemeRSAPKCS1, rsaPKCS1(t, new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 1023), big.NewInt(1)), 65537), ErrKeyTooSmall},
		{"rsa 2047 bits", SchemeRSAPSS, rsaPKCS1(t, new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 2046), big.NewInt(1)), 65537), ErrKeyTooSmall},
		{"rsa 8194 bits", SchemeRSAPKCS1, rsaPKCS1(t, new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 8193), big.NewInt(1)), 65537), ErrKeyTooLarge},
		{"rsa odd bit length", SchemeRSAPKCS1, rsaPKCS1(t, new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 2048), big.NewInt(1)), 65537), ErrUnsupportedKey},
		{"rsa even modulus", SchemeRSAPKCS1, rsaPKCS1(t, new(big.Int).Lsh(big.NewInt(1), 2047), 65537), ErrUnsupportedKey},
		{"rsa e = 3", SchemeRSAPKCS1, rsaPKCS1(t, odd2048, 3), ErrUnsupportedKey},
		{"rsa e = 65536", SchemeRSAPKCS1, rsaPKCS1(t, odd2048, 65536), ErrUnsupportedKey},
		{"rsa pss-only key as pkcs1", SchemeRSAPKCS1, rsaPSSSPKI(t, rsas.encodings["pkcs1"]), ErrMalformedKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParsePublicKey(tc.scheme, tc.in)
			if !errors.Is(err, tc.want) || k != nil {
				t.Fatalf("got %v, %v; want %v", k, err, tc.want)
			}
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Reason != tc.want {
				t.Fatalf("error %v is not a *KeyError with reason %v", err, tc.want)
			}
		})
	}
}

func TestParsePublicKeyPSSOnly(t *testing.T) {
	rsas := signers(t, SchemeRSAPSS)[0]
	k, err := ParsePublicKey(SchemeRSAPSS, rsaPSSSPKI(t, rsas.encodings["pkcs1"]))
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("pss only")
	if err := k.Verify(msg, rsas.sign(msg, nil)); err != nil {
		t.Fatal(err)
	}
}

func TestPublicKeyFromCertificate(t *testing.T) {
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKeys, err := rsaKeys()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		pub    any
		priv   any
		scheme Scheme
	}{
		{"ed25519", edPub, edPriv, SchemeEd25519},
		{"p256", &p256.PublicKey, p256, SchemeP256},
		{"p384", &p384.PublicKey, p384, SchemeP384},
		{"rsa", &rsaKeys[0].PublicKey, rsaKeys[0], SchemeRSAPKCS1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: tc.name},
				NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0)}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, tc.pub, tc.priv)
			if err != nil {
				t.Fatal(err)
			}
			spki, err := x509.MarshalPKIXPublicKey(tc.pub)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ParsePublicKey(tc.scheme, spki)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range [][]byte{der, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})} {
				k, err := PublicKeyFromCertificate(in)
				if err != nil {
					t.Fatal(err)
				}
				if k.Scheme() != tc.scheme || !bytes.Equal(k.Bytes(), want.Bytes()) {
					t.Fatalf("got %s %x", k.Scheme(), k.Bytes())
				}
			}
		})
	}
	for name, in := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte{0x30, 0x03, 0x02, 0x01, 0x01},
		"pem key":   signers(t, SchemeP256)[0].encodings["pkix-pem"],
		"oversized": make([]byte, maxCertInput+1),
	} {
		if _, err := PublicKeyFromCertificate(in); !errors.Is(err, ErrMalformedCertificate) {
			t.Errorf("%s: %v, want ErrMalformedCertificate", name, err)
		}
	}
}

func rsaPKCS1(t *testing.T, n *big.Int, e int) []byte {
	t.Helper()
	der, err := asn1.Marshal(struct {
		N *big.Int
		E int
	}{n, e})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// rsaPSSSPKI wraps an RSAPublicKey in a SubjectPublicKeyInfo with the
// id-RSASSA-PSS algorithm (no parameters).
func rsaPSSSPKI(t *testing.T, pkcs1 []byte) []byte {
	t.Helper()
	der, err := asn1.Marshal(struct {
		Alg struct{ Alg asn1.ObjectIdentifier }
		Key asn1.BitString
	}{struct{ Alg asn1.ObjectIdentifier }{oidRSASSAPSS}, asn1.BitString{Bytes: pkcs1, BitLength: 8 * len(pkcs1)}})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// ed25519NonPoint returns 32 bytes whose y has no x on the curve, found with
// math/big: x^2 = (y^2 - 1) / (d y^2 + 1) must have no root mod p.
func ed25519NonPoint(t *testing.T) []byte {
	t.Helper()
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	d, _ := new(big.Int).SetString("37095705934669439343138083508754565189542113879843219016388785533085940283555", 10)
	for y := int64(2); ; y++ {
		yy := new(big.Int).Mul(big.NewInt(y), big.NewInt(y))
		num := new(big.Int).Sub(yy, big.NewInt(1))
		den := new(big.Int).Add(new(big.Int).Mul(d, yy), big.NewInt(1))
		x2 := new(big.Int).Mul(num, new(big.Int).ModInverse(den, p))
		x2.Mod(x2, p)
		if big.Jacobi(x2, p) == -1 {
			b := make([]byte, 32)
			b[0] = byte(y) // little-endian
			return b
		}
	}
}

// secp256k1NonX returns a compressed point whose x has no y: x^3 + 7 is not
// a square mod p.
func secp256k1NonX(t *testing.T) []byte {
	t.Helper()
	p := secp256k1.S256().P
	for x := int64(1); ; x++ {
		v := new(big.Int).Exp(big.NewInt(x), big.NewInt(3), p)
		v.Add(v, big.NewInt(7))
		if big.Jacobi(v, p) == -1 {
			b := make([]byte, 33)
			b[0] = 2
			big.NewInt(x).FillBytes(b[1:])
			return b
		}
	}
}
