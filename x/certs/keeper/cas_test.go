package keeper_test

import (
	gocrypto "crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/pki"
	"github.com/baynet/baynet/x/certs/keeper"
	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

var (
	certSerials atomic.Int64
	rsaOnce     sync.Once
	rsaKey      *rsa.PrivateKey
)

// certKey returns a fresh key of alg ("p256", "sm2") or the one RSA key of
// the test binary ("rsa"), generated once because RSA generation is slow.
func certKey(t testing.TB, alg string) gocrypto.Signer {
	t.Helper()
	var (
		k   gocrypto.Signer
		err error
	)
	switch alg {
	case "rsa":
		rsaOnce.Do(func() { rsaKey, err = rsa.GenerateKey(rand.Reader, 2048) })
		k = rsaKey
	case "p256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "sm2":
		k, err = sm2.GenerateKey(rand.Reader)
	}
	require.NoError(t, err)
	return k
}

// issued is a generated certificate with its private key.
type issued struct {
	der  []byte
	cert *x509.Certificate
	key  gocrypto.Signer
}

func (i *issued) fingerprint() string { return pki.Fingerprint(sha256Sum(i.der)).String() }

// mint signs tmpl for key by parent (self-signed when nil), with smx509 when
// an SM2 key is involved.
func mint(t testing.TB, tmpl *x509.Certificate, key gocrypto.Signer, parent *issued) *issued {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(5000 + certSerials.Add(1))
	}
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	create := x509.CreateCertificate
	_, sm2Key := key.(*sm2.PrivateKey)
	_, sm2Signer := signer.(*sm2.PrivateKey)
	if sm2Key || sm2Signer {
		create = smx509.CreateCertificate
	}
	der, err := create(rand.Reader, tmpl, parentCert, key.Public(), signer)
	require.NoError(t, err)
	sc, err := smx509.ParseCertificate(der)
	require.NoError(t, err)
	return &issued{der: der, cert: sc.ToX509(), key: key}
}

func caTemplate(name string, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: name, Organization: []string{"baynet test"}}, NotBefore: t0.AddDate(-1, 0, 0), NotAfter: notAfter,
		IsCA: true, BasicConstraintsValid: true, MaxPathLen: -1, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

func leafTemplate(name string) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: name, Organization: []string{"baynet test"}}, NotBefore: t0.AddDate(0, -1, 0), NotAfter: t0.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection},
	}
}

// testChain is a generated root -> intermediate -> leaf.
type testChain struct{ root, inter, leaf *issued }

func newTestChain(t testing.TB, alg string) testChain {
	t.Helper()
	root := mint(t, caTemplate("Root "+alg, t0.AddDate(10, 0, 0)), certKey(t, alg), nil)
	inter := mint(t, caTemplate("Intermediate "+alg, t0.AddDate(5, 0, 0)), certKey(t, alg), root)
	leaf := mint(t, leafTemplate("Leaf "+alg), certKey(t, alg), inter)
	return testChain{root: root, inter: inter, leaf: leaf}
}

func registerCAMsg(region string, der []byte, parent string) *types.MsgRegisterCA {
	return &types.MsgRegisterCA{Authority: authority(region), Certificate: der, Parent: parent}
}

// registerChain registers c's root and intermediate as region's CAs.
func (f *fixture) registerChain(region string, c testChain) {
	f.t.Helper()
	_, err := f.ms.RegisterCA(f.ctx, registerCAMsg(region, c.root.der, ""))
	require.NoError(f.t, err)
	_, err = f.ms.RegisterCA(f.ctx, registerCAMsg(region, c.inter.der, c.root.fingerprint()))
	require.NoError(f.t, err)
	f.resetEvents()
}

func pemOf(der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}) }

