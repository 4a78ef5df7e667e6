// Package keeper holds unified identity anchors: their keys, region identity
// links and consents, and the checks of the holder signatures that change them.
package keeper

import (
	"context"
	"errors"
	"slices"

	"github.com/cosmos/gogoproto/proto"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"cosmossdk.io/core/address"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// KeyPK is (anchor id, key id), so an anchor's keys are one prefix.
type KeyPK = collections.Pair[string, string]

// ConsentPK is (anchor id, verifier, purpose).
type ConsentPK = collections.Triple[string, string, string]

// KeyIndexes find a key by its public key.
type KeyIndexes struct {
	PublicKey *indexes.Unique[[]byte, KeyPK, types.AnchorKey]
}

// IndexesList implements collections.Indexes.
func (i KeyIndexes) IndexesList() []collections.Index[KeyPK, types.AnchorKey] {
	return []collections.Index[KeyPK, types.AnchorKey]{i.PublicKey}
}

// LinkIndexes find an anchor's links.
type LinkIndexes struct {
	Anchor *indexes.Multi[string, []byte, types.Link]
}

// IndexesList implements collections.Indexes.
func (i LinkIndexes) IndexesList() []collections.Index[[]byte, types.Link] {
	return []collections.Index[[]byte, types.Link]{i.Anchor}
}

// PublicKeyRef is the index key of a public key: its scheme, a NUL and its
// canonical bytes.
func PublicKeyRef(scheme string, canonicalKey []byte) []byte {
	return append(append([]byte(scheme), 0), canonicalKey...)
}

// Keeper stores anchors and applies what their holders, identity providers
// and the consortium do to them.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	regions      types.RegionsKeeper
	// authority may change the parameters: the consortium's authority.
	authority string
	// sigs, when set, holds the signatures this node already verified.
	sigs *bcrypto.Cache

	Schema      collections.Schema
	Params      collections.Item[types.Params]
	Anchors     collections.Map[string, types.Anchor]
	Keys        *collections.IndexedMap[KeyPK, types.AnchorKey, KeyIndexes]
	Links       *collections.IndexedMap[[]byte, types.Link, LinkIndexes]
	ActiveLinks collections.Map[collections.Pair[string, string], []byte]
	Consents    collections.Map[ConsentPK, types.Consent]
	Recoveries  collections.Map[string, types.Recovery]
}

