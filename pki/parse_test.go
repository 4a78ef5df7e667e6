package pki

import (
	"bytes"
	gocrypto "crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/baynet/baynet/crypto"
)

func TestParseCertificateFields(t *testing.T) {
	wantKey := map[string]struct {
		alg    KeyAlgorithm
		bits   int
		scheme crypto.Scheme
	}{
		"rsa":  {KeyRSA, 2048, crypto.SchemeRSAPKCS1},
		"p256": {KeyECDSAP256, 256, crypto.SchemeP256},
		"p384": {KeyECDSAP384, 384, crypto.SchemeP384},
		"sm2":  {KeySM2, 256, crypto.SchemeSM2},
	}
	policy := asn1.ObjectIdentifier{2, 16, 156, 1, 2, 3}
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			root := mint(t, caTmpl("Root", 2), testKey(t, alg, 0), nil)
			leaf := mint(t, withPolicies(leafTmpl("Leaf"), policy), testKey(t, alg, 2), root)
			for name, input := range map[string][]byte{"DER": leaf.der, "PEM": pemOf(leaf.der)} {
				c, err := ParseCertificate(input, 0)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want := wantKey[alg]
				switch {
				case c.ID != sha256.Sum256(leaf.der) || !bytes.Equal(c.Raw, leaf.der):
					t.Errorf("%s: id or raw is not the DER's", name)
				case c.KeyAlgorithm != want.alg || c.KeyBits != want.bits || c.PublicKey.Scheme() != want.scheme:
					t.Errorf("%s: key %s/%d/%s, want %v", name, c.KeyAlgorithm, c.KeyBits, c.PublicKey.Scheme(), want)
				case c.Subject.CommonName != "Leaf" || c.Issuer.CommonName != "Root" || c.SelfIssued():
					t.Errorf("%s: names %v / %v", name, c.Subject, c.Issuer)
				case c.SerialNumber.Cmp(leaf.cert.SerialNumber) != 0:
					t.Errorf("%s: serial %v", name, c.SerialNumber)
				case !c.NotBefore.Equal(leaf.cert.NotBefore) || !c.NotAfter.Equal(leaf.cert.NotAfter):
					t.Errorf("%s: validity %v - %v", name, c.NotBefore, c.NotAfter)
				case c.IsCA || c.MaxPathLen != -1:
					t.Errorf("%s: leaf IsCA %v MaxPathLen %d", name, c.IsCA, c.MaxPathLen)
				case c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment:
					t.Errorf("%s: key usage %v", name, c.KeyUsage)
				case len(c.ExtKeyUsage) != 2 || !c.ExtKeyUsage[0].Equal(OIDClientAuth) || !c.ExtKeyUsage[1].Equal(OIDEmailProtection):
					t.Errorf("%s: ext key usage %v", name, c.ExtKeyUsage)
				case len(c.Policies) != 1 || !c.Policies[0].Equal(policy):
					t.Errorf("%s: policies %v", name, c.Policies)
				case !bytes.Equal(c.AuthorityKeyID, root.cert.SubjectKeyId) || len(c.AuthorityKeyID) == 0:
					t.Errorf("%s: authority key id %x, root's subject key id %x", name, c.AuthorityKeyID, root.cert.SubjectKeyId)
				}
			}
			r := parsed(t, root)
			if !r.IsCA || r.MaxPathLen != 2 || !r.SelfIssued() || len(r.SubjectKeyID) == 0 || r.ExtKeyUsage != nil {
				t.Errorf("root: IsCA %v MaxPathLen %d self-issued %v SKI %x EKU %v", r.IsCA, r.MaxPathLen, r.SelfIssued(), r.SubjectKeyID, r.ExtKeyUsage)
			}
		})
	}
}

