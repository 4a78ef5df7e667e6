package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
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
	signature   string // as signatureName gives it
}{
	{
		"Hongkong_Post_Root_CA_3.pem",
		"5a2fc03f0c83b090bbfa40604b0988446c7636183df9846e17101a447fb8efd6",
		"CN=Hongkong Post Root CA 3,O=Hongkong Post,L=Hong Kong,ST=Hong Kong,C=HK",
		KeyRSA, 4096, time.Date(2042, 6, 3, 2, 29, 46, 0, time.UTC), "SHA256-RSA",
	},
	{
		"GDCA_TrustAUTH_R5_ROOT.pem",
		"bfff8fd04433487d6a8aa60c1a29767a9fc2bbb05e420f713a13b992891d3893",
		"CN=GDCA TrustAUTH R5 ROOT,O=GUANG DONG CERTIFICATE AUTHORITY CO.\\,LTD.,C=CN",
		KeyRSA, 4096, time.Date(2040, 12, 31, 15, 59, 59, 0, time.UTC), "SHA256-RSA",
	},
	{
		"NRCAC_ROOTCA_SM2.pem",
		"9c28d3847414bfff1a5749e7e2381146f82842083e8c592e16a612d04a5ba8cd",
		"CN=ROOTCA,O=NRCAC,C=CN",
		KeySM2, 256, time.Date(2042, 7, 7, 3, 11, 59, 0, time.UTC), "SM2-SM3",
	},
	{
		"USERTrust_RSA_Certification_Authority.pem",
		"e793c9b02fd8aa13e21c31228accb08119643b749c898964b1746d46c3d4cbd2",
		"CN=USERTrust RSA Certification Authority,O=The USERTRUST Network,L=Jersey City,ST=New Jersey,C=US",
		KeyRSA, 4096, time.Date(2038, 1, 18, 23, 59, 59, 0, time.UTC), "SHA384-RSA",
	},
	{
		"Certum_Trusted_Network_CA_2.pem",
		"b676f2eddae8775cd36cb0f63cd1d4603961f49e6265ba013a2f0307b6d0b804",
		"CN=Certum Trusted Network CA 2,OU=Certum Certification Authority,O=Unizeto Technologies S.A.,C=PL",
		KeyRSA, 4096, time.Date(2046, 10, 6, 8, 39, 56, 0, time.UTC), "SHA512-RSA",
	},
	{
		"SSL.com_Root_Certification_Authority_ECC.pem",
		"3417bb06cc6007da1b961c920b8ab4ce3fad820e4aa30b9acbc4a74ebdcebc65",
		"CN=SSL.com Root Certification Authority ECC,O=SSL Corporation,L=Houston,ST=Texas,C=US",
		KeyECDSAP384, 384, time.Date(2041, 2, 12, 18, 14, 3, 0, time.UTC), "ECDSA-SHA256",
	},
	{
		"DigiCert_Global_Root_CA.pem",
		"4348a0e9444c78cb265e058d5e8944b4d84f9662bd26db257f8934a443c70161",
		"CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US",
		KeyRSA, 2048, time.Date(2031, 11, 10, 0, 0, 0, 0, time.UTC), "SHA1-RSA",
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
			case signatureName(c) != r.signature:
				t.Errorf("signature %s, want %s", signatureName(c), r.signature)
			case (c.UnverifiedSelfSignature != "") != (r.signature == "SHA1-RSA"):
				t.Errorf("unverified self-signature note %q", c.UnverifiedSelfSignature)
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

// TestRealRootsTamperedSignature damages the signature of every real root
// whose self-signature is verified: none may pass CheckCA any more.
func TestRealRootsTamperedSignature(t *testing.T) {
	verified := 0
	for _, r := range realRoots {
		data, err := os.ReadFile(filepath.Join("testdata", "roots", r.file))
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCertificate(data, 0)
		if err != nil {
			t.Fatal(err)
		}
		if c.UnverifiedSelfSignature != "" {
			continue
		}
		verified++
		c.Signature[len(c.Signature)/2] ^= 0x10
		var bad ReasonBadSignature
		if err := CheckCA(c, nil, registeredAt); !errors.As(err, &bad) {
			t.Errorf("%s with a damaged signature: %v", r.file, err)
		}
	}
	if verified != len(realRoots)-1 {
		t.Errorf("%d roots verified, want all but the SHA-1 one", verified)
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

// systemStore is the machine's trust store: Debian's ca-certificates
// bundle of the Mozilla roots.
const systemStore = "/etc/ssl/certs/ca-certificates.crt"

// storeRefusal is why a root of the system store is not registered.
type storeRefusal struct {
	name string
	code Code  // CheckCA's reason, when the root parses
	err  error // ParseCertificate's reason, when it does not
}

// storeRefusals are the roots of the system store that may not be
// registered at registeredAt, by fingerprint. Every other root must pass
// CheckCA.
var storeRefusals = map[string]storeRefusal{
	// Expired before registeredAt (their trust bits were withdrawn first).
	"16af57a9f676b0ab126095aa5ebadef22ab31119d644ac95cd4b93dbf3f26aeb": {name: "Baltimore CyberTrust Root", code: CodeExpired},
	"f9e67d336c51002ac054c632022d66dda2e7e3fff10ad061ed31d8bbb410cfb2": {name: "Hongkong Post Root CA 1", code: CodeExpired},
	"e75e72ed9f560eec6eb4800073a43fc3ad19195a392282017895974a99026b6c": {name: "Security Communication RootCA1", code: CodeExpired},
	"b0bfd52bb0d7d9bd92bf5d4dc13da255c02c542f378365ea893911f55e55f23c": {name: "E-Tugra Certification Authority", code: CodeExpired},
	// RSA public exponent below 2^16 + 1, which the signature verifier
	// refuses for every key (FIPS 186-5).
	"1465fa205397b876faa6f0a9958e5590e40fcc7faa4fb7c2c8677521fb5fb658": {name: "Starfield Class 2 Certification Authority (e = 3)", err: ErrUnsupportedKey},
	"c3846bf24b9e93ca64274c0ec67c1ecc5e024ffcacd2d74019350e81fe546ae4": {name: "Go Daddy Class 2 Certification Authority (e = 3)", err: ErrUnsupportedKey},
	"6c61dac3a2def031506be036d2a6fe401994fbd13df9c8d466599274c446ec98": {name: "NetLock Arany (Class Gold) Főtanúsítvány (e = 43147)", err: ErrUnsupportedKey},
}

// TestSystemRoots registers every root of the machine's trust store: all
// must pass CheckCA but the listed refusals, each for its listed reason. A
// store without one of the listed roots is fine (bundles differ between
// releases); a refusal that is not listed, or a listed root that passes,
// fails the test. Roots expired at registeredAt must pass at their last
// valid moment, so expiry is their only fault. The standard library must
// agree with every verified self-signature, and every SHA-1 root must carry
// its note.
func TestSystemRoots(t *testing.T) {
	data, err := os.ReadFile(systemStore)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not present; the committed roots and generated chains cover every algorithm", systemStore)
	}
	if err != nil {
		t.Fatal(err)
	}
	var total, passed, refused, sha1 int
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		total++
		id := Fingerprint(sha256.Sum256(block.Bytes)).String()
		want, listed := storeRefusals[id]
		c, err := ParseCertificate(block.Bytes, 0)
		if err != nil {
			if !listed || want.err == nil || !errors.Is(err, want.err) {
				t.Errorf("root %s does not parse: %v", id, err)
				continue
			}
			refused++
			continue
		}
		err = CheckCA(c, nil, registeredAt)
		switch {
		case err == nil && listed:
			t.Errorf("%s (%s) passes but is listed as refused", want.name, id)
		case err == nil:
			passed++
			if c.UnverifiedSelfSignature != "" {
				sha1++
			}
		case !listed || want.code == 0:
			t.Errorf("%s: %v", c.Subject, err)
		default:
			if got := caCodes(t, err); len(got) != 1 || got[0] != want.code {
				t.Errorf("%s: %v, want only %v", want.name, err, want.code)
			}
			if want.code == CodeExpired {
				if err := CheckCA(c, nil, c.NotAfter); err != nil {
					t.Errorf("%s at its last valid moment: %v", want.name, err)
				}
			}
			refused++
		}
		if c.UnverifiedSelfSignature != "" {
			continue
		}
		if c.sigAlg == x509.SHA1WithRSA || c.sigAlg == x509.ECDSAWithSHA1 {
			t.Errorf("%s: SHA-1 root without a note", c.Subject)
		}
		if c.KeyAlgorithm != KeySM2 {
			std := c.stdCert(t)
			if err := std.CheckSignature(std.SignatureAlgorithm, std.RawTBSCertificate, std.Signature); err != nil {
				t.Errorf("%s: crypto/x509 refuses the self-signature: %v", c.Subject, err)
			}
		}
	}
	if total == 0 {
		t.Fatalf("no certificate in %s", systemStore)
	}
	if passed+refused != total {
		t.Errorf("%d roots: %d pass, %d refused as listed, %d otherwise", total, passed, refused, total-passed-refused)
	}
	t.Logf("%s: %d roots, %d pass CheckCA (%d with an unverified SHA-1 self-signature), %d refused as listed",
		systemStore, total, passed, sha1, refused)
}
