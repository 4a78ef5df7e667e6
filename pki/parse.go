package pki

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/emmansun/gmsm/smx509"

	"github.com/baynet/baynet/crypto"
)

// DefaultMaxCertSize is the DER size limit used when a caller passes none.
const DefaultMaxCertSize = 16 << 10

// Fingerprint is the SHA-256 of a certificate's DER encoding: its id.
type Fingerprint [sha256.Size]byte

// String returns the fingerprint in lower-case hex.
func (f Fingerprint) String() string { return hex.EncodeToString(f[:]) }

// KeyAlgorithm names a certificate's subject key type.
type KeyAlgorithm string

// The key algorithms a certificate may have.
const (
	KeyRSA       KeyAlgorithm = "rsa"
	KeyECDSAP256 KeyAlgorithm = "ecdsa-p256"
	KeyECDSAP384 KeyAlgorithm = "ecdsa-p384"
	KeySM2       KeyAlgorithm = "sm2"
)

// Certificate is a parsed X.509 certificate. Its byte slices are its own:
// ParseCertificate copies the input.
type Certificate struct {
	ID                Fingerprint // SHA-256 of Raw
	Raw               []byte      // the DER encoding
	RawTBSCertificate []byte      // the signed part
	RawSubject        []byte      // DER of the subject name, compared for name chaining
	RawIssuer         []byte      // DER of the issuer name
	Subject           pkix.Name
	Issuer            pkix.Name
	SerialNumber      *big.Int
	NotBefore         time.Time
	NotAfter          time.Time
	// IsCA is true when basicConstraints is present with cA true.
	IsCA bool
	// MaxPathLen is the CA's pathLenConstraint, -1 when there is none or the
	// certificate is not a CA.
	MaxPathLen int
	// KeyUsage holds the keyUsage bits; 0 means the extension is absent (an
	// extension with no bit set is refused).
	KeyUsage x509.KeyUsage
	// ExtKeyUsage lists the extKeyUsage purposes; nil means the extension is
	// absent.
	ExtKeyUsage    []asn1.ObjectIdentifier
	Policies       []asn1.ObjectIdentifier // certificatePolicies policy identifiers
	SubjectKeyID   []byte                  // nil when absent
	AuthorityKeyID []byte                  // keyIdentifier of authorityKeyIdentifier; nil when absent
	KeyAlgorithm   KeyAlgorithm
	KeyBits        int              // RSA modulus size, or the curve size
	PublicKey      crypto.PublicKey // the subject key, as the signature verifier reads it
	// SignatureAlgorithm is the OID of the algorithm the issuer signed with.
	SignatureAlgorithm asn1.ObjectIdentifier
	Signature          []byte
	// UnverifiedSelfSignature, when not empty, says why CheckCA registers
	// this self-issued certificate as a root without verifying its own
	// signature. It is set only for a self-issued certificate signed with
	// SHA-1 (sha1WithRSAEncryption, ecdsa-with-SHA1): the signature verifier
	// accepts no SHA-1 signature, and a root's self-signature is not what
	// makes it trusted — its registration by a region is, as browsers too
	// ignore it. Every link of a chain (a certificate signed by its issuer)
	// is still verified, and a SHA-1 one is still refused.
	UnverifiedSelfSignature string
	// UnknownCritical lists the critical extensions this package does not
	// understand. ParseCertificate refuses such certificates; only paths
	// that VerifyChain reports can hold one, with ReasonUnknownCritical.
	UnknownCritical []asn1.ObjectIdentifier

	sigAlg x509.SignatureAlgorithm // smx509's reading of the algorithm and its parameters
}

// SelfIssued reports whether the subject and issuer names are the same.
func (c *Certificate) SelfIssued() bool { return bytes.Equal(c.RawSubject, c.RawIssuer) }

// Ref returns the reference reasons use to name c.
func (c *Certificate) Ref() CertRef { return CertRef{ID: c.ID, Subject: c.Subject.String()} }

// Critical extensions a certificate may carry. Each is either enforced here
// (basic constraints, key usage, extended key usage, certificate policies,
// key identifiers) or places no constraint on a path (subject alternative
// name). Name constraints, policy constraints and mappings, inhibitAnyPolicy
// and every other critical extension are refused rather than ignored.
var understoodCritical = []asn1.ObjectIdentifier{
	{2, 5, 29, 14}, // subjectKeyIdentifier
	{2, 5, 29, 15}, // keyUsage
	{2, 5, 29, 17}, // subjectAltName
	{2, 5, 29, 19}, // basicConstraints
	{2, 5, 29, 32}, // certificatePolicies
	{2, 5, 29, 35}, // authorityKeyIdentifier
	{2, 5, 29, 37}, // extKeyUsage
}

