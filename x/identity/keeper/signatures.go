package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// SignatureItems returns the signatures msg carries whose public key and
// signed bytes are fixed by the message and by state no pending transaction
// changes, as the verifier items its handler will check: a new anchor's
// proof of possession, and a relayed operation's holder signature (a key
// id never changes its public key) with the proofs of possession of the keys
// it adds. The app verifies them once per node in CheckTx and
// ProcessProposal and the handler finds them cached; a failure here is a
// failure in the block. A holder's link approval signs the anchor's
// sequence at execution, so it is left to the handler, as is anything that
// cannot be built from the state at ctx. It reads state and writes nothing.
func (k Keeper) SignatureItems(ctx sdk.Context, msg sdk.Msg) []bcrypto.Item {
	var sigs []sigItem
	switch m := msg.(type) {
	case *types.MsgCreateAnchor:
		nk := types.NewKey{KeyId: m.KeyId, Scheme: m.Scheme, PublicKey: m.PublicKey, Purposes: m.Purposes, PopSignature: m.PopSignature}
		pk, err := nk.Parse()
		if err != nil {
			return nil
		}
		sigs = append(sigs, createPoP(ctx.ChainID(), types.AnchorID(ctx.ChainID(), nk.Scheme, pk.Bytes()), nk, pk))
	case *types.MsgHolderOperation:
		if types.ValidateSignatureSize("signature", m.Signature) != nil {
			return nil
		}
		op, err := types.DecodeHolderOperation(m.Payload)
		if err != nil || op.ChainId != ctx.ChainID() {
			return nil
		}
		if key, err := k.GetKey(ctx, op.AnchorId, m.KeyId); err == nil {
			if pk, err := types.ParseHolderKey(key.Scheme, key.PublicKey); err == nil {
				sigs = append(sigs, holderSignature(m, pk))
			}
		}
		var added *types.NewKey
		switch o := op.Op.(type) {
		case *types.HolderOperation_AddKey:
			if o.AddKey != nil {
				added = &o.AddKey.Key
			}
		case *types.HolderOperation_RotateKey:
			if o.RotateKey != nil {
				added = &o.RotateKey.NewKey
			}
		}
		if added != nil {
			if pk, err := added.Parse(); err == nil {
				sigs = append(sigs, keyPoP(op, op.AnchorId, *added, pk))
			}
		}
	}
	items := make([]bcrypto.Item, len(sigs))
	for i, s := range sigs {
		items[i] = s.item()
	}
	return items
}
