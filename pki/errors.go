package pki

import (
	"errors"
	"fmt"
	"strings"
)

// Reasons an input is refused. A *ParseError carries exactly one of them, so
// errors.Is tells callers why.
var (
	ErrTooLarge        = errors.New("certificate too large")
	ErrMalformed       = errors.New("malformed certificate")
	ErrUnsupportedKey  = errors.New("unsupported public key")
	ErrUnknownCritical = errors.New("unknown critical extension")
	ErrInvalidOID      = errors.New("invalid object identifier")
)

// ParseError reports why ParseCertificate or ParseOID refused an input.
type ParseError struct {
	Reason error  // one of the Err* reasons above
	Detail string // what exactly was wrong, for humans
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Detail == "" {
		return "pki: " + e.Reason.Error()
	}
	return fmt.Sprintf("pki: %v: %s", e.Reason, e.Detail)
}

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Reason }

func parseErr(reason error, detail string) *ParseError {
	return &ParseError{Reason: reason, Detail: detail}
}

// RejectedError lists every reason a certificate or chain was refused.
type RejectedError struct {
	// Cert is the CA being registered or the leaf being verified; zero when
	// the leaf did not parse.
	Cert    CertRef
	Reasons []Reason
}

// Error implements error.
func (e *RejectedError) Error() string {
	msgs := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		msgs[i] = r.Error()
	}
	if e.Cert.ID == (Fingerprint{}) {
		return "pki: refused: " + strings.Join(msgs, "; ")
	}
	return fmt.Sprintf("pki: %v refused: %s", e.Cert, strings.Join(msgs, "; "))
}

// Unwrap returns the reasons, so errors.As finds any one of them.
func (e *RejectedError) Unwrap() []error {
	errs := make([]error, len(e.Reasons))
	for i, r := range e.Reasons {
		errs[i] = r
	}
	return errs
}