var (
	oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidKeyUsage    = asn1.ObjectIdentifier{2, 5, 29, 15}
)

// ParseCertificate parses one X.509 certificate, DER or PEM (a single
// "CERTIFICATE" block with nothing but whitespace around it and no headers),
// whose DER is at most maxSize bytes (DefaultMaxCertSize when maxSize <= 0;
// PEM input may be up to twice that). The subject key must be RSA (2048 to
// 8192 bits), ECDSA P-256 or P-384, or SM2, and acceptable to the signature
// verifier. Trailing data, non-DER encodings, duplicate extensions, a keyUsage
// with no bit or an extKeyUsage with no purpose are refused, and so is any
// critical extension other than basicConstraints, keyUsage, extKeyUsage,
// certificatePolicies, subjectAltName, subjectKeyIdentifier and
// authorityKeyIdentifier. The signature algorithm is recorded, not checked:
// CheckCA and VerifyChain report one they cannot verify. Errors are
// *ParseError; malformed input never panics.
func ParseCertificate(data []byte, maxSize int) (*Certificate, error) {
	c, err := parse(data, maxSize)
	if err != nil {
		return nil, err
	}
	if len(c.UnknownCritical) != 0 {
		return nil, parseErr(ErrUnknownCritical, oidList(c.UnknownCritical))
	}
	return c, nil
}

// parse is ParseCertificate without the unknown-critical-extension check,
// which VerifyChain reports as a reason instead.
func parse(data []byte, maxSize int) (c *Certificate, err error) {
	defer func() {
		if recover() != nil {
			c, err = nil, parseErr(ErrMalformed, "parser fault")
		}
	}()
	if maxSize <= 0 {
		maxSize = DefaultMaxCertSize
	}
	switch {
	case len(data) == 0:
		return nil, parseErr(ErrMalformed, "empty input")
	case len(data) > 2*maxSize:
		return nil, parseErr(ErrTooLarge, fmt.Sprintf("%d bytes of input, limit %d of DER", len(data), maxSize))
	}
	der := data
	if isPEM(data) {
		if der, err = decodePEM(data); err != nil {
			return nil, err
		}
	}
	if len(der) > maxSize {
		return nil, parseErr(ErrTooLarge, fmt.Sprintf("%d bytes of DER, limit %d", len(der), maxSize))
	}
	der = bytes.Clone(der)
	sc, err := smx509.ParseCertificate(der)
	if err != nil {
		return nil, parseErr(ErrMalformed, err.Error())
	}
	c = &Certificate{
		ID:                sha256.Sum256(der),
		Raw:               sc.Raw,
		RawTBSCertificate: sc.RawTBSCertificate,
		RawSubject:        sc.RawSubject,
		RawIssuer:         sc.RawIssuer,
		Subject:           sc.Subject,
		Issuer:            sc.Issuer,
		SerialNumber:      sc.SerialNumber,
		NotBefore:         sc.NotBefore,
		NotAfter:          sc.NotAfter,
		IsCA:              sc.BasicConstraintsValid && sc.IsCA,
		MaxPathLen:        -1,
		KeyUsage:          sc.KeyUsage,
		Policies:          sc.PolicyIdentifiers,
		SubjectKeyID:      sc.SubjectKeyId,
		AuthorityKeyID:    sc.AuthorityKeyId,
		Signature:         sc.Signature,
		sigAlg:            sc.SignatureAlgorithm,
	}
	if c.IsCA {
		if sc.MaxPathLen < -1 {
			return nil, parseErr(ErrMalformed, "negative pathLenConstraint")
		}
		c.MaxPathLen = sc.MaxPathLen
	}
	if err := c.readExtensions(sc); err != nil {
		return nil, err
	}
	if c.SignatureAlgorithm, err = signatureOID(der); err != nil {
		return nil, err
	}
	if err := c.readKey(der); err != nil {
		return nil, err
	}
	if c.SelfIssued() && (c.sigAlg == x509.SHA1WithRSA || c.sigAlg == x509.ECDSAWithSHA1) {
		c.UnverifiedSelfSignature = "self-signature not verified: " + signatureName(c) +
			" uses SHA-1, which no signature is accepted with; a root is trusted by its registration, not by its self-signature"
	}
	return c, nil
}

