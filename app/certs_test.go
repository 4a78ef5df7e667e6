package app_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/testutil/apptest"
	certskeeper "github.com/baynet/baynet/x/certs/keeper"
	certstypes "github.com/baynet/baynet/x/certs/types"
)

// certsChain is a consortium chain on which GD has registered GD:licence,
// the type its agency GD:agency may issue.
func certsChain(t testing.TB) (*apptest.Chain, *apptest.Consortium) {
	t.Helper()
	chain, c := startConsortium(t)
	gd := c.Authorities["GD"]
	schema := sha256.Sum256([]byte("GD:licence schema"))
	res := chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRegisterCredentialType{
		Authority: gd.String(), TypeId: "GD:licence", NameZh: "执照", NameEn: "Licence", SchemaDigest: schema[:],
	}))
	requireOK(t, res.TxResults[0])
	require.Len(t, typedEvents[*certstypes.EventCredentialTypeRegistered](t, res.TxResults[0]), 1)
	return chain, c
}

// signedItems returns n attestations of GD:agency signed with its
// registered key "sign-1" (its account's secp256k1 key).
func signedItems(chain *apptest.Chain, c *apptest.Consortium, prefix string, n int) []certstypes.SignedAttestation {
	agency := c.Agencies["GD:agency"]
	items := make([]certstypes.SignedAttestation, n)
	for i := range items {
		digest := sha256.Sum256([]byte(fmt.Sprintf("%s file %d", prefix, i)))
		p := certstypes.AttestationPayload{
			ChainId: apptest.ChainID, Type: "GD:licence", LicenceId: fmt.Sprintf("%s-%05d", prefix, i),
			Subject: fmt.Sprintf("did:baynet:%x", digest[:16]), Sha256: digest[:],
			ValidFrom: chain.Time.Add(-time.Hour).Unix(), ValidUntil: chain.Time.AddDate(1, 0, 0).Unix(),
			Issuer: "GD:agency", KeyId: "sign-1",
		}
		sig, err := agency.Key.Sign(p.SignBytes())
		if err != nil {
			panic(err)
		}
		items[i] = certstypes.SignedAttestation{Payload: p, Signature: sig}
	}
	return items
}

// issueTx signs a bulk issuance with the gas the CLI would give it.
func issueTx(t testing.TB, chain *apptest.Chain, c *apptest.Consortium, items []certstypes.SignedAttestation) []byte {
	t.Helper()
	agency := c.Agencies["GD:agency"]
	msg := &certstypes.MsgIssueAttestations{Issuer: agency.String(), Items: items}
	gas := 300_000 + uint64(len(items))*certstypes.DefaultParams().GasPerAttestation + 12*uint64(msg.Size()+1000)
	acc := chain.Account(agency.Address)
	tx, err := apptest.SignTxWithGas(chain.App.TxConfig(), apptest.ChainID, agency.Key, acc.GetAccountNumber(), acc.GetSequence(), gas, nil, msg)
	require.NoError(t, err)
	return tx
}

