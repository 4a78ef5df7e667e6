package app_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	certskeeper "github.com/baynet/baynet/x/certs/keeper"
	certstypes "github.com/baynet/baynet/x/certs/types"
)

// TestCATrustListThroughBlocks: a Macao-like CA registered by HK verifies a
// leaf for tendering in GD once GD recognises it, and stops when HK posts
// the leaf's serial as revoked.
func TestCATrustListThroughBlocks(t *testing.T) {
	chain, c := startConsortium(t)
	q := certskeeper.NewQueryServerImpl(chain.App.CertsKeeper)
	hk, gd := c.Authorities["HK"], c.Authorities["GD"]

	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "HK test root"},
		NotBefore: chain.Time.AddDate(-1, 0, 0), NotAfter: chain.Time.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	require.NoError(t, err)
	root, err := x509.ParseCertificate(rootDER)
	require.NoError(t, err)
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(77), Subject: pkix.Name{CommonName: "bidder"},
		NotBefore: chain.Time.AddDate(0, -1, 0), NotAfter: chain.Time.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, root, leafKey.Public(), rootKey)
	require.NoError(t, err)
	sum := sha256.Sum256(rootDER)
	fp := hex.EncodeToString(sum[:])

	res := chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgRegisterCA{Authority: hk.String(), Certificate: rootDER}))
	requireOK(t, res.TxResults[0])
	require.Len(t, typedEvents[*certstypes.EventCARegistered](t, res.TxResults[0]), 1)

	verify := func() *certstypes.QueryVerifyCertificateResponse {
		t.Helper()
		r, err := q.VerifyCertificate(chain.Context(), &certstypes.QueryVerifyCertificateRequest{
			Leaf: leafDER, Region: "GD", Purpose: "tendering", Time: chain.Time,
		})
		require.NoError(t, err)
		return r
	}
	require.False(t, verify().Verified, "GD does not trust HK's CA yet")

	res = chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRecogniseCA{Authority: gd.String(), Ca: fp, Purposes: []string{"tendering"}}))
	requireOK(t, res.TxResults[0])
	r := verify()
	require.True(t, r.Verified, "%v", r.Reasons)

	revokedAt := chain.Time
	res = chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgRevokeCertificate{
		Authority: hk.String(), Ca: fp, Serial: "77", RevokedAt: revokedAt, Reason: "key compromise",
	}))
	requireOK(t, res.TxResults[0])
	r = verify()
	require.False(t, r.Verified)
	require.Len(t, r.Reasons, 1)
	require.Equal(t, "revoked", r.Reasons[0].Name)
}
