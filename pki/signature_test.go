package pki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/baynet/baynet/crypto"
)

// TestSignatureHashes generates a root, intermediate and leaf signed with
// each algorithm that names a hash other than its key's scheme's own, and
// requires CheckCA and VerifyChain to accept them, the standard library to
// agree, and a tampered signature at each link to be refused.
func TestSignatureHashes(t *testing.T) {
	cases := []struct {
		alg  string
		sig  x509.SignatureAlgorithm
		hash crypto.Hash
	}{
		{"rsa", x509.SHA384WithRSA, crypto.HashSHA384},
		{"rsa", x509.SHA512WithRSA, crypto.HashSHA512},
		{"rsa", x509.SHA384WithRSAPSS, crypto.HashSHA384},
		{"rsa", x509.SHA512WithRSAPSS, crypto.HashSHA512},
		{"p256", x509.ECDSAWithSHA384, crypto.HashSHA384},
		{"p256", x509.ECDSAWithSHA512, crypto.HashSHA512},
		{"p384", x509.ECDSAWithSHA256, crypto.HashSHA256},
		{"p384", x509.ECDSAWithSHA512, crypto.HashSHA512},
	}
	for _, tc := range cases {
		t.Run(tc.alg+"/"+tc.sig.String(), func(t *testing.T) {
			c := newChain(t, tc.alg, tc.alg, tc.alg, func(_ string, tmpl *x509.Certificate) { tmpl.SignatureAlgorithm = tc.sig })
			root, inter, leaf := parsed(t, c.root), parsed(t, c.inter), parsed(t, c.leaf)
			for _, cert := range []*Certificate{root, inter, leaf} {
				if cert.sigAlg != tc.sig {
					t.Fatalf("%s is signed with %v", cert.Subject.CommonName, cert.sigAlg)
				}
			}
			item, r := signatureItem(leaf, inter)
			if r != nil || item.Hash != tc.hash || item.Policy != crypto.PolicyExternal {
				t.Fatalf("item hash %v policy %v, reason %v", item.Hash, item.Policy, r)
			}
			if err := inter.stdCert(t).CheckSignatureFrom(root.stdCert(t)); err != nil {
				t.Fatalf("crypto/x509 refuses the intermediate: %v", err)
			}
			if err := CheckCA(root, nil, now); err != nil {
				t.Errorf("root: %v", err)
			}
			if err := CheckCA(inter, root, now); err != nil {
				t.Errorf("intermediate: %v", err)
			}
			if res := VerifyChain(c.request(t)); !res.OK() || len(res.Path) != 3 {
				t.Errorf("chain: %v", res.Reasons)
			}

			badRoot, badInter := parsed(t, c.root), parsed(t, c.inter)
			badRoot.Signature[len(badRoot.Signature)/2] ^= 1
			badInter.Signature[len(badInter.Signature)/2] ^= 1
			if got := caCodes(t, CheckCA(badRoot, nil, now)); len(got) != 1 || got[0] != CodeBadSignature {
				t.Errorf("tampered root: %v", got)
			}
			if got := caCodes(t, CheckCA(badInter, root, now)); len(got) != 1 || got[0] != CodeBadSignature {
				t.Errorf("tampered intermediate: %v", got)
			}
			req := c.request(t)
			req.Leaf = tamperSignature(t, c.leaf.der)
			res := VerifyChain(req)
			wantCodes(t, res, CodeBadSignature)
			var bad ReasonBadSignature
			if !errors.As(res.Reasons[0], &bad) || bad.Issuer.ID != inter.ID {
				t.Errorf("reason %v", res.Reasons[0])
			}
		})
	}
}

// TestSignatureHashNeedsItsKeyType: an ECDSA algorithm under an RSA key is
// unsupported rather than tried.
func TestSignatureHashNeedsItsKeyType(t *testing.T) {
	rsaChain := newChain(t, "rsa", "rsa", "rsa")
	ecChain := newChain(t, "p384", "p384", "p384", func(_ string, tmpl *x509.Certificate) { tmpl.SignatureAlgorithm = x509.ECDSAWithSHA512 })
	rsaRoot, ecInter := parsed(t, rsaChain.root), parsed(t, ecChain.inter)
	var u ReasonUnsupportedSignature
	if _, r := signatureItem(ecInter, rsaRoot); !errors.As(r, &u) || u.IssuerKey != KeyRSA || u.Algorithm != "ECDSA-SHA512" {
		t.Errorf("ECDSA-SHA512 under an RSA key: %v", r)
	}
}

