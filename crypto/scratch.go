package crypto

import (
	"hash"
	"sync"

	"github.com/emmansun/gmsm/sm3"
)

// scratch is per-goroutine working memory for one verification at a time,
// so that steady-state verification allocates nothing of its own: batch
// workers each own one, single verifications borrow one from a pool.
type scratch struct {
	rs     [2 * 48]byte
	der    [maxECDSA384Sig]byte
	digest [64]byte
	sm3    hash.Hash
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (sc *scratch) sm3Hash() hash.Hash {
	if sc.sm3 == nil {
		sc.sm3 = sm3.New()
	}
	sc.sm3.Reset()
	return sc.sm3
}
