//go:build system

package systemtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The terms of the walk-through's two rules, as the README gives them.
const (
	hkTermsJSON = `{"purposes":["company-registration","bank-account-opening"],"valid_from":"2026-01-01T00:00:00Z",` +
		`"conditions":{"issuer_roles":["AGENCY_ROLE_ISSUER"]},"data_flow":true}`
	gdTermsJSON = `{"purposes":["engineering-practice"],"valid_from":"2026-01-01T00:00:00Z","valid_until":"2031-01-01T00:00:00Z"}`
	// moTenderingPolicy is the demo certificate policy of the Macao CA's
	// tendering certificates, under Macao's country arc 2.16.446.
	moTenderingPolicy = "2.16.446.1.1.1"
	// moLeafSerial is the leaf's serial number, in decimal.
	moLeafSerial = 1001
)

// recognitionRule is the part of a RecognitionRule the test reads.
type recognitionRule struct {
	ID         string   `json:"id"`
	Region     string   `json:"region"`
	SourceType string   `json:"source_type"`
	Purposes   []string `json:"purposes"`
	DataFlow   bool     `json:"data_flow"`
	Version    int      `json:"version"`
}

type isRecognised struct {
	Recognised bool   `json:"recognised"`
	RuleID     string `json:"rule_id"`
	Reasons    []struct {
		Code   string `json:"code"`
		Detail string `json:"detail"`
		RuleID string `json:"rule_id"`
	} `json:"reasons"`
}

// codes returns the reason codes.
func (r isRecognised) codes() []string {
	var out []string
	for _, x := range r.Reasons {
		out = append(out, x.Code)
	}
	return out
}

type verifyCertificate struct {
	Verified bool     `json:"verified"`
	Path     []string `json:"path"`
	Trusted  bool     `json:"trusted"`
	Reasons  []struct {
		Code   uint32 `json:"code"`
		Name   string `json:"name"`
		Detail string `json:"detail"`
	} `json:"reasons"`
}

var attestationIDLine = regexp.MustCompile(`attestation id: ([0-9a-f]{64})`)

