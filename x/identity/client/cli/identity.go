package cli

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

// HolderCmd returns `baynetd identity`: what a holder or identity provider
// does on its own machine, without the chain: make a key, compute an anchor
// id or a commitment, approve a link, answer a verifier's challenge.
func HolderCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "identity",
		Short: "Holder tools: make an anchor key, compute an anchor id or a link commitment, approve a link, present an attestation",
		RunE:  client.ValidateCmd,
	}
	cmd.AddCommand(keygenCmd(), anchorIDCmd(), commitmentCmd(), approveLinkCmd(), presentCmd())
	return cmd
}

func keygenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keygen",
		Short: "Make a holder key and write it as PEM (PKCS#8; SEC 1 for secp256k1)",
		Long: `Writes a new private key to --out (mode 0600) and prints its scheme and canonical public
key (hex). Schemes: ed25519, secp256k1, p256, sm2. ed25519, P-256 and SM2 keys are PKCS#8
("PRIVATE KEY"), as OpenSSL and gmssl write them; secp256k1 keys are SEC 1 ("EC PRIVATE KEY"
with the secp256k1 curve), since Go's x509 package has no PKCS#8 for that curve. Both forms
of secp256k1 key load.`,
		Example: "baynetd identity keygen --scheme ed25519 --out holder.pem",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			scheme, _ := cmd.Flags().GetString("scheme")
			out, _ := cmd.Flags().GetString("out")
			if out == "" {
				return errors.New("give the file to write with --out")
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s exists; not overwriting a key", out)
			}
			k, err := bcrypto.GenerateKey(bcrypto.Scheme(scheme))
			if err != nil {
				return err
			}
			bz, err := k.MarshalPEM()
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, bz, 0o600); err != nil {
				return err
			}
			return printJSON(cmd, map[string]string{"scheme": scheme, "public_key": hex.EncodeToString(k.Public().Bytes()), "file": out})
		},
	}
	cmd.Flags().String("scheme", string(bcrypto.SchemeEd25519), "ed25519, secp256k1, p256 or sm2")
	cmd.Flags().String("out", "", "the PEM file to write")
	return cmd
}

func anchorIDCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "anchor-id",
		Short: "The id of the anchor whose first key is --key, on --chain-id",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			key, err := mustHolderKey(cmd, clientCtx, flagKey, flagKeyringKey)
			if err != nil {
				return err
			}
			if clientCtx.ChainID == "" {
				return errors.New("the chain id is unknown: give --chain-id")
			}
			return printJSON(cmd, map[string]string{"anchor_id": types.AnchorID(clientCtx.ChainID, key.scheme, key.public)})
		},
	}
	addKeyFlags(cmd, flagKey, flagKeyringKey, "the anchor's first key")
	cmd.Flags().String(flags.FlagChainID, "", "the chain id")
	flags.AddKeyringFlags(cmd.Flags())
	return cmd
}

func commitmentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commitment [region] [id-scheme] [identifier]",
		Short: "Compute a link commitment from a person's identifier and a salt (random unless --salt)",
		Long: `Prints the commitment SHA-256("baynet/identity/v1/commitment" 0x00 region 0x00 id-scheme 0x00
identifier salt) and the salt, both hex. Keep the salt with the identifier: shown both, a
verifier recomputes the commitment and finds the link. Nothing leaves this machine.`,
		Example: "baynetd identity commitment GD CN-RIC 44030119900101123X",
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			salt := make([]byte, types.SaltBytes)
			if s, _ := cmd.Flags().GetString(flagSalt); s != "" {
				var err error
				if salt, err = hex.DecodeString(s); err != nil {
					return fmt.Errorf("--%s: %w", flagSalt, err)
				}
			} else if _, err := rand.Read(salt); err != nil {
				return err
			}
			c, err := types.Commitment(args[0], args[1], args[2], salt)
			if err != nil {
				return err
			}
			return printJSON(cmd, map[string]string{"commitment": hex.EncodeToString(c), "salt": hex.EncodeToString(salt)})
		},
	}
	cmd.Flags().String(flagSalt, "", "the 32-byte salt, hex (default: a new random one)")
	return cmd
}

func approveLinkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "approve-link [did] [idp-agency-id]",
		Short: "As the holder, sign your approval of a link by an identity provider, for it to submit",
		Long: `Signs "baynet/identity/v1/link\n" and the LinkApproval (chain id, anchor, identity provider,
region, commitment, the anchor's sequence) with the holder's key and prints the approval, to
be given to "tx identity link --approval". The region is the provider's (the part of its id
before the colon). The approval is valid for the anchor's current sequence only.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			did, idp := args[0], args[1]
			region, _, ok := cutRegion(idp)
			if !ok {
				return fmt.Errorf("identity provider %q must be an agency id such as GD:idp", idp)
			}
			commitment, err := commitmentFromFlags(cmd, region)
			if err != nil {
				return err
			}
			key, err := mustHolderKey(cmd, clientCtx, flagKey, flagKeyringKey)
			if err != nil {
				return err
			}
			if clientCtx.ChainID == "" {
				return errors.New("the chain id is unknown: give --chain-id")
			}
			keyID, err := signingKeyID(cmd, clientCtx, did, key)
			if err != nil {
				return err
			}
			seq, err := anchorSequence(cmd, clientCtx, did)
			if err != nil {
				return err
			}
			a, err := approve(key, keyID, types.LinkApproval{
				ChainId: clientCtx.ChainID, AnchorId: did, Idp: idp, Region: region, Commitment: commitment, Sequence: seq,
			})
			if err != nil {
				return err
			}
			bz, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				return err
			}
			if out, _ := cmd.Flags().GetString("out"); out != "" {
				if err := os.WriteFile(out, append(bz, '\n'), 0o600); err != nil {
					return err
				}
			}
			return clientCtx.PrintRaw(bz)
		},
	}
	addKeyFlags(cmd, flagKey, flagKeyringKey, "the holder's key")
	cmd.Flags().String(flagKeyID, "", "the key's id in the anchor (default: looked up by its public key)")
	cmd.Flags().Uint64(flagSequence, 0, "the anchor's sequence (default: read from the chain)")
	addCommitmentFlags(cmd)
	cmd.Flags().String("out", "", "also write the approval to this file")
	flags.AddQueryFlagsToCmd(cmd)
	cmd.Flags().String(flags.FlagChainID, "", "the chain id (default: client.toml's)")
	flags.AddKeyringFlags(cmd.Flags())
	return cmd
}

func presentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "present [did] [attestation-id]",
		Short: "As the holder, sign a verifier's challenge to show you hold the anchor an attestation names",
		Long: `Signs "baynet/identity/v1/present\n" and the Presentation (chain id, anchor, key id,
attestation id, challenge) with the holder's key and prints the presentation JSON for the
verifier, who checks it with "baynetd verify presentation". The challenge is the 16 to 64
bytes the verifier chose, hex. Offline: nothing is read from the chain, so the key id is
given; the key must be in force with the authentication purpose.`,
		Example: "baynetd identity present did:baynet:0123... 3f5a... --challenge 8c1d... --key holder.pem --key-id key-1 --chain-id baynet-1",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			if err := types.ValidateAnchorID(args[0]); err != nil {
				return err
			}
			att, err := hex.DecodeString(args[1])
			if err != nil {
				return fmt.Errorf("attestation id %q is not hex", args[1])
			}
			s, _ := cmd.Flags().GetString(flagChallenge)
			challenge, err := hex.DecodeString(s)
			if err != nil {
				return fmt.Errorf("--%s: %w", flagChallenge, err)
			}
			keyID, _ := cmd.Flags().GetString(flagKeyID)
			if keyID == "" {
				return fmt.Errorf("give the key's id in the anchor with --%s", flagKeyID)
			}
			key, err := mustHolderKey(cmd, clientCtx, flagKey, flagKeyringKey)
			if err != nil {
				return err
			}
			if clientCtx.ChainID == "" {
				return errors.New("the chain id is unknown: give --chain-id")
			}
			p := types.SignedPresentation{ChainID: clientCtx.ChainID, Anchor: args[0], KeyID: keyID, Attestation: att, Challenge: challenge}
			msg, err := p.SignBytes()
			if err != nil {
				return err
			}
			if p.Signature, err = key.sign(msg); err != nil {
				return err
			}
			return printJSON(cmd, p)
		},
	}
	addKeyFlags(cmd, flagKey, flagKeyringKey, "the holder's key")
	cmd.Flags().String(flagKeyID, "", "the key's id in the anchor, e.g. key-1")
	cmd.Flags().String(flagChallenge, "", "the verifier's challenge, hex (16 to 64 bytes)")
	cmd.Flags().String(flags.FlagChainID, "", "the chain id (default: client.toml's)")
	flags.AddKeyringFlags(cmd.Flags())
	return cmd
}

func cutRegion(agencyID string) (string, string, bool) {
	for i := 0; i < len(agencyID); i++ {
		if agencyID[i] == ':' {
			return agencyID[:i], agencyID[i+1:], i > 0 && i < len(agencyID)-1
		}
	}
	return "", "", false
}

func printJSON(cmd *cobra.Command, v any) error {
	bz, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), string(bz))
	return err
}