func TestRegisterCA(t *testing.T) {
	for _, alg := range []string{"rsa", "p256", "sm2"} {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t)
			c := newTestChain(t, alg)
			res, err := f.ms.RegisterCA(f.ctx, registerCAMsg("GD", pemOf(c.root.der), ""))
			require.NoError(t, err, "a PEM root")
			require.Equal(t, c.root.fingerprint(), res.Fingerprint)
			res, err = f.ms.RegisterCA(f.ctx, registerCAMsg("GD", c.inter.der, c.root.fingerprint()))
			require.NoError(t, err, "a DER intermediate")
			require.Equal(t, []*types.EventCARegistered{
				{Fingerprint: c.root.fingerprint(), Region: "GD", Subject: "CN=Root " + alg + ",O=baynet test"},
				{Fingerprint: c.inter.fingerprint(), Region: "GD", Subject: "CN=Intermediate " + alg + ",O=baynet test", Parent: c.root.fingerprint()},
			}, events[*types.EventCARegistered](t, f.ctx))

			got, err := f.qs.CA(f.ctx, &types.QueryCARequest{Fingerprint: res.Fingerprint})
			require.NoError(t, err)
			ca := got.Ca
			require.Equal(t, "GD", ca.Region)
			require.Equal(t, c.inter.der, ca.Der)
			require.Equal(t, map[string]string{"rsa": "rsa", "p256": "ecdsa-p256", "sm2": "sm2"}[alg], ca.KeyAlgorithm)
			require.Equal(t, c.inter.cert.SerialNumber.String(), ca.Serial)
			require.Equal(t, c.inter.cert.NotAfter.UTC(), ca.NotAfter)
			require.Equal(t, c.inter.cert.SubjectKeyId, ca.SubjectKeyId)
			require.Equal(t, c.root.cert.SubjectKeyId, ca.AuthorityKeyId)
			require.Equal(t, c.root.fingerprint(), ca.Parent)
			require.Equal(t, t0, ca.RegisteredAt)
		})
	}
}

// TestRegisterRealRoots: the public roots committed with pki register —
// RSA with SHA-256/384/512, ECDSA P-384 signed with SHA-256, SM2 — and a
// SHA-1 root registers with a note that its self-signature was not
// verified.
func TestRegisterRealRoots(t *testing.T) {
	f := newFixture(t)
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "pki", "testdata", "roots", "*.pem"))
	require.NoError(t, err)
	require.Len(t, files, 7)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		fp, err := f.ms.RegisterCA(f.ctx, registerCAMsg("GD", data, ""))
		require.NoError(t, err, file)
		ca, err := f.qs.CA(f.ctx, &types.QueryCARequest{Fingerprint: fp.Fingerprint})
		require.NoError(t, err)
		if filepath.Base(file) == "DigiCert_Global_Root_CA.pem" {
			require.Contains(t, ca.Ca.SelfSignatureNote, "SHA-1", file)
		} else {
			require.Empty(t, ca.Ca.SelfSignatureNote, file)
		}
	}
}

// TestRegisterCACap: a region registers at most MaxCAsPerRegion CAs.
func TestRegisterCACap(t *testing.T) {
	f := newFixture(t)
	for i := range types.MaxCAsPerRegion - 1 {
		fp := sha256Sum([]byte(fmt.Sprintf("CA %d", i)))
		require.NoError(t, f.k.CAsByRegion.Set(f.ctx, collections.Join("HK", fp[:])))
	}
	c := newTestChain(t, "p256")
	_, err := f.ms.RegisterCA(f.ctx, registerCAMsg("HK", c.root.der, ""))
	require.NoError(t, err, "the 256th")
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.RegisterCA(ctx, registerCAMsg("HK", c.inter.der, c.root.fingerprint()))
		return err
	}, types.ErrInvalidRequest, "HK already has 256 registered CAs")
	_, err = f.ms.RegisterCA(f.ctx, registerCAMsg("GD", newTestChain(t, "p256").root.der, ""))
	require.NoError(t, err, "another region's list is its own")
}