func TestParseCertificateRefuses(t *testing.T) {
	good := mint(t, leafTmpl("Leaf"), testKey(t, "p256", 2), nil).der
	goodPEM := pemOf(good)

	unknownCrit := leafTmpl("Unknown critical")
	unknownCrit.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
	nameConstraints := caTmpl("Name constrained", -1)
	nameConstraints.PermittedDNSDomainsCritical = true
	nameConstraints.PermittedDNSDomains = []string{"example.hk"}
	emptyEKU := leafTmpl("Empty EKU")
	emptyEKU.ExtKeyUsage = nil
	emptyEKU.ExtraExtensions = []pkix.Extension{{Id: oidExtKeyUsage, Value: []byte{0x30, 0}}}

	emptyKU := leafTmpl("Empty key usage")
	emptyKU.KeyUsage = 0
	emptyKU.ExtraExtensions = []pkix.Extension{{Id: oidKeyUsage, Critical: true, Value: []byte{3, 1, 0}}}

	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		input []byte
		max   int
		want  error
	}{
		{"empty", nil, 0, ErrMalformed},
		{"garbage DER", []byte{0x30, 0x82, 0xff, 0xff, 1, 2, 3}, 0, ErrMalformed},
		{"random bytes", bytes.Repeat([]byte{0xa5}, 300), 0, ErrMalformed},
		{"truncated DER", good[:len(good)-10], 0, ErrMalformed},
		{"trailing data after DER", append(bytes.Clone(good), 0), 0, ErrMalformed},
		{"two certificates", append(bytes.Clone(good), good...), 0, ErrMalformed},
		{"garbage PEM", []byte("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"), 0, ErrMalformed},
		{"PEM of garbage DER", pemOf([]byte{1, 2, 3, 4}), 0, ErrMalformed},
		{"PEM of a key", bytes.Replace(goodPEM, []byte("CERTIFICATE"), []byte("PUBLIC KEY"), 2), 0, ErrMalformed},
		{"text before PEM", append([]byte("hello\n"), goodPEM...), 0, ErrMalformed},
		{"text after PEM", append(bytes.Clone(goodPEM), "trailer"...), 0, ErrMalformed},
		{"two PEM blocks", append(bytes.Clone(goodPEM), goodPEM...), 0, ErrMalformed},
		{"PEM headers", bytes.Replace(goodPEM, []byte("-----\n"), []byte("-----\nProc-Type: 4,ENCRYPTED\n\n"), 1), 0, ErrMalformed},
		{"DER over the limit", good, len(good) - 1, ErrTooLarge},
		{"PEM over the limit", goodPEM, len(good) - 1, ErrTooLarge},
		{"input over twice the limit", make([]byte, 2*DefaultMaxCertSize+1), 0, ErrTooLarge},
		{"unknown critical extension", mint(t, unknownCrit, testKey(t, "p256", 2), nil).der, 0, ErrUnknownCritical},
		{"critical name constraints", mint(t, nameConstraints, testKey(t, "p256", 0), nil).der, 0, ErrUnknownCritical},
		{"keyUsage with no bit", mint(t, emptyKU, testKey(t, "p256", 2), nil).der, 0, ErrMalformed},
		{"extKeyUsage with no purpose", mint(t, emptyEKU, testKey(t, "p256", 2), nil).der, 0, ErrMalformed},
		{"ed25519 key", selfSigned(t, edKey), 0, ErrUnsupportedKey},
		{"RSA-1024 key", selfSigned(t, smallRSA), 0, ErrUnsupportedKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCertificate(tc.input, tc.max)
			var pe *ParseError
			if c != nil || !errors.As(err, &pe) || !errors.Is(err, tc.want) {
				t.Fatalf("got %v, %v; want a *ParseError wrapping %v", c, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "pki: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
	if _, err := ParseCertificate(good, len(good)); err != nil {
		t.Errorf("a certificate of exactly the limit is refused: %v", err)
	}
	if _, err := ParseCertificate(append([]byte("\n \t"), goodPEM...), 0); err != nil {
		t.Errorf("whitespace around PEM is refused: %v", err)
	}
}

func TestParseCertificateUnknownCriticalNamed(t *testing.T) {
	tmpl := leafTmpl("Unknown critical")
	tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
	_, err := ParseCertificate(mint(t, tmpl, testKey(t, "sm2", 2), nil).der, 0)
	if err == nil || !strings.Contains(err.Error(), "1.2.3.4") {
		t.Fatalf("error %v does not name the extension", err)
	}
	tmpl.ExtraExtensions[0].Critical = false
	if _, err := ParseCertificate(mint(t, tmpl, testKey(t, "sm2", 2), nil).der, 0); err != nil {
		t.Fatalf("a non-critical unknown extension is refused: %v", err)
	}
}

func TestParseCertificateCopiesInput(t *testing.T) {
	der := bytes.Clone(mint(t, leafTmpl("Leaf"), testKey(t, "p256", 2), nil).der)
	c, err := ParseCertificate(der, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(der)
	clear(der)
	if !bytes.Equal(c.Raw, want) || c.ID != sha256.Sum256(want) {
		t.Fatal("the certificate shares memory with the caller's input")
	}
}

// selfSigned makes a self-signed certificate for a key this package does not
// accept.
func selfSigned(t *testing.T, key gocrypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Other key"}, NotBefore: now, NotAfter: now.AddDate(1, 0, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}
