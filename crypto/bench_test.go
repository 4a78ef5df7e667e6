package crypto

import (
	"crypto"
	"crypto/ecdsa"
	stded25519 "crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/ethereum/go-ethereum/crypto/secp256k1"
	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// benchMsgLen is about the size of a transaction's sign bytes.
const benchMsgLen = 256

// meter reports per-signature figures for a benchmark loop: wall time
// (ns/sig), process CPU time (cpu-ns/sig, all threads) and heap allocations
// (allocs/sig).
type meter struct {
	cpu    time.Duration
	allocs uint64
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

func startMeter(b *testing.B) *meter {
	b.ReportAllocs()
	return &meter{cpu: cpuTime(), allocs: mallocs()}
}

func (m *meter) stop(b *testing.B, sigsPerOp int) {
	sigs := float64(b.N * sigsPerOp)
	cpu, allocs := cpuTime()-m.cpu, mallocs()-m.allocs
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/sigs, "ns/sig")
	b.ReportMetric(float64(cpu.Nanoseconds())/sigs, "cpu-ns/sig")
	b.ReportMetric(float64(allocs)/sigs, "allocs/sig")
}

// benchItems returns n valid items of scheme s over distinct messages, from
// two keys, with PolicyTx.
func benchItems(b *testing.B, s Scheme, n int) []Item {
	ss := signers(b, s)
	items := make([]Item, n)
	for i := range items {
		msg := make([]byte, benchMsgLen)
		copy(msg, fmt.Sprintf("bench %d", i))
		ts := ss[i%2]
		items[i] = Item{Key: ts.pub, Msg: msg, Sig: ts.sign(msg, nil), Policy: PolicyTx}
	}
	return items
}

// benchBatch verifies items as one batch per op with the given workers.
func benchBatch(b *testing.B, items []Item, workers int) {
	bv := NewBatchVerifier()
	bv.SetWorkers(workers)
	for _, it := range items { // warm the reusable state
		bv.Add(it)
	}
	if ok, v := bv.Verify(); !ok {
		b.Fatal(v)
	}
	m := startMeter(b)
	for b.Loop() {
		bv.Reset()
		for _, it := range items {
			bv.Add(it)
		}
		if ok, _ := bv.Verify(); !ok {
			b.Fatal("batch failed")
		}
	}
	m.stop(b, len(items))
}

func benchSingle(b *testing.B, items []Item) {
	m := startMeter(b)
	i := 0
	for b.Loop() {
		if err := Verify(items[i%len(items)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	m.stop(b, 1)
}

// BenchmarkEd25519 compares Go's crypto/ed25519, curve25519-voi called
// directly, and baynet's single and batch paths at several batch sizes.
func BenchmarkEd25519(b *testing.B) {
	items := benchItems(b, SchemeEd25519, 4096)
	b.Run("stdlib-single", func(b *testing.B) {
		m := startMeter(b)
		i := 0
		for b.Loop() {
			it := items[i%len(items)]
			if !stded25519.Verify(it.Key.Bytes(), it.Msg, it.Sig) {
				b.Fatal("invalid")
			}
			i++
		}
		m.stop(b, 1)
	})
	b.Run("voi-single", func(b *testing.B) {
		m := startMeter(b)
		i := 0
		for b.Loop() {
			it := items[i%len(items)]
			if !ed25519.VerifyExpandedWithOptions(it.Key.(*ed25519Key).exp, it.Msg, it.Sig, zip215) {
				b.Fatal("invalid")
			}
			i++
		}
		m.stop(b, 1)
	})
	b.Run("single", func(b *testing.B) { benchSingle(b, items) })
	for _, n := range []int{1, 8, 64, 1024, 4096} {
		b.Run(fmt.Sprintf("voi-batch/n=%d", n), func(b *testing.B) {
			bv := ed25519.NewBatchVerifierWithCapacity(n)
			m := startMeter(b)
			for b.Loop() {
				bv.Reset()
				for _, it := range items[:n] {
					bv.AddExpandedWithOptions(it.Key.(*ed25519Key).exp, it.Msg, it.Sig, zip215)
				}
				if !bv.VerifyBatchOnly(nil) {
					b.Fatal("batch failed")
				}
			}
			m.stop(b, n)
		})
		for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("batch/n=%d/workers=%d", n, w), func(b *testing.B) { benchBatch(b, items[:n], w) })
		}
	}
}

// BenchmarkSchemes measures, per scheme, the raw library call (hash
// included), baynet's single path, and a batch of 256 on one worker and on
// GOMAXPROCS workers.
func BenchmarkSchemes(b *testing.B) {
	const n = 256
	for _, s := range []Scheme{SchemeSecp256k1, SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS, SchemeSM2} {
		items := benchItems(b, s, n)
		b.Run(string(s)+"/raw", func(b *testing.B) {
			raw := rawVerifier(b, s)
			m := startMeter(b)
			i := 0
			for b.Loop() {
				if !raw(items[i%n]) {
					b.Fatal("invalid")
				}
				i++
			}
			m.stop(b, 1)
		})
		b.Run(string(s)+"/single", func(b *testing.B) { benchSingle(b, items) })
		for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("%s/batch/workers=%d", s, w), func(b *testing.B) { benchBatch(b, items, w) })
		}
	}
}

