package crypto

import (
	"os"
	"path/filepath"
	"testing"
)

// hashVector is one line of testdata/hashes/vectors.txt (see gen.sh there).
type hashVector struct {
	key, name string
	scheme    Scheme
	hash      Hash
	valid     bool
	msg, sig  []byte
}

var hashNames = map[string]Hash{"sha256": HashSHA256, "sha384": HashSHA384, "sha512": HashSHA512}

func readHashVectors(t *testing.T) []hashVector {
	t.Helper()
	var out []hashVector
	for _, fields := range vectorLines(t, filepath.Join("testdata", "hashes", "vectors.txt"), 7) {
		h, ok := hashNames[fields[2]]
		if !ok || (fields[3] != "valid" && fields[3] != "invalid") {
			t.Fatalf("bad vector %q", fields)
		}
		v := hashVector{key: fields[0], scheme: Scheme(fields[1]), hash: h, valid: fields[3] == "valid", name: fields[4], sig: mustHex(t, fields[6])}
		if fields[5] != "-" {
			v.msg = mustHex(t, fields[5])
		}
		out = append(out, v)
	}
	return out
}

// TestHashesOpenSSL verifies signatures OpenSSL 3 made under hashes other
// than their scheme's own (testdata/hashes/gen.sh): RSA PKCS#1 v1.5 and PSS
// with SHA-384 and SHA-512, P-256 with SHA-384 and SHA-512, P-384 with
// SHA-256 and SHA-512. Valid ones pass under PolicyExternal; signatures made
// with another hash, MGF1 hash or salt length fail with ErrInvalidSignature;
// under PolicyTx every one of them is ErrUnsupportedHash, and without the
// hash named every one fails. The single and the batch path agree on all.
func TestHashesOpenSSL(t *testing.T) {
	vectors := readHashVectors(t)
	keys := map[string]map[Scheme]PublicKey{}
	var items []Item
	var want []error
	counts := map[string]int{}
	for _, v := range vectors {
		if keys[v.key] == nil {
			keys[v.key] = map[Scheme]PublicKey{}
		}
		k := keys[v.key][v.scheme]
		if k == nil {
			pem, err := os.ReadFile(filepath.Join("testdata", "hashes", v.key+".pem"))
			if err != nil {
				t.Fatal(err)
			}
			if k, err = ParsePublicKey(v.scheme, pem); err != nil {
				t.Fatalf("%s as %s: %v", v.key, v.scheme, err)
			}
			keys[v.key][v.scheme] = k
		}
		it := Item{Key: k, Msg: v.msg, Sig: v.sig, Policy: PolicyExternal, Hash: v.hash}
		w := ErrInvalidSignature
		if v.valid {
			w = nil
			counts[string(v.scheme)+"/"+v.hash.String()]++
		}
		items, want = append(items, it), append(want, w)

		tx := it
		tx.Policy = PolicyTx
		items, want = append(items, tx), append(want, ErrUnsupportedHash)

		// Some invalid lines were signed under the scheme's own hash, so only
		// a valid one must fail when its hash is not named.
		unnamed := it
		unnamed.Hash = HashScheme
		uw := errAnyReason
		if v.valid {
			uw = ErrInvalidSignature
		}
		items, want = append(items, unnamed), append(want, uw)
	}
	for _, c := range []string{
		"rsa-pkcs1v15-sha256/sha384", "rsa-pkcs1v15-sha256/sha512", "rsa-pss-sha256/sha384", "rsa-pss-sha256/sha512",
		"p256/sha384", "p256/sha512", "p384/sha256", "p384/sha512",
	} {
		if counts[c] < 3 {
			t.Errorf("%s: %d valid vectors, want at least 3", c, counts[c])
		}
	}
	single := make([]error, len(items))
	for i, it := range items {
		single[i] = Verify(it)
		w := want[i]
		if w != errAnyReason && single[i] != w {
			v := vectors[i/3]
			t.Errorf("%s %s %s %s (policy %s): got %v, want %v", v.key, v.scheme, v.hash, v.name, policyName(it.Policy), single[i], w)
		}
		if it.Policy == PolicyExternal && it.Hash == HashScheme {
			if got := it.Key.Verify(it.Msg, it.Sig); got != single[i] {
				t.Errorf("item %d: PublicKey.Verify %v, Verify %v", i, got, single[i])
			}
		}
	}
	checkBatchAgrees(t, items, single)
}

// TestHashRules pins which items may name which hash, through both paths,
// with signatures that would otherwise verify.
func TestHashRules(t *testing.T) {
	msg := []byte("hash rules")
	for _, s := range allSchemes {
		ts := signers(t, s)[0]
		for _, pol := range []Policy{PolicyExternal, PolicyTx} {
			for _, h := range []Hash{HashScheme, HashSHA256, HashSHA384, HashSHA512, HashSHA512 + 1, 255} {
				it := Item{Key: ts.pub, Msg: msg, Sig: ts.sign(msg, nil), Policy: pol, Hash: h}
				var w error
				switch own := HashScheme.effective(s); {
				case h == HashScheme || h == own:
				case h > HashSHA512 || pol != PolicyExternal || !namesHash(s):
					w = ErrUnsupportedHash
				default:
					it.Sig = ts.signHash(msg, h)
				}
				got := Verify(it)
				if got != w {
					t.Errorf("%s/%s/%s: %v, want %v", s, policyName(pol), h, got, w)
				}
				checkBatchAgrees(t, []Item{it, it}, []error{got, got})
			}
		}
	}
}

// TestHashBadSignatureSizes gives items that name a hash signatures of the
// wrong size, which must be refused with ErrMalformedSignature before any
// cryptography, never panic.
func TestHashBadSignatureSizes(t *testing.T) {
	msg := []byte("sizes")
	for _, s := range []Scheme{SchemeP256, SchemeP384, SchemeRSAPKCS1, SchemeRSAPSS} {
		ts := signers(t, s)[0]
		for _, h := range []Hash{HashSHA256, HashSHA384, HashSHA512} {
			sig := ts.signHash(msg, h)
			for name, bad := range map[string][]byte{
				"empty":     nil,
				"truncated": sig[:len(sig)-1],
				"extended":  append(append([]byte(nil), sig...), 0),
				"oversized": make([]byte, maxRSASig+1),
			} {
				it := Item{Key: ts.pub, Msg: msg, Sig: bad, Policy: PolicyExternal, Hash: h}
				got := Verify(it)
				if got != ErrMalformedSignature {
					t.Errorf("%s/%s/%s: %v, want %v", s, h, name, got, ErrMalformedSignature)
				}
				checkBatchAgrees(t, []Item{it}, []error{got})
			}
		}
	}
}
