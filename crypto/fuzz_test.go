package crypto

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzScheme maps a fuzzer byte to a scheme, one value past the list giving
// an unknown scheme.
func fuzzScheme(b uint8) Scheme {
	if i := int(b) % (len(allSchemes) + 1); i < len(allSchemes) {
		return allSchemes[i]
	}
	return "unknown"
}

func schemeIndex(s Scheme) uint8 {
	for i, x := range allSchemes {
		if x == s {
			return uint8(i)
		}
	}
	return uint8(len(allSchemes))
}

// FuzzParsePublicKey requires ParsePublicKey never to panic and any key it
// accepts to round-trip through its canonical bytes.
func FuzzParsePublicKey(f *testing.F) {
	for _, s := range allSchemes {
		for _, enc := range signers(f, s)[0].encodings {
			f.Add(schemeIndex(s), enc)
			f.Add(schemeIndex(s), enc[:len(enc)/2])
		}
	}
	f.Add(uint8(0), []byte{})
	f.Add(uint8(1), []byte{6})
	f.Add(uint8(2), []byte("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"))
	f.Add(uint8(4), []byte{0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, sb uint8, data []byte) {
		s := fuzzScheme(sb)
		k, err := ParsePublicKey(s, data)
		if err != nil {
			var ke *KeyError
			if k != nil || !errors.As(err, &ke) {
				t.Fatalf("error %v with key %v", err, k)
			}
			return
		}
		if k.Scheme() != s {
			t.Fatalf("scheme %s, asked for %s", k.Scheme(), s)
		}
		again, err := ParsePublicKey(s, k.Bytes())
		if err != nil || !bytes.Equal(again.Bytes(), k.Bytes()) {
			t.Fatalf("canonical bytes %x do not round-trip: %v", k.Bytes(), err)
		}
	})
}

// FuzzVerify requires verification never to panic, and the batch path, the
// single path and PublicKey.Verify to agree on every input, named hashes
// (valid, unknown or not allowed) included.
func FuzzVerify(f *testing.F) {
	for _, s := range allSchemes {
		ts := signers(f, s)[0]
		msg := []byte("fuzz seed")
		sig := ts.sign(msg, nil)
		f.Add(schemeIndex(s), ts.pub.Bytes(), msg, sig, uint8(0), []byte(nil), uint8(0))
		f.Add(schemeIndex(s), ts.pub.Bytes(), msg, sig, uint8(1), []byte(nil), uint8(0))
		f.Add(schemeIndex(s), ts.pub.Bytes(), msg, sig[:len(sig)-1], uint8(0), []byte(nil), uint8(0))
		f.Add(schemeIndex(s), ts.pub.Bytes(), msg[1:], sig, uint8(1), []byte("uid"), uint8(0))
		if namesHash(s) {
			for _, h := range []Hash{HashSHA256, HashSHA384, HashSHA512} {
				hs := ts.signHash(msg, h)
				f.Add(schemeIndex(s), ts.pub.Bytes(), msg, hs, uint8(0), []byte(nil), uint8(h))
				f.Add(schemeIndex(s), ts.pub.Bytes(), msg, hs[:len(hs)-1], uint8(0), []byte(nil), uint8(h))
				f.Add(schemeIndex(s), ts.pub.Bytes(), msg, hs, uint8(1), []byte(nil), uint8(h))
			}
		}
	}
	uid := []byte("alice@baynet.example")
	sm2s := signers(f, SchemeSM2)[0]
	f.Add(schemeIndex(SchemeSM2), sm2s.pub.Bytes(), []byte{}, sm2s.sign(nil, uid), uint8(1), uid, uint8(0))
	f.Add(schemeIndex(SchemeSecp256k1), []byte{2}, []byte{}, []byte{0x30, 0}, uint8(9), []byte{}, uint8(7))

	filler := signers(f, SchemeEd25519)[1]
	fillMsg := []byte("filler")
	fillSig := filler.sign(fillMsg, nil)
	f.Fuzz(func(t *testing.T, sb uint8, keyBytes, msg, sig []byte, pol uint8, uid []byte, hb uint8) {
		s := fuzzScheme(sb)
		it := Item{Key: foreignKey{s, keyBytes}, Msg: msg, Sig: sig, Policy: Policy(pol), SM2UID: uid, Hash: Hash(hb)}
		k, err := ParsePublicKey(s, keyBytes)
		if err == nil {
			it.Key = k
		}
		single := Verify(it)
		if err != nil && single != err.(*KeyError).Reason {
			t.Fatalf("foreign key: %v, parse error %v", single, err)
		}
		if err == nil && Policy(pol) == PolicyExternal && len(uid) == 0 && it.Hash == HashScheme {
			if got := k.Verify(msg, sig); got != single {
				t.Fatalf("PublicKey.Verify %v, Verify %v", got, single)
			}
		}
		bv := NewBatchVerifier()
		for range 3 {
			bv.Add(Item{Key: filler.pub, Msg: fillMsg, Sig: fillSig})
		}
		bv.Add(it)
		bv.Add(it)
		_, verdicts := bv.Verify()
		for i := 3; i < 5; i++ {
			if !sameVerdict(verdicts[i], single, i) {
				t.Fatalf("batch %v, single %v", verdicts[i], single)
			}
		}
		for i := range 3 {
			if verdicts[i] != nil {
				t.Fatalf("filler %d failed: %v", i, verdicts[i])
			}
		}
	})
}