// TestRecognitionWalkthrough is the README's "Recognition across regions"
// section run on `baynetd dev`, command for command: Hong Kong and Guangdong
// recognise each other's credential types (a mutual pair); a Guangdong
// business licence is recognised in Hong Kong for the rule's purposes only,
// and not after its revocation; a Macao CA's leaf certificate verifies for
// tendering in Guangdong only once Guangdong recognises the CA, and not after
// Macao posts its serial as revoked. Where it departs from the README: the
// certificates are written with Go (writeMacaoPKI), the serial is revoked as
// of a time just after the recognition rather than "5 seconds ago", so that
// it can also check that the chain verified between the two, and it checks
// a few more fields (the root CA's record, the issued id against by-licence).
func TestRecognitionWalkthrough(t *testing.T) {
	dev := startDev(t)
	home := dev.home
	dir := t.TempDir()
	start := time.Now()
	step := func(name string) {
		t.Logf("%s: %s", time.Since(start).Round(time.Millisecond), name)
	}

	// 1. A mutual pair: HK recognises GD business licences, GD recognises
	// HK registered engineers.
	step("declaring the two rules")
	mustTx(t, home, "tx", "certs", "declare-recognition", "GD:business-licence", "--terms", hkTermsJSON, "--from", "hk-authority")
	mustTx(t, home, "tx", "certs", "declare-recognition", "HK:registered-engineer", "--terms", gdTermsJSON, "--from", "gd-authority")
	ruleOf := func(region, sourceType string) recognitionRule {
		t.Helper()
		var res struct {
			Rules []recognitionRule `json:"rules"`
		}
		mustQuery(t, home, &res, "query", "certs", "recognition-rules", region, "--source-type", sourceType)
		if len(res.Rules) != 1 {
			t.Fatalf("%s's rules about %s: %+v, want one", region, sourceType, res.Rules)
		}
		return res.Rules[0]
	}
	hkRule, gdRule := ruleOf("HK", "GD:business-licence"), ruleOf("GD", "HK:registered-engineer")
	if want := (recognitionRule{ID: hkRule.ID, Region: "HK", SourceType: "GD:business-licence",
		Purposes: []string{"company-registration", "bank-account-opening"}, DataFlow: true, Version: 1}); !reflect.DeepEqual(hkRule, want) {
		t.Fatalf("HK's rule: %+v, want %+v", hkRule, want)
	}
	if want := (recognitionRule{ID: gdRule.ID, Region: "GD", SourceType: "HK:registered-engineer",
		Purposes: []string{"engineering-practice"}, Version: 1}); !reflect.DeepEqual(gdRule, want) {
		t.Fatalf("GD's rule: %+v, want %+v", gdRule, want)
	}
	if hkRule.ID == gdRule.ID || hkRule.ID == "" || gdRule.ID == "" {
		t.Fatalf("rule ids %q and %q", hkRule.ID, gdRule.ID)
	}
	var mutual struct {
		AInB  []recognitionRule `json:"a_in_b"`
		BInA  []recognitionRule `json:"b_in_a"`
		Pairs []struct {
			AInB string `json:"a_in_b"`
			BInA string `json:"b_in_a"`
		} `json:"pairs"`
	}
	mustQuery(t, home, &mutual, "query", "certs", "mutual", "GD:business-licence", "HK:registered-engineer")
	if len(mutual.AInB) != 1 || mutual.AInB[0].ID != hkRule.ID || len(mutual.BInA) != 1 || mutual.BInA[0].ID != gdRule.ID ||
		len(mutual.Pairs) != 1 || mutual.Pairs[0].AInB != hkRule.ID || mutual.Pairs[0].BInA != gdRule.ID {
		t.Fatalf("mutual GD:business-licence HK:registered-engineer: %+v; want the pair (%s, %s)", mutual, hkRule.ID, gdRule.ID)
	}
	// The whitelist: GD business licence data may flow to HK (HK's rule sets
	// data_flow), HK engineer data may not flow to GD.
	type dataFlow struct {
		Allowed    bool   `json:"allowed"`
		FromRegion string `json:"from_region"`
		Rules      []struct {
			RuleID string `json:"rule_id"`
		} `json:"rules"`
	}
	var toHK, toGD dataFlow
	flowAt := time.Now().UTC().Format(time.RFC3339)
	mustQuery(t, home, &toHK, "query", "certs", "data-flow", "GD:business-licence", "HK", flowAt)
	if !toHK.Allowed || toHK.FromRegion != "GD" || len(toHK.Rules) != 1 || toHK.Rules[0].RuleID != hkRule.ID {
		t.Fatalf("data-flow GD:business-licence HK: %+v; want allowed by rule %s", toHK, hkRule.ID)
	}
	mustQuery(t, home, &toGD, "query", "certs", "data-flow", "HK:registered-engineer", "GD", flowAt)
	if toGD.Allowed || len(toGD.Rules) != 0 {
		t.Fatalf("data-flow HK:registered-engineer GD: %+v; want not allowed", toGD)
	}

	// 2. A GD business licence, recognised in HK for the rule's purposes,
	// then revoked.
	step("issuing a GD business licence")
	id := issueLicence(t, home, dir, "91440101MA5WALK001")
	if got := attestationByLicence(t, home, "91440101MA5WALK001"); got != id {
		t.Fatalf("by-licence 91440101MA5WALK001 --issuer GD:amr = %s, issue printed %s", got, id)
	}
	recognised := func(region, purpose string, at time.Time) isRecognised {
		t.Helper()
		var res isRecognised
		mustQuery(t, home, &res, "query", "certs", "is-recognised", id, region, purpose, at.UTC().Format(time.RFC3339Nano))
		return res
	}
	// Ask at the anchoring block's time, the first entry of the history: the
	// chain's clock, not this machine's.
	issued := changeTimes(t, home, id)[0]
	if res := recognised("HK", "company-registration", issued); !res.Recognised || res.RuleID != hkRule.ID || len(res.Reasons) != 0 {
		t.Fatalf("in HK for company-registration: %+v; want recognised by rule %s", res, hkRule.ID)
	}
	res := recognised("HK", "tendering", issued)
	if res.Recognised || res.RuleID != "" || !reflect.DeepEqual(res.codes(), []string{"type_not_recognised"}) || res.Reasons[0].RuleID != "" {
		t.Fatalf("in HK for tendering: %+v; want not recognised, type_not_recognised", res)
	}

	step("revoking it")
	mustTx(t, home, "tx", "certs", "revoke", id, "licence cancelled", "--from", "gd-amr")
	now := time.Now()
	res = recognised("HK", "company-registration", now)
	if res.Recognised || res.RuleID != "" || !reflect.DeepEqual(res.codes(), []string{"revoked"}) || !strings.Contains(res.Reasons[0].Detail, "REVOKED") {
		t.Fatalf("in HK for company-registration after the revocation: %+v; want not recognised, revoked", res)
	}
	// The history still answers for the time before the revocation.
	if res := recognised("HK", "company-registration", issued); !res.Recognised || res.RuleID != hkRule.ID {
		t.Fatalf("in HK for company-registration before the revocation, asked after it: %+v; want recognised by rule %s", res, hkRule.ID)
	}

	// 3. A Macao CA's leaf certificate for tendering in Guangdong.
	step("registering the Macao CAs")
	mo := writeMacaoPKI(t, dir)
	mustTx(t, home, "tx", "certs", "register-ca", mo.rootFile, "--from", "mo-authority")
	mustTx(t, home, "tx", "certs", "register-ca", mo.subFile, "--parent", mo.root, "--from", "mo-authority")
	type caRes struct {
		CA struct {
			Fingerprint  string   `json:"fingerprint"`
			Region       string   `json:"region"`
			KeyAlgorithm string   `json:"key_algorithm"`
			Serial       string   `json:"serial"`
			Parent       string   `json:"parent"`
			Policies     []string `json:"policies"`
		} `json:"ca"`
	}
	var ca caRes
	mustQuery(t, home, &ca, "query", "certs", "ca", mo.root)
	if c := ca.CA; c.Fingerprint != mo.root || c.Region != "MO" || c.KeyAlgorithm != "ecdsa-p256" || c.Serial != "1" || c.Parent != "" || len(c.Policies) != 0 {
		t.Fatalf("ca %s: %+v", mo.root, c)
	}
	mustQuery(t, home, &ca, "query", "certs", "ca", mo.sub)
	if c := ca.CA; c.Fingerprint != mo.sub || c.Region != "MO" || c.Serial != "2" || c.Parent != mo.root || !reflect.DeepEqual(c.Policies, []string{moTenderingPolicy}) {
		t.Fatalf("ca %s: %+v", mo.sub, c)
	}
	verify := func(purpose string, extra ...string) verifyCertificate {
		t.Helper()
		var res verifyCertificate
		mustQuery(t, home, &res, append([]string{"query", "certs", "verify-certificate", mo.leafFile, "GD", purpose, "--intermediate", mo.subFile}, extra...)...)
		return res
	}
	notTrusted := func(what string, v verifyCertificate) {
		t.Helper()
		if v.Verified || v.Trusted || !reflect.DeepEqual(v.Path, []string{mo.leaf, mo.sub}) ||
			len(v.Reasons) != 1 || v.Reasons[0].Code != 4 || v.Reasons[0].Name != "no path to a trusted CA" {
			t.Fatalf("%s: %+v; want refused, no path to a trusted CA, path leaf %s, sub-CA %s", what, v, mo.leaf, mo.sub)
		}
	}
	notTrusted("verify in GD for tendering before GD recognises the Macao root", verify("tendering"))

	step("GD recognising the Macao root for tendering")
	inc := mustTx(t, home, "tx", "certs", "recognise-ca", mo.root, "tendering", "--policies", moTenderingPolicy, "--from", "gd-authority")
	recognisedAt, err := time.Parse(time.RFC3339Nano, inc.Timestamp)
	if err != nil {
		t.Fatalf("recognise-ca's block time %q: %v", inc.Timestamp, err)
	}
	fullPath := []string{mo.leaf, mo.sub, mo.root}
	if v := verify("tendering"); !v.Verified || !v.Trusted || !reflect.DeepEqual(v.Path, fullPath) || len(v.Reasons) != 0 {
		t.Fatalf("verify in GD for tendering after the recognition: %+v; want verified with path %v", v, fullPath)
	}
	// The recognition is for tendering only.
	notTrusted("verify in GD for e-signature", verify("e-signature"))

	// MO revokes the serial as of a second after the recognition; the chain
	// refuses a revocation time after the block time, so wait for a block
	// at or after it first.
	step("MO revoking the leaf's serial")
	revokedAt := recognisedAt.Add(time.Second).Truncate(time.Second).Add(time.Second)
	waitFor(t, 20*time.Second, "a block at or after "+revokedAt.Format(time.RFC3339), func() (bool, string) {
		st, err := nodeStatus(devRPC)
		if err != nil {
			return false, err.Error()
		}
		return !st.Time.Before(revokedAt), "latest block time " + st.Time.Format(time.RFC3339Nano)
	})
	mustTx(t, home, "tx", "certs", "revoke-certificate", mo.sub, strconv.Itoa(moLeafSerial), revokedAt.Format(time.RFC3339), "key compromise", "--from", "mo-authority")
	v := verify("tendering")
	if v.Verified || !v.Trusted || !reflect.DeepEqual(v.Path, fullPath) || len(v.Reasons) != 1 || v.Reasons[0].Code != 16 ||
		v.Reasons[0].Name != "revoked" || !strings.Contains(v.Reasons[0].Detail, "key compromise") ||
		!strings.Contains(v.Reasons[0].Detail, fmt.Sprintf("serial %d (0x%x)", moLeafSerial, moLeafSerial)) {
		t.Fatalf("verify in GD for tendering after the revocation: %+v; want refused, revoked (key compromise)", v)
	}
	// The revocation counts from its time on: between the recognition and
	// the revocation the chain verified, and still does when asked now.
	between := revokedAt.Add(-time.Second)
	if !between.After(recognisedAt) {
		t.Fatalf("no second between the recognition at %s and the revocation at %s", recognisedAt, revokedAt)
	}
	if v := verify("tendering", "--at", between.Format(time.RFC3339)); !v.Verified || !reflect.DeepEqual(v.Path, fullPath) {
		t.Fatalf("verify in GD for tendering at %s, before the revocation: %+v; want verified", between.Format(time.RFC3339), v)
	}
	step("done")
}

