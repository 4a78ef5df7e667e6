package app

import (
	"testing"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"
	protov2 "google.golang.org/protobuf/proto"

	"cosmossdk.io/log/v2"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	bcrypto "github.com/baynet/baynet/crypto"
)

// readingSource stands for a keeper building its items: it reads state,
// which costs gas on the context it is given, and returns no item.
type readingSource struct{ reads int }

func (s *readingSource) SignatureItems(ctx sdk.Context, _ sdk.Msg) []bcrypto.Item {
	s.reads++
	ctx.GasMeter().ConsumeGas(5_000, "reading an agency key")
	return nil
}

type msgsTx []sdk.Msg

func (t msgsTx) GetMsgs() []sdk.Msg                    { return t }
func (t msgsTx) GetMsgsV2() ([]protov2.Message, error) { return nil, nil }

// TestPayloadSigDecoratorChargesNoGas: the reads that build payload items
// in CheckTx are not charged to the transaction, since simulation (which
// estimates its gas) skips the step and the block does not run it.
func TestPayloadSigDecoratorChargesNoGas(t *testing.T) {
	src := &readingSource{}
	cache := &SigCache{cache: bcrypto.NewCache(10)}
	cache.AddPayloadSignatures(src)
	ctx := sdk.NewContext(nil, cmtproto.Header{}, true, log.NewNopLogger()).WithGasMeter(storetypes.NewGasMeter(100_000))
	tx := msgsTx{&banktypes.MsgSend{}, &banktypes.MsgSend{}}
	next := func(ctx sdk.Context, _ sdk.Tx, _ bool) (sdk.Context, error) { return ctx, nil }

	out, err := PayloadSigDecorator{cache: cache}.AnteHandle(ctx, tx, false, next)
	require.NoError(t, err)
	require.Equal(t, 2, src.reads, "one call per message")
	require.Zero(t, out.GasMeter().GasConsumed())

	// Simulation and FinalizeBlock do not run it at all.
	_, err = PayloadSigDecorator{cache: cache}.AnteHandle(ctx, tx, true, next)
	require.NoError(t, err)
	_, err = PayloadSigDecorator{cache: cache}.AnteHandle(ctx.WithIsCheckTx(false), tx, false, next)
	require.NoError(t, err)
	require.Equal(t, 2, src.reads)
}
