// Package app wires baynet: the SDK's auth, bank, consensus and upgrade
// modules, baynet's own modules, the ante chain and the ABCI handlers.
package app

import (
	"encoding/json"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cast"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	runtimeservices "github.com/cosmos/cosmos-sdk/runtime/services"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/version"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	"github.com/cosmos/cosmos-sdk/x/upgrade"
	upgradekeeper "github.com/cosmos/cosmos-sdk/x/upgrade/keeper"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/baynet/baynet/x/certs"
	certskeeper "github.com/baynet/baynet/x/certs/keeper"
	certstypes "github.com/baynet/baynet/x/certs/types"
	"github.com/baynet/baynet/x/identity"
	identitykeeper "github.com/baynet/baynet/x/identity/keeper"
	identitytypes "github.com/baynet/baynet/x/identity/types"
	"github.com/baynet/baynet/x/regions"
	regionskeeper "github.com/baynet/baynet/x/regions/keeper"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

var (
	_ runtime.AppI            = (*App)(nil)
	_ servertypes.Application = (*App)(nil)
)

// App is the baynet application.
type App struct {
	*baseapp.BaseApp

	cdc               codec.Codec
	txConfig          client.TxConfig
	interfaceRegistry codectypes.InterfaceRegistry
	keys              map[string]*storetypes.KVStoreKey

	AccountKeeper   authkeeper.AccountKeeper
	BankKeeper      bankkeeper.BaseKeeper
	ConsensusKeeper consensuskeeper.Keeper
	UpgradeKeeper   *upgradekeeper.Keeper
	RegionsKeeper   regionskeeper.Keeper
	CertsKeeper     certskeeper.Keeper
	IdentityKeeper  identitykeeper.Keeper

	// SigCache verifies each transaction signature once per node, in batches.
	SigCache *SigCache

	ModuleManager      *module.Manager
	BasicModuleManager module.BasicManager
	configurator       module.Configurator
}

// ConsortiumAuthority is the address that holds the SDK modules' authority
// (upgrades, consensus and bank parameters): x/regions' module account,
// which acts only on a consortium proposal approved by more than two thirds
// of the regions.
func ConsortiumAuthority() sdk.AccAddress {
	return authtypes.NewModuleAddress(regionstypes.ModuleName)
}

// New builds the app over db.
func New(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) *App {
	enc := MakeEncodingConfig()
	bApp := baseapp.NewBaseApp(Name, logger, db, enc.TxConfig.TxDecoder(), baseAppOptions...)
	bApp.SetVersion(version.Version)
	bApp.SetInterfaceRegistry(enc.InterfaceRegistry)
	bApp.SetTxEncoder(enc.TxConfig.TxEncoder())

	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, consensustypes.StoreKey, upgradetypes.StoreKey, regionstypes.StoreKey,
		identitytypes.StoreKey, certstypes.StoreKey)
	app := &App{BaseApp: bApp, cdc: enc.Codec, txConfig: enc.TxConfig, interfaceRegistry: enc.InterfaceRegistry, keys: keys}

	authority := ConsortiumAuthority().String()
	app.ConsensusKeeper = consensuskeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[consensustypes.StoreKey]), authority, runtime.EventService{})
	bApp.SetParamStore(app.ConsensusKeeper.ParamsStore)

	app.AccountKeeper = authkeeper.NewAccountKeeper(enc.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, map[string][]string{regionstypes.ModuleName: nil}, enc.InterfaceRegistry.SigningContext().AddressCodec(),
		AccountAddressPrefix, authority)
	app.BankKeeper = bankkeeper.NewBaseKeeper(enc.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), app.AccountKeeper,
		map[string]bool{authority: true}, authority, logger)

	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}
	app.UpgradeKeeper = upgradekeeper.NewKeeper(skipUpgradeHeights, runtime.NewKVStoreService(keys[upgradetypes.StoreKey]), enc.Codec,
		cast.ToString(appOpts.Get(flags.FlagHome)), bApp, authority)

	app.RegionsKeeper = regionskeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[regionstypes.StoreKey]), app.AccountKeeper, bApp.MsgServiceRouter())
	app.IdentityKeeper = identitykeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[identitytypes.StoreKey]),
		app.AccountKeeper.AddressCodec(), app.RegionsKeeper, authority)
	app.CertsKeeper = certskeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[certstypes.StoreKey]), app.RegionsKeeper,
		app.AccountKeeper.AddressCodec(), authority)
	// One verified-signature cache per node, for transaction signatures and
	// the signatures inside attestations and holder operations (SigCache).
	// Keepers are values: they take the cache before anything copies them.
	app.SigCache = NewSigCache(app.AccountKeeper, enc.TxConfig.SignModeHandler(), enc.TxConfig.TxDecoder())
	app.IdentityKeeper.SetSignatureCache(app.SigCache.Cache())
	app.CertsKeeper.SetSignatureCache(app.SigCache.Cache())
	app.CertsKeeper.SetIdentityKeeper(app.IdentityKeeper)
	app.SigCache.AddPayloadSignatures(app.CertsKeeper, app.IdentityKeeper)

	app.ModuleManager = module.NewManager(
		auth.NewAppModule(enc.Codec, app.AccountKeeper, nil, nil),
		bank.NewAppModule(enc.Codec, app.BankKeeper, app.AccountKeeper, nil),
		consensus.NewAppModule(enc.Codec, app.ConsensusKeeper),
		upgrade.NewAppModule(app.UpgradeKeeper, app.AccountKeeper.AddressCodec()),
		regions.NewAppModule(app.RegionsKeeper),
		identity.NewAppModule(app.IdentityKeeper),
		certs.NewAppModule(app.CertsKeeper),
	)
	app.BasicModuleManager = module.NewBasicManagerFromManager(app.ModuleManager, nil)
	app.BasicModuleManager.RegisterInterfaces(enc.InterfaceRegistry)

	app.ModuleManager.SetOrderPreBlockers(upgradetypes.ModuleName, authtypes.ModuleName)
	app.ModuleManager.SetOrderBeginBlockers(regionstypes.ModuleName)
	// x/bank must end blocks first in v0.54; x/regions hands CometBFT the
	// validator updates.
	app.ModuleManager.SetOrderEndBlockers(banktypes.ModuleName, regionstypes.ModuleName)
	// x/regions creates accounts for the members it registers, so auth comes
	// first; x/identity's relayers and identity providers, and x/certs'
	// issuers, are its agencies.
	genesisOrder := []string{authtypes.ModuleName, banktypes.ModuleName, regionstypes.ModuleName, identitytypes.ModuleName,
		certstypes.ModuleName, consensustypes.ModuleName, upgradetypes.ModuleName}
	app.ModuleManager.SetOrderInitGenesis(genesisOrder...)
	app.ModuleManager.SetOrderExportGenesis(genesisOrder...)

	app.configurator = module.NewConfigurator(enc.Codec, app.MsgServiceRouter(), app.GRPCQueryRouter())
	if err := app.ModuleManager.RegisterServices(app.configurator); err != nil {
		panic(err)
	}

	app.MountKVStores(keys)
	app.SetInitChainer(app.InitChainer)
	app.SetPreBlocker(app.PreBlocker)
	app.SetBeginBlocker(app.BeginBlocker)
	app.SetEndBlocker(app.EndBlocker)
	app.SetProcessProposal(app.SigCache.ProcessProposal)
	anteHandler, err := NewAnteHandler(app.AccountKeeper, app.RegionsKeeper, enc.TxConfig.SignModeHandler(), app.SigCache)
	if err != nil {
		panic(err)
	}
	app.SetAnteHandler(anteHandler)

	if loadLatest {
		if err := app.LoadLatestVersion(); err != nil {
			panic(fmt.Errorf("loading latest version: %w", err))
		}
	}
	return app
}