// NewKeeper declares the module's state. authority (bech32) may change the
// parameters.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, addressCodec address.Codec, regions types.RegionsKeeper, authority string) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	keyPKCodec := collections.PairKeyCodec(collections.StringKey, collections.StringKey)
	k := Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		regions:      regions,
		authority:    authority,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Anchors:      collections.NewMap(sb, types.AnchorsKey, "anchors", collections.StringKey, codec.CollValue[types.Anchor](cdc)),
		Keys: collections.NewIndexedMap(sb, types.KeysKey, "keys", keyPKCodec, codec.CollValue[types.AnchorKey](cdc),
			KeyIndexes{
				PublicKey: indexes.NewUnique(sb, types.KeysByPublicKeyKey, "keys_by_public_key", collections.BytesKey, keyPKCodec,
					func(_ KeyPK, key types.AnchorKey) ([]byte, error) {
						return PublicKeyRef(key.Scheme, key.PublicKey), nil
					}),
			}),
		Links: collections.NewIndexedMap(sb, types.LinksKey, "links", collections.BytesKey, codec.CollValue[types.Link](cdc),
			LinkIndexes{
				Anchor: indexes.NewMulti(sb, types.LinksByAnchorKey, "links_by_anchor", collections.StringKey, collections.BytesKey,
					func(_ []byte, l types.Link) (string, error) { return l.AnchorId, nil }),
			}),
		ActiveLinks: collections.NewMap(sb, types.ActiveLinksKey, "active_links",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), collections.BytesValue),
		Consents: collections.NewMap(sb, types.ConsentsKey, "consents",
			collections.TripleKeyCodec(collections.StringKey, collections.StringKey, collections.StringKey), codec.CollValue[types.Consent](cdc)),
		Recoveries: collections.NewMap(sb, types.RecoveriesKey, "recoveries", collections.StringKey, codec.CollValue[types.Recovery](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetSignatureCache makes the keeper take the signatures the node already
// verified (in CheckTx or ProcessProposal, through SignatureItems) from
// cache, and add those it verifies itself.
func (k *Keeper) SetSignatureCache(c *bcrypto.Cache) { k.sigs = c }

// Authority returns the account that may change the parameters.
func (k Keeper) Authority() string { return k.authority }

// GetAnchor returns an anchor by id.
func (k Keeper) GetAnchor(ctx context.Context, id string) (types.Anchor, error) {
	a, err := k.Anchors.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return a, errorsmod.Wrapf(types.ErrUnknownAnchor, "%s", id)
	}
	return a, err
}

// activeAnchor returns an anchor that is not deactivated.
func (k Keeper) activeAnchor(ctx context.Context, id string) (types.Anchor, error) {
	a, err := k.GetAnchor(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Status != types.ANCHOR_STATUS_ACTIVE {
		return a, errorsmod.Wrapf(types.ErrAnchorDeactivated, "%s", id)
	}
	return a, nil
}

// GetKey returns a key of an anchor, in force or revoked.
func (k Keeper) GetKey(ctx context.Context, anchorID, keyID string) (types.AnchorKey, error) {
	key, err := k.Keys.Get(ctx, collections.Join(anchorID, keyID))
	if errors.Is(err, collections.ErrNotFound) {
		return key, errorsmod.Wrapf(types.ErrUnknownKey, "%s#%s", anchorID, keyID)
	}
	return key, err
}

// signingKey returns the parsed public key of an anchor key that is in force
// and holds purpose (any purpose when purpose is unspecified).
func (k Keeper) signingKey(ctx context.Context, anchorID, keyID string, purpose types.KeyPurpose) (bcrypto.PublicKey, error) {
	key, err := k.GetKey(ctx, anchorID, keyID)
	if err != nil {
		return nil, err
	}
	if key.Status != types.KEY_STATUS_ACTIVE {
		return nil, errorsmod.Wrapf(types.ErrKeyRevoked, "%s#%s was revoked at %s", anchorID, keyID, key.RevokedAt)
	}
	if purpose != types.KEY_PURPOSE_UNSPECIFIED && !types.HasPurpose(key.Purposes, purpose) {
		return nil, errorsmod.Wrapf(types.ErrKeyPurpose, "%s#%s is not an %s key", anchorID, keyID, purpose)
	}
	return types.ParseHolderKey(key.Scheme, key.PublicKey)
}

// checkNewKey checks a key to be added to anchor: well formed, an id the
// anchor never used, a public key no anchor ever held.
func (k Keeper) checkNewKey(ctx context.Context, anchorID string, nk types.NewKey) (bcrypto.PublicKey, error) {
	pk, err := nk.Parse()
	if err != nil {
		return nil, err
	}
	if has, err := k.Keys.Has(ctx, collections.Join(anchorID, nk.KeyId)); err != nil {
		return nil, err
	} else if has {
		return nil, errorsmod.Wrapf(types.ErrDuplicateKey, "%s already has a key %s (key ids are never reused)", anchorID, nk.KeyId)
	}
	if owner, err := k.Keys.Indexes.PublicKey.MatchExact(ctx, PublicKeyRef(nk.Scheme, pk.Bytes())); err == nil {
		return nil, errorsmod.Wrapf(types.ErrDuplicateKey, "the public key of %s is already %s#%s", nk.KeyId, owner.K1(), owner.K2())
	} else if !errors.Is(err, collections.ErrNotFound) {
		return nil, err
	}
	return pk, nil
}

// storeKey stores a new key in force of an anchor.
func (k Keeper) storeKey(ctx context.Context, anchorID string, nk types.NewKey, pk bcrypto.PublicKey) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	key := types.AnchorKey{
		AnchorId: anchorID, KeyId: nk.KeyId, Scheme: nk.Scheme, PublicKey: pk.Bytes(), Purposes: nk.Purposes,
		Status: types.KEY_STATUS_ACTIVE, AddedAt: sdkCtx.BlockTime(), AddedHeight: sdkCtx.BlockHeight(),
	}
	if err := k.Keys.Set(ctx, collections.Join(anchorID, nk.KeyId), key); err != nil {
		return err
	}
	return emit(ctx, &types.EventKeyAdded{AnchorId: anchorID, KeyId: key.KeyId, Scheme: key.Scheme, Purposes: key.Purposes})
}

// addKey stores a new key in force and lists it on the anchor; the caller
// saves the anchor.
func (k Keeper) addKey(ctx context.Context, a *types.Anchor, nk types.NewKey, pk bcrypto.PublicKey) error {
	if err := k.storeKey(ctx, a.Id, nk, pk); err != nil {
		return err
	}
	a.ActiveKeys = insertSorted(a.ActiveKeys, nk.KeyId)
	return nil
}

// insertSorted inserts s into the sorted list, keeping it sorted.
func insertSorted(list []string, s string) []string {
	i, _ := slices.BinarySearch(list, s)
	return slices.Insert(list, i, s)
}

// revokeKey revokes a key in force and takes it off the anchor's list; the
// caller saves the anchor.
func (k Keeper) revokeKey(ctx context.Context, a *types.Anchor, keyID, reason string) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	key, err := k.GetKey(ctx, a.Id, keyID)
	if err != nil {
		return err
	}
	now := sdkCtx.BlockTime()
	key.Status, key.RevokedAt, key.RevokedHeight, key.RevocationReason = types.KEY_STATUS_REVOKED, &now, sdkCtx.BlockHeight(), reason
	if err := k.Keys.Set(ctx, collections.Join(a.Id, keyID), key); err != nil {
		return err
	}
	if err := emit(ctx, &types.EventKeyRevoked{AnchorId: a.Id, KeyId: keyID, Reason: reason}); err != nil {
		return err
	}
	a.ActiveKeys = slices.DeleteFunc(a.ActiveKeys, func(id string) bool { return id == keyID })
	return nil
}

