package pki

import (
	"bytes"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
	"time"

	"github.com/baynet/baynet/crypto"
)

// DefaultMaxIntermediates is the intermediate count limit used when a caller
// passes none.
const DefaultMaxIntermediates = 8

// Limits bound the work of one VerifyChain call. Zero fields take the
// defaults.
type Limits struct {
	MaxCertSize      int // DER bytes per given certificate; DefaultMaxCertSize
	MaxIntermediates int // DefaultMaxIntermediates
}

// Revocation is a posted revocation of one certificate.
type Revocation struct {
	At     time.Time
	Reason string
}

// RevocationLookup reports whether the certificate with serial, issued by
// the CA whose fingerprint is issuer, has been revoked, and when and why.
type RevocationLookup func(issuer Fingerprint, serial *big.Int) (rev Revocation, revoked bool)

// VerifyRequest is one chain verification.
type VerifyRequest struct {
	Leaf          []byte   // DER or PEM
	Intermediates [][]byte // DER or PEM, in any order
	// Trusted is the trust list: the registered CAs recognised for the
	// purpose where the chain is verified. Include the roots of trusted
	// intermediates, so that the roots' validity and the intermediates'
	// revocation are checked too.
	Trusted []*Certificate
	At      time.Time // the time the chain must be valid at
	Purpose Purpose
	// Policies, when not empty, are acceptable certificate policies: the
	// path must carry at least one of them.
	Policies []asn1.ObjectIdentifier
	Revoked  RevocationLookup // nil when nothing is revoked
	Limits   Limits
}

// Result is VerifyChain's verdict.
type Result struct {
	// Path runs from the leaf to a trusted CA when Trusted, and otherwise as
	// far towards one as it could be built. It is nil when the leaf does not
	// parse or the request is refused before parsing.
	Path []*Certificate
	// Trusted reports whether Path ends at a certificate of the trust list.
	Trusted bool
	// Reasons lists every reason the chain is refused; it is empty when the
	// chain verifies.
	Reasons []Reason
}

// OK reports whether the chain verified.
func (r Result) OK() bool { return len(r.Reasons) == 0 }

// Err returns nil when the chain verified, else a *RejectedError with the
// reasons.
func (r Result) Err() error {
	if r.OK() {
		return nil
	}
	e := &RejectedError{Reasons: r.Reasons}
	if len(r.Path) != 0 {
		e.Cert = r.Path[0].Ref()
	}
	return e
}