// Name returns the app's name.
func (app *App) Name() string { return app.BaseApp.Name() }

// PreBlocker verifies the block's signatures as one batch (on every node:
// full nodes and replays do not run ProcessProposal), then runs the upgrade
// module.
func (app *App) PreBlocker(ctx sdk.Context, req *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
	app.SigCache.PreBlock(ctx, req.Txs)
	return app.ModuleManager.PreBlock(ctx)
}

// BeginBlocker runs the modules' begin-block logic.
func (app *App) BeginBlocker(ctx sdk.Context) (sdk.BeginBlock, error) {
	return app.ModuleManager.BeginBlock(ctx)
}

// EndBlocker runs the modules' end-block logic, validator updates included.
func (app *App) EndBlocker(ctx sdk.Context) (sdk.EndBlock, error) {
	return app.ModuleManager.EndBlock(ctx)
}

// InitChainer loads genesis.
func (app *App) InitChainer(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var state map[string]json.RawMessage
	if err := json.Unmarshal(req.AppStateBytes, &state); err != nil {
		return nil, fmt.Errorf("decoding genesis app state: %w", err)
	}
	if err := app.UpgradeKeeper.SetModuleVersionMap(ctx, app.ModuleManager.GetVersionMap()); err != nil {
		return nil, err
	}
	return app.ModuleManager.InitGenesis(ctx, app.cdc, state)
}

