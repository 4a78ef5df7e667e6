package app_test

import (
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/testutil/apptest"
	identitykeeper "github.com/baynet/baynet/x/identity/keeper"
	identitytypes "github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// identityChain starts the consortium chain with a Guangdong identity
// provider "GD:idp" besides the issuer agencies.
func identityChain(t *testing.T) (*apptest.Chain, *apptest.Consortium) {
	t.Helper()
	c := apptest.NewConsortium()
	idp := apptest.NewAccount("gd-idp")
	c.Agencies["GD:idp"] = idp
	c.Genesis.Agencies = append(c.Genesis.Agencies, regionstypes.Agency{
		Id: "GD:idp", Region: "GD", NameZh: "广东省统一身份认证平台", NameEn: "Guangdong unified identity authentication", Account: idp.String(),
		Roles: []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER}, Status: regionstypes.AGENCY_STATUS_ACTIVE,
	})
	chain, _ := apptest.Start(t, apptest.InitChainRequest(appState(t, c)))
	return chain, c
}

// anchorCreation draws a holder key of scheme and returns it, its anchor
// id and the message relayer sends to create the anchor with it as "key-1"
// for purposes.
func anchorCreation(t *testing.T, relayer apptest.Account, scheme bcrypto.Scheme, purposes ...identitytypes.KeyPurpose) (bcrypto.PrivateKey, string, *identitytypes.MsgCreateAnchor) {
	t.Helper()
	holder, err := bcrypto.GenerateKey(scheme)
	require.NoError(t, err)
	pub := holder.Public().Bytes()
	anchor := identitytypes.AnchorID(apptest.ChainID, string(scheme), pub)
	nk := identitytypes.NewKey{KeyId: "key-1", Scheme: string(scheme), PublicKey: pub, Purposes: purposes}
	pop, err := holder.Sign(identitytypes.CreateSignBytes(nk.Possession(apptest.ChainID, anchor, 0, pub)))
	require.NoError(t, err)
	return holder, anchor, &identitytypes.MsgCreateAnchor{
		Relayer: relayer.String(), Scheme: string(scheme), PublicKey: pub, KeyId: "key-1", Purposes: purposes, PopSignature: pop,
	}
}

// linkAnchor has idp (GD:idp) link anchor at level 3 to a GD resident
// identifier with the approval of the holder's key keyID at sequence, in a
// block, and returns the link's commitment.
func linkAnchor(t *testing.T, chain *apptest.Chain, idp apptest.Account, holder bcrypto.PrivateKey, keyID, anchor string, sequence uint64, identifier string) []byte {
	t.Helper()
	commitment, err := identitytypes.Commitment("GD", "CN-RIC", identifier, make([]byte, identitytypes.SaltBytes))
	require.NoError(t, err)
	sig, err := holder.Sign(identitytypes.LinkSignBytes(&identitytypes.LinkApproval{
		ChainId: apptest.ChainID, AnchorId: anchor, Idp: "GD:idp", Region: "GD", Commitment: commitment, Sequence: sequence,
	}))
	require.NoError(t, err)
	until := chain.Time.Add(365 * 24 * time.Hour)
	res := chain.NextBlock(chain.SignTx(idp, nil, &identitytypes.MsgLinkIdentity{
		Idp: idp.String(), AnchorId: anchor, Region: "GD", Commitment: commitment, LevelOfAssurance: 3, ValidUntil: &until,
		HolderKeyId: keyID, HolderSignature: sig,
	}))
	requireOK(t, res.TxResults[0])
	return commitment
}

// holderOp signs op for anchor at sequence with key (id keyID) and wraps it
// for relayer.
func holderOp(t *testing.T, relayer apptest.Account, key bcrypto.PrivateKey, keyID, anchor string, sequence uint64, op *identitytypes.HolderOperation) *identitytypes.MsgHolderOperation {
	t.Helper()
	op.ChainId, op.AnchorId, op.Sequence = apptest.ChainID, anchor, sequence
	payload, err := op.Marshal()
	require.NoError(t, err)
	sig, err := key.Sign(identitytypes.OperationSignBytes(payload))
	require.NoError(t, err)
	return &identitytypes.MsgHolderOperation{Relayer: relayer.String(), Payload: payload, KeyId: keyID, Signature: sig}
}

