package crypto

import (
	"errors"
	"fmt"
)

// Reasons a key or a signature is refused. Verdicts carry exactly one of them,
// so errors.Is tells callers why an item failed.
var (
	ErrUnknownScheme        = errors.New("unknown signature scheme")
	ErrMalformedKey         = errors.New("malformed public key")
	ErrKeyTooSmall          = errors.New("public key too small")
	ErrKeyTooLarge          = errors.New("public key too large")
	ErrUnsupportedKey       = errors.New("public key parameters not accepted")
	ErrMalformedCertificate = errors.New("malformed certificate")
	ErrUnsupportedHash      = errors.New("hash not accepted for this key and policy")
	ErrMalformedSignature   = errors.New("malformed signature")
	ErrHighS                = errors.New("signature s is not low")
	ErrInvalidUID           = errors.New("sm2 user id too long")
	ErrInvalidSignature     = errors.New("invalid signature")
	// ErrVerifierFault means an underlying library panicked on the item. The
	// item is refused rather than the node crashed; it indicates a library bug.
	ErrVerifierFault = errors.New("verifier fault")
)

// ItemError is the verdict on a failed item of a batch.
type ItemError struct {
	Index  int    // position of the item, as returned by BatchVerifier.Add
	Scheme Scheme // scheme of the item's key, empty when there is no key
	Reason error  // one of the Err* reasons above
}

// Error implements error.
func (e *ItemError) Error() string {
	return fmt.Sprintf("crypto: item %d (%s): %v", e.Index, e.Scheme, e.Reason)
}

// Unwrap returns the reason, so errors.Is(err, ErrInvalidSignature) works.
func (e *ItemError) Unwrap() error { return e.Reason }

// KeyError reports why a public key or certificate was not accepted.
type KeyError struct {
	Scheme Scheme // the scheme asked for or found, empty when unknown
	Reason error  // ErrMalformedKey, ErrKeyTooSmall, ... ErrMalformedCertificate
	Detail string // what exactly was wrong, for humans
}

// Error implements error.
func (e *KeyError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("crypto: %s key: %v", e.Scheme, e.Reason)
	}
	return fmt.Sprintf("crypto: %s key: %v: %s", e.Scheme, e.Reason, e.Detail)
}

// Unwrap returns the reason.
func (e *KeyError) Unwrap() error { return e.Reason }

func keyErr(s Scheme, reason error, detail string) *KeyError {
	return &KeyError{Scheme: s, Reason: reason, Detail: detail}
}
