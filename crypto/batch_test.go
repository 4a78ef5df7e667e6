package crypto

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// mutation is a way to build an item from a valid signature, with the
// verdict it must get: nil, a specific reason, or errAnyReason.
type mutation struct {
	name  string
	apply func(t *testing.T, rng *rand.Rand, ts, other *testSigner, it *Item)
	want  func(s Scheme, pol Policy) error
}

var errAnyReason = errors.New("any reason")

func wantNil(Scheme, Policy) error { return nil }
func wantAny(Scheme, Policy) error { return errAnyReason }
func want(err error) func(Scheme, Policy) error {
	return func(Scheme, Policy) error { return err }
}

var mutations = []mutation{
	{"valid", func(*testing.T, *rand.Rand, *testSigner, *testSigner, *Item) {}, wantNil},
	{"flip sig bit", func(_ *testing.T, rng *rand.Rand, _, _ *testSigner, it *Item) {
		it.Sig = append([]byte(nil), it.Sig...)
		i := rng.IntN(len(it.Sig))
		it.Sig[i] ^= 1 << rng.IntN(8)
	}, wantAny},
	{"flip msg bit", func(_ *testing.T, rng *rand.Rand, _, _ *testSigner, it *Item) {
		if len(it.Msg) == 0 {
			it.Msg = []byte{0}
			return
		}
		it.Msg = append([]byte(nil), it.Msg...)
		it.Msg[rng.IntN(len(it.Msg))] ^= 1 << rng.IntN(8)
	}, want(ErrInvalidSignature)},
	{"other key", func(_ *testing.T, _ *rand.Rand, _, other *testSigner, it *Item) { it.Key = other.pub },
		want(ErrInvalidSignature)},
	{"truncated sig", func(_ *testing.T, rng *rand.Rand, _, _ *testSigner, it *Item) {
		it.Sig = it.Sig[:rng.IntN(len(it.Sig))]
	}, wantAny},
	{"oversized sig", func(_ *testing.T, _ *rand.Rand, _, _ *testSigner, it *Item) {
		it.Sig = append(append([]byte(nil), it.Sig...), make([]byte, maxRSASig)...)
	}, want(ErrMalformedSignature)},
	{"nil key", func(_ *testing.T, _ *rand.Rand, _, _ *testSigner, it *Item) { it.Key = nil },
		want(ErrMalformedKey)},
	{"foreign key", func(_ *testing.T, _ *rand.Rand, ts, _ *testSigner, it *Item) {
		it.Key = foreignKey{ts.scheme, ts.pub.Bytes()}
	}, wantNil},
	{"foreign garbage key", func(_ *testing.T, _ *rand.Rand, ts, _ *testSigner, it *Item) {
		it.Key = foreignKey{ts.scheme, []byte{0x30, 0}}
	}, want(ErrMalformedKey)},
	{"foreign unknown scheme", func(_ *testing.T, _ *rand.Rand, ts, _ *testSigner, it *Item) {
		it.Key = foreignKey{"dsa", ts.pub.Bytes()}
	}, want(ErrUnknownScheme)},
	{"other encoding or half", func(t *testing.T, _ *rand.Rand, ts, _ *testSigner, it *Item) {
		switch ts.scheme {
		case SchemeSecp256k1:
			it.Sig = otherHalf(t, toDER(t, it.Sig), secp256k1Params.nInt())
		case SchemeP256, SchemeP384:
			it.Sig = toFixed(t, otherHalf(t, it.Sig, nistParams(ts.scheme).nInt()), nistParams(ts.scheme).size)
		case SchemeSM2:
			it.Sig = toFixed(t, it.Sig, 32)
		}
	}, func(s Scheme, pol Policy) error {
		if isECDSA(s) && pol == PolicyTx {
			return ErrHighS
		}
		return nil
	}},
	{"other hash", func(_ *testing.T, _ *rand.Rand, ts, _ *testSigner, it *Item) {
		it.Hash = otherHash(it.Hash.effective(ts.scheme))
	}, func(s Scheme, pol Policy) error {
		if namesHash(s) && pol == PolicyExternal {
			return ErrInvalidSignature
		}
		return ErrUnsupportedHash
	}},
	{"own hash named", func(_ *testing.T, _ *rand.Rand, ts, _ *testSigner, it *Item) {
		it.Hash = it.Hash.effective(ts.scheme)
	}, wantNil},
	{"unknown hash", func(_ *testing.T, _ *rand.Rand, _, _ *testSigner, it *Item) { it.Hash = 200 },
		want(ErrUnsupportedHash)},
	{"sm2 uid", func(_ *testing.T, _ *rand.Rand, _, _ *testSigner, it *Item) {
		it.SM2UID = []byte("bob@baynet.example")
	}, func(s Scheme, _ Policy) error {
		if s == SchemeSM2 {
			return ErrInvalidSignature
		}
		return nil
	}},
}

