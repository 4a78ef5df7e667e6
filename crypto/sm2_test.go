package crypto

import (
	"bufio"
	"encoding/asn1"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// The SM2 signature example of GM/T 0003.5-2012 / GB/T 32918.5-2017 on the
// recommended curve: message "message digest", user id "1234567812345678".
const (
	gbtD  = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
	gbtX  = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
	gbtY  = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
	gbtZA = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3"
	gbtE  = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640"
	gbtK  = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21"
	gbtX1 = "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
	gbtR  = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
	gbtS  = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
)

func hexInt(t *testing.T, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %s", s)
	}
	return v
}

// TestSM2Standard checks the standard's example end to end: the example's
// own numbers agree (public key, x1 = x(kG), r and s recomputed from d and
// k), Z_A and e match, and the verifier accepts the signature in both
// encodings and refuses it for another message, user id or scalar.
func TestSM2Standard(t *testing.T) {
	curve := sm2.P256()
	n := curve.Params().N
	d, k, r, s := hexInt(t, gbtD), hexInt(t, gbtK), hexInt(t, gbtR), hexInt(t, gbtS)

	x, y := curve.ScalarBaseMult(d.Bytes())
	if x.Cmp(hexInt(t, gbtX)) != 0 || y.Cmp(hexInt(t, gbtY)) != 0 {
		t.Fatal("d*G is not the example public key")
	}
	x1, _ := curve.ScalarBaseMult(k.Bytes())
	if x1.Cmp(hexInt(t, gbtX1)) != 0 {
		t.Fatal("k*G is not the example x1")
	}
	e := hexInt(t, gbtE)
	if got := new(big.Int).Mod(new(big.Int).Add(e, x1), n); got.Cmp(r) != 0 {
		t.Fatalf("r = e + x1 mod n gives %X", got)
	}
	// s = (1+d)^-1 * (k - r*d) mod n
	sv := new(big.Int).Sub(k, new(big.Int).Mul(r, d))
	sv.Mul(sv, new(big.Int).ModInverse(new(big.Int).Add(d, big.NewInt(1)), n))
	if sv.Mod(sv, n).Cmp(s) != 0 {
		t.Fatalf("s recomputed as %X", sv)
	}

	point := append([]byte{4}, append(hexInt(t, gbtX).FillBytes(make([]byte, 32)), hexInt(t, gbtY).FillBytes(make([]byte, 32))...)...)
	pk, err := ParsePublicKey(SchemeSM2, point)
	if err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).SetBytes(pk.(*sm2Key).zaDefault); got.Cmp(hexInt(t, gbtZA)) != 0 {
		t.Fatalf("Z_A = %X", got)
	}
	h := sm3.New()
	h.Write(pk.(*sm2Key).zaDefault)
	h.Write([]byte("message digest"))
	if got := new(big.Int).SetBytes(h.Sum(nil)); got.Cmp(e) != 0 {
		t.Fatalf("e = %X", got)
	}

	raw := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	der := sm2Params.appendDER(nil, raw)
	msg := []byte("message digest")
	tests := []struct {
		name string
		it   Item
		want error
	}{
		{"fixed-width", Item{Key: pk, Msg: msg, Sig: raw}, nil},
		{"DER", Item{Key: pk, Msg: msg, Sig: der}, nil},
		{"explicit default uid", Item{Key: pk, Msg: msg, Sig: raw, SM2UID: []byte("1234567812345678")}, nil},
		{"tx policy", Item{Key: pk, Msg: msg, Sig: raw, Policy: PolicyTx}, nil},
		{"other message", Item{Key: pk, Msg: []byte("message digesT"), Sig: raw}, ErrInvalidSignature},
		{"other uid", Item{Key: pk, Msg: msg, Sig: raw, SM2UID: []byte("ALICE123@YAHOO.COM")}, ErrInvalidSignature},
		{"n - s", Item{Key: pk, Msg: msg, Sig: append(r.FillBytes(make([]byte, 32)), new(big.Int).Sub(n, s).FillBytes(make([]byte, 32))...)}, ErrInvalidSignature},
		{"r + n", Item{Key: pk, Msg: msg, Sig: derSig(t, new(big.Int).Add(r, n), s)}, ErrMalformedSignature},
		{"s = n", Item{Key: pk, Msg: msg, Sig: append(r.FillBytes(make([]byte, 32)), n.FillBytes(make([]byte, 32))...)}, ErrMalformedSignature},
		{"r = 0", Item{Key: pk, Msg: msg, Sig: derSig(t, new(big.Int), s)}, ErrMalformedSignature},
		{"uid too long", Item{Key: pk, Msg: msg, Sig: raw, SM2UID: make([]byte, maxSM2UID+1)}, ErrInvalidUID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Verify(tc.it)
			if !errors.Is(got, tc.want) || (tc.want == nil) != (got == nil) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			checkBatchAgrees(t, []Item{tc.it}, []error{got})
		})
	}
}

