package app

import (
	"encoding/json"
	"fmt"

	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
)

// ExportAppStateAndValidators exports the state at the latest height for a
// new genesis. Validators come from x/regions, which is also what the new
// chain's InitGenesis hands to CometBFT, so the two always agree. baynet has
// no staking to reset, so a zero-height export is the same state.
func (app *App) ExportAppStateAndValidators(_ bool, _, modulesToExport []string) (servertypes.ExportedApp, error) {
	ctx := app.NewContextLegacy(true, cmtproto.Header{Height: app.LastBlockHeight()})
	height := app.LastBlockHeight() + 1

	genState, err := app.ModuleManager.ExportGenesisForModules(ctx, app.cdc, modulesToExport)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	appState, err := json.MarshalIndent(genState, "", "  ")
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	regionsGen, err := app.RegionsKeeper.ExportGenesis(ctx)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	validators := make([]cmttypes.GenesisValidator, 0, len(regionsGen.Validators))
	for _, v := range regionsGen.Validators {
		pk := cmted25519.PubKey(v.ConsensusPubkey)
		validators = append(validators, cmttypes.GenesisValidator{
			Address: pk.Address(), PubKey: pk, Power: v.Power, Name: fmt.Sprintf("%s/%s", v.Region, v.Moniker),
		})
	}
	return servertypes.ExportedApp{
		AppState:        appState,
		Validators:      validators,
		Height:          height,
		ConsensusParams: app.GetConsensusParams(ctx),
	}, nil
}
