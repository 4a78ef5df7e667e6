package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"time"
)

// checkValidity reports c as not yet valid or expired at at. Both bounds
// are inclusive, as in RFC 5280.
func checkValidity(c *Certificate, at time.Time) Reason {
	switch {
	case at.Before(c.NotBefore):
		return ReasonNotYetValid{Cert: c.Ref(), NotBefore: c.NotBefore, At: at}
	case at.After(c.NotAfter):
		return ReasonExpired{Cert: c.Ref(), NotAfter: c.NotAfter, At: at}
	}
	return nil
}

// checkIssuer reports why c may not issue certificates: it is not a CA, or
// its keyUsage lacks keyCertSign.
func checkIssuer(c *Certificate) []Reason {
	var rs []Reason
	if !c.IsCA {
		rs = append(rs, ReasonNotCA{Cert: c.Ref()})
	}
	if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
		rs = append(rs, ReasonKeyUsage{Cert: c.Ref(), Have: c.KeyUsage, Want: x509.KeyUsageCertSign})
	}
	return rs
}

func checkUnknownCritical(c *Certificate) Reason {
	if len(c.UnknownCritical) == 0 {
		return nil
	}
	return ReasonUnknownCritical{Cert: c.Ref(), OIDs: c.UnknownCritical}
}

// keyIDsMatch reports whether child's authority key id, when both it and
// parent's subject key id are present, names parent's key.
func keyIDsMatch(child, parent *Certificate) bool {
	return len(child.AuthorityKeyID) == 0 || len(parent.SubjectKeyID) == 0 ||
		bytes.Equal(child.AuthorityKeyID, parent.SubjectKeyID)
}

// issues reports whether parent may be child's issuer by name and key id.
func issues(parent, child *Certificate) bool {
	return bytes.Equal(parent.RawSubject, child.RawIssuer) && keyIDsMatch(child, parent)
}

func appendReason(rs []Reason, r Reason) []Reason {
	if r == nil {
		return rs
	}
	return append(rs, r)
}

// checkPath runs checks 4 to 10 of VerifyChain on one path.
func checkPath(path []*node, links map[link]Reason, usage Usage, req *VerifyRequest) []Reason {
	var rs []Reason
	for i := 0; i+1 < len(path); i++ {
		rs = appendReason(rs, links[link{path[i].cert.ID, path[i+1].cert.ID}])
	}
	for _, n := range path {
		rs = appendReason(rs, checkUnknownCritical(n.cert))
	}
	for _, n := range path {
		rs = appendReason(rs, checkValidity(n.cert, req.At))
	}
	below := 0 // non-self-issued CA certificates between the leaf and path[i]
	for i := 1; i < len(path); i++ {
		c := path[i].cert
		rs = append(rs, checkIssuer(c)...)
		if c.IsCA && c.MaxPathLen >= 0 && below > c.MaxPathLen {
			rs = append(rs, ReasonPathLen{Cert: c.Ref(), MaxPathLen: c.MaxPathLen, Below: below})
		}
		if !c.SelfIssued() {
			below++
		}
	}
	rs = append(rs, checkPurpose(path, usage)...)
	rs = append(rs, checkRevocation(path, req.Revoked, req.At)...)
	return appendReason(rs, checkPolicies(path, req.Policies))
}

// checkPurpose runs check 8 of VerifyChain.
func checkPurpose(path []*node, usage Usage) []Reason {
	var rs []Reason
	if leaf := path[0].cert; leaf.KeyUsage != 0 && leaf.KeyUsage&usage.KeyUsage == 0 {
		rs = append(rs, ReasonKeyUsage{Cert: leaf.Ref(), Have: leaf.KeyUsage, Want: usage.KeyUsage})
	}
	for _, n := range path {
		ekus := n.cert.ExtKeyUsage
		if ekus == nil || containsOID(ekus, OIDAnyExtKeyUsage) || slices.ContainsFunc(usage.ExtKeyUsage, func(o asn1.ObjectIdentifier) bool { return containsOID(ekus, o) }) {
			continue
		}
		rs = append(rs, ReasonExtKeyUsage{Cert: n.cert.Ref(), Have: ekus, Want: usage.ExtKeyUsage})
	}
	return rs
}

// checkRevocation runs check 9 of VerifyChain.
func checkRevocation(path []*node, lookup RevocationLookup, at time.Time) []Reason {
	if lookup == nil {
		return nil
	}
	var rs []Reason
	for i := 0; i+1 < len(path); i++ {
		c := path[i].cert
		if rev, revoked := lookup(path[i+1].cert.ID, c.SerialNumber); revoked && !rev.At.After(at) {
			rs = append(rs, ReasonRevoked{Cert: c.Ref(), Serial: c.SerialNumber, At: rev.At, Reason: rev.Reason})
		}
	}
	return rs
}

// checkPolicies runs check 10 of VerifyChain: the acceptable policies are
// narrowed certificate by certificate from the leaf; the first certificate
// that leaves none is reported.
func checkPolicies(path []*node, want []asn1.ObjectIdentifier) Reason {
	if len(want) == 0 {
		return nil
	}
	end := max(len(path)-1, 1)
	for i, n := range path[:end] {
		have := n.cert.Policies
		if i > 0 && containsOID(have, OIDAnyPolicy) {
			continue
		}
		var keep []asn1.ObjectIdentifier
		for _, p := range want {
			if containsOID(have, p) {
				keep = append(keep, p)
			}
		}
		if len(keep) == 0 {
			return ReasonPolicy{Cert: n.cert.Ref(), Have: have, Want: want}
		}
		want = keep
	}
	return nil
}
