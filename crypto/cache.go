package crypto

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// cacheDomain separates cache keys from every other SHA-256 use.
const cacheDomain = "baynet/crypto/verify-cache/v1"

// Cache remembers verifications that succeeded, so a node verifies each
// signature once (say in CheckTx or ProcessProposal) and only looks it up
// later (in FinalizeBlock). It holds at most its capacity of keys and evicts
// the oldest first. Only Add records anything and a key is a hash of every
// input of a verdict, so a hit can only ever repeat a success that was seen.
// It is safe for concurrent use.
type Cache struct {
	capacity int // fixed at construction, so read without the lock

	mu   sync.RWMutex
	set  map[[32]byte]struct{}
	ring [][32]byte // insertion order; ring[next] is the oldest once full
	next int
}

// NewCache returns a Cache holding up to capacity keys; capacity < 1 gives a
// cache that records nothing.
func NewCache(capacity int) *Cache {
	capacity = max(capacity, 0)
	return &Cache{
		capacity: capacity,
		set:      make(map[[32]byte]struct{}, capacity),
		ring:     make([][32]byte, 0, capacity),
	}
}

// CacheKey is the cache key of Item{Key: k, Msg: msg, Sig: sig, Policy:
// PolicyTx} where k has scheme and canonical bytes pubKey: a transaction
// signature. For any other policy or an SM2 user id use Item.CacheKey, since a
// success under PolicyExternal is no success under PolicyTx.
func CacheKey(scheme Scheme, pubKey, msg, sig []byte) [32]byte {
	return cacheKey(scheme, pubKey, msg, sig, PolicyTx, nil, HashScheme)
}

// CacheKey is the cache key of the item's verdict: SHA-256 over a
// domain-separated, length-prefixed encoding of the scheme, the key's
// canonical bytes, the message, the signature, the policy, for SM2 the user
// id and, when the item names a hash other than its scheme's own, that hash.
// A nil key gives the zero key, which Add refuses.
func (it Item) CacheKey() [32]byte {
	if it.Key == nil {
		return [32]byte{}
	}
	s := it.Key.Scheme()
	var uid []byte
	if s == SchemeSM2 && len(it.SM2UID) != 0 {
		uid = it.SM2UID
	}
	pol := PolicyTx
	if it.Policy == PolicyExternal {
		pol = PolicyExternal
	}
	h, err := normalHash(s, it.Hash, pol)
	if err != nil {
		h = it.Hash // refused, so never a success; still its own key
	}
	return cacheKey(s, it.Key.Bytes(), it.Msg, it.Sig, pol, uid, h)
}

// cacheKey encodes the hash only when it is not HashScheme, so items that
// name no other hash keep the keys they had before hashes could be named; an
// encoding with one more field can never equal one without it.
func cacheKey(scheme Scheme, pubKey, msg, sig []byte, pol Policy, uid []byte, hash Hash) [32]byte {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte(cacheDomain))
	field([]byte(scheme))
	field(pubKey)
	field(msg)
	field(sig)
	field([]byte{byte(pol)})
	field(uid)
	if hash != HashScheme {
		field([]byte{byte(hash)})
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Add records that the verification named by k succeeded. Call it only with
// a key of an item that verified. Adding a present key does nothing.
func (c *Cache) Add(k [32]byte) {
	if c.capacity == 0 || k == ([32]byte{}) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.set[k]; ok {
		return
	}
	if len(c.ring) < c.capacity {
		c.ring = append(c.ring, k)
	} else {
		delete(c.set, c.ring[c.next])
		c.ring[c.next] = k
		c.next = (c.next + 1) % len(c.ring)
	}
	c.set[k] = struct{}{}
}

// Contains reports whether k was added and not yet evicted.
func (c *Cache) Contains(k [32]byte) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.set[k]
	return ok
}

// Len returns the number of keys held.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.set)
}

// VerifyAll gives the verdicts on items that BatchVerifier.Verify would,
// taking an item whose key the cache holds as verified and verifying the
// others as one batch, whose successes it adds. An *ItemError's Index is the
// item's position in items. cached counts the items answered by the cache.
// A nil cache verifies every item.
func (c *Cache) VerifyAll(items []Item) (ok bool, verdicts []error, cached int) {
	bv := NewBatchVerifier()
	var pos []int
	var keys [][32]byte
	for i, it := range items {
		if c != nil {
			k := it.CacheKey()
			if c.Contains(k) {
				cached++
				continue
			}
			keys = append(keys, k)
		}
		bv.Add(it)
		pos = append(pos, i)
	}
	ok, batchVerdicts := bv.Verify()
	verdicts = make([]error, len(items))
	for j, v := range batchVerdicts {
		if v == nil {
			if c != nil {
				c.Add(keys[j])
			}
			continue
		}
		if ie, isItem := v.(*ItemError); isItem {
			remapped := *ie
			remapped.Index = pos[j]
			v = &remapped
		}
		verdicts[pos[j]] = v
	}
	return ok, verdicts, cached
}
