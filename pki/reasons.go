package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Code identifies the kind of a Reason. Values are stable: they may be
// stored and compared across versions.
type Code uint8

// The reason codes, in the order VerifyChain's checks run.
const (
	CodeUnknownPurpose       Code = 1
	CodeTooManyIntermediates Code = 2
	CodeMalformed            Code = 3
	CodeNoPath               Code = 4
	CodeUnsupportedSignature Code = 5
	CodeBadSignature         Code = 6
	CodeNameChain            Code = 7
	CodeKeyID                Code = 8
	CodeUnknownCritical      Code = 9
	CodeNotYetValid          Code = 10
	CodeExpired              Code = 11
	CodeNotCA                Code = 12
	CodeKeyUsage             Code = 13
	CodePathLen              Code = 14
	CodeExtKeyUsage          Code = 15
	CodeRevoked              Code = 16
	CodePolicy               Code = 17
)

var codeNames = [...]string{
	CodeUnknownPurpose:       "unknown purpose",
	CodeTooManyIntermediates: "too many intermediates",
	CodeMalformed:            "malformed certificate",
	CodeNoPath:               "no path to a trusted CA",
	CodeUnsupportedSignature: "unsupported signature algorithm",
	CodeBadSignature:         "bad signature",
	CodeNameChain:            "issuer name mismatch",
	CodeKeyID:                "key identifier mismatch",
	CodeUnknownCritical:      "unknown critical extension",
	CodeNotYetValid:          "not yet valid",
	CodeExpired:              "expired",
	CodeNotCA:                "not a CA",
	CodeKeyUsage:             "key usage not allowed",
	CodePathLen:              "path length exceeded",
	CodeExtKeyUsage:          "extended key usage not allowed",
	CodeRevoked:              "revoked",
	CodePolicy:               "required policy missing",
}

// String returns the code's short name.
func (c Code) String() string {
	if int(c) < len(codeNames) && codeNames[c] != "" {
		return codeNames[c]
	}
	return fmt.Sprintf("code %d", uint8(c))
}

// Reason is one reason a certificate or chain is refused.
type Reason interface {
	error
	Code() Code
}

// CertRef names a certificate in a reason.
type CertRef struct {
	ID      Fingerprint
	Subject string
}

// String returns the subject and the first 8 bytes of the fingerprint.
func (r CertRef) String() string {
	return fmt.Sprintf("%q [sha256:%x]", r.Subject, r.ID[:8])
}

// ReasonUnknownPurpose: the request names no known purpose.
type ReasonUnknownPurpose struct{ Purpose Purpose }

// ReasonTooManyIntermediates: the request gives more intermediates than
// allowed; nothing else is checked.
type ReasonTooManyIntermediates struct{ Count, Max int }

// ReasonMalformed: an input certificate does not parse. Input says which
// ("leaf" or "intermediate"); InputHash is the SHA-256 of the bytes given.
type ReasonMalformed struct {
	Input     string
	InputHash Fingerprint
	Err       error // a *ParseError
}

// ReasonNoPath: no issuer of Cert was found: among the intermediates and
// trusted CAs for VerifyChain, or given as the parent for CheckCA.
type ReasonNoPath struct {
	Cert           CertRef
	Issuer         string // the issuer name looked for
	AuthorityKeyID []byte // the key identifier looked for, if any
}

// ReasonUnsupportedSignature: Cert is signed with an algorithm the
// signature verifier does not implement for its issuer's key.
type ReasonUnsupportedSignature struct {
	Cert      CertRef
	Algorithm string       // the signature algorithm's name or OID
	IssuerKey KeyAlgorithm // the issuer's key type
}

// ReasonBadSignature: Cert's signature does not verify under Issuer's key.
type ReasonBadSignature struct {
	Cert, Issuer CertRef
	Err          error // the verifier's reason
}

// ReasonNameChain: Cert's issuer name is not its parent's subject name.
type ReasonNameChain struct {
	Cert          CertRef
	Issuer        string
	ParentSubject string
}

// ReasonKeyID: Cert's authority key identifier is not its issuer's subject
// key identifier.
type ReasonKeyID struct {
	Cert                         CertRef
	AuthorityKeyID, SubjectKeyID []byte
}