// relayer returns the active agency whose account is addr.
func (k Keeper) relayer(ctx context.Context, addr string) (regionstypes.Agency, error) {
	bz, err := k.addressCodec.StringToBytes(addr)
	if err != nil {
		return regionstypes.Agency{}, errorsmod.Wrapf(types.ErrInvalidAddress, "relayer %q: %v", addr, err)
	}
	a, err := k.regions.AgencyByAccount(ctx, bz)
	if err != nil {
		return a, errorsmod.Wrapf(types.ErrNotRelayer, "%s: %v", addr, err)
	}
	if a.Status != regionstypes.AGENCY_STATUS_ACTIVE {
		return a, errorsmod.Wrapf(types.ErrNotRelayer, "agency %s is %s", a.Id, a.Status)
	}
	return a, nil
}

// identityProvider returns the active identity provider whose account is addr.
func (k Keeper) identityProvider(ctx context.Context, addr string) (regionstypes.Agency, error) {
	bz, err := k.addressCodec.StringToBytes(addr)
	if err != nil {
		return regionstypes.Agency{}, errorsmod.Wrapf(types.ErrInvalidAddress, "identity provider %q: %v", addr, err)
	}
	a, err := k.regions.ActiveAgencyWithRole(ctx, bz, regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER)
	if err != nil {
		return a, errorsmod.Wrapf(types.ErrNotIdentityProvider, "%s: %v", addr, err)
	}
	return a, nil
}

// sigItem is one holder signature a message carries, named for errors.
type sigItem struct {
	name string
	key  bcrypto.PublicKey
	msg  []byte
	sig  []byte
}

// item is the verifier item of the signature.
func (s sigItem) item() bcrypto.Item {
	return bcrypto.Item{Key: s.key, Msg: s.msg, Sig: s.sig, Policy: bcrypto.PolicyExternal}
}

// createPoP is the proof of possession of an anchor's first key.
func createPoP(chainID, anchorID string, nk types.NewKey, pk bcrypto.PublicKey) sigItem {
	return sigItem{"proof of possession", pk, types.CreateSignBytes(nk.Possession(chainID, anchorID, 0, pk.Bytes())), nk.PopSignature}
}

// keyPoP is the proof of possession of a key an operation adds.
func keyPoP(op *types.HolderOperation, anchorID string, nk types.NewKey, pk bcrypto.PublicKey) sigItem {
	return sigItem{"proof of possession of " + nk.KeyId, pk, types.PossessionSignBytes(nk.Possession(op.ChainId, anchorID, op.Sequence, pk.Bytes())), nk.PopSignature}
}

// holderSignature is the holder's signature of a relayed operation.
func holderSignature(msg *types.MsgHolderOperation, key bcrypto.PublicKey) sigItem {
	return sigItem{"holder signature", key, types.OperationSignBytes(msg.Payload), msg.Signature}
}

// verify charges gas for and checks every holder signature of one message
// as one batch, taking those the node already verified from the signature
// cache (see SetSignatureCache). Gas does not depend on the cache.
func (k Keeper) verify(ctx context.Context, items ...sigItem) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	batch := make([]bcrypto.Item, len(items))
	for i, it := range items {
		sdkCtx.GasMeter().ConsumeGas(types.GasPerSignature, "identity: holder signature")
		batch[i] = it.item()
	}
	ok, verdicts, _ := k.sigs.VerifyAll(batch)
	if ok {
		return nil
	}
	for i, v := range verdicts {
		if v != nil {
			var ie *bcrypto.ItemError
			if errors.As(v, &ie) {
				v = ie.Reason
			}
			return errorsmod.Wrapf(types.ErrInvalidSignature, "%s: %v", items[i].name, v)
		}
	}
	return nil
}

func emit(ctx context.Context, ev proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(ev)
}
