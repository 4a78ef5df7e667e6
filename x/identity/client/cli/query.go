package cli

import (
	"encoding/hex"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/baynet/baynet/x/identity/types"
)

// QueryCmd returns the hand-written x/identity queries; AutoCLI adds the
// plain ones beside them.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Identity anchors, keys, region identity links, consents and DID documents",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(linkByCommitmentCmd(), resolveCmd())
	return cmd
}

func linkByCommitmentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "link-by-commitment [commitment]",
		Short: "The link with a commitment (hex), or with the one computed here from --region, --id-scheme, --identifier and --salt",
		Long: `What a verifier shown a person's identifier and salt runs: the commitment is computed
locally, so the identifier is never sent to the node. The answer says whether the link is in
force at the height queried.`,
		Example: "baynetd query identity link-by-commitment --region GD --id-scheme CN-RIC --identifier 44030119900101123X --salt <64 hex>",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				if err := cmd.Flags().Set(flagCommitment, args[0]); err != nil {
					return err
				}
			}
			region, _ := cmd.Flags().GetString(flagRegion)
			c, err := commitmentFromFlags(cmd, region)
			if err != nil {
				return err
			}
			res, err := types.NewQueryClient(clientCtx).Link(cmd.Context(), &types.QueryLinkRequest{Commitment: hex.EncodeToString(c)})
			if err != nil {
				return err
			}
			return clientCtx.PrintProto(res)
		},
	}
	cmd.Flags().String(flagRegion, "", "the identifier's region, e.g. GD")
	addCommitmentFlags(cmd)
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

func resolveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resolve [did]",
		Short: "Resolve a did:baynet to its W3C DID document (at --height, or the latest)",
		Long: `Prints a DID resolution result: {"didDocument", "didDocumentMetadata",
"didResolutionMetadata"}. ed25519 keys are Ed25519VerificationKey2020 with
publicKeyMultibase; secp256k1, P-256 and SM2 keys are JsonWebKey2020 with publicKeyJwk
(crv secp256k1, P-256 and SM2; SM2 has no registered curve name).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			res, err := types.NewQueryClient(clientCtx).ResolveDID(cmd.Context(), &types.QueryResolveDIDRequest{Did: args[0]})
			if err != nil {
				return err
			}
			out := struct {
				Document   json.RawMessage   `json:"didDocument"`
				Metadata   json.RawMessage   `json:"didDocumentMetadata"`
				Resolution map[string]string `json:"didResolutionMetadata"`
			}{json.RawMessage(res.DidDocument), json.RawMessage(res.DidDocumentMetadata), map[string]string{"contentType": "application/did+ld+json"}}
			bz, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				return err
			}
			return clientCtx.PrintRaw(bz)
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