// readExtensions fills ExtKeyUsage and UnknownCritical and refuses the empty
// keyUsage and extKeyUsage that RFC 5280 forbids.
func (c *Certificate) readExtensions(sc *smx509.Certificate) error {
	for _, e := range sc.Extensions {
		switch {
		case e.Id.Equal(oidKeyUsage) && c.KeyUsage == 0:
			return parseErr(ErrMalformed, "keyUsage extension with no bit set")
		case e.Id.Equal(oidExtKeyUsage):
			var ekus []asn1.ObjectIdentifier
			rest, err := asn1.Unmarshal(e.Value, &ekus)
			if err != nil || len(rest) != 0 {
				return parseErr(ErrMalformed, "invalid extKeyUsage extension")
			}
			if len(ekus) == 0 {
				return parseErr(ErrMalformed, "extKeyUsage extension with no purpose")
			}
			c.ExtKeyUsage = ekus
		}
		if e.Critical && !containsOID(understoodCritical, e.Id) {
			c.UnknownCritical = append(c.UnknownCritical, e.Id)
		}
	}
	return nil
}

// readKey takes the subject key as the signature verifier reads it.
func (c *Certificate) readKey(der []byte) error {
	key, err := crypto.PublicKeyFromCertificate(der)
	if err != nil {
		return parseErr(ErrUnsupportedKey, err.Error())
	}
	c.PublicKey = key
	switch key.Scheme() {
	case crypto.SchemeP256:
		c.KeyAlgorithm, c.KeyBits = KeyECDSAP256, 256
	case crypto.SchemeP384:
		c.KeyAlgorithm, c.KeyBits = KeyECDSAP384, 384
	case crypto.SchemeSM2:
		c.KeyAlgorithm, c.KeyBits = KeySM2, 256
	case crypto.SchemeRSAPKCS1, crypto.SchemeRSAPSS:
		pub, err := x509.ParsePKIXPublicKey(key.Bytes())
		rsaPub, ok := pub.(*rsa.PublicKey)
		if err != nil || !ok {
			return parseErr(ErrUnsupportedKey, "unreadable RSA key")
		}
		c.KeyAlgorithm, c.KeyBits = KeyRSA, rsaPub.N.BitLen()
	default:
		return parseErr(ErrUnsupportedKey, string(key.Scheme())+" keys are not accepted in certificates")
	}
	return nil
}

// signatureOID returns the OID of the outer signatureAlgorithm; smx509 has
// already checked that it equals the one inside the signed part.
func signatureOID(der []byte) (asn1.ObjectIdentifier, error) {
	var outer struct {
		TBS       asn1.RawValue
		Algorithm pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		return nil, parseErr(ErrMalformed, "unreadable signature algorithm: "+err.Error())
	}
	return outer.Algorithm.Algorithm, nil
}

func isPEM(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("-----BEGIN "))
}

// decodePEM returns the DER of exactly one unencrypted CERTIFICATE block
// with nothing but whitespace around it; pem.Decode alone would skip text
// before the block.
func decodePEM(b []byte) ([]byte, error) {
	block, rest := pem.Decode(bytes.TrimLeft(b, " \t\r\n"))
	switch {
	case block == nil:
		return nil, parseErr(ErrMalformed, "invalid PEM")
	case len(bytes.TrimSpace(rest)) != 0:
		return nil, parseErr(ErrMalformed, "trailing data after the PEM block")
	case len(block.Headers) != 0:
		return nil, parseErr(ErrMalformed, "PEM headers are not accepted")
	case block.Type != "CERTIFICATE":
		return nil, parseErr(ErrMalformed, "PEM block is "+block.Type+", not CERTIFICATE")
	}
	return block.Bytes, nil
}

func containsOID(list []asn1.ObjectIdentifier, oid asn1.ObjectIdentifier) bool {
	for _, o := range list {
		if o.Equal(oid) {
			return true
		}
	}
	return false
}

func oidList(oids []asn1.ObjectIdentifier) string {
	s := make([]string, len(oids))
	for i, o := range oids {
		s[i] = o.String()
	}
	return strings.Join(s, ", ")
}
