package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"strconv"
	"strings"
)

// Purpose is what a certificate is verified for. Each purpose fixes the key
// usages and extended key usages a chain must allow.
type Purpose string

// The purposes a region recognises a CA for.
const (
	PurposeTendering  Purpose = "tendering"
	PurposeESeal      Purpose = "e-seal"
	PurposeESignature Purpose = "e-signature"
)

// Extended key usage and policy OIDs the purposes refer to.
var (
	OIDAnyExtKeyUsage    = asn1.ObjectIdentifier{2, 5, 29, 37, 0}
	OIDClientAuth        = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	OIDEmailProtection   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 4}
	OIDDocumentSigning   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36} // RFC 9336
	OIDMSDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 10, 3, 12}
	OIDAnyPolicy         = asn1.ObjectIdentifier{2, 5, 29, 32, 0}
)

// Usage is what a purpose requires of a chain.
type Usage struct {
	// KeyUsage: a leaf with a keyUsage extension must have at least one of
	// these bits.
	KeyUsage x509.KeyUsage
	// ExtKeyUsage: every certificate of the path with an extKeyUsage
	// extension must list one of these or anyExtendedKeyUsage.
	ExtKeyUsage []asn1.ObjectIdentifier
}

var usages = map[Purpose]Usage{
	// Bids are signed and platform logins authenticated with the same
	// certificate.
	PurposeTendering: {
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []asn1.ObjectIdentifier{OIDClientAuth, OIDEmailProtection, OIDDocumentSigning, OIDMSDocumentSigning},
	},
	// An organisation's seal on a document.
	PurposeESeal: {
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []asn1.ObjectIdentifier{OIDDocumentSigning, OIDMSDocumentSigning, OIDEmailProtection},
	},
	// A person's legally binding signature: non-repudiation is required.
	PurposeESignature: {
		KeyUsage:    x509.KeyUsageContentCommitment,
		ExtKeyUsage: []asn1.ObjectIdentifier{OIDDocumentSigning, OIDMSDocumentSigning, OIDEmailProtection},
	},
}

// Purposes returns the known purposes.
func Purposes() []Purpose { return []Purpose{PurposeTendering, PurposeESeal, PurposeESignature} }

// Usage returns what p requires, and false if p is not a known purpose.
func (p Purpose) Usage() (Usage, bool) {
	u, ok := usages[p]
	return u, ok
}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool {
	_, ok := usages[p]
	return ok
}

// ParseOID parses a dotted object identifier such as "2.16.156.112554.1.1":
// at least two arcs, decimal without sign or leading zeros, the first 0, 1
// or 2 and the second below 40 unless the first is 2. Errors are
// *ParseError wrapping ErrInvalidOID.
func ParseOID(s string) (asn1.ObjectIdentifier, error) {
	parts := strings.Split(s, ".")
	if len(s) > 256 || len(parts) < 2 {
		return nil, parseErr(ErrInvalidOID, strconv.Quote(s))
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 31)
		if err != nil || (len(p) > 1 && p[0] == '0') {
			return nil, parseErr(ErrInvalidOID, strconv.Quote(s))
		}
		oid[i] = int(n)
	}
	if oid[0] > 2 || (oid[0] < 2 && oid[1] >= 40) {
		return nil, parseErr(ErrInvalidOID, strconv.Quote(s))
	}
	return oid, nil
}
