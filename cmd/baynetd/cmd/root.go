// Package cmd builds baynetd's command tree.
package cmd

import (
	"os"
	"path/filepath"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	"github.com/cosmos/cosmos-sdk/client/debug"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/keys"
	"github.com/cosmos/cosmos-sdk/client/rpc"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/server"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authcmd "github.com/cosmos/cosmos-sdk/x/auth/client/cli"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"

	"github.com/baynet/baynet/app"
	identitycli "github.com/baynet/baynet/x/identity/client/cli"
)

// DefaultNodeHome is ~/.baynet.
func DefaultNodeHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, ".baynet")
}

// NewRootCmd builds baynetd.
func NewRootCmd() *cobra.Command {
	// The command tree reads the codecs and AutoCLI options off a throwaway app,
	// so that every module's types are registered exactly as on a node.
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, emptyAppOptions{})

	initClientCtx := client.Context{}.
		WithCodec(tempApp.AppCodec()).
		WithInterfaceRegistry(tempApp.InterfaceRegistry()).
		WithTxConfig(tempApp.TxConfig()).
		WithLegacyAmino(tempApp.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(DefaultNodeHome()).
		WithViper("BAYNET")

	rootCmd := &cobra.Command{
		Use:           "baynetd",
		Short:         "baynet: the Greater Bay Area's cross-border trust ledger",
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())
			clientCtx := initClientCtx.WithCmdContext(cmd.Context())
			clientCtx, err := client.ReadPersistentCommandFlags(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			if clientCtx, err = config.ReadFromClientConfig(clientCtx); err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(clientCtx, cmd); err != nil {
				return err
			}
			return server.InterceptConfigsPreRunHandler(cmd, serverconfig.DefaultConfigTemplate, AppConfig(), CometConfig())
		},
	}

	rootCmd.AddCommand(
		genutilcli.InitCmd(tempApp.BasicModuleManager, DefaultNodeHome()),
		genesisCmd(),
		debug.Cmd(),
		devCmd(),
		testnetCmd(),
		identitycli.HolderCmd(),
		verifyCmd(),
	)
	server.AddCommands(rootCmd, DefaultNodeHome(), newApp, exportApp, func(*cobra.Command) {})
	rootCmd.AddCommand(
		server.StatusCommand(),
		queryCmd(),
		txCmd(),
		keys.Commands(),
	)

	autoCliOpts := tempApp.AutoCliOpts()
	autoCliOpts.ClientCtx = initClientCtx
	autoCliOpts.AddressCodec = address.NewBech32Codec(app.AccountAddressPrefix)
	autoCliOpts.ValidatorAddressCodec = address.NewBech32Codec(app.AccountAddressPrefix + "valoper")
	autoCliOpts.ConsensusAddressCodec = address.NewBech32Codec(app.AccountAddressPrefix + "valcons")
	if err := autoCliOpts.EnhanceRootCommand(rootCmd); err != nil {
		panic(err)
	}
	return rootCmd
}

// AppConfig is app.toml's defaults: zero fees, and the REST API on.
func AppConfig() *serverconfig.Config {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = sdk.NewDecCoins(sdk.NewInt64DecCoin(app.Denom, 0)).String()
	if cfg.MinGasPrices == "" {
		cfg.MinGasPrices = "0" + app.Denom
	}
	cfg.API.Enable = true
	return cfg
}

// CometConfig is config.toml's defaults: one-second blocks, and room for a
// bulk issuance of 10,000 attestations (x/certs' max_bulk, 2-3 MB) in one
// transaction.
func CometConfig() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Consensus.TimeoutCommit = time.Second
	cfg.Mempool.MaxTxBytes = 4 << 20
	cfg.RPC.MaxBodyBytes = 8 << 20
	return cfg
}

func queryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "query",
		Aliases:                    []string{"q"},
		Short:                      "Query the chain",
		DisableFlagParsing:         false,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		rpc.QueryEventForTxCmd(),
		server.QueryBlockCmd(),
		authcmd.QueryTxsByEventsCmd(),
		server.QueryBlocksCmd(),
		authcmd.QueryTxCmd(),
		server.QueryBlockResultsCmd(),
	)
	return cmd
}

func txCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "tx",
		Short:                      "Sign and broadcast transactions",
		DisableFlagParsing:         false,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		authcmd.GetSignCommand(),
		authcmd.GetMultiSignCommand(),
		authcmd.GetValidateSignaturesCommand(),
		flags.LineBreak,
		authcmd.GetBroadcastCommand(),
		authcmd.GetEncodeCommand(),
		authcmd.GetDecodeCommand(),
	)
	return cmd
}

func newApp(logger log.Logger, db dbm.DB, appOpts servertypes.AppOptions) servertypes.Application {
	return app.New(logger, db, true, appOpts, server.DefaultBaseappOptions(appOpts)...)
}

func exportApp(logger log.Logger, db dbm.DB, height int64, forZeroHeight bool, jailAllowedAddrs []string,
	appOpts servertypes.AppOptions, modulesToExport []string,
) (servertypes.ExportedApp, error) {
	a := app.New(logger, db, height == -1, appOpts)
	if height != -1 {
		if err := a.LoadHeight(height); err != nil {
			return servertypes.ExportedApp{}, err
		}
	}
	return a.ExportAppStateAndValidators(forZeroHeight, jailAllowedAddrs, modulesToExport)
}

// emptyAppOptions serves the temporary app built for the command tree.
type emptyAppOptions struct{}

func (emptyAppOptions) Get(string) any { return nil }
