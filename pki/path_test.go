package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestVerifyChainNoPath(t *testing.T) {
	c := newChain(t, "rsa", "rsa", "rsa")
	other := newChain(t, "p256", "p256", "p256")

	t.Run("intermediate without its root", func(t *testing.T) {
		req := c.request(t)
		req.Trusted = []*Certificate{parsed(t, other.root)}
		res := VerifyChain(req)
		wantCodes(t, res, CodeNoPath)
		r := res.Reasons[0].(ReasonNoPath)
		if r.Cert.ID != parsed(t, c.inter).ID || r.Issuer != c.root.cert.Subject.String() {
			t.Errorf("reason carries %+v", r)
		}
		if res.Trusted || !strings.Contains(r.Error(), "Root rsa") {
			t.Errorf("trusted %v, message %q", res.Trusted, r.Error())
		}
		wantPath(t, res, c.leaf, c.inter)
	})
	t.Run("leaf without intermediates", func(t *testing.T) {
		req := c.request(t)
		req.Intermediates = nil
		res := VerifyChain(req)
		wantCodes(t, res, CodeNoPath)
		if r := res.Reasons[0].(ReasonNoPath); r.Cert.ID != parsed(t, c.leaf).ID || len(r.AuthorityKeyID) == 0 {
			t.Errorf("reason carries %+v", r)
		}
		wantPath(t, res, c.leaf)
	})
	t.Run("empty trust list, expired leaf", func(t *testing.T) {
		e := newChain(t, "sm2", "sm2", "sm2", on("leaf", func(tmpl *x509.Certificate) { tmpl.NotAfter = now.AddDate(0, 0, -1) }))
		req := e.request(t)
		req.Trusted = nil
		res := VerifyChain(req)
		wantCodes(t, res, CodeNoPath, CodeExpired)
		wantPath(t, res, e.leaf, e.inter)
	})
}

func TestVerifyChainTrustedIntermediate(t *testing.T) {
	c := newChain(t, "p384", "p384", "p384")
	req := c.request(t)
	req.Intermediates = nil
	req.Trusted = []*Certificate{parsed(t, c.inter)}
	res := VerifyChain(req)
	if !res.OK() || !res.Trusted {
		t.Fatal(res.Err())
	}
	wantPath(t, res, c.leaf, c.inter)

	// With its root trusted too, the path goes on to the root, whose expiry
	// then counts.
	expired := newChain(t, "p384", "p384", "p384", on("root", func(tmpl *x509.Certificate) { tmpl.NotAfter = now.Add(-time.Hour) }))
	req = expired.request(t)
	req.Intermediates = nil
	req.Trusted = []*Certificate{parsed(t, expired.root), parsed(t, expired.inter)}
	res = VerifyChain(req)
	wantCodes(t, res, CodeExpired)
	wantPath(t, res, expired.leaf, expired.inter, expired.root)
}

func TestVerifyChainPicksTheValidPath(t *testing.T) {
	// The same root key and name certified twice: once expired, once valid.
	oldTmpl := caTmpl("Root", -1)
	oldTmpl.NotAfter = now.AddDate(0, 0, -1)
	oldRoot := mint(t, oldTmpl, testKey(t, "sm2", 0), nil)
	newRoot := mint(t, caTmpl("Root", -1), testKey(t, "sm2", 0), nil)
	inter := mint(t, caTmpl("Intermediate", 0), testKey(t, "sm2", 1), newRoot)
	leaf := mint(t, leafTmpl("Leaf"), testKey(t, "sm2", 2), inter)
	req := VerifyRequest{
		Leaf: leaf.der, Intermediates: [][]byte{inter.der},
		Trusted: []*Certificate{parsed(t, oldRoot), parsed(t, newRoot)}, At: now, Purpose: PurposeESeal,
	}
	res := VerifyChain(req)
	if !res.OK() {
		t.Fatal(res.Err())
	}
	wantPath(t, res, leaf, inter, newRoot)
}

