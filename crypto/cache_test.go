package crypto

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

func keyN(i int) [32]byte {
	var k [32]byte
	binary.BigEndian.PutUint64(k[24:], uint64(i)+1)
	return k
}

func TestCacheEvictsOldest(t *testing.T) {
	c := NewCache(3)
	for i := range 5 {
		c.Add(keyN(i))
	}
	if c.Len() != 3 {
		t.Fatalf("Len = %d, want 3", c.Len())
	}
	for i, want := range []bool{false, false, true, true, true} {
		if c.Contains(keyN(i)) != want {
			t.Errorf("Contains(%d) = %v", i, !want)
		}
	}
	c.Add(keyN(2)) // present: must not evict anything or move
	c.Add(keyN(5)) // evicts 2, the oldest
	for i, want := range []bool{false, false, false, true, true, true} {
		if c.Contains(keyN(i)) != want {
			t.Errorf("after re-add, Contains(%d) = %v", i, !want)
		}
	}
}

func TestCacheRefusesNothingAndZero(t *testing.T) {
	c := NewCache(0)
	c.Add(keyN(1))
	if c.Len() != 0 || c.Contains(keyN(1)) {
		t.Fatal("capacity-0 cache recorded a key")
	}
	c = NewCache(-5)
	c.Add(keyN(1))
	if c.Len() != 0 {
		t.Fatal("negative-capacity cache recorded a key")
	}
	c = NewCache(4)
	c.Add([32]byte{})
	if c.Len() != 0 || c.Contains([32]byte{}) {
		t.Fatal("zero key recorded")
	}
	if (Item{}).CacheKey() != ([32]byte{}) {
		t.Fatal("an item without a key has a cache key")
	}
}

// TestCacheKeySeparatesInputs changes each input of a verdict in turn,
// including moving bytes across field boundaries, and requires a new key.
func TestCacheKeySeparatesInputs(t *testing.T) {
	sm2k := signers(t, SchemeSM2)[0].pub
	edk := signers(t, SchemeEd25519)[0].pub
	base := Item{Key: edk, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx}
	variants := map[string]Item{
		"msg":           {Key: edk, Msg: []byte("ax"), Sig: []byte("c"), Policy: PolicyTx},
		"boundary":      {Key: edk, Msg: []byte("a"), Sig: []byte("bc"), Policy: PolicyTx},
		"sig":           {Key: edk, Msg: []byte("ab"), Sig: []byte("d"), Policy: PolicyTx},
		"policy":        {Key: edk, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyExternal},
		"key":           {Key: signers(t, SchemeEd25519)[1].pub, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx},
		"scheme":        {Key: foreignKey{SchemeSecp256k1, edk.Bytes()}, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx},
		"sm2 uid":       {Key: sm2k, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx, SM2UID: []byte("u")},
		"sm2 no uid":    {Key: sm2k, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx},
		"sm2 other uid": {Key: sm2k, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx, SM2UID: []byte("v")},
	}
	seen := map[[32]byte]string{base.CacheKey(): "base"}
	for name, it := range variants {
		k := it.CacheKey()
		if prev, dup := seen[k]; dup {
			t.Errorf("%s has the cache key of %s", name, prev)
		}
		seen[k] = name
	}
	// Inputs that cannot change a verdict map to the same key.
	same := []Item{
		{Key: edk, Msg: []byte("ab"), Sig: []byte("c"), Policy: 7},
		{Key: edk, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx, SM2UID: []byte("ignored")},
		{Key: foreignKey{SchemeEd25519, edk.Bytes()}, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx},
	}
	for i, it := range same {
		if it.CacheKey() != base.CacheKey() {
			t.Errorf("same[%d] has another key", i)
		}
	}
	if CacheKey(SchemeEd25519, edk.Bytes(), []byte("ab"), []byte("c")) != base.CacheKey() {
		t.Error("CacheKey differs from the PolicyTx item's key")
	}
	empty := Item{Key: sm2k, Msg: []byte("ab"), Sig: []byte("c"), Policy: PolicyTx, SM2UID: []byte{}}
	if empty.CacheKey() != variants["sm2 no uid"].CacheKey() {
		t.Error("an empty SM2 uid, which means the default, has another key")
	}
}

