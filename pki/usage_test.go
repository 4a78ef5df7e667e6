package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"strings"
	"testing"
)

func TestVerifyChainKeyUsage(t *testing.T) {
	ku := func(u x509.KeyUsage) func(*x509.Certificate) {
		return func(tmpl *x509.Certificate) { tmpl.KeyUsage = u }
	}
	eku := func(u ...x509.ExtKeyUsage) func(*x509.Certificate) {
		return func(tmpl *x509.Certificate) { tmpl.ExtKeyUsage = u }
	}
	cases := []struct {
		name    string
		tw      tweak
		purpose Purpose
		want    []Code
		role    string // the certificate the reason names
	}{
		{"encryption-only leaf", on("leaf", ku(x509.KeyUsageKeyEncipherment|x509.KeyUsageDataEncipherment)), PurposeTendering, []Code{CodeKeyUsage}, "leaf"},
		{"e-signature needs contentCommitment", on("leaf", ku(x509.KeyUsageDigitalSignature)), PurposeESignature, []Code{CodeKeyUsage}, "leaf"},
		{"digitalSignature suffices for tendering", on("leaf", ku(x509.KeyUsageDigitalSignature)), PurposeTendering, nil, ""},
		{"leaf without keyUsage", on("leaf", ku(0)), PurposeESignature, nil, ""},
		{"serverAuth-only leaf", on("leaf", eku(x509.ExtKeyUsageServerAuth)), PurposeTendering, []Code{CodeExtKeyUsage}, "leaf"},
		{"clientAuth is not an e-seal", on("leaf", eku(x509.ExtKeyUsageClientAuth)), PurposeESeal, []Code{CodeExtKeyUsage}, "leaf"},
		{"anyExtendedKeyUsage leaf", on("leaf", eku(x509.ExtKeyUsageAny)), PurposeESeal, nil, ""},
		{"serverAuth-only intermediate", on("inter", eku(x509.ExtKeyUsageServerAuth)), PurposeTendering, []Code{CodeExtKeyUsage}, "inter"},
		{"intermediate without keyCertSign", on("inter", ku(x509.KeyUsageDigitalSignature)), PurposeTendering, []Code{CodeKeyUsage}, "inter"},
		{"intermediate that is not a CA", on("inter", func(tmpl *x509.Certificate) { tmpl.IsCA, tmpl.MaxPathLen = false, -1 }), PurposeTendering, []Code{CodeNotCA}, "inter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t, "rsa", "p256", "sm2", tc.tw)
			req := c.request(t)
			req.Purpose = tc.purpose
			res := VerifyChain(req)
			wantCodes(t, res, tc.want...)
			if tc.role == "" {
				return
			}
			named := map[string]*authority{"leaf": c.leaf, "inter": c.inter}[tc.role]
			if !strings.Contains(res.Reasons[0].Error(), named.cert.Subject.String()) {
				t.Errorf("reason %q does not name the %s", res.Reasons[0], tc.role)
			}
		})
	}
	t.Run("message names the usages", func(t *testing.T) {
		c := newChain(t, "p256", "p256", "p256", on("leaf", ku(x509.KeyUsageKeyEncipherment)))
		res := VerifyChain(c.request(t))
		if msg := res.Reasons[0].Error(); !strings.Contains(msg, "keyEncipherment") || !strings.Contains(msg, "digitalSignature|contentCommitment") {
			t.Errorf("message %q", msg)
		}
	})
}

