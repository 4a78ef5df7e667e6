package crypto

import (
	"crypto/elliptic"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto/secp256k1"
)

type wycheproofFile struct {
	TestGroups []struct {
		PublicKeyDer string `json:"publicKeyDer"`
		PublicKeyAsn string `json:"publicKeyAsn"` // RSA: PKCS#1 RSAPublicKey
		PublicKey    struct {
			Uncompressed string `json:"uncompressed"` // ECDSA
			PK           string `json:"pk"`           // ed25519
		} `json:"publicKey"`
		Tests []wycheproofTest `json:"tests"`
	} `json:"testGroups"`
}

type wycheproofTest struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	Msg     string   `json:"msg"`
	Sig     string   `json:"sig"`
	Result  string   `json:"result"`
}

// exception is a vector on which baynet's verdict differs from Wycheproof's
// result, or which Wycheproof leaves "acceptable".
type exception struct {
	valid  bool // baynet's verdict
	reason string
}

type wycheproofSuite struct {
	file       string
	scheme     Scheme
	policy     Policy
	exceptions map[int]exception
}

var wycheproofSuites = []wycheproofSuite{
	{"ed25519_test.json", SchemeEd25519, PolicyTx, map[int]exception{
		151: {true, "ZIP-215: R is (0,1) encoded with the sign bit set, a non-canonical encoding ZIP-215 accepts as CometBFT does"},
	}},
	{"ecdsa_secp256k1_sha256_test.json", SchemeSecp256k1, PolicyExternal, nil},
	{"ecdsa_secp256k1_sha256_test.json", SchemeSecp256k1, PolicyTx, highS(false,
		1, 2, 5, 297, 298, 299, 301, 302, 303, 305, 307, 309, 310, 311, 313, 316,
		318, 320, 322, 323, 324, 325, 330, 331, 332, 335, 337, 347, 348, 350, 352, 363,
		364, 365, 392, 393, 396, 397, 398, 399, 401, 402, 406, 412, 413, 417, 421, 423,
		425, 427, 431, 432, 437, 438, 447, 448, 449, 450, 452, 453, 454, 455, 456, 458,
		459, 460, 461, 462, 463, 467, 471, 476,
	)},
	{"ecdsa_secp256k1_sha256_bitcoin_test.json", SchemeSecp256k1, PolicyTx, nil},
	{"ecdsa_secp256k1_sha256_bitcoin_test.json", SchemeSecp256k1, PolicyExternal, highS(true, 1, 388)},
	{"ecdsa_secp256r1_sha256_test.json", SchemeP256, PolicyExternal, nil},
	{"ecdsa_secp256r1_sha256_test.json", SchemeP256, PolicyTx, highS(false,
		2, 3, 7, 299, 301, 302, 303, 306, 312, 313, 315, 316, 320, 321, 322, 329,
		330, 331, 335, 337, 339, 340, 342, 345, 346, 349, 350, 352, 353, 365, 366, 367,
		368, 369, 394, 395, 398, 399, 400, 403, 406, 412, 413, 414, 415, 418, 419, 420,
		422, 423, 427, 433, 434, 439, 440, 448, 452, 453, 456, 459, 461, 462, 463, 465,
		467, 468, 469, 471, 475, 479, 484,
	)},
	{"ecdsa_secp384r1_sha384_test.json", SchemeP384, PolicyExternal, nil},
	{"ecdsa_secp384r1_sha384_test.json", SchemeP384, PolicyTx, highS(false,
		2, 3, 4, 7, 295, 296, 298, 300, 302, 304, 305, 307, 308, 310, 311, 313,
		314, 317, 318, 325, 327, 328, 329, 330, 333, 334, 336, 337, 338, 339, 340, 341,
		343, 346, 349, 350, 351, 353, 355, 358, 360, 361, 364, 365, 367, 369, 371, 372,
		374, 376, 378, 379, 382, 384, 385, 386, 396, 424, 425, 428, 430, 432, 433, 436,
		437, 438, 439, 440, 441, 443, 445, 446, 447, 448, 452, 461, 462, 467, 468, 474,
		476, 479, 483, 486, 490, 491, 495, 499, 504,
	)},
	{"rsa_signature_2048_sha256_test.json", SchemeRSAPKCS1, PolicyTx, map[int]exception{
		8:   {false, "acceptable: DigestInfo without NULL parameters; only the DER encoding with NULL is accepted, as by crypto/rsa"},
		258: {false, "public exponent 3: RSA keys need e > 2^16 (FIPS 186-5), so GODEBUG=fips140=only changes no verdict"},
		259: {false, "public exponent 3: RSA keys need e > 2^16 (FIPS 186-5), so GODEBUG=fips140=only changes no verdict"},
	}},
	{"rsa_pss_2048_sha256_mgf1_32_test.json", SchemeRSAPSS, PolicyTx, nil},
}

