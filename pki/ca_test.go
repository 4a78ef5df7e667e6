package pki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
)

// caCodes returns the reason codes of CheckCA's error, nil when it passes.
func caCodes(t *testing.T, err error) []Code {
	t.Helper()
	if err == nil {
		return nil
	}
	var re *RejectedError
	if !errors.As(err, &re) {
		t.Fatalf("CheckCA error %T %v is not a *RejectedError", err, err)
	}
	return codes(re.Reasons)
}

func TestCheckCAAcceptsRootsAndIntermediates(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			c := newChain(t, alg, alg, alg)
			root, inter := parsed(t, c.root), parsed(t, c.inter)
			if err := CheckCA(root, nil, now); err != nil {
				t.Errorf("root: %v", err)
			}
			if err := CheckCA(inter, root, now); err != nil {
				t.Errorf("intermediate: %v", err)
			}
		})
	}
	t.Run("rsa root, sm2 intermediate", func(t *testing.T) {
		c := newChain(t, "rsa", "sm2", "sm2")
		if err := CheckCA(parsed(t, c.inter), parsed(t, c.root), now); err != nil {
			t.Error(err)
		}
	})
	t.Run("rsa-pss root", func(t *testing.T) {
		tmpl := caTmpl("PSS root", -1)
		tmpl.SignatureAlgorithm = x509.SHA256WithRSAPSS
		if err := CheckCA(parsed(t, mint(t, tmpl, testKey(t, "rsa", 0), nil)), nil, now); err != nil {
			t.Error(err)
		}
	})
	t.Run("not yet valid", func(t *testing.T) {
		tmpl := caTmpl("Future root", -1)
		tmpl.NotBefore = now.AddDate(0, 1, 0)
		if err := CheckCA(parsed(t, mint(t, tmpl, testKey(t, "p256", 0), nil)), nil, now); err != nil {
			t.Errorf("a CA registered ahead of its validity is refused: %v", err)
		}
	})
}

func TestCheckCARefuses(t *testing.T) {
	c := newChain(t, "p256", "p256", "p256")
	inter, leaf := parsed(t, c.inter), parsed(t, c.leaf)
	other := newChain(t, "sm2", "sm2", "sm2")

	selfLeaf := parsed(t, mint(t, leafTmpl("Self-signed leaf"), testKey(t, "p256", 3), nil))
	noCertSign := caTmpl("CA without keyCertSign", -1)
	noCertSign.KeyUsage = x509.KeyUsageDigitalSignature
	expired := caTmpl("Expired root", -1)
	expired.NotBefore, expired.NotAfter = now.AddDate(-10, 0, 0), now.AddDate(0, 0, -1)
	rsaRoot := mint(t, caTmpl("RSA root", -1), testKey(t, "rsa", 0), nil)
	rsaSHA1 := caTmpl("RSA intermediate signed with SHA-1", -1)
	rsaSHA1.SignatureAlgorithm = x509.SHA1WithRSA
	ecSHA1 := caTmpl("P-256 intermediate signed with SHA-1", -1)
	ecSHA1.SignatureAlgorithm = x509.ECDSAWithSHA1
	// No Go library signs with MD5 any more: relabel a SHA-256 root, whose
	// algorithm OIDs (signed and outer) differ from md5WithRSAEncryption's
	// in the last byte only.
	oidSHA256WithRSA := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}
	oidMD5WithRSA := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04}
	md5Root := &authority{der: bytes.ReplaceAll(rsaRoot.der, oidSHA256WithRSA, oidMD5WithRSA)}
	if bytes.Count(rsaRoot.der, oidSHA256WithRSA) != 2 {
		t.Fatal("the RSA root does not name sha256WithRSAEncryption twice")
	}
	tampered := parsed(t, c.root)
	tampered.Signature[len(tampered.Signature)-3] ^= 1
	expiredRoot := mint(t, expired, testKey(t, "p256", 0), nil)
	underExpired := parsed(t, mint(t, caTmpl("Under expired root", -1), testKey(t, "p256", 1), expiredRoot))
	underPathLen0 := parsed(t, mint(t, caTmpl("Under path length 0", -1), testKey(t, "p256", 3), c.inter))

	cases := []struct {
		name         string
		cert, parent *Certificate
		want         []Code
	}{
		{"leaf as root", selfLeaf, nil, []Code{CodeNotCA, CodeKeyUsage}},
		{"leaf as intermediate", leaf, inter, []Code{CodeNotCA, CodeKeyUsage}},
		{"CA without keyCertSign", parsed(t, mint(t, noCertSign, testKey(t, "p256", 0), nil)), nil, []Code{CodeKeyUsage}},
		{"expired root", parsed(t, expiredRoot), nil, []Code{CodeExpired}},
		{"intermediate without its parent", inter, nil, []Code{CodeNoPath}},
		{"intermediate under the wrong parent", inter, parsed(t, other.root), []Code{CodeNameChain, CodeKeyID, CodeUnsupportedSignature}},
		{"intermediate under an expired parent", underExpired, parsed(t, expiredRoot), []Code{CodeExpired}},
		{"intermediate under a leaf", parsed(t, mint(t, caTmpl("Under leaf", -1), testKey(t, "p256", 3), c.leaf)), leaf, []Code{CodeNotCA, CodeKeyUsage}},
		{"parent path length 0", underPathLen0, inter, []Code{CodePathLen}},
		{"tampered root signature", tampered, nil, []Code{CodeBadSignature}},
		{"RSA intermediate signed with SHA-1", parsed(t, mint(t, rsaSHA1, testKey(t, "rsa", 1), rsaRoot)), parsed(t, rsaRoot), []Code{CodeUnsupportedSignature}},
		{"P-256 intermediate signed with SHA-1", parsed(t, mint(t, ecSHA1, testKey(t, "p256", 1), c.root)), parsed(t, c.root), []Code{CodeUnsupportedSignature}},
		{"root signed with MD5", parsed(t, md5Root), nil, []Code{CodeUnsupportedSignature}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckCA(tc.cert, tc.parent, now)
			got := caCodes(t, err)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want codes %v", err, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want codes %v", err, tc.want)
				}
			}
		})
	}
}

func TestCheckCAErrorNamesEveryReason(t *testing.T) {
	tmpl := leafTmpl("Expired leaf")
	tmpl.NotAfter = now.AddDate(0, 0, -2)
	leaf := parsed(t, mint(t, tmpl, testKey(t, "sm2", 2), nil))
	err := CheckCA(leaf, nil, now)
	var notCA ReasonNotCA
	var expired ReasonExpired
	if !errors.As(err, &notCA) || !errors.As(err, &expired) {
		t.Fatalf("errors.As does not find both reasons in %v", err)
	}
	if expired.NotAfter != leaf.NotAfter || expired.Cert.ID != leaf.ID {
		t.Errorf("ReasonExpired carries %+v", expired)
	}
	msg := err.Error()
	for _, want := range []string{"Expired leaf", "not a CA", "expired at " + stamp(leaf.NotAfter)} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
}
