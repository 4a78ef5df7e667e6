package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/testutil/apptest"
	identitykeeper "github.com/baynet/baynet/x/identity/keeper"
	identitytypes "github.com/baynet/baynet/x/identity/types"
)

// TestRecoveryThroughBlocks runs key recovery through FinalizeBlock. Anchor
// A, linked by GD:idp, loses its keys: GD:idp starts a recovery with a new
// key, completing it a second before the waiting period ends is refused and
// changes nothing, completing it when the period ends revokes the old keys
// and the new key signs for the anchor. Anchor B, also linked, cancels the
// recovery started on it with a surviving assertion-only key, and
// completing it after the period is refused.
func TestRecoveryThroughBlocks(t *testing.T) {
	chain, c := identityChain(t)
	relayer, idp, other := c.Agencies["GD:agency"], c.Agencies["GD:idp"], c.Agencies["HK:agency"]
	k := chain.App.IdentityKeeper
	q := identitykeeper.NewQueryServerImpl(k)
	both := []identitytypes.KeyPurpose{identitytypes.KEY_PURPOSE_AUTHENTICATION, identitytypes.KEY_PURPOSE_ASSERTION}

	// Anchor A: key-1 and phone, both authenticate; linked at sequence 1.
	holderA, anchorA, create := anchorCreation(t, relayer, bcrypto.SchemeSM2, both...)
	requireOK(t, chain.NextBlock(chain.SignTx(relayer, nil, create)).TxResults[0])
	addKey(t, chain, relayer, holderA, "key-1", anchorA, 0, "phone", bcrypto.SchemeEd25519, identitytypes.KEY_PURPOSE_AUTHENTICATION)
	linkAnchor(t, chain, idp, holderA, "key-1", anchorA, 1, "44030119900101123X")

	// Anchor B: key-1 and stamp, which only asserts; linked at sequence 1.
	holderB, anchorB, create := anchorCreation(t, relayer, bcrypto.SchemeEd25519, both...)
	requireOK(t, chain.NextBlock(chain.SignTx(relayer, nil, create)).TxResults[0])
	stamp := addKey(t, chain, relayer, holderB, "key-1", anchorB, 0, "stamp", bcrypto.SchemeP256, identitytypes.KEY_PURPOSE_ASSERTION)
	linkAnchor(t, chain, idp, holderB, "key-1", anchorB, 1, "44030119850505432X")

	// GD:idp starts recovering A with a new key that proves possession over
	// A's sequence, 2.
	recovered, newKey := recoveryKey(t, bcrypto.SchemeSecp256k1, "recovered", anchorA, 2)
	res := chain.NextBlock(chain.SignTx(idp, nil, &identitytypes.MsgInitiateRecovery{Idp: idp.String(), AnchorId: anchorA, NewKey: newKey}))
	requireOK(t, res.TxResults[0])
	initiatedAt := chain.Time
	dueA := initiatedAt.Add(72 * time.Hour)
	var initiated identitytypes.MsgInitiateRecoveryResponse
	msgResponse(t, res.TxResults[0], &initiated)
	require.Equal(t, dueA, initiated.ExecutableAt, "the default recovery delay is 72h")
	require.Equal(t, []proto.Message{
		&identitytypes.EventRecoveryInitiated{AnchorId: anchorA, Idp: "GD:idp", NewKeyId: "recovered", ExecutableAt: dueA},
	}, identityTxEvents(t, res.TxResults[0]))
	pending, err := q.Recovery(chain.Context(), &identitytypes.QueryRecoveryRequest{AnchorId: anchorA})
	require.NoError(t, err)
	require.Equal(t, identitytypes.Recovery{AnchorId: anchorA, Idp: "GD:idp", NewKey: newKey, InitiatedAt: initiatedAt, ExecutableAt: dueA}, pending.Recovery)
	anchorBefore := anchorOf(t, chain, anchorA)
	require.Equal(t, uint64(2), anchorBefore.Sequence, "starting a recovery consumes no sequence")
	require.Equal(t, &pending.Recovery, queryAnchor(t, chain, anchorA).Recovery)

	// And B, at its sequence 2.
	_, newKeyB := recoveryKey(t, bcrypto.SchemeEd25519, "recovered", anchorB, 2)
	res = chain.NextBlock(chain.SignTx(idp, nil, &identitytypes.MsgInitiateRecovery{Idp: idp.String(), AnchorId: anchorB, NewKey: newKeyB}))
	requireOK(t, res.TxResults[0])
	dueB := chain.Time.Add(72 * time.Hour)

	// B's holder cancels with stamp, which may sign nothing else.
	res = chain.NextBlock(chain.SignTx(relayer, nil, holderOp(t, relayer, stamp, "stamp", anchorB, 2, &identitytypes.HolderOperation{
		Op: &identitytypes.HolderOperation_CancelRecovery{CancelRecovery: &identitytypes.CancelRecovery{}},
	})))
	requireOK(t, res.TxResults[0])
	require.Equal(t, []proto.Message{
		&identitytypes.EventRecoveryCancelled{AnchorId: anchorB, Idp: "GD:idp", Reason: "cancelled by the holder"},
		&identitytypes.EventHolderOperation{AnchorId: anchorB, Operation: "cancel_recovery", Sequence: 2, KeyId: "stamp", Relayer: "GD:agency"},
	}, identityTxEvents(t, res.TxResults[0]))
	requireNoRecovery(t, chain, anchorB)
	require.Nil(t, queryAnchor(t, chain, anchorB).Recovery)
	anchorB3 := anchorOf(t, chain, anchorB)
	require.Equal(t, uint64(3), anchorB3.Sequence)
	require.Equal(t, []string{"key-1", "stamp"}, anchorB3.ActiveKeys)

	// A second before A's recovery is due, completing it is refused and
	// changes nothing in the identity store.
	complete := func(signer apptest.Account, anchor string) *abci.ExecTxResult {
		t.Helper()
		res := chain.NextBlock(chain.SignTx(signer, nil, &identitytypes.MsgCompleteRecovery{Signer: signer.String(), AnchorId: anchor}))
		return res.TxResults[0]
	}
	keyBefore := keyOf(t, chain, anchorA, "key-1")
	phoneBefore := keyOf(t, chain, anchorA, "phone")
	stored := storeContents(t, chain)[identitytypes.StoreKey]
	chain.Time = dueA.Add(-2 * time.Second)
	early := complete(other, anchorA)
	require.Equal(t, dueA.Add(-time.Second), chain.Time)
	requireRefused(t, identitytypes.ErrRecoveryNotDue, early.Codespace, early.Code, early.Log)
	require.Contains(t, early.Log, fmt.Sprintf("%s can complete from %s", anchorA, dueA))
	require.Empty(t, identityTxEvents(t, early))
	require.Equal(t, stored, storeContents(t, chain)[identitytypes.StoreKey])

	// At the due time any permitted account completes it: both old keys are
	// revoked, the new key is the anchor's only one, the sequence moves on.
	done := complete(other, anchorA)
	requireOK(t, done)
	completedAt, height := chain.Time, chain.Height
	require.Equal(t, dueA, completedAt)
	reason := "replaced by a recovery through GD:idp"
	require.Equal(t, []proto.Message{
		&identitytypes.EventKeyRevoked{AnchorId: anchorA, KeyId: "key-1", Reason: reason},
		&identitytypes.EventKeyRevoked{AnchorId: anchorA, KeyId: "phone", Reason: reason},
		&identitytypes.EventKeyAdded{AnchorId: anchorA, KeyId: "recovered", Scheme: "secp256k1", Purposes: both},
		&identitytypes.EventRecoveryCompleted{AnchorId: anchorA, Idp: "GD:idp", NewKeyId: "recovered", RevokedKeyIds: []string{"key-1", "phone"}},
	}, identityTxEvents(t, done))
	wantAnchor := anchorBefore
	wantAnchor.ActiveKeys, wantAnchor.Sequence, wantAnchor.UpdatedAt = []string{"recovered"}, 3, completedAt
	require.Equal(t, wantAnchor, anchorOf(t, chain, anchorA))
	require.Nil(t, queryAnchor(t, chain, anchorA).Recovery)
	requireNoRecovery(t, chain, anchorA)
	for _, before := range []identitytypes.AnchorKey{keyBefore, phoneBefore} {
		want := before
		want.Status, want.RevokedAt, want.RevokedHeight, want.RevocationReason = identitytypes.KEY_STATUS_REVOKED, &completedAt, height, reason
		require.Equal(t, want, keyOf(t, chain, anchorA, before.KeyId))
	}
	require.Equal(t, identitytypes.AnchorKey{
		AnchorId: anchorA, KeyId: "recovered", Scheme: "secp256k1", PublicKey: recovered.Public().Bytes(), Purposes: both,
		Status: identitytypes.KEY_STATUS_ACTIVE, AddedAt: completedAt, AddedHeight: height,
	}, keyOf(t, chain, anchorA, "recovered"))
	owner, err := q.KeyOwner(chain.Context(), &identitytypes.QueryKeyOwnerRequest{Scheme: "secp256k1", PublicKey: recovered.Public().Bytes()})
	require.NoError(t, err)
	require.Equal(t, anchorA, owner.Key.AnchorId)

	// The new key signs an operation that applies, at sequence 3.
	until := chain.Time.Add(30 * 24 * time.Hour)
	res = chain.NextBlock(chain.SignTx(relayer, nil, holderOp(t, relayer, recovered, "recovered", anchorA, 3, &identitytypes.HolderOperation{
		Op: &identitytypes.HolderOperation_GrantConsent{GrantConsent: &identitytypes.GrantConsent{
			Verifier: "HK:bank", Purpose: "account-opening", CredentialTypes: []string{"GD:licence"}, ValidUntil: &until,
		}},
	})))
	requireOK(t, res.TxResults[0])
	require.Equal(t, []proto.Message{
		&identitytypes.EventConsentGranted{AnchorId: anchorA, Verifier: "HK:bank", Purpose: "account-opening", CredentialTypes: []string{"GD:licence"}, ValidUntil: until},
		&identitytypes.EventHolderOperation{AnchorId: anchorA, Operation: "grant_consent", Sequence: 3, KeyId: "recovered", Relayer: "GD:agency"},
	}, identityTxEvents(t, res.TxResults[0]))
	consent, err := q.Consent(chain.Context(), &identitytypes.QueryConsentRequest{AnchorId: anchorA, Verifier: "HK:bank", Purpose: "account-opening"})
	require.NoError(t, err)
	require.Equal(t, until, consent.Consent.ValidUntil)
	require.Equal(t, uint64(4), anchorOf(t, chain, anchorA).Sequence)

	// A genuine signature of the lost key-1, at the right sequence, no
	// longer applies.
	res = chain.NextBlock(chain.SignTx(relayer, nil, holderOp(t, relayer, holderA, "key-1", anchorA, 4, &identitytypes.HolderOperation{
		Op: &identitytypes.HolderOperation_Deactivate{Deactivate: &identitytypes.Deactivate{}},
	})))
	requireRefused(t, identitytypes.ErrKeyRevoked, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
	require.Equal(t, identitytypes.ANCHOR_STATUS_ACTIVE, anchorOf(t, chain, anchorA).Status)

	// Past B's due time, completing its cancelled recovery is refused and
	// changes nothing: B keeps its keys.
	stored = storeContents(t, chain)[identitytypes.StoreKey]
	chain.Time = dueB.Add(time.Hour)
	cancelled := complete(idp, anchorB)
	requireRefused(t, identitytypes.ErrNoRecovery, cancelled.Codespace, cancelled.Code, cancelled.Log)
	require.Contains(t, cancelled.Log, anchorB)
	require.Equal(t, stored, storeContents(t, chain)[identitytypes.StoreKey])
	require.Equal(t, anchorB3, anchorOf(t, chain, anchorB))
	for _, id := range []string{"key-1", "stamp"} {
		require.Equal(t, identitytypes.KEY_STATUS_ACTIVE, keyOf(t, chain, anchorB, id).Status, id)
	}
	_, err = q.AnchorKey(chain.Context(), &identitytypes.QueryAnchorKeyRequest{AnchorId: anchorB, KeyId: "recovered"})
	require.Equal(t, codes.NotFound, status.Code(err), "the cancelled recovery's key was never added")
}

// addKey has the holder's key keyID add a new key of scheme as newKeyID to
// anchor at sequence, in a block, and returns the new key.
func addKey(t *testing.T, chain *apptest.Chain, relayer apptest.Account, holder bcrypto.PrivateKey, keyID, anchor string, sequence uint64,
	newKeyID string, scheme bcrypto.Scheme, purposes ...identitytypes.KeyPurpose,
) bcrypto.PrivateKey {
	t.Helper()
	key, err := bcrypto.GenerateKey(scheme)
	require.NoError(t, err)
	nk := identitytypes.NewKey{KeyId: newKeyID, Scheme: string(scheme), PublicKey: key.Public().Bytes(), Purposes: purposes}
	nk.PopSignature, err = key.Sign(identitytypes.PossessionSignBytes(nk.Possession(apptest.ChainID, anchor, sequence, nk.PublicKey)))
	require.NoError(t, err)
	op := holderOp(t, relayer, holder, keyID, anchor, sequence, &identitytypes.HolderOperation{Op: &identitytypes.HolderOperation_AddKey{
		AddKey: &identitytypes.AddKey{Key: nk},
	}})
	requireOK(t, chain.NextBlock(chain.SignTx(relayer, nil, op)).TxResults[0])
	return key
}

// recoveryKey draws a key of scheme and returns it with the NewKey a
// recovery of anchor at sequence carries for it as keyID.
func recoveryKey(t *testing.T, scheme bcrypto.Scheme, keyID, anchor string, sequence uint64) (bcrypto.PrivateKey, identitytypes.NewKey) {
	t.Helper()
	key, err := bcrypto.GenerateKey(scheme)
	require.NoError(t, err)
	nk := identitytypes.NewKey{
		KeyId: keyID, Scheme: string(scheme), PublicKey: key.Public().Bytes(),
		Purposes: []identitytypes.KeyPurpose{identitytypes.KEY_PURPOSE_AUTHENTICATION, identitytypes.KEY_PURPOSE_ASSERTION},
	}
	nk.PopSignature, err = key.Sign(identitytypes.RecoverSignBytes(nk.Possession(apptest.ChainID, anchor, sequence, nk.PublicKey)))
	require.NoError(t, err)
	return key, nk
}

// identityTxEvents returns the identity module's typed events of a
// transaction, in order.
func identityTxEvents(t *testing.T, res *abci.ExecTxResult) []proto.Message {
	t.Helper()
	var out []proto.Message
	for _, ev := range res.Events {
		if !strings.HasPrefix(ev.Type, "baynet.identity.v1.") {
			continue
		}
		msg, err := sdk.ParseTypedEvent(ev)
		require.NoError(t, err)
		out = append(out, msg)
	}
	return out
}

// msgResponse decodes the only message response of a transaction into resp.
func msgResponse(t *testing.T, res *abci.ExecTxResult, resp proto.Message) {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	require.Len(t, data.MsgResponses, 1)
	require.Equal(t, "/"+proto.MessageName(resp), data.MsgResponses[0].TypeUrl)
	require.NoError(t, proto.Unmarshal(data.MsgResponses[0].Value, resp))
}

func queryAnchor(t *testing.T, chain *apptest.Chain, anchor string) *identitytypes.QueryAnchorResponse {
	t.Helper()
	res, err := identitykeeper.NewQueryServerImpl(chain.App.IdentityKeeper).Anchor(chain.Context(), &identitytypes.QueryAnchorRequest{AnchorId: anchor})
	require.NoError(t, err)
	return res
}

func anchorOf(t *testing.T, chain *apptest.Chain, anchor string) identitytypes.Anchor {
	t.Helper()
	return queryAnchor(t, chain, anchor).Anchor
}

func keyOf(t *testing.T, chain *apptest.Chain, anchor, keyID string) identitytypes.AnchorKey {
	t.Helper()
	res, err := identitykeeper.NewQueryServerImpl(chain.App.IdentityKeeper).AnchorKey(chain.Context(),
		&identitytypes.QueryAnchorKeyRequest{AnchorId: anchor, KeyId: keyID})
	require.NoError(t, err)
	return res.Key
}

// requireNoRecovery checks that the Recovery query finds none for anchor.
func requireNoRecovery(t *testing.T, chain *apptest.Chain, anchor string) {
	t.Helper()
	_, err := identitykeeper.NewQueryServerImpl(chain.App.IdentityKeeper).Recovery(chain.Context(), &identitytypes.QueryRecoveryRequest{AnchorId: anchor})
	require.Equal(t, codes.NotFound, status.Code(err), "%v", err)
}
