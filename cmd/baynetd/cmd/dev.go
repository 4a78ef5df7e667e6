package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

const devChainID = "baynet-dev"

// devCmd creates (or reuses) a single-node dev chain and runs it.
func devCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run a single-node dev chain with the GD, HK, MO and joint-office regions and demo agencies",
		Long: `Creates, on first use, a single-node chain in --home (default ~/.baynet-dev) with the
four consortium regions, one demo agency per region, the GD and HK identity providers and
their keys in a test keyring,
1-second blocks and the embedded store, then runs it in the foreground. Later runs
reuse the chain. Every server listens on 127.0.0.1 only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, _ := cmd.Flags().GetString(flags.FlagHome)
			if home == "" || home == DefaultNodeHome() {
				userHome, _ := os.UserHomeDir()
				home = filepath.Join(userHome, ".baynet-dev")
			}
			pt := portsAt(26656)
			if _, err := os.Stat(filepath.Join(home, "config", "genesis.json")); os.IsNotExist(err) {
				if err := initDevChain(home, pt); err != nil {
					return fmt.Errorf("creating the dev chain in %s: %w", home, err)
				}
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "baynet dev chain %q, home %s\n", devChainID, home)
			fmt.Fprintf(out, "  RPC      http://127.0.0.1:%d\n", pt.rpc)
			fmt.Fprintf(out, "  REST API http://127.0.0.1:%d\n", pt.api)
			fmt.Fprintf(out, "  gRPC     127.0.0.1:%d\n", pt.grpc)
			fmt.Fprintf(out, "  keys (test keyring): validator")
			for _, r := range demoRegions {
				fmt.Fprintf(out, ", %s", authorityKeyName(r.code))
			}
			for _, a := range demoAgencies {
				fmt.Fprintf(out, ", %s (%s)", a.keyName, a.id)
			}
			fmt.Fprintf(out, "\n  try: baynetd query regions agencies --home %s\n", home)
			self, err := os.Executable()
			if err != nil {
				return err
			}
			// Become the node: signals and exit codes then behave as for `start`.
			return syscall.Exec(self, []string{self, "start", "--home", home}, os.Environ())
		},
	}
	return cmd
}

// initDevChain lays out a single-node chain whose one validator belongs to
// the joint office; a one-node chain necessarily gives one region all power.
func initDevChain(home string, pt ports) error {
	pubKey, _, err := initNodeHome(home, devChainID, "dev", pt, "")
	if err != nil {
		return err
	}
	addrs, _, err := demoKeys(home, nil)
	if err != nil {
		return err
	}
	vals := []localValidator{{region: "JOINT", moniker: "dev", pubKey: pubKey}}
	return writeLocalGenesis([]string{home}, devChainID, vals, addrs, home, 10000)
}
