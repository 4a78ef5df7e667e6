package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/ethereum/go-ethereum/crypto/secp256k1"
)

var allSchemes = []Scheme{SchemeEd25519, SchemeSecp256k1, SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS, SchemeSM2}

// testSigner is a key pair of one scheme, made with the signing side of the
// underlying libraries (or OpenSSL-compatible ones), for tests.
type testSigner struct {
	scheme Scheme
	pub    PublicKey
	// encodings of the public key in every form ParsePublicKey accepts
	encodings map[string][]byte
	// sign returns a valid signature over msg (for SM2 under uid; nil means
	// the default) in the scheme's usual encoding: DER for P-256, P-384 and
	// SM2, r||s for secp256k1, and always with a low S.
	sign func(msg, uid []byte) []byte
	// signHash, for RSA, P-256 and P-384, signs msg as sign does but under
	// hash h (HashScheme is the scheme's own).
	signHash func(msg []byte, h Hash) []byte
}

var (
	signerMu    sync.Mutex
	signerCache = map[Scheme][]*testSigner{}
	rsaKeys     = sync.OnceValues(func() ([2]*rsa.PrivateKey, error) {
		var ks [2]*rsa.PrivateKey
		for i := range ks {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				return ks, err
			}
			ks[i] = k
		}
		return ks, nil
	})
)

// signers returns two distinct signers of scheme s, made once per test binary.
func signers(t testing.TB, s Scheme) []*testSigner {
	t.Helper()
	signerMu.Lock()
	defer signerMu.Unlock()
	if ss, ok := signerCache[s]; ok {
		return ss
	}
	ss := []*testSigner{newTestSigner(t, s, 0), newTestSigner(t, s, 1)}
	signerCache[s] = ss
	return ss
}

func newTestSigner(t testing.TB, s Scheme, idx int) *testSigner {
	t.Helper()
	ts := &testSigner{scheme: s, encodings: map[string][]byte{}}
	switch s {
	case SchemeEd25519:
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		ts.encodings["raw"] = pub
		ts.addPKIX(t, pub)
		ts.sign = func(msg, _ []byte) []byte { return ed25519.Sign(priv, msg) }
	case SchemeSecp256k1:
		seckey := make([]byte, 32)
		for {
			rand.Read(seckey)
			if v := new(big.Int).SetBytes(seckey); v.Sign() > 0 && v.Cmp(secp256k1.S256().N) < 0 {
				break
			}
		}
		x, y := secp256k1.S256().ScalarBaseMult(seckey)
		ts.addPoints(x, y, 32)
		spki, err := asn1.Marshal(struct {
			Alg struct{ Alg, Curve asn1.ObjectIdentifier }
			Key asn1.BitString
		}{struct{ Alg, Curve asn1.ObjectIdentifier }{oidECPublicKey, oidCurveSecp256k}, asn1.BitString{Bytes: ts.encodings["uncompressed"], BitLength: 65 * 8}})
		if err != nil {
			t.Fatal(err)
		}
		ts.addDER(spki, "PUBLIC KEY", "pkix")
		ts.sign = func(msg, _ []byte) []byte {
			h := sha256.Sum256(msg)
			sig, err := secp256k1.Sign(h[:], seckey)
			if err != nil {
				t.Fatal(err)
			}
			return sig[:64]
		}
	case SchemeP256, SchemeP384:
		priv, err := ecdsa.GenerateKey(nistCurve(s), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		ts.addPoints(priv.X, priv.Y, nistParams(s).size)
		ts.addPKIX(t, &priv.PublicKey)
		n := priv.Curve.Params().N
		ts.signHash = func(msg []byte, h Hash) []byte {
			sig, err := ecdsa.SignASN1(rand.Reader, priv, stdDigest(h.effective(s), msg))
			if err != nil {
				t.Fatal(err)
			}
			if derHighS(sig, n) {
				sig = otherHalf(t, sig, n)
			}
			return sig
		}
		ts.sign = func(msg, _ []byte) []byte { return ts.signHash(msg, HashScheme) }
	case SchemeRSAPKCS1, SchemeRSAPSS:
		keys, err := rsaKeys()
		if err != nil {
			t.Fatal(err)
		}
		priv := keys[idx]
		ts.addPKIX(t, &priv.PublicKey)
		ts.addDER(x509.MarshalPKCS1PublicKey(&priv.PublicKey), "RSA PUBLIC KEY", "pkcs1")
		ts.signHash = func(msg []byte, h Hash) []byte {
			std := stdHash(h.effective(s))
			digest := stdDigest(h.effective(s), msg)
			var sig []byte
			if s == SchemeRSAPSS {
				sig, err = rsa.SignPSS(rand.Reader, priv, std, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
			} else {
				sig, err = rsa.SignPKCS1v15(rand.Reader, priv, std, digest)
			}
			if err != nil {
				t.Fatal(err)
			}
			return sig
		}
		ts.sign = func(msg, _ []byte) []byte { return ts.signHash(msg, HashScheme) }
	case SchemeSM2:
		priv, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		ts.addPoints(priv.X, priv.Y, 32)
		der, err := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		ts.addDER(der, "PUBLIC KEY", "pkix")
		ts.sign = func(msg, uid []byte) []byte {
			sig, err := sm2.SignASN1(rand.Reader, priv, msg, sm2.NewSM2SignerOption(true, uid))
			if err != nil {
				t.Fatal(err)
			}
			return sig
		}
	}
	var err error
	for _, b := range ts.encodings {
		if ts.pub, err = ParsePublicKey(s, b); err != nil {
			t.Fatal(err)
		}
		break
	}
	return ts
}

func (ts *testSigner) addPoints(x, y *big.Int, size int) {
	u := make([]byte, 1+2*size)
	u[0] = 4
	x.FillBytes(u[1 : 1+size])
	y.FillBytes(u[1+size:])
	c := make([]byte, 1+size)
	c[0] = 2 | byte(y.Bit(0))
	x.FillBytes(c[1:])
	ts.encodings["uncompressed"], ts.encodings["compressed"] = u, c
}

func (ts *testSigner) addPKIX(t testing.TB, pub any) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	ts.addDER(der, "PUBLIC KEY", "pkix")
}

func (ts *testSigner) addDER(der []byte, pemType, name string) {
	ts.encodings[name] = der
	ts.encodings[name+"-pem"] = pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})
}

