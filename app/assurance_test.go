package app_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	bcrypto "github.com/baynet/baynet/crypto"
	certskeeper "github.com/baynet/baynet/x/certs/keeper"
	certstypes "github.com/baynet/baynet/x/certs/types"
	identitytypes "github.com/baynet/baynet/x/identity/types"
)

// TestRecognitionAssuranceThroughIdentity: a rule asking a level of
// assurance is answered by x/identity's links. A GD licence whose subject
// GD:idp linked at level 3 is recognised in HK under a rule asking 3, not
// under one asking 4, and no longer once the provider removes the link.
func TestRecognitionAssuranceThroughIdentity(t *testing.T) {
	chain, c := identityChain(t)
	gd, hk := c.Authorities["GD"], c.Authorities["HK"]
	schema := sha256.Sum256([]byte("GD:licence schema"))
	res := chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRegisterCredentialType{
		Authority: gd.String(), TypeId: "GD:licence", NameZh: "执照", NameEn: "Licence", SchemaDigest: schema[:],
	}))
	requireOK(t, res.TxResults[0])

	// The holder's anchor, relayed by GD:agency, linked by GD:idp at level 3.
	relayer, idp := c.Agencies["GD:agency"], c.Agencies["GD:idp"]
	holder, anchor, create := anchorCreation(t, relayer, bcrypto.SchemeEd25519, identitytypes.KEY_PURPOSE_AUTHENTICATION)
	res = chain.NextBlock(chain.SignTx(relayer, nil, create))
	requireOK(t, res.TxResults[0])
	commitment := linkAnchor(t, chain, idp, holder, "key-1", anchor, 0, "44030119900101123X")

	items := signedItems(chain, c, "loa", 1)
	items[0].Payload.Subject = anchor
	sig, err := c.Agencies["GD:agency"].Key.Sign(items[0].Payload.SignBytes())
	require.NoError(t, err)
	items[0].Signature = sig
	res = chain.NextBlock(issueTx(t, chain, c, items))
	requireOK(t, res.TxResults[0])
	id := items[0].Payload.ID()

	terms := func(level uint32) certstypes.RecognitionTerms {
		return certstypes.RecognitionTerms{Purposes: []string{"tendering"}, ValidFrom: chain.Time.Add(-time.Hour),
			Conditions: certstypes.RecognitionConditions{MinLevelOfAssurance: level}}
	}
	res = chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgDeclareRecognition{Authority: hk.String(), SourceType: "GD:licence", Terms: terms(4)}))
	requireOK(t, res.TxResults[0])
	rule := typedEvents[*certstypes.EventRecognitionDeclared](t, res.TxResults[0])[0].Rule.Id

	q := certskeeper.NewQueryServerImpl(chain.App.CertsKeeper)
	ask := func() *certstypes.QueryIsRecognisedResponse {
		t.Helper()
		r, err := q.IsRecognised(chain.Context(), &certstypes.QueryIsRecognisedRequest{Id: id, Region: "HK", Purpose: "tendering", Time: chain.Time})
		require.NoError(t, err)
		return r
	}
	r := ask()
	require.False(t, r.Recognised)
	require.Len(t, r.Reasons, 1)
	require.Equal(t, certstypes.ReasonAssuranceTooLow, r.Reasons[0].Code)
	require.Contains(t, r.Reasons[0].Detail, "level of assurance 4 is required, the subject has 3: link by GD:idp")

	res = chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgAmendRecognition{Authority: hk.String(), Id: rule, Terms: terms(3)}))
	requireOK(t, res.TxResults[0])
	require.Equal(t, &certstypes.QueryIsRecognisedResponse{Recognised: true, RuleId: rule}, ask())

	res = chain.NextBlock(chain.SignTx(idp, nil, &identitytypes.MsgUnlinkIdentity{Idp: idp.String(), Commitment: commitment, Reason: "identity document revoked"}))
	requireOK(t, res.TxResults[0])
	r = ask()
	require.False(t, r.Recognised)
	require.Equal(t, certstypes.ReasonAssuranceTooLow, r.Reasons[0].Code)
	require.Contains(t, r.Reasons[0].Detail, "holds no region identity link")
}
