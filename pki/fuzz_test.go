package pki

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseCertificate feeds arbitrary bytes to ParseCertificate, and what
// parses to CheckCA and VerifyChain: nothing may panic, an error is always a
// *ParseError, and a parsed certificate is consistent with its input. The
// seeds (real roots, generated certificates of every algorithm, garbage) run
// in plain go test.
func FuzzParseCertificate(f *testing.F) {
	var roots []*Certificate
	for _, r := range realRoots {
		data, err := os.ReadFile(filepath.Join("testdata", "roots", r.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		c, err := ParseCertificate(data, 0)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c.Raw)
		roots = append(roots, c)
	}
	for _, alg := range algs {
		c := newChain(f, alg, alg, alg)
		f.Add(c.leaf.der)
		f.Add(pemOf(c.inter.der))
		f.Add(c.root.der[:len(c.root.der)/2])
	}
	for _, s := range []string{"", "\x30", "\x30\x80\x00\x00", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "garbage"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertificate(data, 0)
		if err != nil {
			var pe *ParseError
			if c != nil || !errors.As(err, &pe) {
				t.Fatalf("got %v, %T %v", c, err, err)
			}
		} else {
			if c.ID != sha256.Sum256(c.Raw) || c.PublicKey == nil || c.SerialNumber == nil || c.KeyBits == 0 {
				t.Fatalf("inconsistent certificate %+v", c)
			}
			if !isPEM(data) && !bytes.Equal(c.Raw, data) {
				t.Fatal("Raw is not the DER input")
			}
			_ = CheckCA(c, nil, registeredAt)
			_ = CheckCA(c, roots[0], registeredAt)
		}
		res := VerifyChain(VerifyRequest{
			Leaf: data, Intermediates: [][]byte{data}, Trusted: append(roots[:len(roots):len(roots)], c),
			At: registeredAt, Purpose: PurposeESignature, Revoked: revokeEverything,
		})
		if res.OK() != (res.Err() == nil) {
			t.Fatal("OK and Err disagree")
		}
	})
}