// otherHalf returns the DER signature (r, n-s), using encoding/asn1 rather
// than the code under test.
func otherHalf(t testing.TB, sig []byte, n *big.Int) []byte {
	t.Helper()
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &rs); err != nil {
		t.Fatal(err)
	}
	out, err := asn1.Marshal(struct{ R, S *big.Int }{rs.R, new(big.Int).Sub(n, rs.S)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// toDER and toFixed convert between DER and fixed-width r||s.
func toDER(t testing.TB, raw []byte) []byte {
	t.Helper()
	h := len(raw) / 2
	out, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:h]), new(big.Int).SetBytes(raw[h:])})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func toFixed(t testing.TB, der []byte, size int) []byte {
	t.Helper()
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out
}

// isECDSA reports whether s has high/low S forms.
func isECDSA(s Scheme) bool {
	return s == SchemeSecp256k1 || s == SchemeP256 || s == SchemeP384
}

// nInt is the group order as a big.Int.
func (p *ecParams) nInt() *big.Int { return new(big.Int).SetBytes(p.n) }

// stdHash and stdDigest name and compute h with the standard library alone,
// not with the code under test.
func stdHash(h Hash) crypto.Hash {
	switch h {
	case HashSHA256:
		return crypto.SHA256
	case HashSHA384:
		return crypto.SHA384
	case HashSHA512:
		return crypto.SHA512
	}
	panic("no standard hash for " + h.String())
}

func stdDigest(h Hash, msg []byte) []byte {
	switch h {
	case HashSHA256:
		d := sha256.Sum256(msg)
		return d[:]
	case HashSHA384:
		d := sha512.Sum384(msg)
		return d[:]
	case HashSHA512:
		d := sha512.Sum512(msg)
		return d[:]
	}
	panic("no standard hash for " + h.String())
}

// namesHash reports whether items of scheme s may name another hash.
func namesHash(s Scheme) bool {
	return s == SchemeP256 || s == SchemeP384 || s == SchemeRSAPKCS1 || s == SchemeRSAPSS
}