func typedEvents[T interface{ ProtoMessage() }](t testing.TB, res *abci.ExecTxResult) []T {
	t.Helper()
	var out []T
	for _, ev := range res.Events {
		msg, err := sdk.ParseTypedEvent(ev)
		if err != nil {
			continue
		}
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

// TestCertsThroughBlocks issues a bulk of attestations in a block, refuses a
// bulk with one forged signature without anchoring any of it, then suspends
// and revokes, checking status-at-time answers before and after each change.
func TestCertsThroughBlocks(t *testing.T) {
	chain, c := certsChain(t)
	q := certskeeper.NewQueryServerImpl(chain.App.CertsKeeper)
	agency := c.Agencies["GD:agency"].String()

	items := signedItems(chain, c, "ok", 500)
	tx := issueTx(t, chain, c, items)
	res := chain.NextBlock(tx)
	requireOK(t, res.TxResults[0])
	issuedAt := chain.Time
	require.Less(t, res.TxResults[0].GasUsed, res.TxResults[0].GasWanted)
	t.Logf("500 attestations: %d bytes of transaction, %d gas used of %d", len(tx), res.TxResults[0].GasUsed, res.TxResults[0].GasWanted)
	evs := typedEvents[*certstypes.EventAttestationsIssued](t, res.TxResults[0])
	require.Len(t, evs, 1)
	require.Len(t, evs[0].Ids, 500)
	for i, it := range items {
		require.Equal(t, it.Payload.ID(), evs[0].Ids[i])
	}

	// One forged signature fails the whole message, naming the item.
	bad := signedItems(chain, c, "bad", 100)
	bad[57].Signature[5] ^= 0x01
	res = chain.NextBlock(issueTx(t, chain, c, bad))
	requireRefused(t, certstypes.ErrInvalidSignature, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
	require.Contains(t, res.TxResults[0].Log, "item 57: ")
	anchored, err := q.Anchored(chain.Context(), &certstypes.QueryAnchoredRequest{Ids: []string{bad[0].Payload.ID(), bad[99].Payload.ID()}})
	require.NoError(t, err)
	require.Equal(t, []bool{false, false}, anchored.Anchored, "nothing of the refused message is anchored")

	statusAt := func(id string, at time.Time) certstypes.AttestationStatus {
		t.Helper()
		r, err := q.StatusAt(chain.Context(), &certstypes.QueryStatusAtRequest{Id: id, Time: at})
		require.NoError(t, err)
		return r.Status
	}
	suspendedID, revokedID := evs[0].Ids[10], evs[0].Ids[20]
	res = chain.NextBlock(chain.SignTx(c.Agencies["GD:agency"], nil,
		&certstypes.MsgSuspendAttestation{Signer: agency, Id: suspendedID, Reason: "audit"}))
	requireOK(t, res.TxResults[0])
	suspendedAt := chain.Time
	require.Len(t, typedEvents[*certstypes.EventAttestationStatusChanged](t, res.TxResults[0]), 1)

	gd := c.Authorities["GD"]
	res = chain.NextBlock(chain.SignTx(gd, nil, &certstypes.MsgRevokeAttestation{Signer: gd.String(), Id: revokedID, Reason: "fraud"}))
	requireOK(t, res.TxResults[0])
	revokedAt := chain.Time

	require.Equal(t, certstypes.ATTESTATION_STATUS_ACTIVE, statusAt(suspendedID, issuedAt))
	require.Equal(t, certstypes.ATTESTATION_STATUS_ACTIVE, statusAt(suspendedID, suspendedAt.Add(-time.Millisecond)))
	require.Equal(t, certstypes.ATTESTATION_STATUS_SUSPENDED, statusAt(suspendedID, suspendedAt))
	require.Equal(t, certstypes.ATTESTATION_STATUS_ACTIVE, statusAt(revokedID, revokedAt.Add(-time.Millisecond)))
	require.Equal(t, certstypes.ATTESTATION_STATUS_REVOKED, statusAt(revokedID, revokedAt))
	require.Equal(t, certstypes.ATTESTATION_STATUS_NOT_ANCHORED, statusAt(revokedID, issuedAt.Add(-time.Second)))

	// Reinstating the revoked attestation is refused in the block.
	res = chain.NextBlock(chain.SignTx(c.Agencies["GD:agency"], nil,
		&certstypes.MsgReinstateAttestation{Signer: agency, Id: revokedID}))
	requireRefused(t, certstypes.ErrInvalidTransition, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
}

// TestCertsExportImport: x/certs' state survives export and import byte for
// byte, and the imported chain keeps refusing duplicates.
func TestCertsExportImport(t *testing.T) {
	chain, c := certsChain(t)
	items := signedItems(chain, c, "exp", 40)
	requireOK(t, chain.NextBlock(issueTx(t, chain, c, items)).TxResults[0])
	agency := c.Agencies["GD:agency"]
	requireOK(t, chain.NextBlock(chain.SignTx(agency, nil,
		&certstypes.MsgSuspendAttestation{Signer: agency.String(), Id: items[3].Payload.ID(), Reason: "audit"})).TxResults[0])

	exported, err := chain.App.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &state))
	var gs certstypes.GenesisState
	require.NoError(t, chain.App.AppCodec().UnmarshalJSON(state[certstypes.ModuleName], &gs))
	require.Len(t, gs.Attestations, 40)

	imported, _ := apptest.Start(t, apptest.InitChainFromExport(exported, chain.Time.Add(time.Minute)))
	require.Equal(t, storeContents(t, chain)[certstypes.StoreKey], storeContents(t, imported)[certstypes.StoreKey])
	res := imported.NextBlock(issueTx(t, imported, c, items[:1]))
	requireRefused(t, certstypes.ErrDuplicateAttestation, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
}
