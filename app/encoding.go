package app

import (
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/std"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	txsigning "github.com/cosmos/cosmos-sdk/x/tx/signing"
)

// EncodingConfig is the app's codecs.
type EncodingConfig struct {
	InterfaceRegistry codectypes.InterfaceRegistry
	Codec             codec.Codec
	TxConfig          client.TxConfig
	Amino             *codec.LegacyAmino
}

// MakeEncodingConfig builds the codecs. Transactions are signed with
// SIGN_MODE_DIRECT only: one signing format to verify and to cache.
func MakeEncodingConfig() EncodingConfig {
	SetAddressPrefixes()
	signingOptions := txsigning.Options{
		AddressCodec:          address.NewBech32Codec(AccountAddressPrefix),
		ValidatorAddressCodec: address.NewBech32Codec(AccountAddressPrefix + "valoper"),
	}
	registry, err := codectypes.NewInterfaceRegistryWithOptions(codectypes.InterfaceRegistryOptions{
		ProtoFiles:     proto.HybridResolver,
		SigningOptions: signingOptions,
	})
	if err != nil {
		panic(err)
	}
	std.RegisterInterfaces(registry)
	cdc := codec.NewProtoCodec(registry)
	txConfig, err := authtx.NewTxConfigWithOptions(cdc, authtx.ConfigOptions{
		EnabledSignModes: []signing.SignMode{signing.SignMode_SIGN_MODE_DIRECT},
		SigningOptions:   &signingOptions,
	})
	if err != nil {
		panic(err)
	}
	amino := codec.NewLegacyAmino()
	std.RegisterLegacyAminoCodec(amino)
	return EncodingConfig{InterfaceRegistry: registry, Codec: cdc, TxConfig: txConfig, Amino: amino}
}