func TestRegisterCARefused(t *testing.T) {
	c := newTestChain(t, "p256")
	expired := mint(t, caTemplate("Expired root", t0.Add(-time.Hour)), certKey(t, "p256"), nil)
	critical := caTemplate("Critical root", t0.AddDate(1, 0, 0))
	critical.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4, 5}, Critical: true, Value: []byte{5, 0}}}
	unknownCritical := mint(t, critical, certKey(t, "p256"), nil)
	big := make([]byte, types.DefaultParams().MaxCertificateSize+1)
	copy(big, c.root.der)
	other := newTestChain(t, "p256")

	cases := []struct {
		name    string
		setup   func(f *fixture)
		msg     *types.MsgRegisterCA
		want    error
		wantMsg string
	}{
		{"not a region authority", nil, &types.MsgRegisterCA{Authority: bech("agency/GD:amr"), Certificate: c.root.der}, regionstypes.ErrNotRegionAuthority, ""},
		{"garbage DER", nil, registerCAMsg("GD", []byte{0x30, 0x03, 1, 2, 3}, ""), types.ErrInvalidCA, ""},
		{"garbage PEM", nil, registerCAMsg("GD", []byte("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"), ""), types.ErrInvalidCA, ""},
		{"oversized", nil, registerCAMsg("GD", big, ""), types.ErrInvalidCA, ""},
		{"leaf as CA", func(f *fixture) { f.registerChain("GD", c) }, registerCAMsg("GD", c.leaf.der, c.inter.fingerprint()), types.ErrInvalidCA, "not a CA"},
		{"intermediate without its root", nil, registerCAMsg("GD", c.inter.der, ""), types.ErrInvalidCA, "no path"},
		{"intermediate under an unregistered parent", nil, registerCAMsg("GD", c.inter.der, c.root.fingerprint()), types.ErrUnknownCA, ""},
		{"intermediate under another parent", func(f *fixture) {
			_, err := f.ms.RegisterCA(f.ctx, registerCAMsg("GD", other.root.der, ""))
			require.NoError(f.t, err)
		}, registerCAMsg("GD", c.inter.der, other.root.fingerprint()), types.ErrInvalidCA, ""},
		{"parent of another region", func(f *fixture) {
			_, err := f.ms.RegisterCA(f.ctx, registerCAMsg("HK", c.root.der, ""))
			require.NoError(f.t, err)
		}, registerCAMsg("GD", c.inter.der, c.root.fingerprint()), types.ErrInvalidCA, "is a CA of HK, not of GD"},
		{"malformed parent", nil, registerCAMsg("GD", c.inter.der, "abc"), types.ErrInvalidRequest, "fingerprint"},
		{"expired CA", nil, registerCAMsg("GD", expired.der, ""), types.ErrInvalidCA, "expired"},
		{"unknown critical extension", nil, registerCAMsg("GD", unknownCritical.der, ""), types.ErrInvalidCA, "critical"},
		{"duplicate", func(f *fixture) { f.registerChain("GD", c) }, registerCAMsg("HK", c.root.der, ""), types.ErrDuplicateCA, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.RegisterCA(ctx, tc.msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func recogniseMsg(region, ca string, purposes ...string) *types.MsgRecogniseCA {
	return &types.MsgRecogniseCA{Authority: authority(region), Ca: ca, Purposes: purposes}
}

func TestRecogniseCARefused(t *testing.T) {
	c := newTestChain(t, "p256")
	cases := []struct {
		name    string
		setup   func(f *fixture)
		msg     *types.MsgRecogniseCA
		want    error
		wantMsg string
	}{
		{"CA not registered", nil, recogniseMsg("GD", newTestChain(t, "p256").root.fingerprint(), "tendering"), types.ErrUnknownCA, ""},
		{"own CA", nil, recogniseMsg("HK", c.root.fingerprint(), "tendering"), types.ErrInvalidCARecognition, "itself"},
		{"unknown purpose", nil, recogniseMsg("GD", c.root.fingerprint(), "banking"), types.ErrInvalidCARecognition, "unknown purpose"},
		{"no purpose", nil, recogniseMsg("GD", c.root.fingerprint()), types.ErrInvalidCARecognition, "purpose"},
		{"malformed policy", nil, &types.MsgRecogniseCA{Authority: authority("GD"), Ca: c.root.fingerprint(), Purposes: []string{"tendering"},
			Policies: []string{"1.2.x"}}, types.ErrInvalidCARecognition, "policy"},
		{"already recognised", func(f *fixture) {
			_, err := f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", c.root.fingerprint(), "e-seal"))
			require.NoError(f.t, err)
		}, recogniseMsg("GD", c.root.fingerprint(), "tendering"), types.ErrInvalidCARecognition, "withdraw it first"},
		{"not an authority", nil, &types.MsgRecogniseCA{Authority: bech("agency/GD:amr"), Ca: c.root.fingerprint(), Purposes: []string{"tendering"}},
			regionstypes.ErrNotRegionAuthority, ""},
		{"trust list full", func(f *fixture) {
			// Stand-ins for MaxCARecognitionsPerRegion earlier recognitions:
			// the cap counts the region's records.
			for i := range types.MaxCARecognitionsPerRegion {
				fp := sha256Sum([]byte(fmt.Sprintf("CA %d", i)))
				require.NoError(f.t, f.k.CARecognitions.Set(f.ctx, collections.Join("GD", fp[:]), types.CARecognition{Region: "GD"}))
			}
		}, recogniseMsg("GD", c.root.fingerprint(), "tendering"), types.ErrInvalidRequest, "GD already has 256 recognised CAs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.registerChain("HK", c)
			if tc.setup != nil {
				tc.setup(f)
			}
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.RecogniseCA(ctx, tc.msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func revokeCertMsg(region, ca string, serial *big.Int, at time.Time) *types.MsgRevokeCertificate {
	return &types.MsgRevokeCertificate{Authority: authority(region), Ca: ca, Serial: serial.String(), RevokedAt: at, Reason: "key compromise"}
}

func TestRevokeCertificateRefused(t *testing.T) {
	c := newTestChain(t, "p256")
	serial := c.leaf.cert.SerialNumber
	cases := []struct {
		name    string
		setup   func(f *fixture)
		msg     *types.MsgRevokeCertificate
		want    error
		wantMsg string
	}{
		{"another region's CA", nil, revokeCertMsg("GD", c.inter.fingerprint(), serial, t0), regionstypes.ErrNotRegionAuthority, "is of HK"},
		{"unknown CA", nil, revokeCertMsg("HK", c.leaf.fingerprint(), serial, t0), types.ErrUnknownCA, ""},
		{"in the future", nil, revokeCertMsg("HK", c.inter.fingerprint(), serial, t0.Add(time.Second)), types.ErrInvalidRequest, "revoked_at"},
		{"zero serial", nil, revokeCertMsg("HK", c.inter.fingerprint(), big.NewInt(0), t0), types.ErrInvalidRequest, "serial"},
		{"twice", func(f *fixture) {
			_, err := f.ms.RevokeCertificate(f.ctx, revokeCertMsg("HK", c.inter.fingerprint(), serial, t0))
			require.NoError(f.t, err)
		}, revokeCertMsg("HK", c.inter.fingerprint(), serial, t0), types.ErrDuplicateRevocation, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.registerChain("HK", c)
			if tc.setup != nil {
				tc.setup(f)
			}
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.RevokeCertificate(ctx, tc.msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func (f *fixture) verify(c testChain, region, purpose string, at time.Time) *types.QueryVerifyCertificateResponse {
	f.t.Helper()
	res, err := f.qs.VerifyCertificate(f.ctx, &types.QueryVerifyCertificateRequest{
		Leaf: c.leaf.der, Intermediates: [][]byte{c.inter.der}, Region: region, Purpose: purpose, Time: at,
	})
	require.NoError(f.t, err)
	return res
}

func reasonNames(res *types.QueryVerifyCertificateResponse) []string {
	var out []string
	for _, r := range res.Reasons {
		out = append(out, r.Name)
	}
	return out
}

// TestVerifyCertificate walks the story: a Macao-like CA of HK
// verifies for tendering in GD once GD recognises it, and stops verifying
// when its leaf's serial is revoked or the recognition withdrawn.
func TestVerifyCertificate(t *testing.T) {
	for _, alg := range []string{"p256", "sm2", "rsa"} {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t)
			c := newTestChain(t, alg)
			f.registerChain("HK", c)
			at := t0.Add(time.Minute)

			own := f.verify(c, "HK", "tendering", at)
			require.True(t, own.Verified, "a region trusts its own CAs: %v", own.Reasons)
			require.Equal(t, []string{c.leaf.fingerprint(), c.inter.fingerprint(), c.root.fingerprint()}, own.Path)

			res := f.verify(c, "GD", "tendering", at)
			require.False(t, res.Verified)
			require.Equal(t, []string{"no path to a trusted CA"}, reasonNames(res))

			_, err := f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", c.root.fingerprint(), "tendering"))
			require.NoError(t, err)
			require.Len(t, events[*types.EventCARecognised](t, f.ctx), 1)
			res = f.verify(c, "GD", "tendering", at)
			require.True(t, res.Verified, "%v", res.Reasons)
			require.True(t, res.Trusted)
			require.False(t, f.verify(c, "GD", "e-seal", at).Verified, "recognised for tendering only")
			require.False(t, f.verify(c, "GD", "tendering", t0.Add(-time.Minute)).Verified, "not before the recognition")

			f.advance(time.Hour)
			_, err = f.ms.RevokeCertificate(f.ctx, revokeCertMsg("HK", c.inter.fingerprint(), c.leaf.cert.SerialNumber, t0.Add(30*time.Minute)))
			require.NoError(t, err)
			require.Len(t, events[*types.EventCertificateRevoked](t, f.ctx), 1)
			require.Equal(t, []string{"revoked"}, reasonNames(f.verify(c, "GD", "tendering", t0.Add(31*time.Minute))))
			require.True(t, f.verify(c, "GD", "tendering", t0.Add(29*time.Minute)).Verified, "valid before the revocation took effect")

			_, err = f.ms.WithdrawCARecognition(f.ctx, &types.MsgWithdrawCARecognition{Authority: authority("GD"), Ca: c.root.fingerprint()})
			require.NoError(t, err)
			require.Len(t, events[*types.EventCARecognitionWithdrawn](t, f.ctx), 1)
			require.Equal(t, []string{"no path to a trusted CA", "revoked"}, reasonNames(f.verify(c, "GD", "tendering", f.ctx.BlockTime())), "every reason")
			require.True(t, f.verify(c, "GD", "tendering", t0.Add(29*time.Minute)).Verified, "the past answer stands")
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.WithdrawCARecognition(ctx, &types.MsgWithdrawCARecognition{Authority: authority("GD"), Ca: c.root.fingerprint()})
				return err
			}, types.ErrInvalidCARecognition, "does not recognise")
			_, err = f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", c.root.fingerprint(), "tendering"))
			require.NoError(t, err, "a withdrawn recognition may be replaced")
		})
	}
}

func TestVerifyCertificatePoliciesAndCaps(t *testing.T) {
	f := newFixture(t)
	c := newTestChain(t, "p256")
	f.registerChain("HK", c)
	_, err := f.ms.RecogniseCA(f.ctx, &types.MsgRecogniseCA{
		Authority: authority("GD"), Ca: c.inter.fingerprint(), Purposes: []string{"tendering"}, Policies: []string{"1.2.156.112559.1.1.1"},
	})
	require.NoError(t, err)
	res := f.verify(c, "GD", "tendering", t0)
	require.Equal(t, []string{"required policy missing"}, reasonNames(res), "the recognition's policies are required")

	many := make([][]byte, types.DefaultParams().MaxIntermediates+1)
	for i := range many {
		many[i] = c.inter.der
	}
	res, err = f.qs.VerifyCertificate(f.ctx, &types.QueryVerifyCertificateRequest{Leaf: c.leaf.der, Intermediates: many, Region: "HK", Purpose: "tendering", Time: t0})
	require.NoError(t, err)
	require.Equal(t, []string{"too many intermediates"}, reasonNames(res))
	res, err = f.qs.VerifyCertificate(f.ctx, &types.QueryVerifyCertificateRequest{Leaf: []byte("garbage"), Region: "HK", Purpose: "tendering", Time: t0})
	require.NoError(t, err)
	require.Equal(t, []string{"malformed certificate"}, reasonNames(res))
	_, err = f.qs.VerifyCertificate(f.ctx, &types.QueryVerifyCertificateRequest{Leaf: c.leaf.der, Region: "MO", Purpose: "tendering", Time: t0})
	require.Equal(t, codes.NotFound, status.Code(err))
}

// TestCAGenesisRoundTrip: CAs, recognitions and revocations export and
// import to the same store.
func TestCAGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	c := newTestChain(t, "sm2")
	f.registerChain("HK", c)
	_, err := f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", c.root.fingerprint(), "tendering", "e-seal"))
	require.NoError(t, err)
	_, err = f.ms.RevokeCertificate(f.ctx, revokeCertMsg("HK", c.inter.fingerprint(), c.leaf.cert.SerialNumber, t0))
	require.NoError(t, err)
	gs := f.export()
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Cas, 2)
	require.Len(t, gs.CaRecognitions, 1)
	require.Len(t, gs.CertificateRevocations, 1)
	g := newFixtureWith(t, newRegions(), *gs, nil)
	require.Equal(t, f.raw(), g.raw())
	require.Equal(t, gs, g.export())
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

// TestParseCacheChangesNoAnswer: verification with the parse cache, warm or
// cold, answers exactly as parsing every stored CA each time does.
func TestParseCacheChangesNoAnswer(t *testing.T) {
	cached := newFixture(t)
	uncached := newFixtureWith(t, newRegions(), testGenesis(), func(k *keeper.Keeper) { keeper.ParseCAsEveryTime(k) })
	c := newTestChain(t, "p256")
	req := trustListFixture(t, cached, c)
	trustListFixture(t, uncached, c)
	for _, region := range []string{"GD", "HK", "MO"} {
		r := *req
		r.Region = region
		for range 2 { // cold, then warm
			got, errC := cached.qs.VerifyCertificate(cached.ctx, &r)
			want, errU := uncached.qs.VerifyCertificate(uncached.ctx, &r)
			require.Equal(t, errU, errC)
			require.Equal(t, want, got)
		}
	}
	// A revoked serial changes both alike.
	for _, f := range []*fixture{cached, uncached} {
		_, err := f.ms.RevokeCertificate(f.ctx, revokeCertMsg("HK", c.inter.fingerprint(), c.leaf.cert.SerialNumber, t0))
		require.NoError(t, err)
	}
	got, _ := cached.qs.VerifyCertificate(cached.ctx, req)
	want, _ := uncached.qs.VerifyCertificate(uncached.ctx, req)
	require.Equal(t, want, got)
	require.False(t, got.Verified)
}