// rawVerifier is the underlying library's own verification of an item, with
// the key already in the library's form and the signature in the encoding
// the library takes, as a caller without baynet's layer would write it.
func rawVerifier(b *testing.B, s Scheme) func(Item) bool {
	switch s {
	case SchemeSecp256k1:
		return func(it Item) bool {
			h := sha256.Sum256(it.Msg)
			return secp256k1.VerifySignature(it.Key.(*secp256k1Key).uncompressed[:], h[:], it.Sig)
		}
	case SchemeP256:
		return func(it Item) bool {
			h := sha256.Sum256(it.Msg)
			return ecdsa.VerifyASN1(it.Key.(*nistKey).pub, h[:], it.Sig)
		}
	case SchemeP384:
		return func(it Item) bool {
			h := sha512.Sum384(it.Msg)
			return ecdsa.VerifyASN1(it.Key.(*nistKey).pub, h[:], it.Sig)
		}
	case SchemeRSAPKCS1:
		return func(it Item) bool {
			h := sha256.Sum256(it.Msg)
			return rsa.VerifyPKCS1v15(it.Key.(*rsaKey).pub, crypto.SHA256, h[:], it.Sig) == nil
		}
	case SchemeRSAPSS:
		return func(it Item) bool {
			h := sha256.Sum256(it.Msg)
			return rsa.VerifyPSS(it.Key.(*rsaKey).pub, crypto.SHA256, h[:], it.Sig, pssOptions) == nil
		}
	case SchemeSM2:
		return func(it Item) bool {
			return sm2.VerifyASN1WithSM2(it.Key.(*sm2Key).pub, nil, it.Msg, it.Sig)
		}
	}
	b.Fatalf("no raw verifier for %s", s)
	return nil
}

// BenchmarkParsePublicKey is the cost of turning stored key bytes into a
// PublicKey, paid per verification by a caller that does not keep parsed
// keys.
func BenchmarkParsePublicKey(b *testing.B) {
	for _, s := range allSchemes {
		enc := signers(b, s)[0].pub.Bytes()
		b.Run(string(s), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePublicKey(s, enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCache(b *testing.B) {
	c := NewCache(1 << 16)
	it := benchItems(b, SchemeEd25519, 1)[0]
	k := it.CacheKey()
	c.Add(k)
	b.Run("key", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			it.CacheKey()
		}
	})
	b.Run("contains", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !c.Contains(k) {
				b.Fatal("miss")
			}
		}
	})
}
