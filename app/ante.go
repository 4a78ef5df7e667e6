package app

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	txsigning "github.com/cosmos/cosmos-sdk/x/tx/signing"

	regionskeeper "github.com/baynet/baynet/x/regions/keeper"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// NewAnteHandler builds baynet's ante chain: the SDK's checks, with fee
// deduction replaced by a zero-fee rule and the permission rule placed before
// any signature work, so an unknown account costs a node almost nothing.
func NewAnteHandler(ak authkeeper.AccountKeeper, rk regionskeeper.Keeper, signModes *txsigning.HandlerMap, sigCache *SigCache) (sdk.AnteHandler, error) {
	return sdk.ChainAnteDecorators(
		ante.NewSetUpContextDecorator(),
		ante.NewExtensionOptionsDecorator(nil),
		ante.NewValidateBasicDecorator(),
		ante.NewTxTimeoutHeightDecorator(),
		ante.NewValidateMemoDecorator(ak),
		PermissionDecorator{regions: rk},
		ZeroFeeDecorator{},
		ante.NewConsumeGasForTxSizeDecorator(ak),
		ante.NewSetPubKeyDecorator(ak),
		ante.NewValidateSigCountDecorator(ak),
		ante.NewSigGasConsumeDecorator(ak, ante.DefaultSigVerificationGasConsumer),
		NewSigVerificationDecorator(sigCache, ak, signModes),
		PayloadSigDecorator{cache: sigCache},
		ante.NewIncrementSequenceDecorator(ak),
	), nil
}

// PermissionDecorator applies the permission rule of the consortium: every
// signer must be a region authority, a validator operator or an active agency.
type PermissionDecorator struct {
	regions regionskeeper.Keeper
}

// AnteHandle implements sdk.AnteDecorator.
func (d PermissionDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	sigTx, ok := tx.(authsigning.SigVerifiableTx)
	if !ok {
		return ctx, errorsmod.Wrap(sdkerrors.ErrTxDecode, "transaction cannot carry signatures")
	}
	signers, err := sigTx.GetSigners()
	if err != nil {
		return ctx, err
	}
	for _, signer := range signers {
		allowed, reasons, err := d.regions.Permission(ctx, signer)
		if err != nil {
			return ctx, err
		}
		if !allowed {
			addr, _ := d.regions.AddressCodec().BytesToString(signer)
			return ctx, errorsmod.Wrapf(regionstypes.ErrNotPermitted, "%s: %s", addr, reasons[0])
		}
	}
	return next(ctx, tx, simulate)
}

// ZeroFeeDecorator refuses fees: baynet charges none, and bounds spam by the
// permission rule and block gas instead.
type ZeroFeeDecorator struct{}

// AnteHandle implements sdk.AnteDecorator.
func (ZeroFeeDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	feeTx, ok := tx.(sdk.FeeTx)
	if !ok {
		return ctx, errorsmod.Wrap(sdkerrors.ErrTxDecode, "transaction has no fee field")
	}
	if !feeTx.GetFee().IsZero() {
		return ctx, errorsmod.Wrapf(sdkerrors.ErrInvalidRequest, "baynet charges no fees; got %s", feeTx.GetFee())
	}
	return next(ctx, tx, simulate)
}