// LoadHeight loads the state at a height.
func (app *App) LoadHeight(height int64) error { return app.LoadVersion(height) }

// AppCodec returns the app's codec.
func (app *App) AppCodec() codec.Codec { return app.cdc }

// LegacyAmino is required by runtime.AppI; baynet has no amino messages.
func (app *App) LegacyAmino() *codec.LegacyAmino { return codec.NewLegacyAmino() }

// InterfaceRegistry returns the app's interface registry.
func (app *App) InterfaceRegistry() codectypes.InterfaceRegistry { return app.interfaceRegistry }

// TxConfig returns the app's transaction config.
func (app *App) TxConfig() client.TxConfig { return app.txConfig }

// DefaultGenesis returns every module's default genesis.
func (app *App) DefaultGenesis() map[string]json.RawMessage {
	return app.BasicModuleManager.DefaultGenesis(app.cdc)
}

// AutoCliOpts returns the options AutoCLI builds the tx and query commands from.
func (app *App) AutoCliOpts() autocli.AppOptions {
	modules := make(map[string]appmodule.AppModule)
	for _, m := range app.ModuleManager.Modules {
		if am, ok := m.(appmodule.AppModule); ok {
			if named, ok := m.(module.HasName); ok {
				modules[named.Name()] = am
			}
		}
	}
	return autocli.AppOptions{
		Modules:       modules,
		ModuleOptions: runtimeservices.ExtractAutoCLIOptions(app.ModuleManager.Modules),
	}
}

// SimulationManager is not used: baynet tests run real blocks.
func (app *App) SimulationManager() *module.SimulationManager { return nil }

// RegisterAPIRoutes registers the REST routes.
func (app *App) RegisterAPIRoutes(apiSvr *api.Server, _ config.APIConfig) {
	clientCtx := apiSvr.ClientCtx
	authtx.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	cmtservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	nodeservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	app.BasicModuleManager.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
}

// RegisterTxService registers the tx gRPC service.
func (app *App) RegisterTxService(clientCtx client.Context) {
	authtx.RegisterTxService(app.GRPCQueryRouter(), clientCtx, app.Simulate, app.interfaceRegistry)
}

// RegisterTendermintService registers the CometBFT gRPC service.
func (app *App) RegisterTendermintService(clientCtx client.Context) {
	cmtservice.RegisterTendermintService(clientCtx, app.GRPCQueryRouter(), app.interfaceRegistry, app.Query)
}

// RegisterNodeService registers the node gRPC service.
func (app *App) RegisterNodeService(clientCtx client.Context, cfg config.Config) {
	nodeservice.RegisterNodeService(clientCtx, app.GRPCQueryRouter(), cfg, func() int64 {
		return app.CommitMultiStore().EarliestVersion()
	})
}