// derSig encodes r and s with encoding/asn1, whatever their size.
func derSig(t *testing.T, r, s *big.Int) []byte {
	t.Helper()
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type sm2Vector struct {
	uid      string
	msg, sig []byte
}

func loadSM2Vectors(t *testing.T) []sm2Vector {
	t.Helper()
	var out []sm2Vector
	for _, fields := range vectorLines(t, filepath.Join("testdata", "sm2", "vectors.txt"), 3) {
		v := sm2Vector{uid: fields[0], sig: mustHex(t, fields[2])}
		if fields[1] != "-" {
			v.msg = mustHex(t, fields[1])
		}
		out = append(out, v)
	}
	if len(out) < 8 {
		t.Fatalf("only %d vectors", len(out))
	}
	return out
}

// TestSM2OpenSSL verifies signatures made by OpenSSL 3 (testdata/sm2/gen.sh)
// and refuses corrupted ones, through both paths.
func TestSM2OpenSSL(t *testing.T) {
	pem, err := os.ReadFile(filepath.Join("testdata", "sm2", "pub.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ParsePublicKey(SchemeSM2, pem)
	if err != nil {
		t.Fatal(err)
	}
	var (
		items []Item
		want  []error
	)
	add := func(it Item, w error) {
		items = append(items, it)
		want = append(want, w)
	}
	for _, v := range loadSM2Vectors(t) {
		uid := []byte(v.uid)
		if v.uid == string(defaultSM2UID) {
			add(Item{Key: pk, Msg: v.msg, Sig: v.sig}, nil)
		}
		add(Item{Key: pk, Msg: v.msg, Sig: v.sig, SM2UID: uid}, nil)
		add(Item{Key: pk, Msg: append([]byte("!"), v.msg...), Sig: v.sig, SM2UID: uid}, ErrInvalidSignature)
		add(Item{Key: pk, Msg: v.msg, Sig: v.sig, SM2UID: append([]byte("x"), uid...)}, ErrInvalidSignature)
		bad := append([]byte(nil), v.sig...)
		bad[len(bad)-1] ^= 1
		add(Item{Key: pk, Msg: v.msg, Sig: bad, SM2UID: uid}, ErrInvalidSignature)
		bad = append([]byte(nil), v.sig...)
		bad[1]++ // DER length no longer matches
		add(Item{Key: pk, Msg: v.msg, Sig: bad, SM2UID: uid}, ErrMalformedSignature)
	}
	single := make([]error, len(items))
	for i, it := range items {
		single[i] = Verify(it)
		if single[i] != want[i] {
			t.Errorf("item %d: got %v, want %v", i, single[i], want[i])
		}
	}
	checkBatchAgrees(t, items, single)

	certPEM, err := os.ReadFile(filepath.Join("testdata", "sm2", "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := PublicKeyFromCertificate(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Scheme() != SchemeSM2 || string(ck.Bytes()) != string(pk.Bytes()) {
		t.Fatalf("certificate key %s %x, want the fixture key", ck.Scheme(), ck.Bytes())
	}
}

// vectorLines reads a fixture of one vector a line, each of n fields
// separated by white space.
func vectorLines(t *testing.T, path string, n int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != n {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		out = append(out, fields)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