const (
	reasonHighSTx       = "high S: PolicyTx requires low S, so no third party can re-encode a transaction"
	reasonHighSExternal = "high S: PolicyExternal accepts either half of S, as CAs and HSMs emit both"
)

// highS lists vectors whose verdict differs only because their S is high;
// the test checks that each of them really has a high S.
func highS(valid bool, ids ...int) map[int]exception {
	reason := reasonHighSTx
	if valid {
		reason = reasonHighSExternal
	}
	m := make(map[int]exception, len(ids))
	for _, id := range ids {
		m[id] = exception{valid, reason}
	}
	return m
}

// derHighS independently decides whether a DER ECDSA signature has s > n/2,
// using encoding/asn1 and math/big rather than the code under test.
func derHighS(sig []byte, n *big.Int) bool {
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(sig, &rs); err != nil || len(rest) != 0 {
		return false
	}
	return rs.S.Cmp(new(big.Int).Rsh(n, 1)) > 0
}

func curveOrder(s Scheme) *big.Int {
	switch s {
	case SchemeSecp256k1:
		return secp256k1.S256().N
	case SchemeP384:
		return elliptic.P384().Params().N
	default:
		return elliptic.P256().Params().N
	}
}

// foreignKey implements PublicKey outside the package's own types; the
// verifier must re-parse it, and refuse it if it does not parse.
type foreignKey struct {
	scheme Scheme
	b      []byte
}

func (k foreignKey) Scheme() Scheme           { return k.scheme }
func (k foreignKey) Bytes() []byte            { return k.b }
func (k foreignKey) Verify(_, _ []byte) error { return nil }

func policyName(p Policy) string {
	if p == PolicyExternal {
		return "external"
	}
	return "tx"
}

func TestWycheproof(t *testing.T) {
	for _, suite := range wycheproofSuites {
		t.Run(suite.file+"/"+policyName(suite.policy), func(t *testing.T) {
			runWycheproofSuite(t, suite, HashScheme)
		})
	}
}

// hashSuites returns the suites of schemes whose items may name a hash, under
// PolicyExternal (RSA verdicts do not depend on the policy, so their suites
// carry over unchanged).
func hashSuites() []wycheproofSuite {
	var out []wycheproofSuite
	for _, suite := range wycheproofSuites {
		if namesHash(suite.scheme) && (suite.policy == PolicyExternal || isRSA(suite.scheme)) {
			suite.policy = PolicyExternal
			out = append(out, suite)
		}
	}
	return out
}

// TestWycheproofNamedHash re-runs the RSA, P-256 and P-384 vectors with a
// hash named on every item. Naming the file's own hash must give exactly the
// verdicts and exceptions of TestWycheproof; naming any other must refuse
// every vector, valid ones included, through both paths: a signature is never
// accepted under a hash it was not made with.
func TestWycheproofNamedHash(t *testing.T) {
	suites := hashSuites()
	if len(suites) != 4 {
		t.Fatalf("%d suites of schemes that name hashes, want 4", len(suites))
	}
	for _, suite := range suites {
		own := HashScheme.effective(suite.scheme)
		for _, h := range []Hash{HashSHA256, HashSHA384, HashSHA512} {
			t.Run(suite.file+"/"+h.String(), func(t *testing.T) {
				if h == own {
					runWycheproofSuite(t, suite, h)
					return
				}
				items, tests := loadWycheproof(t, suite, h)
				single := make([]error, len(items))
				valid, listed := 0, 0
				for i, it := range items {
					single[i] = Verify(it)
					tc := tests[i]
					if tc.Result == "valid" {
						valid++
					}
					want, ok := crossHashValid[suite.file][tc.TcID]
					switch {
					case ok && want == h:
						listed++
						if !strings.Contains(tc.Comment, "hashed with "+hashTitle[h]+" instead") {
							t.Errorf("tcId %d (%s): listed as made with %s", tc.TcID, tc.Comment, hashTitle[h])
						}
						if single[i] != nil {
							t.Errorf("tcId %d (%s): %v under %s", tc.TcID, tc.Comment, single[i], h)
						}
					case single[i] == nil:
						t.Errorf("tcId %d (%s): valid under %s", tc.TcID, tc.Comment, h)
					}
				}
				if valid == 0 {
					t.Fatal("no valid vector to refuse")
				}
				for id, lh := range crossHashValid[suite.file] {
					if lh == h && listed == 0 {
						t.Errorf("tcId %d is listed as valid under %s but was not seen", id, h)
					}
				}
				checkBatchAgrees(t, items, single)
			})
		}
	}
}

// crossHashValid lists, by file and tcId, the vectors Wycheproof made by
// hashing the message with another hash than the file's ("The message is
// hashed with SHA-384 instead of SHA-256"): invalid under the file's hash,
// and valid under the one listed, which TestWycheproofNamedHash requires.
// Vectors whose DigestInfo only names another hash ("The algorithm encoded
// in the padding is SHA-384 instead of SHA-256") stay invalid under every
// hash.
var crossHashValid = map[string]map[int]Hash{
	"rsa_signature_2048_sha256_test.json": {221: HashSHA384, 223: HashSHA512},
}

