package pki

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// wantPath fails the test unless res's path is exactly certs, by id.
func wantPath(t *testing.T, res Result, certs ...*authority) {
	t.Helper()
	if len(res.Path) != len(certs) {
		t.Fatalf("path of %d certificates, want %d", len(res.Path), len(certs))
	}
	for i, a := range certs {
		if res.Path[i].ID != sha256.Sum256(a.der) {
			t.Fatalf("path[%d] is %v, want %s", i, res.Path[i].Ref(), a.cert.Subject)
		}
	}
}

func TestVerifyChainValid(t *testing.T) {
	type tc struct {
		name  string
		chain chain
	}
	var cases []tc
	for _, alg := range algs {
		cases = append(cases, tc{alg, newChain(t, alg, alg, alg)})
	}
	cases = append(cases,
		tc{"SM2 root -> SM2 intermediate -> SM2 leaf", newChain(t, "sm2", "sm2", "sm2")},
		tc{"RSA root -> P-384 intermediate -> SM2 leaf", newChain(t, "rsa", "p384", "sm2")},
		tc{"SM2 root -> RSA intermediate -> P-256 leaf", newChain(t, "sm2", "rsa", "p256")},
		tc{"RSA-PSS signatures", newChain(t, "rsa", "rsa", "rsa", func(_ string, tmpl *x509.Certificate) {
			tmpl.SignatureAlgorithm = x509.SHA256WithRSAPSS
		})},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range Purposes() {
				req := c.chain.request(t)
				req.Purpose = p
				res := VerifyChain(req)
				if !res.OK() || !res.Trusted || res.Err() != nil {
					t.Fatalf("%s: %v", p, res.Err())
				}
				wantPath(t, res, c.chain.leaf, c.chain.inter, c.chain.root)
			}
			req := c.chain.request(t)
			req.Leaf, req.Intermediates = pemOf(c.chain.leaf.der), [][]byte{pemOf(c.chain.inter.der)}
			if res := VerifyChain(req); !res.OK() {
				t.Fatalf("PEM input: %v", res.Err())
			}
		})
	}
}

func TestVerifyChainValidity(t *testing.T) {
	expire := func(tmpl *x509.Certificate) { tmpl.NotAfter = now.Add(-time.Second) }
	cases := []struct {
		name string
		tw   tweak
		want Code
		role string
	}{
		{"expired leaf", on("leaf", expire), CodeExpired, "leaf"},
		{"expired intermediate", on("inter", expire), CodeExpired, "inter"},
		{"expired root", on("root", expire), CodeExpired, "root"},
		{"not yet valid leaf", on("leaf", func(tmpl *x509.Certificate) { tmpl.NotBefore = now.Add(time.Second) }), CodeNotYetValid, "leaf"},
		{"not yet valid intermediate", on("inter", func(tmpl *x509.Certificate) { tmpl.NotBefore = now.Add(time.Second) }), CodeNotYetValid, "inter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t, "p256", "p256", "p256", tc.tw)
			res := VerifyChain(c.request(t))
			wantCodes(t, res, tc.want)
			bad := map[string]*authority{"leaf": c.leaf, "inter": c.inter, "root": c.root}[tc.role]
			var ref CertRef
			switch r := res.Reasons[0].(type) {
			case ReasonExpired:
				ref = r.Cert
				if !r.NotAfter.Equal(bad.cert.NotAfter) || !r.At.Equal(now) {
					t.Errorf("reason carries %+v", r)
				}
			case ReasonNotYetValid:
				ref = r.Cert
			}
			if ref.ID != parsed(t, bad).ID {
				t.Errorf("reason names %v, want the %s", ref, tc.role)
			}
			wantPath(t, res, c.leaf, c.inter, c.root)
		})
	}
	t.Run("bounds are inclusive", func(t *testing.T) {
		c := newChain(t, "p256", "p256", "p256")
		req := c.request(t)
		req.At = c.leaf.cert.NotAfter
		if res := VerifyChain(req); !res.OK() {
			t.Errorf("at NotAfter: %v", res.Err())
		}
		req.At = c.leaf.cert.NotBefore
		if res := VerifyChain(req); !res.OK() {
			t.Errorf("at NotBefore: %v", res.Err())
		}
	})
}

