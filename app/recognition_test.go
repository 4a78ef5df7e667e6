package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	certskeeper "github.com/baynet/baynet/x/certs/keeper"
	certstypes "github.com/baynet/baynet/x/certs/types"
)

// TestRecognitionThroughBlocks: HK recognises GD:licence for tendering in a
// block; a GD attestation is then recognised in HK until it is revoked, and
// a rule requiring consent asks the wired x/identity, which knows no anchor
// for the subject.
func TestRecognitionThroughBlocks(t *testing.T) {
	chain, c := certsChain(t)
	q := certskeeper.NewQueryServerImpl(chain.App.CertsKeeper)
	hk, gd := c.Authorities["HK"], c.Authorities["GD"]

	res := chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgDeclareRecognition{
		Authority: hk.String(), SourceType: "GD:licence",
		Terms: certstypes.RecognitionTerms{Purposes: []string{"tendering"}, ValidFrom: chain.Time, DataFlow: true},
	}))
	requireOK(t, res.TxResults[0])
	declared := typedEvents[*certstypes.EventRecognitionDeclared](t, res.TxResults[0])
	require.Len(t, declared, 1)
	rule := declared[0].Rule.Id

	res = chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgDeclareRecognition{
		Authority: hk.String(), SourceType: "GD:licence",
		Terms: certstypes.RecognitionTerms{Purposes: []string{"tendering"}, ValidFrom: chain.Time},
	}))
	requireRefused(t, certstypes.ErrOverlappingRecognition, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)

	items := signedItems(chain, c, "rec", 1)
	res = chain.NextBlock(issueTx(t, chain, c, items))
	requireOK(t, res.TxResults[0])
	id := items[0].Payload.ID()
	issued := chain.Time

	ask := func(purpose string, at time.Time) *certstypes.QueryIsRecognisedResponse {
		t.Helper()
		r, err := q.IsRecognised(chain.Context(), &certstypes.QueryIsRecognisedRequest{Id: id, Region: "HK", Purpose: purpose, Time: at})
		require.NoError(t, err)
		return r
	}
	require.Equal(t, &certstypes.QueryIsRecognisedResponse{Recognised: true, RuleId: rule}, ask("tendering", issued))

	res = chain.NextBlock(chain.SignTx(hk, nil, &certstypes.MsgAmendRecognition{
		Authority: hk.String(), Id: rule,
		Terms: certstypes.RecognitionTerms{Purposes: []string{"tendering"}, ValidFrom: issued,
			Conditions: certstypes.RecognitionConditions{ConsentRequired: true}},
	}))
	requireOK(t, res.TxResults[0])
	r := ask("tendering", chain.Time)
	require.False(t, r.Recognised)
	require.Len(t, r.Reasons, 1)
	require.Equal(t, certstypes.ReasonConsentMissing, r.Reasons[0].Code, "x/identity answers the consent condition")

	res = chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRevokeAttestation{Signer: gd.String(), Id: id, Reason: "fraud"}))
	requireOK(t, res.TxResults[0])
	r = ask("tendering", chain.Time)
	require.Equal(t, []string{certstypes.ReasonRevoked, certstypes.ReasonConsentMissing}, []string{r.Reasons[0].Code, r.Reasons[1].Code})
}
