package verifier

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Reasons a fact or a bundle is refused; the typed errors below wrap one of
// them, so errors.Is tells a caller which check failed.
var (
	// ErrBadProof means a value (or absence) proof does not lead to the
	// proven header's app hash.
	ErrBadProof = errors.New("proof does not match the app hash")
	// ErrBadHeader means a light block does not verify against the trusted
	// one, or is not the block the proofs need.
	ErrBadHeader = errors.New("header not verified")
	// ErrBadResponse means a node answered something other than what was asked.
	ErrBadResponse = errors.New("node answered a different question")
	// ErrInconsistent means proven values contradict each other: the chain's
	// invariants do not hold for them.
	ErrInconsistent = errors.New("proven values are inconsistent")
)

// ProofError reports a refused fact, naming it.
type ProofError struct {
	Store  string
	Key    []byte
	Height int64
	Err    error // one of the Err* reasons, possibly wrapping the library's detail
}

// Error implements error.
func (e *ProofError) Error() string {
	return fmt.Sprintf("verifier: %s key %X at height %d: %s", e.Store, e.Key, e.Height, printable(e.Err.Error()))
}

// Unwrap returns the reason.
func (e *ProofError) Unwrap() error { return e.Err }

// HeaderError reports a light block that was not verified.
type HeaderError struct {
	Height int64
	Err    error
}

// Error implements error.
func (e *HeaderError) Error() string {
	return fmt.Sprintf("verifier: header %d: %v", e.Height, e.Err)
}

// Unwrap returns the reason.
func (e *HeaderError) Unwrap() error { return e.Err }

// printable keeps a message readable on a terminal: the proof libraries
// quote keys as raw bytes.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return '?'
	}, strings.ToValidUTF8(s, "?"))
}

// wrap joins a reason with the detail a library gave, keeping both for errors.Is.
func wrap(reason, detail error) error {
	return fmt.Errorf("%w: %w", reason, detail)
}