func TestVerifyChainRevocation(t *testing.T) {
	c := newChain(t, "sm2", "sm2", "sm2")
	root, inter, leaf := parsed(t, c.root), parsed(t, c.inter), parsed(t, c.leaf)
	cases := []struct {
		name    string
		cert    *Certificate
		issuer  *Certificate
		at      int // revocation time, in seconds from now
		revoked bool
	}{
		{"leaf revoked before", leaf, inter, -3600, true},
		{"leaf revoked at the time", leaf, inter, 0, true},
		{"leaf revoked after", leaf, inter, 3600, false},
		{"intermediate revoked before", inter, root, -86400, true},
		{"intermediate revoked after", inter, root, 86400, false},
		{"serial revoked by another CA", leaf, root, -3600, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			revokedAt := now.Add(time.Duration(tc.at) * time.Second)
			var asked []Fingerprint
			req := c.request(t)
			req.Revoked = func(issuer Fingerprint, serial *big.Int) (Revocation, bool) {
				asked = append(asked, issuer)
				if issuer == tc.issuer.ID && serial.Cmp(tc.cert.SerialNumber) == 0 {
					return Revocation{At: revokedAt, Reason: "keyCompromise"}, true
				}
				return Revocation{}, false
			}
			res := VerifyChain(req)
			if len(asked) != 2 || asked[0] != inter.ID || asked[1] != root.ID {
				t.Errorf("lookups by issuer %v, want the intermediate's then the root's", asked)
			}
			if !tc.revoked {
				if !res.OK() {
					t.Fatal(res.Err())
				}
				return
			}
			wantCodes(t, res, CodeRevoked)
			r := res.Reasons[0].(ReasonRevoked)
			if r.Cert.ID != tc.cert.ID || r.Serial.Cmp(tc.cert.SerialNumber) != 0 || !r.At.Equal(revokedAt) || r.Reason != "keyCompromise" {
				t.Errorf("reason carries %+v", r)
			}
			if msg := r.Error(); !strings.Contains(msg, tc.cert.SerialNumber.Text(16)) || !strings.Contains(msg, "keyCompromise") {
				t.Errorf("message %q lacks the serial or the reason", msg)
			}
		})
	}
}

func TestVerifyChainUnknownCritical(t *testing.T) {
	c := newChain(t, "sm2", "sm2", "sm2", on("leaf", func(tmpl *x509.Certificate) {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 156, 99, 1}, Critical: true, Value: []byte{5, 0}}}
	}))
	res := VerifyChain(c.request(t))
	wantCodes(t, res, CodeUnknownCritical)
	if r := res.Reasons[0].(ReasonUnknownCritical); len(r.OIDs) != 1 || !strings.Contains(r.Error(), "1.2.156.99.1") {
		t.Errorf("reason %v", r)
	}
	wantPath(t, res, c.leaf, c.inter, c.root)
}

func TestVerifyChainRequest(t *testing.T) {
	c := newChain(t, "p256", "p256", "p256")
	t.Run("unknown purpose", func(t *testing.T) {
		req := c.request(t)
		req.Purpose = "login"
		res := VerifyChain(req)
		wantCodes(t, res, CodeUnknownPurpose)
		if res.Path != nil {
			t.Error("a path was built")
		}
	})
	t.Run("too many intermediates", func(t *testing.T) {
		req := c.request(t)
		req.Intermediates = append(req.Intermediates, c.inter.der)
		req.Limits.MaxIntermediates = 1
		wantCodes(t, VerifyChain(req), CodeTooManyIntermediates)
		req.Intermediates = make([][]byte, DefaultMaxIntermediates+1)
		req.Limits.MaxIntermediates = 0
		wantCodes(t, VerifyChain(req), CodeTooManyIntermediates)
	})
	t.Run("garbage leaf", func(t *testing.T) {
		req := c.request(t)
		req.Leaf = []byte("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n")
		res := VerifyChain(req)
		wantCodes(t, res, CodeMalformed)
		if !errors.Is(res.Err(), ErrMalformed) || res.Path != nil {
			t.Errorf("got %v, path %v", res.Err(), res.Path)
		}
	})
	t.Run("oversized intermediate", func(t *testing.T) {
		req := c.request(t)
		req.Intermediates = append(req.Intermediates, make([]byte, DefaultMaxCertSize+1))
		res := VerifyChain(req)
		wantCodes(t, res, CodeMalformed)
		if !errors.Is(res.Err(), ErrTooLarge) || !res.Trusted {
			t.Errorf("got %v, trusted %v", res.Err(), res.Trusted)
		}
	})
	t.Run("leaf over the size limit", func(t *testing.T) {
		req := c.request(t)
		req.Intermediates = nil
		req.Limits.MaxCertSize = len(c.leaf.der) - 1
		wantCodes(t, VerifyChain(req), CodeMalformed)
	})
}

// TestVerifyChainEveryReason: one chain with four faults gets four reasons.
func TestVerifyChainEveryReason(t *testing.T) {
	c := newChain(t, "rsa", "rsa", "rsa", on("leaf", func(tmpl *x509.Certificate) {
		tmpl.NotAfter = now.AddDate(0, 0, -1)
		tmpl.KeyUsage = x509.KeyUsageKeyEncipherment
	}))
	req := c.request(t)
	req.Revoked = revokeEverything
	req.Policies = []asn1.ObjectIdentifier{{2, 16, 156, 1}}
	res := VerifyChain(req)
	wantCodes(t, res, CodeExpired, CodeKeyUsage, CodeRevoked, CodeRevoked, CodePolicy)
	var expired ReasonExpired
	if err := res.Err(); !errors.As(err, &expired) || !strings.Contains(err.Error(), "Leaf rsa") {
		t.Errorf("error %v", err)
	}
}