var hashTitle = map[Hash]string{HashSHA256: "SHA-256", HashSHA384: "SHA-384", HashSHA512: "SHA-512"}

// loadWycheproof reads a suite's file into items of its scheme and policy
// that name hash h.
func loadWycheproof(t *testing.T, suite wycheproofSuite, h Hash) ([]Item, []wycheproofTest) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "wycheproof", suite.file))
	if err != nil {
		t.Fatal(err)
	}
	var file wycheproofFile
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	var (
		items []Item
		tests []wycheproofTest
	)
	for _, g := range file.TestGroups {
		der := mustHex(t, g.PublicKeyDer)
		var k PublicKey = foreignKey{suite.scheme, der}
		parsed, err := ParsePublicKey(suite.scheme, der)
		if err == nil {
			k = parsed
			checkAlternateKeyEncodings(t, suite.scheme, parsed, g.PublicKey.Uncompressed, g.PublicKey.PK, g.PublicKeyAsn)
		} else if !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("group key: %v", err)
		}
		for _, tc := range g.Tests {
			items = append(items, Item{Key: k, Msg: mustHex(t, tc.Msg), Sig: mustHex(t, tc.Sig), Policy: suite.policy, Hash: h})
			tests = append(tests, tc)
		}
	}
	return items, tests
}

func runWycheproofSuite(t *testing.T, suite wycheproofSuite, h Hash) {
	items, tests := loadWycheproof(t, suite, h)
	seen := map[int]bool{}
	for _, tc := range tests {
		seen[tc.TcID] = true
	}
	for id := range suite.exceptions {
		if !seen[id] {
			t.Errorf("exception for tcId %d, which is not in %s", id, suite.file)
		}
	}

	single := make([]error, len(items))
	for i, it := range items {
		single[i] = Verify(it)
	}
	checkBatchAgrees(t, items, single)

	for i, tc := range tests {
		want := tc.Result == "valid"
		ex, listed := suite.exceptions[tc.TcID]
		switch {
		case listed && ex.valid == want && tc.Result != "acceptable":
			t.Errorf("tcId %d: exception %q lists Wycheproof's own verdict", tc.TcID, ex.reason)
		case listed:
			want = ex.valid
			if (ex.reason == reasonHighSTx || ex.reason == reasonHighSExternal) &&
				!derHighS(items[i].Sig, curveOrder(suite.scheme)) {
				t.Errorf("tcId %d: listed as high S but its S is not high", tc.TcID)
			}
		case tc.Result == "acceptable":
			t.Errorf("tcId %d (%s, %v): acceptable vector without an exception; baynet says valid=%v",
				tc.TcID, tc.Comment, tc.Flags, single[i] == nil)
			continue
		}
		if got := single[i] == nil; got != want {
			t.Errorf("tcId %d (%s, %v): valid=%v, want %v (wycheproof %s): %v",
				tc.TcID, tc.Comment, tc.Flags, got, want, tc.Result, single[i])
		}
	}
}

// checkBatchAgrees runs items through a BatchVerifier in order and reversed
// and requires each verdict to wrap exactly the single-path reason.
func checkBatchAgrees(t *testing.T, items []Item, single []error) {
	t.Helper()
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	for pass := range 2 {
		if pass == 1 {
			slices.Reverse(order)
		}
		bv := NewBatchVerifier()
		for _, i := range order {
			bv.Add(items[i])
		}
		ok, verdicts := bv.Verify()
		allValid := true
		for pos, i := range order {
			allValid = allValid && single[i] == nil
			if !sameVerdict(verdicts[pos], single[i], pos) {
				t.Errorf("item %d (pass %d): batch %v, single %v", i, pass, verdicts[pos], single[i])
			}
		}
		if ok != allValid {
			t.Errorf("pass %d: batch ok=%v, want %v", pass, ok, allValid)
		}
	}
}

// sameVerdict reports whether a batch verdict for position pos is the single
// verdict single.
func sameVerdict(batch, single error, pos int) bool {
	if single == nil || batch == nil {
		return single == nil && batch == nil
	}
	var ie *ItemError
	return errors.As(batch, &ie) && ie.Index == pos && ie.Reason == single
}

func checkAlternateKeyEncodings(t *testing.T, s Scheme, k PublicKey, uncompressed, pk, asn string) {
	t.Helper()
	for _, alt := range []string{uncompressed, pk, asn} {
		if alt == "" {
			continue
		}
		k2, err := ParsePublicKey(s, mustHex(t, alt))
		if err != nil {
			t.Fatalf("alternate encoding %s: %v", alt, err)
		}
		if hex.EncodeToString(k2.Bytes()) != hex.EncodeToString(k.Bytes()) {
			t.Fatalf("alternate encoding gives another key")
		}
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
