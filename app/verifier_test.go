package app_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/testutil/apptest"
	"github.com/baynet/baynet/verifier"
	certskeeper "github.com/baynet/baynet/x/certs/keeper"
	certstypes "github.com/baynet/baynet/x/certs/types"
	identitytypes "github.com/baynet/baynet/x/identity/types"
)

// committedReader proves store keys from the chain's last committed state,
// as a node's abci_query does, and checks each proof against that state's
// app hash, as a verifier does against header H+1.
func committedReader(t *testing.T, chain *apptest.Chain) verifier.Reader {
	type querier interface {
		Query(*storetypes.RequestQuery) (*storetypes.ResponseQuery, error)
		LastCommitID() storetypes.CommitID
	}
	cms, ok := chain.App.CommitMultiStore().(querier)
	require.True(t, ok, "the app's multistore answers proven queries")
	return func(store string, key []byte) (verifier.ProvenValue, error) {
		res, err := cms.Query(&storetypes.RequestQuery{Path: "/" + store + "/key", Data: key, Height: chain.Height, Prove: true})
		if err != nil {
			return verifier.ProvenValue{}, err
		}
		v := verifier.ProvenValue{Store: store, Key: key, Value: res.Value, Absent: len(res.Value) == 0, Height: chain.Height, Proof: res.ProofOps}
		require.NoError(t, v.Verify(cms.LastCommitID().Hash), "proof of %s/%X", store, key)
		return v, nil
	}
}

// TestVerifierDecidesAsTheChain: a verifier deciding recognition from
// values proven against the app hash gives the chain's own IsRecognised
// answer — through a rule's earlier version, the issuer's roles, the
// holder's consent and level of assurance, a revocation — and the values
// it read are enough to decide again offline.
func TestVerifierDecidesAsTheChain(t *testing.T) {
	chain, c := identityChain(t)
	gd, hk := c.Authorities["GD"], c.Authorities["HK"]
	schema := sha256.Sum256([]byte("GD:licence schema"))
	requireOK(t, chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRegisterCredentialType{
		Authority: gd.String(), TypeId: "GD:licence", NameZh: "执照", NameEn: "Licence", SchemaDigest: schema[:],
	})).TxResults[0])

	relayer, idp := c.Agencies["GD:agency"], c.Agencies["GD:idp"]
	holder, anchor, create := anchorCreation(t, relayer, bcrypto.SchemeEd25519, identitytypes.KEY_PURPOSE_AUTHENTICATION)
	requireOK(t, chain.NextBlock(chain.SignTx(relayer, nil, create)).TxResults[0])
	linkAnchor(t, chain, idp, holder, "key-1", anchor, 0, "44030119900101123X")

	items := signedItems(chain, c, "verify", 1)
	items[0].Payload.Subject = anchor
	sig, err := c.Agencies["GD:agency"].Key.Sign(items[0].Payload.SignBytes())
	require.NoError(t, err)
	items[0].Signature = sig
	requireOK(t, chain.NextBlock(issueTx(t, chain, c, items)).TxResults[0])
	id := items[0].Payload.ID()
	issued := chain.Time

	declared := chain.Time
	requireOK(t, chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgDeclareRecognition{Authority: hk.String(), SourceType: "GD:licence",
		Terms: certstypes.RecognitionTerms{Purposes: []string{"tendering"}, ValidFrom: issued.Add(-time.Hour)}})).TxResults[0])
	strict := certstypes.RecognitionTerms{Purposes: []string{"tendering", "e-seal"}, ValidFrom: issued.Add(-time.Hour),
		Conditions: certstypes.RecognitionConditions{ConsentRequired: true, MinLevelOfAssurance: 3, IssuerRoles: []string{"AGENCY_ROLE_ISSUER"}}}
	requireOK(t, chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgAmendRecognition{Authority: hk.String(), Id: 1, Terms: strict})).TxResults[0])
	until := chain.Time.Add(30 * 24 * time.Hour)
	requireOK(t, chain.NextBlock(chain.SignTx(relayer, nil, holderOp(t, relayer, holder, "key-1", anchor, 1, &identitytypes.HolderOperation{
		Op: &identitytypes.HolderOperation_GrantConsent{GrantConsent: &identitytypes.GrantConsent{
			Verifier: "HK", Purpose: "tendering", CredentialTypes: []string{"GD:licence"}, ValidUntil: &until}},
	}))).TxResults[0])

	q := certskeeper.NewQueryServerImpl(chain.App.CertsKeeper)
	same := func(region, purpose string, at time.Time) verifier.RecognitionVerdict {
		t.Helper()
		want, err := q.IsRecognised(chain.Context(), &certstypes.QueryIsRecognisedRequest{Id: id, Region: region, Purpose: purpose, Time: at})
		require.NoError(t, err)
		idBytes, err := certstypes.ParseID(id)
		require.NoError(t, err)
		got, values, err := verifier.DecideRecognitionFrom(committedReader(t, chain), idBytes, region, purpose, at)
		require.NoError(t, err)
		require.Equal(t, want.Recognised, got.Recognised, "%s %s at %s: %+v", region, purpose, at, got)
		require.Equal(t, want.RuleId, got.RuleID)
		require.Equal(t, len(want.Reasons), len(got.Reasons))
		for i := range want.Reasons {
			require.Equal(t, want.Reasons[i], got.Reasons[i])
		}
		offline, err := verifier.DecideRecognition(idBytes, region, purpose, at, values)
		require.NoError(t, err)
		require.Equal(t, got, offline, "the values read decide again offline")
		return got
	}
	require.True(t, same("HK", "tendering", declared).Recognised, "version 1 asked for nothing")
	now := chain.Time
	require.True(t, same("HK", "tendering", now).Recognised, "consent, level 3 and the issuer role hold")
	require.Equal(t, certstypes.ReasonConsentMissing, same("HK", "e-seal", now).Reasons[0].Code, "no consent for e-seal")
	require.Equal(t, certstypes.ReasonTypeNotRecognised, same("MO", "tendering", now).Reasons[0].Code)
	require.True(t, same("GD", "tendering", now).Recognised, "a region's own type")

	requireOK(t, chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRevokeAttestation{Signer: gd.String(), Id: id, Reason: "fraud"})).TxResults[0])
	require.Equal(t, certstypes.ReasonRevoked, same("HK", "tendering", chain.Time).Reasons[0].Code)
	require.True(t, same("HK", "tendering", now).Recognised, "the past answer stands")
}