func TestVerifyChainPathLength(t *testing.T) {
	t.Run("root allows no intermediate", func(t *testing.T) {
		c := newChain(t, "p384", "p384", "p384", on("root", func(tmpl *x509.Certificate) { tmpl.MaxPathLen, tmpl.MaxPathLenZero = 0, true }))
		res := VerifyChain(c.request(t))
		wantCodes(t, res, CodePathLen)
		r := res.Reasons[0].(ReasonPathLen)
		if r.Cert.ID != parsed(t, c.root).ID || r.MaxPathLen != 0 || r.Below != 1 {
			t.Errorf("reason carries %+v", r)
		}
	})
	t.Run("two intermediates under path length 1", func(t *testing.T) {
		root := mint(t, caTmpl("Root", 1), testKey(t, "p256", 0), nil)
		i1 := mint(t, caTmpl("Intermediate 1", -1), testKey(t, "p256", 1), root)
		i2 := mint(t, caTmpl("Intermediate 2", -1), testKey(t, "p256", 3), i1)
		leaf := mint(t, leafTmpl("Leaf"), testKey(t, "p256", 2), i2)
		res := VerifyChain(VerifyRequest{
			Leaf: leaf.der, Intermediates: [][]byte{i1.der, i2.der},
			Trusted: []*Certificate{parsed(t, root)}, At: now, Purpose: PurposeESeal,
		})
		wantCodes(t, res, CodePathLen)
		if r := res.Reasons[0].(ReasonPathLen); r.MaxPathLen != 1 || r.Below != 2 {
			t.Errorf("reason carries %+v", r)
		}
		wantPath(t, res, leaf, i2, i1, root)
	})
	t.Run("a self-issued intermediate does not count", func(t *testing.T) {
		rootTmpl := caTmpl("Root", 0)
		root := mint(t, rootTmpl, testKey(t, "sm2", 0), nil)
		rollover := mint(t, caTmpl("Root", 0), testKey(t, "sm2", 1), root)
		leaf := mint(t, leafTmpl("Leaf"), testKey(t, "sm2", 2), rollover)
		res := VerifyChain(VerifyRequest{
			Leaf: leaf.der, Intermediates: [][]byte{rollover.der},
			Trusted: []*Certificate{parsed(t, root)}, At: now, Purpose: PurposeTendering,
		})
		if !res.OK() {
			t.Fatal(res.Err())
		}
		wantPath(t, res, leaf, rollover, root)
	})
}

func TestVerifyChainPolicies(t *testing.T) {
	p1 := asn1.ObjectIdentifier{2, 16, 156, 9, 1}
	p2 := asn1.ObjectIdentifier{2, 16, 344, 9, 2}
	policies := func(role string, oids ...asn1.ObjectIdentifier) tweak {
		return on(role, func(tmpl *x509.Certificate) { withPolicies(tmpl, oids...) })
	}
	cases := []struct {
		name string
		tws  []tweak
		want []asn1.ObjectIdentifier
		code []Code
		role string
	}{
		{"none required", nil, nil, nil, ""},
		{"required and asserted", []tweak{policies("leaf", p1), policies("inter", p1)}, []asn1.ObjectIdentifier{p1}, nil, ""},
		{"one of two asserted", []tweak{policies("leaf", p2), policies("inter", p1, p2)}, []asn1.ObjectIdentifier{p1, p2}, nil, ""},
		{"anyPolicy intermediate", []tweak{policies("leaf", p1), policies("inter", OIDAnyPolicy)}, []asn1.ObjectIdentifier{p1}, nil, ""},
		{"leaf without the policy", []tweak{policies("leaf", p2), policies("inter", p1)}, []asn1.ObjectIdentifier{p1}, []Code{CodePolicy}, "leaf"},
		{"leaf without policies", []tweak{policies("inter", p1)}, []asn1.ObjectIdentifier{p1}, []Code{CodePolicy}, "leaf"},
		{"anyPolicy leaf", []tweak{policies("leaf", OIDAnyPolicy), policies("inter", p1)}, []asn1.ObjectIdentifier{p1}, []Code{CodePolicy}, "leaf"},
		{"intermediate without the policy", []tweak{policies("leaf", p1, p2), policies("inter", p2)}, []asn1.ObjectIdentifier{p1}, []Code{CodePolicy}, "inter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t, "p256", "p256", "p256", tc.tws...)
			req := c.request(t)
			req.Policies = tc.want
			res := VerifyChain(req)
			wantCodes(t, res, tc.code...)
			if tc.role == "" {
				return
			}
			r := res.Reasons[0].(ReasonPolicy)
			named := map[string]*authority{"leaf": c.leaf, "inter": c.inter}[tc.role]
			if r.Cert.ID != parsed(t, named).ID || !strings.Contains(r.Error(), p1.String()) {
				t.Errorf("reason %v, want the %s named with the missing policy", r, tc.role)
			}
		})
	}
}