func identityEvents[T interface{ ProtoMessage() }](t *testing.T, res *abci.ExecTxResult) []T {
	t.Helper()
	var out []T
	for _, ev := range res.Events {
		if msg, err := sdk.ParseTypedEvent(ev); err == nil {
			if m, ok := msg.(T); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// TestIdentityThroughBlocks relays holder-signed payloads through
// FinalizeBlock: an anchor created by an issuer agency for a holder without
// an account, two operations of one holder in one block, a replayed and a
// forged payload refused in the block with no change, a link by the
// identity provider, and the state carried over by export and import.
func TestIdentityThroughBlocks(t *testing.T) {
	chain, c := identityChain(t)
	relayer := c.Agencies["GD:agency"]
	purposes := []identitytypes.KeyPurpose{identitytypes.KEY_PURPOSE_AUTHENTICATION, identitytypes.KEY_PURPOSE_ASSERTION}
	holder, anchor, create := anchorCreation(t, relayer, bcrypto.SchemeSM2, purposes...)
	res := chain.NextBlock(chain.SignTx(relayer, nil, create))
	requireOK(t, res.TxResults[0])
	require.Equal(t, []*identitytypes.EventAnchorCreated{{AnchorId: anchor, Relayer: "GD:agency"}},
		identityEvents[*identitytypes.EventAnchorCreated](t, res.TxResults[0]))

	// Two operations in one block, sequences 0 and 1, in two transactions
	// of the relayer.
	until := chain.Time.Add(30 * 24 * time.Hour)
	grant := holderOp(t, relayer, holder, "key-1", anchor, 0, &identitytypes.HolderOperation{Op: &identitytypes.HolderOperation_GrantConsent{
		GrantConsent: &identitytypes.GrantConsent{Verifier: "HK:bank", Purpose: "account-opening", CredentialTypes: []string{"GD:licence"}, ValidUntil: &until},
	}})
	phone, err := bcrypto.GenerateKey(bcrypto.SchemeEd25519)
	require.NoError(t, err)
	phoneKey := identitytypes.NewKey{KeyId: "phone", Scheme: "ed25519", PublicKey: phone.Public().Bytes(), Purposes: purposes}
	phoneKey.PopSignature, err = phone.Sign(identitytypes.PossessionSignBytes(phoneKey.Possession(apptest.ChainID, anchor, 1, phoneKey.PublicKey)))
	require.NoError(t, err)
	addPhone := holderOp(t, relayer, holder, "key-1", anchor, 1, &identitytypes.HolderOperation{Op: &identitytypes.HolderOperation_AddKey{
		AddKey: &identitytypes.AddKey{Key: phoneKey},
	}})
	tx1 := chain.SignTx(relayer, nil, grant)
	acc := chain.Account(relayer.Address)
	tx2, err := apptest.SignTx(chain.App.TxConfig(), apptest.ChainID, relayer.Key, acc.GetAccountNumber(), acc.GetSequence()+1, nil, addPhone)
	require.NoError(t, err)
	res = chain.NextBlock(tx1, tx2)
	requireOK(t, res.TxResults[0])
	requireOK(t, res.TxResults[1])
	require.Len(t, identityEvents[*identitytypes.EventConsentGranted](t, res.TxResults[0]), 1)
	require.Len(t, identityEvents[*identitytypes.EventKeyAdded](t, res.TxResults[1]), 1)

	k := chain.App.IdentityKeeper
	before, err := k.ExportGenesis(chain.Context())
	require.NoError(t, err)
	require.Equal(t, uint64(2), before.Anchors[0].Sequence)

	// A replay of the applied grant, and a forged one, in a new transaction
	// each: both refused in the block, neither changes the state.
	forged := *grant
	forged.Signature = append([]byte(nil), grant.Signature...)
	forged.Signature[10] ^= 1
	tx3 := chain.SignTx(relayer, nil, grant)
	res = chain.NextBlock(tx3)
	requireRefused(t, identitytypes.ErrWrongSequence, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
	res = chain.NextBlock(chain.SignTx(relayer, nil, &forged))
	// The forged copy also carries the old sequence: the sequence check
	// refuses it first. A forged payload at the right sequence:
	requireRefused(t, identitytypes.ErrWrongSequence, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
	fresh := holderOp(t, relayer, holder, "key-1", anchor, 2, &identitytypes.HolderOperation{Op: &identitytypes.HolderOperation_Deactivate{
		Deactivate: &identitytypes.Deactivate{},
	}})
	fresh.Signature[10] ^= 1
	res = chain.NextBlock(chain.SignTx(relayer, nil, fresh))
	requireRefused(t, identitytypes.ErrInvalidSignature, res.TxResults[0].Codespace, res.TxResults[0].Code, res.TxResults[0].Log)
	after, err := k.ExportGenesis(chain.Context())
	require.NoError(t, err)
	require.Equal(t, before, after)

	// The identity provider links the anchor with the holder's approval.
	commitment := linkAnchor(t, chain, c.Agencies["GD:idp"], holder, "key-1", anchor, 2, "44030119900101123X")
	q := identitykeeper.NewQueryServerImpl(k)
	link, err := q.Link(chain.Context(), &identitytypes.QueryLinkRequest{Commitment: hex.EncodeToString(commitment)})
	require.NoError(t, err)
	require.True(t, link.InForce)
	doc, err := q.ResolveDID(chain.Context(), &identitytypes.QueryResolveDIDRequest{Did: anchor})
	require.NoError(t, err)
	require.Contains(t, doc.DidDocument, `"crv":"SM2"`)
	require.Contains(t, doc.DidDocument, anchor+"#phone")

	// Export and import carry the identity state over unchanged.
	exported, err := chain.App.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &state))
	var gs identitytypes.GenesisState
	require.NoError(t, chain.App.AppCodec().UnmarshalJSON(state[identitytypes.ModuleName], &gs))
	require.Len(t, gs.Anchors, 1)
	require.Len(t, gs.Keys, 2)
	require.Len(t, gs.Links, 1)
	require.Len(t, gs.Consents, 1)
	imported, _ := apptest.Start(t, apptest.InitChainFromExport(exported, chain.Time.Add(time.Minute)))
	reexported, err := imported.App.IdentityKeeper.ExportGenesis(imported.Context())
	require.NoError(t, err)
	bz, err := imported.App.AppCodec().MarshalJSON(reexported)
	require.NoError(t, err)
	require.JSONEq(t, string(state[identitytypes.ModuleName]), string(bz))
}
