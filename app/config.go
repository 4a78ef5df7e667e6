package app

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// Name is the application's name.
	Name = "baynet"
	// AccountAddressPrefix is the bech32 prefix of account addresses.
	AccountAddressPrefix = "bay"
	// Denom is the chain's one denomination. baynet charges no fees, so it
	// exists only because x/bank needs one.
	Denom = "ubay"
)

// SetAddressPrefixes sets baynet's bech32 prefixes on the SDK's global
// config; it is idempotent so tests and commands can all call it.
func SetAddressPrefixes() {
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == AccountAddressPrefix {
		return
	}
	cfg.SetBech32PrefixForAccount(AccountAddressPrefix, AccountAddressPrefix+"pub")
	cfg.SetBech32PrefixForValidator(AccountAddressPrefix+"valoper", AccountAddressPrefix+"valoperpub")
	cfg.SetBech32PrefixForConsensusNode(AccountAddressPrefix+"valcons", AccountAddressPrefix+"valconspub")
}