// ReasonUnknownCritical: Cert has critical extensions this package does not
// understand.
type ReasonUnknownCritical struct {
	Cert CertRef
	OIDs []asn1.ObjectIdentifier
}

// ReasonNotYetValid: Cert is not valid before NotBefore.
type ReasonNotYetValid struct {
	Cert          CertRef
	NotBefore, At time.Time
}

// ReasonExpired: Cert is not valid after NotAfter.
type ReasonExpired struct {
	Cert         CertRef
	NotAfter, At time.Time
}

// ReasonNotCA: Cert issues certificates but is not a CA (no basicConstraints
// with cA true).
type ReasonNotCA struct{ Cert CertRef }

// ReasonKeyUsage: Cert's keyUsage has none of the bits in Want.
type ReasonKeyUsage struct {
	Cert       CertRef
	Have, Want x509.KeyUsage
}

// ReasonPathLen: Cert allows MaxPathLen CA certificates below it; the path
// has Below.
type ReasonPathLen struct {
	Cert              CertRef
	MaxPathLen, Below int
}

// ReasonExtKeyUsage: Cert's extKeyUsage lists none of Want.
type ReasonExtKeyUsage struct {
	Cert       CertRef
	Have, Want []asn1.ObjectIdentifier
}

// ReasonRevoked: Cert, serial Serial, was revoked at At, at or before the
// time of the check.
type ReasonRevoked struct {
	Cert   CertRef
	Serial *big.Int
	At     time.Time
	Reason string
}

// ReasonPolicy: Cert asserts none of the required policies Want that
// remained acceptable below it.
type ReasonPolicy struct {
	Cert       CertRef
	Have, Want []asn1.ObjectIdentifier
}

// Code implements Reason.
func (ReasonUnknownPurpose) Code() Code { return CodeUnknownPurpose }

// Code implements Reason.
func (ReasonTooManyIntermediates) Code() Code { return CodeTooManyIntermediates }

// Code implements Reason.
func (ReasonMalformed) Code() Code { return CodeMalformed }

// Code implements Reason.
func (ReasonNoPath) Code() Code { return CodeNoPath }

// Code implements Reason.
func (ReasonUnsupportedSignature) Code() Code { return CodeUnsupportedSignature }

// Code implements Reason.
func (ReasonBadSignature) Code() Code { return CodeBadSignature }

// Code implements Reason.
func (ReasonNameChain) Code() Code { return CodeNameChain }

// Code implements Reason.
func (ReasonKeyID) Code() Code { return CodeKeyID }

// Code implements Reason.
func (ReasonUnknownCritical) Code() Code { return CodeUnknownCritical }

// Code implements Reason.
func (ReasonNotYetValid) Code() Code { return CodeNotYetValid }

// Code implements Reason.
func (ReasonExpired) Code() Code { return CodeExpired }

// Code implements Reason.
func (ReasonNotCA) Code() Code { return CodeNotCA }

// Code implements Reason.
func (ReasonKeyUsage) Code() Code { return CodeKeyUsage }

// Code implements Reason.
func (ReasonPathLen) Code() Code { return CodePathLen }

// Code implements Reason.
func (ReasonExtKeyUsage) Code() Code { return CodeExtKeyUsage }

// Code implements Reason.
func (ReasonRevoked) Code() Code { return CodeRevoked }

// Code implements Reason.
func (ReasonPolicy) Code() Code { return CodePolicy }

// Error implements error.
func (r ReasonUnknownPurpose) Error() string {
	return fmt.Sprintf("unknown purpose %q", string(r.Purpose))
}

// Error implements error.
func (r ReasonTooManyIntermediates) Error() string {
	return fmt.Sprintf("%d intermediates given, at most %d allowed", r.Count, r.Max)
}

// Error implements error.
func (r ReasonMalformed) Error() string {
	return fmt.Sprintf("%s [input sha256:%x]: %v", r.Input, r.InputHash[:8], r.Err)
}

// Unwrap returns the parse error.
func (r ReasonMalformed) Unwrap() error { return r.Err }

// Error implements error.
func (r ReasonNoPath) Error() string {
	s := fmt.Sprintf("no path to a trusted CA: issuer %q of %v not found", r.Issuer, r.Cert)
	if len(r.AuthorityKeyID) != 0 {
		s += fmt.Sprintf(" with key id %x", r.AuthorityKeyID)
	}
	return s
}

