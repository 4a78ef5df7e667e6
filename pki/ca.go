package pki

import (
	"bytes"
	"time"

	"github.com/baynet/baynet/crypto"
)

// CheckCA decides whether cert may be registered as a CA at time at: a root
// when parent is nil, otherwise an intermediate issued by parent (itself a
// registered CA). It returns nil, or a *RejectedError with every reason, found
// by these checks in this order:
//
//  1. cert has no critical extension this package does not understand
//     (ReasonUnknownCritical);
//  2. cert is a CA: basicConstraints with cA true (ReasonNotCA) and, when it
//     has a keyUsage, keyCertSign (ReasonKeyUsage);
//  3. cert has not expired at at (ReasonExpired); a CA not valid yet may be
//     registered ahead of time, VerifyChain checks validity when it is used;
//  4. without a parent: cert is self-issued, else it is an intermediate
//     given without its parent (ReasonNoPath; step 5 is skipped), and its
//     key ids, when both are present, match (ReasonKeyID);
//     with a parent: cert's issuer name is parent's subject
//     (ReasonNameChain), its authority key id, when it and parent's subject
//     key id are present, is parent's (ReasonKeyID), parent is a CA with
//     keyCertSign (ReasonNotCA, ReasonKeyUsage), parent's pathLenConstraint
//     is not 0 when cert is a CA that is not self-issued (ReasonPathLen),
//     and parent has not expired at at (ReasonExpired);
//  5. the signature verifies through the signature verifier under the
//     root's own key or parent's key (ReasonUnsupportedSignature,
//     ReasonBadSignature). A root whose self-signature is SHA-1 is the one
//     exception: it is registered without that check, as its
//     UnverifiedSelfSignature says, since a root is trusted because a region
//     registers it, not because it signed itself; an intermediate signed
//     with SHA-1 is refused.
func CheckCA(cert, parent *Certificate, at time.Time) error {
	rs := appendReason(nil, checkUnknownCritical(cert))
	rs = append(rs, checkIssuer(cert)...)
	if r := checkValidity(cert, at); r != nil && r.Code() == CodeExpired {
		rs = append(rs, r)
	}
	switch {
	case parent != nil:
		rs = append(rs, checkParent(cert, parent, at)...)
		rs = appendReason(rs, checkSignature(cert, parent))
	case !cert.SelfIssued():
		rs = append(rs, ReasonNoPath{Cert: cert.Ref(), Issuer: cert.Issuer.String(), AuthorityKeyID: cert.AuthorityKeyID})
	default:
		if !keyIDsMatch(cert, cert) {
			rs = append(rs, ReasonKeyID{Cert: cert.Ref(), AuthorityKeyID: cert.AuthorityKeyID, SubjectKeyID: cert.SubjectKeyID})
		}
		if cert.UnverifiedSelfSignature == "" {
			rs = appendReason(rs, checkSignature(cert, cert))
		}
	}
	if len(rs) == 0 {
		return nil
	}
	return &RejectedError{Cert: cert.Ref(), Reasons: rs}
}

// checkParent runs step 4 of CheckCA for an intermediate.
func checkParent(cert, parent *Certificate, at time.Time) []Reason {
	var rs []Reason
	if !bytes.Equal(cert.RawIssuer, parent.RawSubject) {
		rs = append(rs, ReasonNameChain{Cert: cert.Ref(), Issuer: cert.Issuer.String(), ParentSubject: parent.Subject.String()})
	}
	if !keyIDsMatch(cert, parent) {
		rs = append(rs, ReasonKeyID{Cert: cert.Ref(), AuthorityKeyID: cert.AuthorityKeyID, SubjectKeyID: parent.SubjectKeyID})
	}
	rs = append(rs, checkIssuer(parent)...)
	if parent.MaxPathLen == 0 && cert.IsCA && !cert.SelfIssued() {
		rs = append(rs, ReasonPathLen{Cert: parent.Ref(), MaxPathLen: 0, Below: 1})
	}
	if r := checkValidity(parent, at); r != nil && r.Code() == CodeExpired {
		rs = append(rs, r)
	}
	return rs
}

// checkSignature verifies one certificate signature on its own; VerifyChain
// batches the signatures of a path instead.
func checkSignature(cert, issuer *Certificate) Reason {
	item, r := signatureItem(cert, issuer)
	if r != nil {
		return r
	}
	if err := crypto.Verify(item); err != nil {
		return ReasonBadSignature{Cert: cert.Ref(), Issuer: issuer.Ref(), Err: err}
	}
	return nil
}
