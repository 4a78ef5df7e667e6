package cmd

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/cometbft/cometbft/privval"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/server"
	sdk "github.com/cosmos/cosmos-sdk/types"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/baynet/baynet/app"
	regionscli "github.com/baynet/baynet/x/regions/client/cli"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// genesisCmd edits the genesis file: baynet has no gentxs, the consortium's
// regions, validators and agencies are written straight into x/regions.
func genesisCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "genesis",
		Short: "Write regions, validators and agencies into genesis.json",
		RunE:  client.ValidateCmd,
	}
	basics := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, emptyAppOptions{}).BasicModuleManager
	cmd.AddCommand(genesisAddRegionCmd(), genesisAddValidatorCmd(), genesisAddAgencyCmd(), genesisSetParamsCmd(),
		genutilcli.ValidateGenesisCmd(basics))
	return cmd
}

// editRegionsGenesis loads genesis.json, lets edit change x/regions' state,
// validates it and writes it back.
func editRegionsGenesis(cdc codec.JSONCodec, genFile string, edit func(*regionstypes.GenesisState) error) error {
	appGen, err := genutiltypes.AppGenesisFromFile(genFile)
	if err != nil {
		return fmt.Errorf("reading %s: %w", genFile, err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(appGen.AppState, &state); err != nil {
		return fmt.Errorf("decoding app state: %w", err)
	}
	var gs regionstypes.GenesisState
	if err := cdc.UnmarshalJSON(state[regionstypes.ModuleName], &gs); err != nil {
		return fmt.Errorf("decoding %s genesis: %w", regionstypes.ModuleName, err)
	}
	if err := edit(&gs); err != nil {
		return err
	}
	if err := gs.Validate(); err != nil {
		return err
	}
	if state[regionstypes.ModuleName], err = cdc.MarshalJSON(&gs); err != nil {
		return err
	}
	if appGen.AppState, err = json.MarshalIndent(state, "", "  "); err != nil {
		return err
	}
	return appGen.SaveAs(genFile)
}

// addressOrKey resolves a bech32 address or the name of a key in the keyring.
func addressOrKey(clientCtx client.Context, s string) (string, error) {
	if _, err := sdk.AccAddressFromBech32(s); err == nil {
		return s, nil
	}
	if clientCtx.Keyring == nil {
		return "", fmt.Errorf("%q is not an address and no keyring is open", s)
	}
	rec, err := clientCtx.Keyring.Key(s)
	if err != nil {
		return "", fmt.Errorf("%q is neither an address nor a key: %w", s, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return "", err
	}
	return addr.String(), nil
}

func genesisFile(cmd *cobra.Command) string {
	return server.GetServerContextFromCmd(cmd).Config.GenesisFile()
}

func genesisAddRegionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-region [code] [authority address or key]",
		Short: "Add a region with its authority and power share",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			authority, err := addressOrKey(clientCtx, args[1])
			if err != nil {
				return err
			}
			zh, _ := cmd.Flags().GetString("name-zh")
			en, _ := cmd.Flags().GetString("name-en")
			share, _ := cmd.Flags().GetUint64("power-share")
			r := regionstypes.Region{Code: args[0], NameZh: zh, NameEn: en, Authority: authority, PowerShare: share}
			return editRegionsGenesis(clientCtx.Codec, genesisFile(cmd), func(gs *regionstypes.GenesisState) error {
				gs.Regions = append(gs.Regions, r)
				return nil
			})
		},
	}
	cmd.Flags().String("name-zh", "", "Chinese name")
	cmd.Flags().String("name-en", "", "English name")
	cmd.Flags().Uint64("power-share", 100, "the region's weight in consensus")
	flags.AddKeyringFlags(cmd.Flags())
	return cmd
}

// readConsensusKey reads an ed25519 consensus key from a priv_validator_key.json,
// hex or base64.
func readConsensusKey(s string) ([]byte, error) {
	if _, err := os.Stat(s); err == nil {
		pv := privval.LoadFilePVEmptyState(s, "")
		return pv.Key.PubKey.Bytes(), nil
	}
	if bz, err := hex.DecodeString(s); err == nil {
		return bz, nil
	}
	if bz, err := base64.StdEncoding.DecodeString(s); err == nil {
		return bz, nil
	}
	return nil, fmt.Errorf("consensus key %q is neither a priv_validator_key.json, hex nor base64", s)
}

func genesisAddValidatorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-validator [region] [moniker] [operator address or key]",
		Short: "Add a validator of a region (its key from --pubkey, default this node's priv_validator_key.json)",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			operator, err := addressOrKey(clientCtx, args[2])
			if err != nil {
				return err
			}
			src, _ := cmd.Flags().GetString("pubkey")
			if src == "" {
				src = server.GetServerContextFromCmd(cmd).Config.PrivValidatorKeyFile()
			}
			pk, err := readConsensusKey(src)
			if err != nil {
				return err
			}
			v := regionstypes.Validator{ConsensusPubkey: pk, Region: args[0], Moniker: args[1], Operator: operator}
			return editRegionsGenesis(clientCtx.Codec, genesisFile(cmd), func(gs *regionstypes.GenesisState) error {
				gs.Validators = append(gs.Validators, v)
				return nil
			})
		},
	}
	cmd.Flags().String("pubkey", "", "consensus key: a priv_validator_key.json, hex or base64")
	flags.AddKeyringFlags(cmd.Flags())
	return cmd
}

func genesisAddAgencyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-agency [agency-id] [account address or key]",
		Short: "Add an active agency with roles, credential types and keys",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			account, err := addressOrKey(clientCtx, args[1])
			if err != nil {
				return err
			}
			zh, _ := cmd.Flags().GetString("name-zh")
			en, _ := cmd.Flags().GetString("name-en")
			roleNames, _ := cmd.Flags().GetStringSlice("roles")
			credTypes, _ := cmd.Flags().GetStringSlice("credential-types")
			keySpecs, _ := cmd.Flags().GetStringArray("key")
			roles, err := regionscli.ParseRoles(roleNames)
			if err != nil {
				return err
			}
			region, _, err := regionstypes.SplitScopedID(args[0])
			if err != nil {
				return err
			}
			return editRegionsGenesis(clientCtx.Codec, genesisFile(cmd), func(gs *regionstypes.GenesisState) error {
				gs.Agencies = append(gs.Agencies, regionstypes.Agency{
					Id: args[0], Region: region, NameZh: zh, NameEn: en, Account: account,
					Roles: roles, CredentialTypes: credTypes, Status: regionstypes.AGENCY_STATUS_ACTIVE,
				})
				for _, spec := range keySpecs {
					in, err := regionscli.ParseKeySpec(spec)
					if err != nil {
						return err
					}
					pk, err := in.CanonicalKey()
					if err != nil {
						return err
					}
					gs.AgencyKeys = append(gs.AgencyKeys, regionstypes.AgencyKey{AgencyId: args[0], KeyId: in.KeyId, Scheme: in.Scheme, PublicKey: pk})
				}
				return nil
			})
		},
	}
	cmd.Flags().String("name-zh", "", "Chinese name")
	cmd.Flags().String("name-en", "", "English name")
	cmd.Flags().StringSlice("roles", nil, "issuer, identity-provider, trading-platform, guarantor, ca-operator")
	cmd.Flags().StringSlice("credential-types", nil, "credential types an issuer may issue")
	cmd.Flags().StringArray("key", nil, "signing key <key-id>:<scheme>:<file|hex|base64> (repeatable)")
	flags.AddKeyringFlags(cmd.Flags())
	return cmd
}

func genesisSetParamsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-max-region-share [basis-points]",
		Short: "Set the largest share of voting power one region may hold (10000 = 100%)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var bps uint32
			if _, err := fmt.Sscan(args[0], &bps); err != nil {
				return fmt.Errorf("basis points: %w", err)
			}
			clientCtx := client.GetClientContextFromCmd(cmd)
			return editRegionsGenesis(clientCtx.Codec, genesisFile(cmd), func(gs *regionstypes.GenesisState) error {
				gs.Params.MaxRegionShareBps = bps
				return nil
			})
		},
	}
	return cmd
}