// TestCacheKeySeparatesHashes requires a distinct key for each hash an item
// can name, so a success cached under one hash never answers for another,
// and the same key when the named hash is the scheme's own.
func TestCacheKeySeparatesHashes(t *testing.T) {
	for _, s := range []Scheme{SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS} {
		k := signers(t, s)[0].pub
		item := func(h Hash, pol Policy) Item {
			return Item{Key: k, Msg: []byte("tbs"), Sig: []byte("sig"), Policy: pol, Hash: h}
		}
		seen := map[[32]byte]string{}
		for _, pol := range []Policy{PolicyExternal, PolicyTx} {
			for _, h := range []Hash{HashScheme, HashSHA256, HashSHA384, HashSHA512, 200} {
				if h == HashScheme.effective(s) {
					continue // the same as HashScheme, checked below
				}
				name := fmt.Sprintf("%s/%s/%s", s, policyName(pol), h)
				key := item(h, pol).CacheKey()
				if prev, dup := seen[key]; dup {
					t.Errorf("%s has the cache key of %s", name, prev)
				}
				seen[key] = name
			}
			own := HashScheme.effective(s)
			if item(own, pol).CacheKey() != item(HashScheme, pol).CacheKey() {
				t.Errorf("%s/%s: naming the scheme's own hash changes the key", s, policyName(pol))
			}
		}
		if CacheKey(s, k.Bytes(), []byte("tbs"), []byte("sig")) != item(HashScheme.effective(s), PolicyTx).CacheKey() {
			t.Errorf("%s: CacheKey differs from the PolicyTx item's key", s)
		}
	}
}

// TestCacheKeyLayout pins the encoding independently of the code under
// test: an item that names no other hash keeps the seven-field key it had
// before hashes could be named, and a named hash adds an eighth field.
func TestCacheKeyLayout(t *testing.T) {
	k := signers(t, SchemeP256)[0].pub
	encode := func(fields ...[]byte) [32]byte {
		var b []byte
		for _, f := range fields {
			b = binary.BigEndian.AppendUint64(b, uint64(len(f)))
			b = append(b, f...)
		}
		return sha256.Sum256(b)
	}
	base := [][]byte{[]byte("baynet/crypto/verify-cache/v1"), []byte("p256"), k.Bytes(), []byte("m"), []byte("s"), {byte(PolicyExternal)}, nil}
	it := Item{Key: k, Msg: []byte("m"), Sig: []byte("s"), Policy: PolicyExternal}
	if it.CacheKey() != encode(base...) {
		t.Error("the key of an item without a named hash changed")
	}
	it.Hash = HashSHA512
	if it.CacheKey() != encode(append(base, []byte{byte(HashSHA512)})...) {
		t.Error("a named hash is not encoded as an eighth field")
	}
}

func TestCacheConcurrent(t *testing.T) {
	const capacity, writers, perWriter = 64, 8, 500
	c := NewCache(capacity)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				k := keyN(w*perWriter + i)
				c.Add(k)
				c.Contains(k)
				if n := c.Len(); n > capacity {
					t.Errorf("Len = %d over capacity", n)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() != capacity {
		t.Fatalf("Len = %d, want %d", c.Len(), capacity)
	}
	held := 0
	for i := range writers * perWriter {
		if c.Contains(keyN(i)) {
			held++
		}
	}
	if held != capacity {
		t.Fatalf("%d keys held, want %d", held, capacity)
	}
}

// TestVerifyAll: the verdicts are Verify's, with indexes into the caller's
// items, whether the cache answers some, all or none of them; only
// successes enter the cache; a nil cache verifies everything.
func TestVerifyAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	items, wants, names := randomBatch(t, rng, []Scheme{SchemeEd25519, SchemeSecp256k1, SchemeP256, SchemeSM2}, 120, 0.3)
	check := func(name string, ok bool, verdicts []error) {
		t.Helper()
		allOK := true
		for i, v := range verdicts {
			if (v == nil) != (wants[i] == nil) {
				t.Fatalf("%s: item %d (%s): verdict %v, want %v", name, i, names[i], v, wants[i])
			}
			if v != nil {
				allOK = false
				var ie *ItemError
				if !errors.As(v, &ie) || ie.Index != i {
					t.Fatalf("%s: item %d: verdict %v does not name its index", name, i, v)
				}
			}
		}
		if ok != allOK {
			t.Fatalf("%s: ok = %v, verdicts say %v", name, ok, allOK)
		}
	}
	var nilCache *Cache
	ok, verdicts, cached := nilCache.VerifyAll(items)
	check("nil cache", ok, verdicts)
	if cached != 0 {
		t.Fatalf("a nil cache answered %d items", cached)
	}

	c := NewCache(1000)
	ok, verdicts, cached = c.VerifyAll(items[:60])
	check("first half", ok, verdicts)
	good := 0
	for _, w := range wants[:60] {
		if w == nil {
			good++
		}
	}
	if cached != 0 || c.Len() != good {
		t.Fatalf("first half: cached %d, cache holds %d, want 0 and %d", cached, c.Len(), good)
	}
	ok, verdicts, cached = c.VerifyAll(items)
	check("all, half cached", ok, verdicts)
	if cached != good {
		t.Fatalf("all: %d answered from the cache, want %d", cached, good)
	}
	ok, verdicts, _ = c.VerifyAll(items)
	check("all again", ok, verdicts)
}