// randomBatch builds n items of the given schemes, each a valid signature
// with a random mutation applied with probability pBad, and the verdict
// each must get.
func randomBatch(t *testing.T, rng *rand.Rand, schemes []Scheme, n int, pBad float64) ([]Item, []error, []string) {
	items := make([]Item, n)
	wants := make([]error, n)
	names := make([]string, n)
	for i := range items {
		s := schemes[rng.IntN(len(schemes))]
		ss := signers(t, s)
		ts, other := ss[0], ss[1]
		msg := make([]byte, rng.IntN(300))
		for j := range msg {
			msg[j] = byte(rng.Uint32())
		}
		var uid []byte
		if s == SchemeSM2 && rng.IntN(2) == 0 {
			uid = []byte("alice@baynet.example")
		}
		pol := Policy(rng.IntN(2))
		items[i] = Item{Key: ts.pub, Msg: msg, Sig: ts.sign(msg, uid), Policy: pol, SM2UID: uid}
		if pol == PolicyExternal && namesHash(s) {
			items[i].Hash = Hash(rng.IntN(int(HashSHA512) + 1))
			items[i].Sig = ts.signHash(msg, items[i].Hash)
		}
		m := mutations[0]
		if rng.Float64() < pBad {
			m = mutations[1+rng.IntN(len(mutations)-1)]
		}
		m.apply(t, rng, ts, other, &items[i])
		wants[i] = m.want(s, pol)
		names[i] = fmt.Sprintf("%s/%s/%d", s, m.name, pol)
	}
	return items, wants, names
}

// TestBatchMatchesSingle is the property test: for random batches of mixed
// schemes with randomly corrupted items, under several GOMAXPROCS values,
// every single verdict is the expected one and the batch verdicts (in order
// and reversed) equal the single verdicts item by item.
func TestBatchMatchesSingle(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 3))
	mixes := []struct {
		name    string
		schemes []Scheme
		n       int
		pBad    float64
	}{
		{"mixed", allSchemes, 60, 0.4},
		{"ed25519 many chunks", []Scheme{SchemeEd25519}, 400, 0.01},
		{"ed25519 all bad", []Scheme{SchemeEd25519}, 70, 1},
		{"ed25519 and secp256k1", []Scheme{SchemeEd25519, SchemeSecp256k1}, 150, 0.05},
		{"certificate hashes", []Scheme{SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS}, 60, 0.5},
	}
	for _, procs := range []int{1, 2, 3, 8} {
		prev := runtime.GOMAXPROCS(procs)
		for _, mix := range mixes {
			t.Run(fmt.Sprintf("procs=%d/%s", procs, mix.name), func(t *testing.T) {
				items, wants, names := randomBatch(t, rng, mix.schemes, mix.n, mix.pBad)
				single := make([]error, len(items))
				for i, it := range items {
					single[i] = Verify(it)
					w := wants[i]
					if (w == nil) != (single[i] == nil) || (w != nil && w != errAnyReason && single[i] != w) {
						t.Errorf("item %d (%s): got %v, want %v", i, names[i], single[i], w)
					}
				}
				checkBatchAgrees(t, items, single)
			})
		}
		runtime.GOMAXPROCS(prev)
	}
}

