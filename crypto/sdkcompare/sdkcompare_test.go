package sdkcompare

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"syscall"
	"testing"
	"time"

	sdksecp256k1 "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/baynet/baynet/crypto"
)

// secp256k1 group order, for making high-S twins of signatures.
var curveN, _ = new(big.Int).SetString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16)

type fixture struct {
	sdkPub *sdksecp256k1.PubKey
	pub    crypto.PublicKey
	msg    []byte
	sig    []byte
}

func newFixtures(t testing.TB, n int) []fixture {
	t.Helper()
	out := make([]fixture, n)
	for i := range out {
		priv := sdksecp256k1.GenPrivKey()
		msg := make([]byte, 256)
		copy(msg, fmt.Sprintf("sdk compare %d", i))
		sig, err := priv.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		sdkPub := priv.PubKey().(*sdksecp256k1.PubKey)
		pub, err := crypto.ParsePublicKey(crypto.SchemeSecp256k1, sdkPub.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		out[i] = fixture{sdkPub: sdkPub, pub: pub, msg: msg, sig: sig}
	}
	return out
}

// TestAgreesWithSDK checks that baynet's PolicyTx verdict is the SDK's on
// valid, corrupted, high-S and out-of-range signatures.
func TestAgreesWithSDK(t *testing.T) {
	for i, f := range newFixtures(t, 40) {
		highS := append([]byte(nil), f.sig...)
		s := new(big.Int).SetBytes(highS[32:])
		new(big.Int).Sub(curveN, s).FillBytes(highS[32:])
		flipped := append([]byte(nil), f.sig...)
		flipped[i%64] ^= 0x10
		rIsN := append(curveN.FillBytes(make([]byte, 32)), f.sig[32:]...)
		for name, c := range map[string]struct {
			msg, sig []byte
			valid    bool
		}{
			"valid":        {f.msg, f.sig, true},
			"other msg":    {append([]byte("x"), f.msg...), f.sig, false},
			"flipped bit":  {f.msg, flipped, false},
			"high S":       {f.msg, highS, false},
			"r = n":        {f.msg, rIsN, false},
			"short":        {f.msg, f.sig[:63], false},
			"empty":        {f.msg, nil, false},
			"sha256 input": {sha256Sum(f.msg), f.sig, false},
		} {
			sdk := f.sdkPub.VerifySignature(c.msg, c.sig)
			ours := crypto.Verify(crypto.Item{Key: f.pub, Msg: c.msg, Sig: c.sig, Policy: crypto.PolicyTx}) == nil
			if sdk != c.valid || ours != c.valid {
				t.Errorf("%d %s: sdk=%v baynet=%v, want %v", i, name, sdk, ours, c.valid)
			}
		}
	}
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// cpuMeter reports process CPU time per signature (cpu-ns/sig) next to wall
// time, which a shared machine inflates.
type cpuMeter time.Duration

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) cpuMeter {
	b.ReportAllocs()
	return cpuMeter(cpuTime())
}

func (m cpuMeter) stop(b *testing.B) {
	b.ReportMetric(float64((cpuTime()-time.Duration(m)).Nanoseconds())/float64(b.N), "cpu-ns/sig")
}

// BenchmarkSecp256k1 compares, per signature and in the same run, the SDK's
// default secp256k1 verification with baynet's (libsecp256k1), with the key
// parsed once and parsed per signature.
func BenchmarkSecp256k1(b *testing.B) {
	fs := newFixtures(b, 64)
	b.Run("sdk-purego", func(b *testing.B) {
		m := startCPU(b)
		i := 0
		for b.Loop() {
			f := fs[i%len(fs)]
			if !f.sdkPub.VerifySignature(f.msg, f.sig) {
				b.Fatal("invalid")
			}
			i++
		}
		m.stop(b)
	})
	b.Run("baynet", func(b *testing.B) {
		m := startCPU(b)
		i := 0
		for b.Loop() {
			f := fs[i%len(fs)]
			if err := crypto.Verify(crypto.Item{Key: f.pub, Msg: f.msg, Sig: f.sig, Policy: crypto.PolicyTx}); err != nil {
				b.Fatal(err)
			}
			i++
		}
		m.stop(b)
	})
	b.Run("baynet-parse-each", func(b *testing.B) {
		m := startCPU(b)
		i := 0
		for b.Loop() {
			f := fs[i%len(fs)]
			pub, err := crypto.ParsePublicKey(crypto.SchemeSecp256k1, f.sdkPub.Key)
			if err != nil {
				b.Fatal(err)
			}
			if err := crypto.Verify(crypto.Item{Key: pub, Msg: f.msg, Sig: f.sig, Policy: crypto.PolicyTx}); err != nil {
				b.Fatal(err)
			}
			i++
		}
		m.stop(b)
	})
}
