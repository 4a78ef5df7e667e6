package crypto

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// ed25519 batches are split into chunks that workers verify in parallel. A
// chunk below edMinChunk costs noticeably more per signature; one above
// edMaxChunk gains little and makes a failed chunk's per-item fallback
// longer.
const (
	edMinChunk = 32
	edMaxChunk = 1024
)

// BatchVerifier verifies many items at once: ed25519 items by the batch
// equation in chunks, all others one by one, spread over a pool of workers.
// A failed ed25519 chunk is settled item by item, so every item gets its exact
// verdict. A BatchVerifier is not safe for concurrent use; Reset makes it
// reusable without reallocating.
type BatchVerifier struct {
	items   []Item
	workers int

	keys    []key   // resolved keys, by item
	reasons []error // verdict reasons, by item
	inBatch []bool  // ed25519 item passed the checks before the equation
	edIdx   []int   // ed25519 items, in chunk order
	others  []int   // items verified one by one
	retry   []int   // items of failed ed25519 chunks
	chunks  []edChunk
	edv     []*ed25519.BatchVerifier
	scratch []*scratch
}

type edChunk struct {
	items  []int // a window of edIdx
	failed bool
}

// NewBatchVerifier returns an empty BatchVerifier that uses
// runtime.GOMAXPROCS(0) workers, read at each Verify.
func NewBatchVerifier() *BatchVerifier { return &BatchVerifier{} }

// SetWorkers fixes the number of workers; n <= 0 restores GOMAXPROCS.
// Verdicts do not depend on it.
func (b *BatchVerifier) SetWorkers(n int) { b.workers = n }

// Add appends an item and returns its index in the verdicts.
func (b *BatchVerifier) Add(it Item) int {
	b.items = append(b.items, it)
	return len(b.items) - 1
}

// Len returns the number of items added since the last Reset.
func (b *BatchVerifier) Len() int { return len(b.items) }

// Reset removes all items, keeping allocated memory for reuse.
func (b *BatchVerifier) Reset() {
	clear(b.items)
	b.items = b.items[:0]
	clear(b.keys)
	clear(b.reasons)
}

// Verify checks every item. ok is true iff all items are valid (also for an
// empty batch); verdicts[i] is nil iff item i is valid, and otherwise an
// *ItemError wrapping the reason Verify(item) returns.
func (b *BatchVerifier) Verify() (ok bool, verdicts []error) {
	n := len(b.items)
	b.keys = resize(b.keys, n)
	b.reasons = resize(b.reasons, n)
	b.inBatch = resize(b.inBatch, n)
	b.edIdx, b.others, b.retry = b.edIdx[:0], b.others[:0], b.retry[:0]
	for i := range b.items {
		switch k := b.items[i].Key; {
		case k == nil:
			b.reasons[i] = ErrMalformedKey
		case k.Scheme() == SchemeEd25519:
			b.edIdx = append(b.edIdx, i)
		default:
			b.others = append(b.others, i)
		}
	}
	workers := b.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b.planChunks(workers)
	b.run(workers, len(b.chunks)+len(b.others), func(sc *scratch, t int) {
		if t < len(b.chunks) {
			b.verifyChunk(t)
		} else {
			b.verifyItem(sc, b.others[t-len(b.chunks)])
		}
	})
	for _, ch := range b.chunks {
		if ch.failed {
			for _, i := range ch.items {
				if b.inBatch[i] {
					b.retry = append(b.retry, i)
				}
			}
		}
	}
	b.run(workers, len(b.retry), func(sc *scratch, t int) { b.verifyItem(sc, b.retry[t]) })

	ok = true
	verdicts = make([]error, n)
	for i, reason := range b.reasons {
		if reason != nil {
			ok = false
			verdicts[i] = &ItemError{Index: i, Scheme: b.schemeOf(i), Reason: reason}
		}
	}
	return ok, verdicts
}

// planChunks splits the ed25519 items into about equal chunks: enough to
// occupy every worker when each still has edMinChunk items, and never more
// than edMaxChunk items in one.
func (b *BatchVerifier) planChunks(workers int) {
	b.chunks = b.chunks[:0]
	n := len(b.edIdx)
	if n == 0 {
		return
	}
	count := max((n+edMaxChunk-1)/edMaxChunk, min(workers, n/edMinChunk), 1)
	for j := range count {
		b.chunks = append(b.chunks, edChunk{items: b.edIdx[j*n/count : (j+1)*n/count]})
	}
	for len(b.edv) < count {
		b.edv = append(b.edv, ed25519.NewBatchVerifier())
	}
}

// verifyChunk runs the batch equation over one chunk. Items whose key or
// signature is refused before the equation get their verdict here; if the
// equation fails, the others are marked for the per-item fallback, and so is
// a lone item, for which the single check is the cheaper equation.
func (b *BatchVerifier) verifyChunk(c int) {
	ch := &b.chunks[c]
	candidates := 0
	for _, i := range ch.items {
		it := &b.items[i]
		k, err := resolve(it.Key)
		if err == nil {
			b.keys[i] = k
			if _, isEd := k.(*ed25519Key); !isEd {
				err = ErrMalformedKey
			} else if _, err = normalHash(SchemeEd25519, it.Hash, it.Policy); err == nil {
				err = ed25519Precheck(it.Sig)
			}
		}
		b.reasons[i] = err
		b.inBatch[i] = err == nil
		if err == nil {
			candidates++
		}
	}
	ch.failed = candidates == 1
	if candidates < 2 {
		return
	}
	bv := b.edv[c].Reset()
	for _, i := range ch.items {
		if b.inBatch[i] {
			it := &b.items[i]
			bv.AddExpandedWithOptions(b.keys[i].(*ed25519Key).exp, it.Msg, it.Sig, zip215)
		}
	}
	ch.failed = !bv.VerifyBatchOnly(nil)
}

// verifyItem gives item i its verdict by single verification.
func (b *BatchVerifier) verifyItem(sc *scratch, i int) {
	k := b.keys[i]
	if k == nil {
		var err error
		if k, err = resolve(b.items[i].Key); err != nil {
			b.reasons[i] = err
			return
		}
		b.keys[i] = k
	}
	it := &b.items[i]
	b.reasons[i] = safeVerify(k, sc, it.Msg, it.Sig, it.Policy, it.SM2UID, it.Hash)
}

func (b *BatchVerifier) schemeOf(i int) Scheme {
	if k := b.keys[i]; k != nil {
		return k.Scheme()
	}
	if k := b.items[i].Key; k != nil {
		return k.Scheme()
	}
	return ""
}

// run calls fn for tasks 0..n-1 on up to workers goroutines (the caller's
// included) that take the next task from a shared counter, so long and short
// tasks balance without a goroutine per item.
func (b *BatchVerifier) run(workers, n int, fn func(sc *scratch, task int)) {
	if n == 0 {
		return
	}
	workers = min(workers, n)
	for len(b.scratch) < workers {
		b.scratch = append(b.scratch, new(scratch))
	}
	var next atomic.Int64
	work := func(sc *scratch) {
		for t := int(next.Add(1) - 1); t < n; t = int(next.Add(1) - 1) {
			fn(sc, t)
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Go(func() { work(b.scratch[w]) })
	}
	work(b.scratch[0])
	wg.Wait()
}

// resize returns s with length n and zeroed elements, reusing its memory.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
