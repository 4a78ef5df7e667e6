// Package cli holds the x/regions commands that AutoCLI cannot express:
// those that read keys from files or build nested proposals.
package cli

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

const (
	flagKey             = "key"
	flagRoles           = "roles"
	flagCredentialTypes = "credential-types"
)

// TxCmd returns the hand-written x/regions transaction commands; AutoCLI adds
// the plain ones beside them.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Consortium registry transactions: validators, agencies, proposals",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(registerAgencyCmd(), addAgencyKeyCmd(), proposeCmd())
	return cmd
}

func registerAgencyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-agency [agency-id] [name-zh] [name-en] [account]",
		Short: "Register an agency of your region",
		Long: `Register an agency of your region, e.g. GD:amr, with its roles, the credential
types it may issue and its signing keys. A key is --key <key-id>:<scheme>:<public key>,
the public key given as a file (PEM or DER), hex or base64. Schemes: ed25519,
secp256k1, p256, p384, rsa-pkcs1v15-sha256, rsa-pss-sha256, sm2.`,
		Example: `baynetd tx regions register-agency GD:amr 广东省市场监督管理局 "Guangdong AMR" bay1... \
  --roles issuer --credential-types GD:business-licence --key sign-1:ed25519:key.pub --from gd-authority`,
		Args: cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			roles, err := rolesFlag(cmd)
			if err != nil {
				return err
			}
			credTypes, _ := cmd.Flags().GetStringSlice(flagCredentialTypes)
			keySpecs, _ := cmd.Flags().GetStringArray(flagKey)
			keys := make([]types.AgencyKeyInput, 0, len(keySpecs))
			for _, spec := range keySpecs {
				in, err := ParseKeySpec(spec)
				if err != nil {
					return err
				}
				keys = append(keys, in)
			}
			msg := &types.MsgRegisterAgency{
				Authority: clientCtx.GetFromAddress().String(), AgencyId: args[0], NameZh: args[1], NameEn: args[2], Account: args[3],
				Roles: roles, CredentialTypes: credTypes, Keys: keys,
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().StringSlice(flagRoles, nil, "roles: issuer, identity-provider, trading-platform, guarantor, ca-operator")
	cmd.Flags().StringSlice(flagCredentialTypes, nil, "credential types an issuer may issue, e.g. GD:business-licence")
	cmd.Flags().StringArray(flagKey, nil, "signing key <key-id>:<scheme>:<file|hex|base64> (repeatable)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func addAgencyKeyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-agency-key [agency-id] [key-id]:[scheme]:[public-key]",
		Short: "Add a signing key to an agency of your region",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			in, err := ParseKeySpec(args[1])
			if err != nil {
				return err
			}
			msg := &types.MsgAddAgencyKey{Authority: clientCtx.GetFromAddress().String(), AgencyId: args[0], Key: in}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// ParseKeySpec parses <key-id>:<scheme>:<public key>, where the public key
// is a file (PEM or DER), hex or base64.
func ParseKeySpec(spec string) (types.AgencyKeyInput, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) != 3 {
		return types.AgencyKeyInput{}, fmt.Errorf("key %q: want <key-id>:<scheme>:<file|hex|base64>", spec)
	}
	pk, err := readBytes(parts[2])
	if err != nil {
		return types.AgencyKeyInput{}, fmt.Errorf("key %s: %w", parts[0], err)
	}
	return types.AgencyKeyInput{KeyId: parts[0], Scheme: parts[1], PublicKey: pk}, nil
}

func readBytes(s string) ([]byte, error) {
	if st, err := os.Stat(s); err == nil && st.Mode().IsRegular() {
		return os.ReadFile(s)
	}
	if bz, err := hex.DecodeString(s); err == nil {
		return bz, nil
	}
	if bz, err := base64.StdEncoding.DecodeString(s); err == nil {
		return bz, nil
	}
	return nil, fmt.Errorf("%q is neither a file, hex nor base64", s)
}

func rolesFlag(cmd *cobra.Command) ([]types.AgencyRole, error) {
	names, _ := cmd.Flags().GetStringSlice(flagRoles)
	return ParseRoles(names)
}

// ParseRoles turns role names such as "issuer" or "identity-provider" into roles.
func ParseRoles(names []string) ([]types.AgencyRole, error) {
	roles := make([]types.AgencyRole, 0, len(names))
	for _, n := range names {
		r, ok := types.AgencyRole_value["AGENCY_ROLE_"+strings.ToUpper(strings.ReplaceAll(n, "-", "_"))]
		if !ok {
			return nil, fmt.Errorf("unknown role %q", n)
		}
		roles = append(roles, types.AgencyRole(r))
	}
	return roles, nil
}

func proposeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "propose",
		Short: "Open a consortium proposal; it executes once more than two thirds of the regions approve",
		RunE:  client.ValidateCmd,
	}
	submit := func(cmd *cobra.Command, action types.ProposalAction) error {
		clientCtx, err := client.GetClientTxContext(cmd)
		if err != nil {
			return err
		}
		msg := &types.MsgSubmitProposal{Authority: clientCtx.GetFromAddress().String(), Action: action}
		return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
	}
	addRegion := &cobra.Command{
		Use:   "add-region [code] [name-zh] [name-en] [authority] [power-share]",
		Short: "Propose a new region",
		Args:  cobra.ExactArgs(5),
		RunE: func(cmd *cobra.Command, args []string) error {
			share, err := strconv.ParseUint(args[4], 10, 64)
			if err != nil {
				return fmt.Errorf("power share: %w", err)
			}
			return submit(cmd, types.ProposalAction{AddRegion: &types.Region{Code: args[0], NameZh: args[1], NameEn: args[2], Authority: args[3], PowerShare: share}})
		},
	}
	removeRegion := &cobra.Command{
		Use:   "remove-region [code]",
		Short: "Propose removing a region, its validators and agencies",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return submit(cmd, types.ProposalAction{RemoveRegion: args[0]})
		},
	}
	setShare := &cobra.Command{
		Use:   "set-power-share [region] [power-share]",
		Short: "Propose changing a region's power share",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			share, err := strconv.ParseUint(args[1], 10, 64)
			if err != nil {
				return fmt.Errorf("power share: %w", err)
			}
			return submit(cmd, types.ProposalAction{SetPowerShare: &types.PowerShareChange{Region: args[0], PowerShare: share}})
		},
	}
	updateParams := &cobra.Command{
		Use:   "update-params [params.json]",
		Short: "Propose new consortium rules (the JSON of baynet.regions.v1.Params)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			bz, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var p types.Params
			if err := clientCtx.Codec.UnmarshalJSON(bz, &p); err != nil {
				return fmt.Errorf("params: %w", err)
			}
			return submit(cmd, types.ProposalAction{UpdateParams: &p})
		},
	}
	messages := &cobra.Command{
		Use:   "messages [messages.json]",
		Short: "Propose messages executed with the consortium's authority (a JSON array of messages with @type)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			bz, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var raw []json.RawMessage
			if err := json.Unmarshal(bz, &raw); err != nil {
				return fmt.Errorf("messages: %w", err)
			}
			anys := make([]*codectypes.Any, 0, len(raw))
			for i, r := range raw {
				var msg sdk.Msg
				if err := clientCtx.Codec.UnmarshalInterfaceJSON(r, &msg); err != nil {
					return fmt.Errorf("message %d: %w", i, err)
				}
				a, err := codectypes.NewAnyWithValue(msg)
				if err != nil {
					return err
				}
				anys = append(anys, a)
			}
			return submit(cmd, types.ProposalAction{Messages: anys})
		},
	}
	for _, c := range []*cobra.Command{addRegion, removeRegion, setShare, updateParams, messages} {
		flags.AddTxFlagsToCmd(c)
		cmd.AddCommand(c)
	}
	return cmd
}
