package pki

import (
	gocrypto "crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// now is the time every generated certificate is checked at.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// The algorithms test chains are generated with.
var algs = []string{"rsa", "p256", "p384", "sm2"}

var (
	keysOnce sync.Once
	keys     map[string][]gocrypto.Signer
	serials  atomic.Int64
)

// testKey returns the i-th key (0 to 4) of alg; keys are generated once per
// test binary because RSA generation is slow.
func testKey(t testing.TB, alg string, i int) gocrypto.Signer {
	t.Helper()
	keysOnce.Do(func() {
		keys = make(map[string][]gocrypto.Signer)
		for _, a := range algs {
			for range 5 {
				var k gocrypto.Signer
				var err error
				switch a {
				case "rsa":
					k, err = rsa.GenerateKey(rand.Reader, 2048)
				case "p256":
					k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
				case "p384":
					k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
				case "sm2":
					k, err = sm2.GenerateKey(rand.Reader)
				}
				if err != nil {
					panic(err)
				}
				keys[a] = append(keys[a], k)
			}
		}
	})
	return keys[alg][i]
}

// authority is a generated certificate with its private key.
type authority struct {
	der  []byte
	cert *x509.Certificate // as a parent for CreateCertificate
	key  gocrypto.Signer
}

// mint signs tmpl for key's public key, by parent (self-signed when nil):
// with crypto/x509 for RSA and ECDSA, with smx509 when an SM2 key is
// involved.
func mint(t testing.TB, tmpl *x509.Certificate, key gocrypto.Signer, parent *authority) *authority {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(1000 + serials.Add(1))
	}
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	create := x509.CreateCertificate
	if isSM2(key) || isSM2(signer) {
		create = smx509.CreateCertificate
	}
	der, err := create(rand.Reader, tmpl, parentCert, key.Public(), signer)
	if err != nil {
		t.Fatalf("create %q: %v", tmpl.Subject.CommonName, err)
	}
	sc, err := smx509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("reparse %q: %v", tmpl.Subject.CommonName, err)
	}
	return &authority{der: der, cert: sc.ToX509(), key: key}
}

func isSM2(k gocrypto.Signer) bool {
	_, ok := k.(*sm2.PrivateKey)
	return ok
}

// caTmpl is a CA valid from a year before now for ten years; maxPathLen -1
// means no constraint.
func caTmpl(name string, maxPathLen int) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: name, Organization: []string{"baynet test"}},
		NotBefore:             now.AddDate(-1, 0, 0),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLen:            maxPathLen,
		MaxPathLenZero:        maxPathLen == 0,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

// leafTmpl is an end-entity certificate valid from a month before now for a
// year, usable for every purpose.
func leafTmpl(name string) *x509.Certificate {
	return &x509.Certificate{
		Subject:     pkix.Name{CommonName: name, Organization: []string{"baynet test"}},
		NotBefore:   now.AddDate(0, -1, 0),
		NotAfter:    now.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection},
	}
}

// withPolicies sets tmpl's certificate policies for both of crypto/x509's
// encoders (Policies) and smx509's (PolicyIdentifiers).
func withPolicies(tmpl *x509.Certificate, oids ...asn1.ObjectIdentifier) *x509.Certificate {
	tmpl.PolicyIdentifiers = oids
	tmpl.Policies = nil
	for _, o := range oids {
		p, err := x509.OIDFromInts(toUint64s(o))
		if err != nil {
			panic(err)
		}
		tmpl.Policies = append(tmpl.Policies, p)
	}
	return tmpl
}

func toUint64s(o asn1.ObjectIdentifier) []uint64 {
	out := make([]uint64, len(o))
	for i, a := range o {
		out[i] = uint64(a)
	}
	return out
}

// chain is a generated root -> intermediate -> leaf.
type chain struct {
	root, inter, leaf *authority
}

// tweak changes the template of one role ("root", "inter" or "leaf") of a
// generated chain.
type tweak func(role string, tmpl *x509.Certificate)

// on applies f to the template of role only.
func on(role string, f func(*x509.Certificate)) tweak {
	return func(r string, tmpl *x509.Certificate) {
		if r == role {
			f(tmpl)
		}
	}
}

// newChain generates a three-certificate chain whose certificates use the
// keys of rootAlg, interAlg and leafAlg. The intermediate has path length
// constraint 0.
func newChain(t testing.TB, rootAlg, interAlg, leafAlg string, tweaks ...tweak) chain {
	t.Helper()
	tmpls := map[string]*x509.Certificate{
		"root":  caTmpl("Root "+rootAlg, -1),
		"inter": caTmpl("Intermediate "+interAlg, 0),
		"leaf":  leafTmpl("Leaf " + leafAlg),
	}
	for role, tmpl := range tmpls {
		for _, tw := range tweaks {
			tw(role, tmpl)
		}
	}
	root := mint(t, tmpls["root"], testKey(t, rootAlg, 0), nil)
	inter := mint(t, tmpls["inter"], testKey(t, interAlg, 1), root)
	leaf := mint(t, tmpls["leaf"], testKey(t, leafAlg, 2), inter)
	return chain{root: root, inter: inter, leaf: leaf}
}

// parsed parses a generated certificate, failing the test on error.
func parsed(t testing.TB, a *authority) *Certificate {
	t.Helper()
	c, err := ParseCertificate(a.der, 0)
	if err != nil {
		t.Fatalf("ParseCertificate: %v", err)
	}
	return c
}

// request is a tendering verification of c's leaf through its intermediate
// against its root, at now.
func (c chain) request(t testing.TB) VerifyRequest {
	return VerifyRequest{
		Leaf:          c.leaf.der,
		Intermediates: [][]byte{c.inter.der},
		Trusted:       []*Certificate{parsed(t, c.root)},
		At:            now,
		Purpose:       PurposeTendering,
	}
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// codes returns the codes of rs, in order.
func codes(rs []Reason) []Code {
	out := make([]Code, len(rs))
	for i, r := range rs {
		out[i] = r.Code()
	}
	return out
}

// wantCodes fails the test unless res has exactly the reason codes want.
func wantCodes(t *testing.T, res Result, want ...Code) {
	t.Helper()
	got := codes(res.Reasons)
	if len(got) != len(want) {
		t.Fatalf("reasons %v, want codes %v", res.Reasons, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("reasons %v, want codes %v", res.Reasons, want)
		}
	}
}
