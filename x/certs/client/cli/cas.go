package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/baynet/baynet/x/certs/types"
)

const (
	flagParent        = "parent"
	flagIntermediates = "intermediate"
	flagAt            = "at"
)

func registerCACmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-ca [certificate-file]",
		Short: "Register a CA certificate (PEM or DER) of your region; --parent for an intermediate",
		Long: `Register a CA certificate your region operates or supervises: a self-signed root, or an
intermediate issued by a CA your region registered (--parent FINGERPRINT, 64 hex characters).
The chain checks the certificate at the block time: a CA, not expired, signed by its parent.`,
		Example: `baynetd tx certs register-ca gdca-root.pem --from gd-authority
baynetd tx certs register-ca gdca-sub.der --parent 3f1a...e9 --from gd-authority`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			der, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			parent, _ := cmd.Flags().GetString(flagParent)
			msg := &types.MsgRegisterCA{Authority: clientCtx.GetFromAddress().String(), Certificate: der, Parent: parent}
			return clienttx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagParent, "", "fingerprint of the registered CA that issued this intermediate")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// QueryCmd returns the hand-written x/certs query commands, those reading
// files; AutoCLI adds the others beside them.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "E-licence and CA trust-list queries",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(verifyCertificateCmd())
	return cmd
}

func verifyCertificateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify-certificate [leaf-file] [region] [purpose]",
		Short: "Verify a certificate chain for a purpose (tendering, e-seal, e-signature) in a region",
		Long: `Verify a leaf certificate (PEM or DER file) with its intermediates (--intermediate FILE, repeatable)
against a region's trust list, at --at (RFC 3339; default now). The answer lists the path built and
every reason the chain is refused.`,
		Example: `baynetd query certs verify-certificate leaf.pem GD tendering --intermediate sub-ca.pem`,
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			leaf, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			files, _ := cmd.Flags().GetStringArray(flagIntermediates)
			var inters [][]byte
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				inters = append(inters, b)
			}
			at := time.Now().UTC()
			if s, _ := cmd.Flags().GetString(flagAt); s != "" {
				if at, err = time.Parse(time.RFC3339, s); err != nil {
					return fmt.Errorf("--%s: %w", flagAt, err)
				}
			}
			res, err := types.NewQueryClient(clientCtx).VerifyCertificate(cmd.Context(), &types.QueryVerifyCertificateRequest{
				Leaf: leaf, Intermediates: inters, Region: args[1], Purpose: args[2], Time: at,
			})
			if err != nil {
				return err
			}
			return clientCtx.PrintProto(res)
		},
	}
	cmd.Flags().StringArray(flagIntermediates, nil, "an intermediate certificate file (PEM or DER); repeatable")
	cmd.Flags().String(flagAt, "", "the time to verify at, RFC 3339; default now")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