// TestSHA1Roots: a root whose self-signature is SHA-1 is registered with
// that signature unverified, and says so; every SHA-1 link of a chain is
// still refused.
func TestSHA1Roots(t *testing.T) {
	for _, tc := range []struct {
		alg  string
		sig  x509.SignatureAlgorithm
		name string
	}{
		{"rsa", x509.SHA1WithRSA, "SHA1-RSA"},
		{"p256", x509.ECDSAWithSHA1, "ECDSA-SHA1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t, tc.alg, tc.alg, tc.alg, on("root", func(tmpl *x509.Certificate) { tmpl.SignatureAlgorithm = tc.sig }))
			root := parsed(t, c.root)
			if note := root.UnverifiedSelfSignature; !strings.Contains(note, "not verified") || !strings.Contains(note, tc.name) {
				t.Errorf("note %q", note)
			}
			if err := CheckCA(root, nil, now); err != nil {
				t.Errorf("SHA-1 root: %v", err)
			}
			// Unverified means unverified: a damaged self-signature changes
			// nothing, and the note says so.
			tampered := parsed(t, &authority{der: tamperSignature(t, c.root.der)})
			if err := CheckCA(tampered, nil, now); err != nil || tampered.UnverifiedSelfSignature == "" {
				t.Errorf("tampered SHA-1 root: %v", err)
			}
			// Links below it are verified as always.
			inter := parsed(t, c.inter)
			if inter.UnverifiedSelfSignature != "" {
				t.Errorf("an intermediate carries %q", inter.UnverifiedSelfSignature)
			}
			if err := CheckCA(inter, root, now); err != nil {
				t.Errorf("SHA-256 intermediate under the SHA-1 root: %v", err)
			}
			if res := VerifyChain(c.request(t)); !res.OK() {
				t.Errorf("chain under the SHA-1 root: %v", res.Reasons)
			}

			sha1Links := newChain(t, tc.alg, tc.alg, tc.alg, func(_ string, tmpl *x509.Certificate) { tmpl.SignatureAlgorithm = tc.sig })
			sha1Inter := parsed(t, sha1Links.inter)
			if got := caCodes(t, CheckCA(sha1Inter, parsed(t, sha1Links.root), now)); len(got) != 1 || got[0] != CodeUnsupportedSignature {
				t.Errorf("SHA-1 intermediate: %v", got)
			}
			res := VerifyChain(sha1Links.request(t))
			wantCodes(t, res, CodeUnsupportedSignature, CodeUnsupportedSignature)
			for _, r := range res.Reasons {
				if !strings.Contains(r.Error(), tc.name) {
					t.Errorf("reason %q does not name %s", r, tc.name)
				}
			}

			sha1Leaf := newChain(t, tc.alg, tc.alg, tc.alg, on("leaf", func(tmpl *x509.Certificate) { tmpl.SignatureAlgorithm = tc.sig }))
			wantCodes(t, VerifyChain(sha1Leaf.request(t)), CodeUnsupportedSignature)
		})
	}
	t.Run("SHA-256 root has no note", func(t *testing.T) {
		if note := parsed(t, newChain(t, "rsa", "rsa", "rsa").root).UnverifiedSelfSignature; note != "" {
			t.Errorf("note %q", note)
		}
	})
}

// tamperSignature flips a bit in the last byte of a certificate's DER,
// which is inside its signature.
func tamperSignature(t *testing.T, der []byte) []byte {
	t.Helper()
	out := bytes.Clone(der)
	out[len(out)-1] ^= 1
	return out
}

// stdCert parses c with crypto/x509, an independent check of its signature.
func (c *Certificate) stdCert(t *testing.T) *x509.Certificate {
	t.Helper()
	sc, err := x509.ParseCertificate(c.Raw)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