// Error implements error.
func (r ReasonUnsupportedSignature) Error() string {
	return fmt.Sprintf("%v: unsupported signature algorithm %s with a %s issuer key", r.Cert, r.Algorithm, r.IssuerKey)
}

// Error implements error.
func (r ReasonBadSignature) Error() string {
	return fmt.Sprintf("%v: signature does not verify under the key of %v: %v", r.Cert, r.Issuer, r.Err)
}

// Unwrap returns the verifier's reason.
func (r ReasonBadSignature) Unwrap() error { return r.Err }

// Error implements error.
func (r ReasonNameChain) Error() string {
	return fmt.Sprintf("%v: issuer %q is not the parent's subject %q", r.Cert, r.Issuer, r.ParentSubject)
}

// Error implements error.
func (r ReasonKeyID) Error() string {
	return fmt.Sprintf("%v: authority key id %x is not the parent's subject key id %x", r.Cert, r.AuthorityKeyID, r.SubjectKeyID)
}

// Error implements error.
func (r ReasonUnknownCritical) Error() string {
	return fmt.Sprintf("%v: unknown critical extension %s", r.Cert, oidList(r.OIDs))
}

// Error implements error.
func (r ReasonNotYetValid) Error() string {
	return fmt.Sprintf("%v: not valid before %s (checked at %s)", r.Cert, stamp(r.NotBefore), stamp(r.At))
}

// Error implements error.
func (r ReasonExpired) Error() string {
	return fmt.Sprintf("%v: expired at %s (checked at %s)", r.Cert, stamp(r.NotAfter), stamp(r.At))
}

// Error implements error.
func (r ReasonNotCA) Error() string {
	return fmt.Sprintf("%v: not a CA certificate (basicConstraints cA is not true)", r.Cert)
}

// Error implements error.
func (r ReasonKeyUsage) Error() string {
	return fmt.Sprintf("%v: key usage %s has none of %s", r.Cert, keyUsageNames(r.Have), keyUsageNames(r.Want))
}

// Error implements error.
func (r ReasonPathLen) Error() string {
	return fmt.Sprintf("%v: path length constraint %d, but %d CA certificates below it", r.Cert, r.MaxPathLen, r.Below)
}

// Error implements error.
func (r ReasonExtKeyUsage) Error() string {
	return fmt.Sprintf("%v: extended key usage [%s] has none of [%s]", r.Cert, oidNames(r.Have), oidNames(r.Want))
}

// Error implements error.
func (r ReasonRevoked) Error() string {
	s := fmt.Sprintf("%v: serial %s revoked at %s", r.Cert, serialText(r.Serial), stamp(r.At))
	if r.Reason != "" {
		s += ": " + r.Reason
	}
	return s
}

// Error implements error.
func (r ReasonPolicy) Error() string {
	return fmt.Sprintf("%v: certificate policies [%s] include none of the required [%s]", r.Cert, oidNames(r.Have), oidNames(r.Want))
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// serialText writes a serial in decimal, as revocations are posted on
// chain, and in hex, as certificate tools print it.
func serialText(n *big.Int) string {
	if n == nil {
		return "<none>"
	}
	return fmt.Sprintf("%d (0x%x)", n, n)
}

var keyUsageBits = []string{
	"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
}

func keyUsageNames(ku x509.KeyUsage) string {
	if ku == 0 {
		return "(none)"
	}
	var names []string
	for i, n := range keyUsageBits {
		if ku&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, "|")
}

var oidNamesTable = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{OIDAnyExtKeyUsage, "anyExtendedKeyUsage"},
	{OIDClientAuth, "clientAuth"},
	{OIDEmailProtection, "emailProtection"},
	{OIDDocumentSigning, "documentSigning"},
	{OIDMSDocumentSigning, "msDocumentSigning"},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}, "serverAuth"},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 3}, "codeSigning"},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}, "timeStamping"},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 9}, "OCSPSigning"},
	{OIDAnyPolicy, "anyPolicy"},
}

func oidNames(oids []asn1.ObjectIdentifier) string {
	s := make([]string, len(oids))
	for i, o := range oids {
		s[i] = o.String()
		for _, n := range oidNamesTable {
			if n.oid.Equal(o) {
				s[i] = n.name
				break
			}
		}
	}
	return strings.Join(s, ", ")
}
