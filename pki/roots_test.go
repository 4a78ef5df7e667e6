package pki

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// realRoots are the public roots committed in testdata/roots; README.md
// there says where each came from.
var realRoots = []struct {
	file        string
	fingerprint string
	subject     string
	key         KeyAlgorithm
	bits        int
	notAfter    time.Time
}{
	{
		"Hongkong_Post_Root_CA_3.pem",
		"5a2fc03f0c83b090bbfa40604b0988446c7636183df9846e17101a447fb8efd6",
		"CN=Hongkong Post Root CA 3,O=Hongkong Post,L=Hong Kong,ST=Hong Kong,C=HK",
		KeyRSA, 4096, time.Date(2042, 6, 3, 2, 29, 46, 0, time.UTC),
	},
	{
		"GDCA_TrustAUTH_R5_ROOT.pem",
		"bfff8fd04433487d6a8aa60c1a29767a9fc2bbb05e420f713a13b992891d3893",
		"CN=GDCA TrustAUTH R5 ROOT,O=GUANG DONG CERTIFICATE AUTHORITY CO.\\,LTD.,C=CN",
		KeyRSA, 4096, time.Date(2040, 12, 31, 15, 59, 59, 0, time.UTC),
	},
	{
		"NRCAC_ROOTCA_SM2.pem",
		"9c28d3847414bfff1a5749e7e2381146f82842083e8c592e16a612d04a5ba8cd",
		"CN=ROOTCA,O=NRCAC,C=CN",
		KeySM2, 256, time.Date(2042, 7, 7, 3, 11, 59, 0, time.UTC),
	},
}

// registeredAt is the fixed date the real roots are checked at, before any
// of them expires.
var registeredAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestRealRoots(t *testing.T) {
	oidSM2WithSM3 := asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 501}
	for _, r := range realRoots {
		t.Run(r.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "roots", r.file))
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseCertificate(data, 0)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.ID.String() != r.fingerprint:
				t.Errorf("fingerprint %v, want %s", c.ID, r.fingerprint)
			case c.Subject.String() != r.subject:
				t.Errorf("subject %q", c.Subject)
			case c.KeyAlgorithm != r.key || c.KeyBits != r.bits:
				t.Errorf("key %s %d", c.KeyAlgorithm, c.KeyBits)
			case !c.NotAfter.Equal(r.notAfter):
				t.Errorf("not after %v", c.NotAfter)
			case !c.IsCA || !c.SelfIssued() || len(c.SubjectKeyID) == 0:
				t.Errorf("IsCA %v, self-issued %v, SKI %x", c.IsCA, c.SelfIssued(), c.SubjectKeyID)
			case r.key == KeySM2 && !c.SignatureAlgorithm.Equal(oidSM2WithSM3):
				t.Errorf("signature algorithm %v", c.SignatureAlgorithm)
			}
			if err := CheckCA(c, nil, registeredAt); err != nil {
				t.Fatalf("CheckCA at %v: %v", registeredAt, err)
			}
			err = CheckCA(c, nil, r.notAfter.Add(time.Second))
			var expired ReasonExpired
			if !errors.As(err, &expired) || !strings.Contains(err.Error(), "expired at") {
				t.Errorf("CheckCA after expiry: %v", err)
			}
			// The same bytes as DER.
			if d, err := ParseCertificate(c.Raw, 0); err != nil || d.ID != c.ID {
				t.Errorf("DER form: %v", err)
			}
		})
	}
}

// TestRealRootTamperedSignature renames the SM2 root in its signed part: the
// root must no longer pass CheckCA.
func TestRealRootTamperedSignature(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "roots", "NRCAC_ROOTCA_SM2.pem"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCertificate(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	der := bytes.ReplaceAll(c.Raw, []byte("ROOTCA"), []byte("XOOTCA")) // issuer and subject
	tampered, err := ParseCertificate(der, 0)
	if err != nil {
		t.Fatal(err)
	}
	var bad ReasonBadSignature
	if err := CheckCA(tampered, nil, registeredAt); !errors.As(err, &bad) {
		t.Fatalf("CheckCA of a tampered root: %v", err)
	}
}
