package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// SignatureItems returns the issuer signatures a MsgIssueAttestations
// carries, as the verifier items its handler will check, so that the app
// verifies them once per node in CheckTx and ProcessProposal and the
// handler finds them cached. A signature's key (an agency key id never
// changes its public key) and signed bytes (the payload) do not depend on
// state a pending transaction can change, so a failure here is a failure
// in the block. What cannot be built from the state at ctx — an unknown
// sender or key, a malformed item, a message over the bulk cap — is left
// out for the handler to refuse. It reads state and writes nothing.
func (k Keeper) SignatureItems(ctx sdk.Context, msg sdk.Msg) []bcrypto.Item {
	m, ok := msg.(*types.MsgIssueAttestations)
	if !ok {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil || len(m.Items) > int(params.MaxBulk) {
		return nil
	}
	sender, err := k.addressCodec.StringToBytes(m.Issuer)
	if err != nil {
		return nil
	}
	agency, err := k.regions.ActiveAgencyWithRole(ctx, sender, regionstypes.AGENCY_ROLE_ISSUER)
	if err != nil {
		return nil
	}
	is := newIssuance(k, ctx, agency)
	pending := make([]pendingAttestation, len(m.Items))
	errs := make([]error, len(m.Items))
	parallel(len(m.Items), func(i int) { pending[i], errs[i] = is.prepare(m.Items[i]) })
	items := make([]bcrypto.Item, 0, len(m.Items))
	for i, pa := range pending {
		if errs[i] != nil {
			continue
		}
		if pa.key, err = is.key(ctx, pa.att.Payload.KeyId); err != nil {
			continue
		}
		items = append(items, pa.signatureItem(m.Items[i].Signature))
	}
	return items
}

// signatureItem is the verifier item of the issuer's signature on a
// prepared attestation whose key is known.
func (pa pendingAttestation) signatureItem(sig []byte) bcrypto.Item {
	return bcrypto.Item{Key: pa.key, Msg: pa.signBytes, Sig: sig, Policy: bcrypto.PolicyExternal}
}
