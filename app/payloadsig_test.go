package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/testutil/apptest"
	certstypes "github.com/baynet/baynet/x/certs/types"
	identitytypes "github.com/baynet/baynet/x/identity/types"
)

// attestationKeys returns the cache keys of the issuer signatures of items,
// signed by GD:agency's account key.
func attestationKeys(t *testing.T, c *apptest.Consortium, items []certstypes.SignedAttestation) [][32]byte {
	t.Helper()
	pub, err := bcrypto.ParsePublicKey(bcrypto.SchemeSecp256k1, c.Agencies["GD:agency"].Key.PubKey().Bytes())
	require.NoError(t, err)
	keys := make([][32]byte, len(items))
	for i, it := range items {
		keys[i] = bcrypto.Item{Key: pub, Msg: it.Payload.SignBytes(), Sig: it.Signature, Policy: bcrypto.PolicyExternal}.CacheKey()
	}
	return keys
}

// TestAttestationSignaturesVerifiedOncePerNode: CheckTx verifies a bulk
// issuance's attestation signatures with the transaction's and caches them;
// a block's batch (ProcessProposal, PreBlock) does the same; the handler
// takes them from that cache; a forged attestation is refused in CheckTx.
func TestAttestationSignaturesVerifiedOncePerNode(t *testing.T) {
	chain, c := certsChain(t)
	cache := chain.App.SigCache.Cache()

	items := signedItems(chain, c, "once", 40)
	keys := attestationKeys(t, c, items)
	tx := issueTx(t, chain, c, items)
	res := chain.CheckTx(tx)
	require.Equal(t, uint32(0), res.Code, res.Log)
	for i, k := range keys {
		require.True(t, cache.Contains(k), "CheckTx verified and cached attestation %d", i)
	}
	block := chain.NextBlock(tx)
	requireOK(t, block.TxResults[0])

	// A block's batch caches them before any handler runs.
	fresh := signedItems(chain, c, "block", 10)
	chain.App.SigCache.PrepareBlock(chain.Context(), [][]byte{issueTx(t, chain, c, fresh)})
	for i, k := range attestationKeys(t, c, fresh) {
		require.True(t, cache.Contains(k), "the block batch verified and cached attestation %d", i)
	}

	// One forged signature among valid ones: refused in CheckTx, naming the
	// message; in a block the handler refuses it too, naming the item.
	forged := signedItems(chain, c, "forged", 5)
	forged[3].Signature = append([]byte(nil), forged[3].Signature...)
	forged[3].Signature[5] ^= 1
	tx = issueTx(t, chain, c, forged)
	res = chain.CheckTx(tx)
	requireRefused(t, sdkerrors.ErrUnauthorized, res.Codespace, res.Code, res.Log)
	require.Contains(t, res.Log, "message 0: a signature it carries does not verify")
	block = chain.NextBlock(tx)
	requireRefused(t, certstypes.ErrInvalidSignature, block.TxResults[0].Codespace, block.TxResults[0].Code, block.TxResults[0].Log)
	require.Contains(t, block.TxResults[0].Log, "item 3")

	// The handler reads the node's cache: a success planted for an item
	// whose signature does not verify (which only code in the node can do)
	// is taken as verified.
	planted := signedItems(chain, c, "planted", 2)
	planted[1].Signature = append([]byte(nil), planted[1].Signature...)
	planted[1].Signature[5] ^= 1
	cache.Add(attestationKeys(t, c, planted)[1])
	block = chain.NextBlock(issueTx(t, chain, c, planted))
	require.Equal(t, uint32(0), block.TxResults[0].Code, block.TxResults[0].Log)
}

// TestHolderSignaturesRefusedInCheckTx: a forged proof of possession and a
// forged holder signature never reach a block; valid ones pass CheckTx and
// are cached.
func TestHolderSignaturesRefusedInCheckTx(t *testing.T) {
	chain, c := identityChain(t)
	relayer := c.Agencies["GD:agency"]
	holder, anchor, create := anchorCreation(t, relayer, bcrypto.SchemeP256, identitytypes.KEY_PURPOSE_AUTHENTICATION)
	pop := create.PopSignature
	popBytes := identitytypes.CreateSignBytes(identitytypes.NewKey{
		KeyId: "key-1", Scheme: "p256", PublicKey: create.PublicKey, Purposes: create.Purposes,
	}.Possession(apptest.ChainID, anchor, 0, create.PublicKey))

	bad := *create
	bad.PopSignature = append([]byte(nil), pop...)
	bad.PopSignature[len(bad.PopSignature)-1] ^= 1
	res := chain.CheckTx(chain.SignTx(relayer, nil, &bad))
	requireRefused(t, sdkerrors.ErrUnauthorized, res.Codespace, res.Code, res.Log)

	res = chain.CheckTx(chain.SignTx(relayer, nil, create))
	require.Equal(t, uint32(0), res.Code, res.Log)
	require.True(t, chain.App.SigCache.Cache().Contains(bcrypto.Item{Key: holder.Public(), Msg: popBytes, Sig: pop, Policy: bcrypto.PolicyExternal}.CacheKey()))
	block := chain.NextBlock(chain.SignTx(relayer, nil, create))
	requireOK(t, block.TxResults[0])

	op := holderOp(t, relayer, holder, "key-1", anchor, 0, &identitytypes.HolderOperation{Op: &identitytypes.HolderOperation_Deactivate{
		Deactivate: &identitytypes.Deactivate{},
	}})
	op.Signature = append([]byte(nil), op.Signature...)
	op.Signature[len(op.Signature)-1] ^= 1
	res = chain.CheckTx(chain.SignTx(relayer, nil, op))
	requireRefused(t, sdkerrors.ErrUnauthorized, res.Codespace, res.Code, res.Log)
	require.Contains(t, res.Log, "does not verify")
}
