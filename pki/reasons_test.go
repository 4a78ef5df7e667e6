package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/baynet/baynet/crypto"
)

// TestReasonMessages pins that every reason prints the data it carries.
func TestReasonMessages(t *testing.T) {
	ref := CertRef{ID: Fingerprint{0xab, 0xcd}, Subject: "CN=Macao Tender CA,C=MO"}
	issuer := CertRef{ID: Fingerprint{0x12}, Subject: "CN=Macao Root,C=MO"}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	p := asn1.ObjectIdentifier{2, 16, 446, 1}
	cases := []struct {
		r    Reason
		want []string
	}{
		{ReasonUnknownPurpose{Purpose: "login"}, []string{`"login"`}},
		{ReasonTooManyIntermediates{Count: 9, Max: 8}, []string{"9 intermediates", "at most 8"}},
		{ReasonMalformed{Input: "leaf", InputHash: Fingerprint{0xee}, Err: parseErr(ErrTooLarge, "20000 bytes")}, []string{"leaf", "ee00", "too large", "20000 bytes"}},
		{ReasonNoPath{Cert: ref, Issuer: "CN=Macao Root,C=MO", AuthorityKeyID: []byte{1, 2}}, []string{"Macao Tender CA", "Macao Root", "abcd", "key id 0102"}},
		{ReasonUnsupportedSignature{Cert: ref, Algorithm: "SHA1-RSA", IssuerKey: KeyRSA}, []string{"SHA1-RSA", "rsa issuer key"}},
		{ReasonBadSignature{Cert: ref, Issuer: issuer, Err: crypto.ErrInvalidSignature}, []string{"Macao Tender CA", "Macao Root", "invalid signature"}},
		{ReasonNameChain{Cert: ref, Issuer: "CN=A", ParentSubject: "CN=B"}, []string{`"CN=A"`, `"CN=B"`}},
		{ReasonKeyID{Cert: ref, AuthorityKeyID: []byte{1}, SubjectKeyID: []byte{2}}, []string{"authority key id 01", "subject key id 02"}},
		{ReasonUnknownCritical{Cert: ref, OIDs: []asn1.ObjectIdentifier{{1, 2, 3}}}, []string{"1.2.3"}},
		{ReasonNotYetValid{Cert: ref, NotBefore: day, At: at}, []string{"2025-12-31T00:00:00Z", "2026-03-01T12:00:00Z"}},
		{ReasonExpired{Cert: ref, NotAfter: day, At: at}, []string{"expired at 2025-12-31T00:00:00Z"}},
		{ReasonNotCA{Cert: ref}, []string{"not a CA"}},
		{ReasonKeyUsage{Cert: ref, Have: 0, Want: x509.KeyUsageCertSign}, []string{"(none)", "keyCertSign"}},
		{ReasonPathLen{Cert: ref, MaxPathLen: 0, Below: 2}, []string{"constraint 0", "2 CA certificates"}},
		{ReasonExtKeyUsage{Cert: ref, Have: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 1}, {1, 9}}, Want: []asn1.ObjectIdentifier{OIDDocumentSigning}}, []string{"serverAuth, 1.9", "documentSigning"}},
		{ReasonRevoked{Cert: ref, Serial: big.NewInt(0x1f2e), At: day, Reason: "keyCompromise"}, []string{"serial 7982 (0x1f2e)", "2025-12-31", "keyCompromise"}},
		{ReasonRevoked{Cert: ref, At: day}, []string{"serial <none>"}},
		{ReasonPolicy{Cert: ref, Have: nil, Want: []asn1.ObjectIdentifier{p}}, []string{"2.16.446.1"}},
	}
	seen := make(map[Code]bool)
	for _, tc := range cases {
		msg := tc.r.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%T: %q lacks %q", tc.r, msg, w)
			}
		}
		seen[tc.r.Code()] = true
		if name := tc.r.Code().String(); strings.HasPrefix(name, "code ") {
			t.Errorf("%T: code %d has no name", tc.r, tc.r.Code())
		}
	}
	if len(seen) != int(CodePolicy) {
		t.Errorf("%d codes exercised, want %d", len(seen), CodePolicy)
	}
	if Code(0).String() != "code 0" || Code(200).String() != "code 200" {
		t.Error("unknown codes print a name")
	}
	if !errors.Is(ReasonBadSignature{Err: crypto.ErrInvalidSignature}, crypto.ErrInvalidSignature) ||
		!errors.Is(ReasonMalformed{Err: parseErr(ErrMalformed, "")}, ErrMalformed) {
		t.Error("reasons do not unwrap")
	}
	if msg := (&RejectedError{Reasons: []Reason{ReasonNotCA{Cert: ref}}}).Error(); !strings.HasPrefix(msg, "pki: refused: ") {
		t.Errorf("error without a certificate: %q", msg)
	}
}