// VerifyChain verifies a leaf certificate for a purpose at a time, through
// the given intermediates, against the trust list. It runs these checks in
// this order and reports every reason, not just the first:
//
//  1. the purpose is known (ReasonUnknownPurpose) and there are at most
//     Limits.MaxIntermediates intermediates (ReasonTooManyIntermediates);
//     either failure ends the verification;
//  2. the leaf and every intermediate parse, within Limits.MaxCertSize
//     (ReasonMalformed); a malformed leaf ends the verification, a malformed
//     intermediate is left out of the paths;
//  3. paths are built from the leaf to a trusted CA: each certificate's
//     issuer is one whose subject is its issuer name (DER equal) and whose
//     subject key id, when both ids are present, is its authority key id;
//     no certificate twice; a path ends at a trusted root or at a trusted
//     CA with no trusted issuer. When none is found the longest partial
//     path is checked instead, with ReasonNoPath;
//  4. every link's signature, for all paths at once in one
//     crypto.BatchVerifier (ReasonUnsupportedSignature, ReasonBadSignature);
//     the last certificate is trusted, so its own signature is not checked;
//  5. no certificate has a critical extension this package does not
//     understand (ReasonUnknownCritical);
//  6. every certificate is valid at At, bounds included (ReasonNotYetValid,
//     ReasonExpired);
//  7. every issuer is a CA (ReasonNotCA) with keyCertSign when it has a
//     keyUsage (ReasonKeyUsage), and no CA has more non-self-issued CA
//     certificates below it than its pathLenConstraint (ReasonPathLen);
//  8. the leaf's keyUsage, when present, has a bit the purpose accepts
//     (ReasonKeyUsage), and every certificate's extKeyUsage, when present,
//     lists anyExtendedKeyUsage or a purpose the Purpose accepts
//     (ReasonExtKeyUsage);
//  9. no certificate but the last was revoked by its issuer at or before
//     At (ReasonRevoked); revocations after At do not count;
//  10. when Policies are given, one of them is asserted by the leaf and by
//     every certificate between the leaf and the last (or anyPolicy there)
//     (ReasonPolicy).
//
// Of several paths, the result reports the one with the fewest reasons, then
// the shortest, then the first by fingerprints. Neither the verdict nor the
// reasons depend on the order of the intermediates or the trust list.
func VerifyChain(req VerifyRequest) Result {
	usage, ok := req.Purpose.Usage()
	if !ok {
		return Result{Reasons: []Reason{ReasonUnknownPurpose{Purpose: req.Purpose}}}
	}
	lim := req.Limits.withDefaults()
	if len(req.Intermediates) > lim.MaxIntermediates {
		return Result{Reasons: []Reason{ReasonTooManyIntermediates{Count: len(req.Intermediates), Max: lim.MaxIntermediates}}}
	}

	var res Result
	leaf, err := parse(req.Leaf, lim.MaxCertSize)
	if err != nil {
		res.Reasons = append(res.Reasons, ReasonMalformed{Input: "leaf", InputHash: sha256.Sum256(req.Leaf), Err: err})
	}
	var inters []*Certificate
	var malformed []Reason
	for _, b := range req.Intermediates {
		c, err := parse(b, lim.MaxCertSize)
		if err != nil {
			malformed = append(malformed, ReasonMalformed{Input: "intermediate", InputHash: sha256.Sum256(b), Err: err})
			continue
		}
		inters = append(inters, c)
	}
	slices.SortFunc(malformed, func(x, y Reason) int {
		hx, hy := x.(ReasonMalformed).InputHash, y.(ReasonMalformed).InputHash
		return bytes.Compare(hx[:], hy[:])
	})
	res.Reasons = append(res.Reasons, malformed...)
	if leaf == nil {
		return res
	}

	b := newPathBuilder(inters, req.Trusted)
	b.build(leaf)
	paths := b.complete
	res.Trusted = len(paths) != 0
	if !res.Trusted {
		partial := b.longest
		if partial == nil {
			partial = []*node{{cert: leaf}}
		}
		paths = [][]*node{partial}
	}
	links := verifyLinks(paths)
	var best []Reason
	var bestPath []*node
	for i, p := range paths {
		rs := checkPath(p, links, usage, &req)
		if i == 0 || len(rs) < len(best) || (len(rs) == len(best) && len(p) < len(bestPath)) {
			best, bestPath = rs, p
		}
	}
	if !res.Trusted {
		last := bestPath[len(bestPath)-1].cert
		res.Reasons = append(res.Reasons, ReasonNoPath{Cert: last.Ref(), Issuer: last.Issuer.String(), AuthorityKeyID: last.AuthorityKeyID})
	}
	res.Reasons = append(res.Reasons, best...)
	res.Path = certs(bestPath)
	return res
}

func (l Limits) withDefaults() Limits {
	if l.MaxCertSize <= 0 {
		l.MaxCertSize = DefaultMaxCertSize
	}
	if l.MaxIntermediates <= 0 {
		l.MaxIntermediates = DefaultMaxIntermediates
	}
	return l
}

// link is a certificate and the issuer whose key must verify it.
type link struct{ child, issuer Fingerprint }

// verifyLinks checks the signature of every distinct link of the paths in
// one batch. A link maps to nil when its signature verifies.
func verifyLinks(paths [][]*node) map[link]Reason {
	type pending struct {
		link          link
		index         int
		child, issuer *Certificate
	}
	out := make(map[link]Reason)
	bv := crypto.NewBatchVerifier()
	var queued []pending
	for _, p := range paths {
		for i := 0; i+1 < len(p); i++ {
			child, issuer := p[i].cert, p[i+1].cert
			l := link{child.ID, issuer.ID}
			if _, seen := out[l]; seen {
				continue
			}
			item, r := signatureItem(child, issuer)
			out[l] = r
			if r == nil {
				queued = append(queued, pending{l, bv.Add(item), child, issuer})
			}
		}
	}
	if bv.Len() == 0 {
		return out
	}
	_, verdicts := bv.Verify()
	for _, q := range queued {
		if err := verdicts[q.index]; err != nil {
			var ie *crypto.ItemError
			if errors.As(err, &ie) {
				err = ie.Reason
			}
			out[q.link] = ReasonBadSignature{Cert: q.child.Ref(), Issuer: q.issuer.Ref(), Err: err}
		}
	}
	return out
}