// macaoPKI is a Macao root CA, an intermediate under it and a leaf under the
// intermediate, as PEM files with their SHA-256 fingerprints.
type macaoPKI struct {
	rootFile, subFile, leafFile string
	root, sub, leaf             string
}

// writeMacaoPKI writes the certificates the README makes with openssl: ECDSA
// P-256 keys; the root (serial 1) and intermediate (serial 2, pathlen 0,
// policy moTenderingPolicy) with critical basicConstraints CA and keyUsage
// keyCertSign, cRLSign; the leaf (serial moLeafSerial) with critical
// basicConstraints CA:FALSE, keyUsage digitalSignature and nonRepudiation,
// extKeyUsage clientAuth and emailProtection, and the same policy. Every
// certificate has a subject key id (SHA-1 of the public key) and the
// others an authority key id, as openssl adds them.
func writeMacaoPKI(t *testing.T, dir string) macaoPKI {
	t.Helper()
	policy, err := x509.ParseOID(moTenderingPolicy)
	if err != nil {
		t.Fatal(err)
	}
	policyID := asn1.ObjectIdentifier{2, 16, 446, 1, 1, 1}
	notBefore := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	name := func(o, cn string) pkix.Name {
		return pkix.Name{Country: []string{"MO"}, Organization: []string{o}, CommonName: cn}
	}
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	keyID := func(k *ecdsa.PrivateKey) []byte {
		pub, err := k.PublicKey.ECDH()
		if err != nil {
			t.Fatal(err)
		}
		sum := sha1.Sum(pub.Bytes())
		return sum[:]
	}
	// mint signs tmpl for key's public key with the issuer's key (itself when
	// issuer is nil) and writes it to file; it returns the certificate and
	// its fingerprint.
	mint := func(file string, tmpl *x509.Certificate, key *ecdsa.PrivateKey, issuer *x509.Certificate, issuerKey *ecdsa.PrivateKey) (*x509.Certificate, string) {
		t.Helper()
		tmpl.SubjectKeyId = keyID(key)
		tmpl.BasicConstraintsValid = true
		if issuer == nil {
			issuer, issuerKey = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, issuerKey)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(der)
		return c, hex.EncodeToString(sum[:])
	}
	p := macaoPKI{rootFile: filepath.Join(dir, "mo-root.pem"), subFile: filepath.Join(dir, "mo-sub.pem"), leafFile: filepath.Join(dir, "leaf.pem")}
	rootKey, subKey, leafKey := newKey(), newKey(), newKey()
	root, rootFP := mint(p.rootFile, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: name("Macao Demo CA", "Macao Demo Root CA"),
		NotBefore: notBefore, NotAfter: notBefore.AddDate(10, 0, 0),
		IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, rootKey, nil, nil)
	sub, subFP := mint(p.subFile, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: name("Macao Demo CA", "Macao Demo Tendering CA"),
		NotBefore: notBefore, NotAfter: notBefore.AddDate(5, 0, 0),
		IsCA: true, MaxPathLen: 0, MaxPathLenZero: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		Policies: []x509.OID{policy}, PolicyIdentifiers: []asn1.ObjectIdentifier{policyID},
	}, subKey, root, rootKey)
	_, leafFP := mint(p.leafFile, &x509.Certificate{
		SerialNumber: big.NewInt(moLeafSerial), Subject: name("Macao Construction Co. Ltd.", "Macao Construction Co. Ltd. tendering"),
		NotBefore: notBefore, NotAfter: notBefore.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection},
		Policies:    []x509.OID{policy}, PolicyIdentifiers: []asn1.ObjectIdentifier{policyID},
	}, leafKey, sub, subKey)
	p.root, p.sub, p.leaf = rootFP, subFP, leafFP
	return p
}