// TestBatchFindsExactlyTheFailingItems corrupts chosen positions of a large
// ed25519 batch, so that chunks fail and fall back, and requires exactly
// those items to fail.
func TestBatchFindsExactlyTheFailingItems(t *testing.T) {
	const n = 300
	ts := signers(t, SchemeEd25519)[0]
	base := make([]Item, n)
	for i := range base {
		msg := []byte(fmt.Sprintf("item %d", i))
		base[i] = Item{Key: ts.pub, Msg: msg, Sig: ts.sign(msg, nil)}
	}
	for _, bad := range [][]int{nil, {0}, {n - 1}, {150}, {3, 4, 5}, {0, 77, 151, 299}} {
		t.Run(fmt.Sprint(bad), func(t *testing.T) {
			bv := NewBatchVerifier()
			isBad := map[int]bool{}
			for _, i := range bad {
				isBad[i] = true
			}
			for i, it := range base {
				if isBad[i] {
					it.Msg = []byte("tampered")
				}
				if got := bv.Add(it); got != i {
					t.Fatalf("Add returned %d, want %d", got, i)
				}
			}
			ok, verdicts := bv.Verify()
			if ok != (len(bad) == 0) || len(verdicts) != n {
				t.Fatalf("ok=%v, %d verdicts", ok, len(verdicts))
			}
			for i, v := range verdicts {
				if isBad[i] != (v != nil) || (v != nil && !errors.Is(v, ErrInvalidSignature)) {
					t.Errorf("item %d: %v", i, v)
				}
			}
		})
	}
}

func TestBatchEmptyAndReset(t *testing.T) {
	bv := NewBatchVerifier()
	if ok, verdicts := bv.Verify(); !ok || len(verdicts) != 0 {
		t.Fatalf("empty batch: %v %v", ok, verdicts)
	}
	ts := signers(t, SchemeSecp256k1)[0]
	msg := []byte("reset")
	bv.Add(Item{Key: ts.pub, Msg: msg, Sig: []byte("bad")})
	if ok, _ := bv.Verify(); ok || bv.Len() != 1 {
		t.Fatal("bad item passed")
	}
	bv.Reset()
	if bv.Len() != 0 {
		t.Fatalf("Len after Reset = %d", bv.Len())
	}
	bv.Add(Item{Key: ts.pub, Msg: msg, Sig: ts.sign(msg, nil)})
	if ok, verdicts := bv.Verify(); !ok || len(verdicts) != 1 || verdicts[0] != nil {
		t.Fatalf("after Reset: %v %v", ok, verdicts)
	}
}

func TestBatchWorkersDoNotChangeVerdicts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	items, _, _ := randomBatch(t, rng, allSchemes, 80, 0.5)
	var first []error
	for _, w := range []int{1, 2, 5, 64} {
		bv := NewBatchVerifier()
		bv.SetWorkers(w)
		for _, it := range items {
			bv.Add(it)
		}
		_, verdicts := bv.Verify()
		if first == nil {
			first = verdicts
			continue
		}
		for i := range verdicts {
			if (first[i] == nil) != (verdicts[i] == nil) || (first[i] != nil && errors.Unwrap(first[i]) != errors.Unwrap(verdicts[i])) {
				t.Errorf("workers=%d item %d: %v vs %v", w, i, verdicts[i], first[i])
			}
		}
	}
}

// otherHash returns a hash other than h that an item can name.
func otherHash(h Hash) Hash {
	switch h {
	case HashSHA256:
		return HashSHA384
	case HashSHA384:
		return HashSHA512
	}
	return HashSHA256
}