func TestVerifyChainSignatures(t *testing.T) {
	t.Run("tampered intermediate", func(t *testing.T) {
		c := newChain(t, "p256", "p256", "p256")
		req := c.request(t)
		tampered := append([]byte(nil), c.inter.der...)
		tampered[len(tampered)-2] ^= 0x01
		req.Intermediates = [][]byte{tampered}
		res := VerifyChain(req)
		wantCodes(t, res, CodeBadSignature)
		r := res.Reasons[0].(ReasonBadSignature)
		if r.Issuer.ID != parsed(t, c.root).ID || r.Err == nil {
			t.Errorf("reason carries %+v", r)
		}
	})
	t.Run("unsupported algorithm", func(t *testing.T) {
		c := newChain(t, "p256", "p256", "p256", on("leaf", func(tmpl *x509.Certificate) { tmpl.SignatureAlgorithm = x509.ECDSAWithSHA1 }))
		res := VerifyChain(c.request(t))
		wantCodes(t, res, CodeUnsupportedSignature)
		if msg := res.Reasons[0].Error(); !strings.Contains(msg, "ECDSA-SHA1") || !strings.Contains(msg, "ecdsa-p256") {
			t.Errorf("message %q", msg)
		}
	})
}

// TestVerifyChainOrderIndependent gives the intermediates in every order and
// the trust list both ways; the result must not change.
func TestVerifyChainOrderIndependent(t *testing.T) {
	c := newChain(t, "rsa", "sm2", "p256")
	// The same intermediate key and name certified twice: two valid paths.
	twin := mint(t, caTmpl("Intermediate sm2", 0), testKey(t, "sm2", 1), c.root)
	other := newChain(t, "p384", "p384", "p384")
	inters := [][]byte{c.inter.der, twin.der, other.inter.der, []byte("garbage"), c.inter.der}
	trusted := []*Certificate{parsed(t, c.root), parsed(t, other.root)}
	for _, name := range []string{"valid", "revoked"} {
		t.Run(name, func(t *testing.T) {
			var want string
			permute(len(inters), func(perm []int) {
				for _, rev := range []bool{false, true} {
					req := c.request(t)
					req.Intermediates = nil
					for _, i := range perm {
						req.Intermediates = append(req.Intermediates, inters[i])
					}
					req.Trusted = append([]*Certificate(nil), trusted...)
					if rev {
						req.Trusted[0], req.Trusted[1] = req.Trusted[1], req.Trusted[0]
					}
					if name == "revoked" {
						req.Revoked = revokeEverything
					}
					got := summary(VerifyChain(req))
					if want == "" {
						want = got
						t.Logf("%s", got)
					} else if got != want {
						t.Fatalf("order %v reversed %v:\n%s\nwant\n%s", perm, rev, got, want)
					}
				}
			})
		})
	}
}

func revokeEverything(Fingerprint, *big.Int) (Revocation, bool) {
	return Revocation{At: now.AddDate(0, 0, -1), Reason: "cessationOfOperation"}, true
}

func summary(res Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "trusted=%v path=", res.Trusted)
	for _, c := range res.Path {
		fmt.Fprintf(&b, "%x ", c.ID[:4])
	}
	for _, r := range res.Reasons {
		fmt.Fprintf(&b, "\n  %v", r)
	}
	return b.String()
}

// permute calls f with every permutation of 0..n-1.
func permute(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k == n {
			f(p)
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			gen(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	gen(0)
}

// TestVerifyChainBoundedSearch gives eight CA certificates that all share
// one name and could each issue any other: the search stops at its budget
// instead of trying every order.
func TestVerifyChainBoundedSearch(t *testing.T) {
	var inters [][]byte
	var last *authority
	for range 8 {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		// Self-signed, so without an authority key id: each matches
		// every other as an issuer.
		last = mint(t, caTmpl("Loop", -1), key, nil)
		inters = append(inters, last.der)
	}
	leaf := mint(t, leafTmpl("Leaf"), testKey(t, "p256", 2), last)
	root := newChain(t, "p256", "p256", "p256").root
	start := time.Now()
	res := VerifyChain(VerifyRequest{
		Leaf: leaf.der, Intermediates: inters, Trusted: []*Certificate{parsed(t, root)},
		At: now, Purpose: PurposeTendering,
	})
	if res.Trusted || res.Reasons[0].Code() != CodeNoPath {
		t.Fatalf("got %v", res.Err())
	}
	if len(res.Path) > 9 {
		t.Fatalf("path of %d certificates", len(res.Path))
	}
	t.Logf("%d certificates in the partial path, %v", len(res.Path), time.Since(start))
}
