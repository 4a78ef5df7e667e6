package pki

import (
	"bytes"
	"slices"
)

// Bounds on path building, so that crafted intermediates (many sharing one
// name) cannot make VerifyChain explore every permutation.
const (
	maxPaths     = 16  // complete paths collected
	maxPathSteps = 256 // path extensions tried
)

// node is a certificate available to path building.
type node struct {
	cert    *Certificate
	trusted bool
}

// pathBuilder searches depth first from the leaf for paths that end at a
// trusted certificate. The pool is sorted by fingerprint, so the paths found,
// and their order, do not depend on the order certificates were given.
type pathBuilder struct {
	pool     []*node
	complete [][]*node
	longest  []*node // the longest path that reached no trusted certificate
	steps    int
}

// newPathBuilder pools the intermediates and trusted certificates, each
// fingerprint once; a certificate both given and trusted is trusted.
func newPathBuilder(intermediates, trusted []*Certificate) *pathBuilder {
	byID := make(map[Fingerprint]*node)
	for _, c := range trusted {
		if c != nil {
			byID[c.ID] = &node{cert: c, trusted: true}
		}
	}
	for _, c := range intermediates {
		if _, ok := byID[c.ID]; !ok {
			byID[c.ID] = &node{cert: c}
		}
	}
	b := &pathBuilder{}
	for _, n := range byID {
		b.pool = append(b.pool, n)
	}
	slices.SortFunc(b.pool, func(x, y *node) int { return bytes.Compare(x.cert.ID[:], y.cert.ID[:]) })
	return b
}

// build searches from leaf, which starts trusted when the trust list has it.
func (b *pathBuilder) build(leaf *Certificate) {
	start := &node{cert: leaf}
	for _, n := range b.pool {
		if n.cert.ID == leaf.ID {
			start = n
		}
	}
	b.extend([]*node{start})
}

// extend follows every issuer of the path's last certificate. A path is
// complete at a trusted self-issued certificate (a root), or at a trusted
// certificate with no trusted issuer; past a trusted certificate only
// trusted issuers are followed, so that a trusted intermediate's root is
// checked too when the trust list has it. No certificate appears twice.
func (b *pathBuilder) extend(path []*node) {
	if len(b.complete) >= maxPaths || b.steps >= maxPathSteps {
		return
	}
	b.steps++
	last := path[len(path)-1]
	if last.trusted && last.cert.SelfIssued() {
		b.complete = append(b.complete, slices.Clone(path))
		return
	}
	found := false
	for _, n := range b.pool {
		if (last.trusted && !n.trusted) || !issues(n.cert, last.cert) || onPath(path, n) {
			continue
		}
		found = true
		b.extend(append(slices.Clip(path), n))
	}
	switch {
	case found:
	case last.trusted:
		b.complete = append(b.complete, slices.Clone(path))
	case len(path) > len(b.longest):
		b.longest = slices.Clone(path)
	}
}

func onPath(path []*node, n *node) bool {
	for _, p := range path {
		if p.cert.ID == n.cert.ID {
			return true
		}
	}
	return false
}

func certs(path []*node) []*Certificate {
	out := make([]*Certificate, len(path))
	for i, n := range path {
		out[i] = n.cert
	}
	return out
}
