package cli

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

const (
	flagCredentialTypes = "credential-types"
	flagValidUntil      = "valid-until"
	flagValidFrom       = "valid-from"
	flagReason          = "reason"
	flagCommitment      = "commitment"
	flagIDScheme        = "id-scheme"
	flagIdentifier      = "identifier"
	flagSalt            = "salt"
	flagLoA             = "loa"
	flagRegion          = "region"
	flagHolderKey       = "holder-key"
	flagHolderKeyring   = "holder-keyring-key"
	flagHolderKeyID     = "holder-key-id"
	flagApproval        = "approval"
	defaultPurposes     = "authentication,assertion"
)

// TxCmd returns the hand-written x/identity transaction commands; AutoCLI
// adds complete-recovery and unlink beside them.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   types.ModuleName,
		Short: "Identity anchors: holder-signed key, consent and link operations relayed by an agency; identity provider links and recovery",
		Long: `Holders have no chain account: a holder command signs the operation locally with the holder's
key (--key <PEM file> or --keyring-key <name>) and an agency relays it (--relay <key name>, the
same as --from). --op-out <file> writes the signed operation instead, for any agency to relay
later with "relay".`,
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		createAnchorCmd(), addKeyCmd(), rotateKeyCmd(), revokeKeyCmd(), deactivateCmd(),
		grantConsentCmd(), withdrawConsentCmd(), removeLinkCmd(), cancelRecoveryCmd(), relayCmd(),
		linkCmd(), initiateRecoveryCmd(),
	)
	return cmd
}

// txContext applies --relay as --from and returns the tx client context.
func txContext(cmd *cobra.Command) (client.Context, error) {
	if relay, _ := cmd.Flags().GetString(flagRelay); relay != "" {
		if from, _ := cmd.Flags().GetString(flags.FlagFrom); from != "" && from != relay {
			return client.Context{}, fmt.Errorf("--relay %s and --from %s disagree", relay, from)
		}
		if err := cmd.Flags().Set(flags.FlagFrom, relay); err != nil {
			return client.Context{}, err
		}
	}
	return client.GetClientTxContext(cmd)
}

func addTxFlags(cmd *cobra.Command) {
	flags.AddTxFlagsToCmd(cmd)
	cmd.Flags().String(flagRelay, "", "the agency key that relays the transaction (same as --from)")
}

func createAnchorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create-anchor",
		Short: "Create an identity anchor did:baynet:<id> whose first key is the holder's",
		Long: `Creates the anchor whose first key is --key (or --keyring-key), signing its proof of
possession locally. The anchor id is derived from the chain id and the key, and is printed
on stderr before the transaction is broadcast.`,
		Example: `baynetd identity keygen --scheme ed25519 --out holder.pem
baynetd tx identity create-anchor --key holder.pem --relay gd-amr`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := txContext(cmd)
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
			keyID, _ := cmd.Flags().GetString(flagKeyID)
			purposeNames, _ := cmd.Flags().GetStringSlice(flagPurposes)
			purposes, err := parsePurposes(purposeNames)
			if err != nil {
				return err
			}
			id := types.AnchorID(clientCtx.ChainID, key.scheme, key.public)
			nk := types.NewKey{KeyId: keyID, Scheme: key.scheme, PublicKey: key.public, Purposes: purposes}
			pop, err := key.sign(types.CreateSignBytes(nk.Possession(clientCtx.ChainID, id, 0, key.public)))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "anchor %s\n", id)
			msg := &types.MsgCreateAnchor{
				Relayer: clientCtx.GetFromAddress().String(), Scheme: key.scheme, PublicKey: key.public,
				KeyId: keyID, Purposes: purposes, PopSignature: pop,
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	addKeyFlags(cmd, flagKey, flagKeyringKey, "the anchor's first key")
	cmd.Flags().String(flagKeyID, "key-1", "the first key's id in the anchor")
	cmd.Flags().StringSlice(flagPurposes, strings.Split(defaultPurposes, ","), "the key's purposes: authentication, assertion")
	addTxFlags(cmd)
	return cmd
}

// signedOp is a holder-signed operation as --op-out writes it and relay reads it.
type signedOp struct {
	AnchorID  string `json:"anchor_id"`
	Operation string `json:"operation"`
	Sequence  uint64 `json:"sequence"`
	KeyID     string `json:"key_id"`
	// Payload is the HolderOperation's canonical encoding, Signature the
	// key's signature over "baynet/identity/v1/op\n" || payload (both base64).
	Payload   []byte `json:"payload"`
	Signature []byte `json:"signature"`
}

// opBuilder fills op.Op; op has its chain id, anchor id and sequence set.
type opBuilder func(cmd *cobra.Command, clientCtx client.Context, args []string, op *types.HolderOperation) error

// holderOpCmd builds a command that signs a holder operation with the
// holder's key and relays it, or writes it out with --op-out.
func holderOpCmd(use, short, example string, nargs int, build opBuilder) *cobra.Command {
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.ExactArgs(nargs),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := txContext(cmd)
			if err != nil {
				return err
			}
			key, err := mustHolderKey(cmd, clientCtx, flagKey, flagKeyringKey)
			if err != nil {
				return err
			}
			did := args[0]
			keyID, err := signingKeyID(cmd, clientCtx, did, key)
			if err != nil {
				return err
			}
			seq, err := anchorSequence(cmd, clientCtx, did)
			if err != nil {
				return err
			}
			if clientCtx.ChainID == "" {
				return errors.New("the chain id is unknown: give --chain-id")
			}
			op := &types.HolderOperation{ChainId: clientCtx.ChainID, AnchorId: did, Sequence: seq}
			if err := build(cmd, clientCtx, args, op); err != nil {
				return err
			}
			payload, err := op.Marshal()
			if err != nil {
				return err
			}
			sig, err := key.sign(types.OperationSignBytes(payload))
			if err != nil {
				return err
			}
			signed := signedOp{AnchorID: did, Operation: op.OperationName(), Sequence: seq, KeyID: keyID, Payload: payload, Signature: sig}
			if out, _ := cmd.Flags().GetString(flagOpOut); out != "" {
				bz, err := json.MarshalIndent(signed, "", "  ")
				if err != nil {
					return err
				}
				if err := os.WriteFile(out, append(bz, '\n'), 0o600); err != nil {
					return err
				}
				return clientCtx.PrintRaw(bz)
			}
			return relay(cmd, clientCtx, signed)
		},
	}
	addKeyFlags(cmd, flagKey, flagKeyringKey, "the holder's signing key")
	cmd.Flags().String(flagKeyID, "", "the signing key's id in the anchor (default: looked up by its public key)")
	cmd.Flags().Uint64(flagSequence, 0, "the anchor's sequence (default: read from the chain)")
	cmd.Flags().String(flagOpOut, "", "write the signed operation to this file instead of relaying it")
	addTxFlags(cmd)
	return cmd
}

func relay(cmd *cobra.Command, clientCtx client.Context, op signedOp) error {
	if clientCtx.GetFromAddress().Empty() {
		return errors.New("give the relaying agency with --relay (or --from), or write the operation out with --op-out")
	}
	msg := &types.MsgHolderOperation{Relayer: clientCtx.GetFromAddress().String(), Payload: op.Payload, KeyId: op.KeyID, Signature: op.Signature}
	return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
}

// signingKeyID returns --key-id, or finds the key's id by its public key.
func signingKeyID(cmd *cobra.Command, clientCtx client.Context, did string, key holderKey) (string, error) {
	if id, _ := cmd.Flags().GetString(flagKeyID); id != "" {
		return id, nil
	}
	return lookupKeyID(cmd, clientCtx, did, key)
}

// anchorSequence returns --anchor-sequence, or reads the anchor's sequence.
func anchorSequence(cmd *cobra.Command, clientCtx client.Context, did string) (uint64, error) {
	if cmd.Flags().Changed(flagSequence) {
		return cmd.Flags().GetUint64(flagSequence)
	}
	res, err := types.NewQueryClient(clientCtx).Anchor(cmd.Context(), &types.QueryAnchorRequest{AnchorId: did})
	if err != nil {
		return 0, fmt.Errorf("reading the anchor's sequence (give --%s to skip): %w", flagSequence, err)
	}
	return res.Anchor.Sequence, nil
}

// newKeyFromFlags loads --new-key and signs its proof of possession: the
// bytes signBytes makes of its KeyPossession at (anchor, sequence).
func newKeyFromFlags(cmd *cobra.Command, clientCtx client.Context, did string, seq uint64, signBytes func(*types.KeyPossession) []byte) (types.NewKey, error) {
	key, err := mustHolderKey(cmd, clientCtx, flagNewKey, flagNewKeyringKey)
	if err != nil {
		return types.NewKey{}, err
	}
	id, _ := cmd.Flags().GetString(flagNewKeyID)
	if id == "" {
		return types.NewKey{}, fmt.Errorf("give the new key's id with --%s", flagNewKeyID)
	}
	names, _ := cmd.Flags().GetStringSlice(flagPurposes)
	purposes, err := parsePurposes(names)
	if err != nil {
		return types.NewKey{}, err
	}
	nk := types.NewKey{KeyId: id, Scheme: key.scheme, PublicKey: key.public, Purposes: purposes}
	if nk.PopSignature, err = key.sign(signBytes(nk.Possession(clientCtx.ChainID, did, seq, key.public))); err != nil {
		return types.NewKey{}, err
	}
	return nk, nil
}

func addNewKeyFlags(cmd *cobra.Command) {
	addKeyFlags(cmd, flagNewKey, flagNewKeyringKey, "the new key")
	cmd.Flags().String(flagNewKeyID, "", "the new key's id in the anchor")
	cmd.Flags().StringSlice(flagPurposes, strings.Split(defaultPurposes, ","), "the new key's purposes: authentication, assertion")
}

func addKeyCmd() *cobra.Command {
	cmd := holderOpCmd("add-key [did]", "Add a key to an anchor, with its proof of possession",
		"baynetd tx identity add-key did:baynet:... --key holder.pem --new-key phone.pem --new-key-id phone --purposes assertion --relay gd-amr", 1,
		func(cmd *cobra.Command, clientCtx client.Context, args []string, op *types.HolderOperation) error {
			nk, err := newKeyFromFlags(cmd, clientCtx, op.AnchorId, op.Sequence, types.PossessionSignBytes)
			op.Op = &types.HolderOperation_AddKey{AddKey: &types.AddKey{Key: nk}}
			return err
		})
	addNewKeyFlags(cmd)
	return cmd
}

func rotateKeyCmd() *cobra.Command {
	cmd := holderOpCmd("rotate-key [did] [old-key-id]", "Revoke a key of an anchor and add its replacement in one operation",
		"baynetd tx identity rotate-key did:baynet:... key-1 --key holder.pem --new-key holder2.pem --new-key-id key-2 --relay gd-amr", 2,
		func(cmd *cobra.Command, clientCtx client.Context, args []string, op *types.HolderOperation) error {
			nk, err := newKeyFromFlags(cmd, clientCtx, op.AnchorId, op.Sequence, types.PossessionSignBytes)
			op.Op = &types.HolderOperation_RotateKey{RotateKey: &types.RotateKey{OldKeyId: args[1], NewKey: nk}}
			return err
		})
	addNewKeyFlags(cmd)
	return cmd
}

func revokeKeyCmd() *cobra.Command {
	cmd := holderOpCmd("revoke-key [did] [key-id]", "Revoke a key of an anchor; what it signed before stays attributable",
		"", 2,
		func(cmd *cobra.Command, _ client.Context, args []string, op *types.HolderOperation) error {
			reason, _ := cmd.Flags().GetString(flagReason)
			op.Op = &types.HolderOperation_RevokeKey{RevokeKey: &types.RevokeKey{KeyId: args[1], Reason: reason}}
			return nil
		})
	cmd.Flags().String(flagReason, "", "why the key is revoked")
	return cmd
}

func deactivateCmd() *cobra.Command {
	cmd := holderOpCmd("deactivate [did]", "Deactivate an anchor for good", "", 1,
		func(cmd *cobra.Command, _ client.Context, _ []string, op *types.HolderOperation) error {
			reason, _ := cmd.Flags().GetString(flagReason)
			op.Op = &types.HolderOperation_Deactivate{Deactivate: &types.Deactivate{Reason: reason}}
			return nil
		})
	cmd.Flags().String(flagReason, "", "why the anchor is deactivated")
	return cmd
}

func grantConsentCmd() *cobra.Command {
	cmd := holderOpCmd("grant-consent [did] [verifier] [purpose]", "Let a verifier use named credential types for a purpose until a time",
		`baynetd tx identity grant-consent did:baynet:... "HK:bank-of-example" account-opening \
  --credential-types GD:business-licence --valid-until 720h --key holder.pem --relay gd-amr`, 3,
		func(cmd *cobra.Command, _ client.Context, args []string, op *types.HolderOperation) error {
			credTypes, _ := cmd.Flags().GetStringSlice(flagCredentialTypes)
			until, _ := cmd.Flags().GetString(flagValidUntil)
			t, err := parseTime(until)
			if err != nil {
				return fmt.Errorf("--%s: %w", flagValidUntil, err)
			}
			op.Op = &types.HolderOperation_GrantConsent{GrantConsent: &types.GrantConsent{
				Verifier: args[1], Purpose: args[2], CredentialTypes: credTypes, ValidUntil: &t,
			}}
			return nil
		})
	cmd.Flags().StringSlice(flagCredentialTypes, nil, "credential types the verifier may use, e.g. GD:business-licence")
	cmd.Flags().String(flagValidUntil, "", "until when: RFC 3339, or a duration from now such as 720h")
	_ = cmd.MarkFlagRequired(flagCredentialTypes)
	_ = cmd.MarkFlagRequired(flagValidUntil)
	return cmd
}

func withdrawConsentCmd() *cobra.Command {
	return holderOpCmd("withdraw-consent [did] [verifier] [purpose]", "Withdraw a consent", "", 3,
		func(_ *cobra.Command, _ client.Context, args []string, op *types.HolderOperation) error {
			op.Op = &types.HolderOperation_WithdrawConsent{WithdrawConsent: &types.WithdrawConsent{Verifier: args[1], Purpose: args[2]}}
			return nil
		})
}

func removeLinkCmd() *cobra.Command {
	cmd := holderOpCmd("remove-link [did] [commitment]", "Remove one of the anchor's region identity links (commitment in hex)", "", 2,
		func(cmd *cobra.Command, _ client.Context, args []string, op *types.HolderOperation) error {
			c, err := hex.DecodeString(args[1])
			if err != nil {
				return fmt.Errorf("commitment: %w", err)
			}
			reason, _ := cmd.Flags().GetString(flagReason)
			op.Op = &types.HolderOperation_RemoveLink{RemoveLink: &types.RemoveLink{Commitment: c, Reason: reason}}
			return nil
		})
	cmd.Flags().String(flagReason, "", "why the link is removed")
	return cmd
}

func cancelRecoveryCmd() *cobra.Command {
	return holderOpCmd("cancel-recovery [did]", "Cancel the anchor's pending recovery with any key in force", "", 1,
		func(_ *cobra.Command, _ client.Context, _ []string, op *types.HolderOperation) error {
			op.Op = &types.HolderOperation_CancelRecovery{CancelRecovery: &types.CancelRecovery{}}
			return nil
		})
}

func relayCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "relay [op-file]",
		Short: "Relay a holder-signed operation written with --op-out",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := txContext(cmd)
			if err != nil {
				return err
			}
			bz, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var op signedOp
			if err := json.Unmarshal(bz, &op); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return relay(cmd, clientCtx, op)
		},
	}
	addTxFlags(cmd)
	return cmd
}

// agencyOf finds the agency whose account is the --from address.
func agencyOf(cmd *cobra.Command, clientCtx client.Context) (regionstypes.Agency, error) {
	from := clientCtx.GetFromAddress().String()
	if clientCtx.GetFromAddress().Empty() {
		return regionstypes.Agency{}, errors.New("give the identity provider's key with --from")
	}
	qc := regionstypes.NewQueryClient(clientCtx)
	page := &query.PageRequest{Limit: 500}
	for {
		res, err := qc.Agencies(cmd.Context(), &regionstypes.QueryAgenciesRequest{Pagination: page})
		if err != nil {
			return regionstypes.Agency{}, err
		}
		for _, a := range res.Agencies {
			if a.Account == from {
				return a, nil
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return regionstypes.Agency{}, fmt.Errorf("%s is no agency's account", from)
		}
		page = &query.PageRequest{Key: res.Pagination.NextKey, Limit: 500}
	}
}

// commitmentFromFlags reads --commitment, or computes it from --id-scheme,
// --identifier and --salt in region; the identifier never leaves the machine.
func commitmentFromFlags(cmd *cobra.Command, region string) ([]byte, error) {
	if s, _ := cmd.Flags().GetString(flagCommitment); s != "" {
		c, err := hex.DecodeString(s)
		if err != nil || len(c) != types.CommitmentBytes {
			return nil, fmt.Errorf("--%s must be %d bytes in hex", flagCommitment, types.CommitmentBytes)
		}
		return c, nil
	}
	scheme, _ := cmd.Flags().GetString(flagIDScheme)
	identifier, _ := cmd.Flags().GetString(flagIdentifier)
	saltHex, _ := cmd.Flags().GetString(flagSalt)
	if scheme == "" || identifier == "" || saltHex == "" {
		return nil, fmt.Errorf("give --%s, or --%s, --%s and --%s (see `baynetd identity commitment`)", flagCommitment, flagIDScheme, flagIdentifier, flagSalt)
	}
	salt, err := hex.DecodeString(saltHex)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagSalt, err)
	}
	return types.Commitment(region, scheme, identifier, salt)
}

func addCommitmentFlags(cmd *cobra.Command) {
	cmd.Flags().String(flagCommitment, "", "the link's commitment, hex")
	cmd.Flags().String(flagIDScheme, "", "instead of --commitment: the identifier's scheme, e.g. CN-RIC, HKID, MO-BIR")
	cmd.Flags().String(flagIdentifier, "", "instead of --commitment: the person's identifier, hashed locally")
	cmd.Flags().String(flagSalt, "", "instead of --commitment: the 32-byte salt, hex")
}

// linkApproval is the holder's signed approval of a link, as `baynetd
// identity approve-link` writes it.
type linkApproval struct {
	AnchorID        string `json:"anchor_id"`
	Idp             string `json:"idp"`
	Region          string `json:"region"`
	Commitment      string `json:"commitment"`
	Sequence        uint64 `json:"sequence"`
	HolderKeyID     string `json:"holder_key_id"`
	HolderSignature []byte `json:"holder_signature"`
}

// approve signs a link approval with the holder's key.
func approve(key holderKey, keyID string, a types.LinkApproval) (linkApproval, error) {
	sig, err := key.sign(types.LinkSignBytes(&a))
	if err != nil {
		return linkApproval{}, err
	}
	return linkApproval{
		AnchorID: a.AnchorId, Idp: a.Idp, Region: a.Region, Commitment: hex.EncodeToString(a.Commitment),
		Sequence: a.Sequence, HolderKeyID: keyID, HolderSignature: sig,
	}, nil
}

func linkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "link [did]",
		Short: "As an identity provider, link an anchor to a person you verified in your region",
		Long: `Records that the anchor belongs to a person the identity provider (--from) verified, storing
only a salted commitment of the identifier. The holder approves the link: either its key signs
here (--holder-key or --holder-keyring-key), or it signed beforehand with
"baynetd identity approve-link" and the approval file is given with --approval.`,
		Example: `baynetd tx identity link did:baynet:... --id-scheme CN-RIC --identifier 44030119900101123X \
  --salt <64 hex> --loa 3 --valid-until 8760h --holder-key holder.pem --from gd-idp`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := txContext(cmd)
			if err != nil {
				return err
			}
			did := args[0]
			idp, err := agencyOf(cmd, clientCtx)
			if err != nil {
				return err
			}
			region, _ := cmd.Flags().GetString(flagRegion)
			if region == "" {
				region = idp.Region
			}
			commitment, err := commitmentFromFlags(cmd, region)
			if err != nil {
				return err
			}
			loa, _ := cmd.Flags().GetUint32(flagLoA)
			msg := &types.MsgLinkIdentity{
				Idp: clientCtx.GetFromAddress().String(), AnchorId: did, Region: region, Commitment: commitment, LevelOfAssurance: loa,
			}
			until, _ := cmd.Flags().GetString(flagValidUntil)
			t, err := parseTime(until)
			if err != nil {
				return fmt.Errorf("--%s: %w", flagValidUntil, err)
			}
			msg.ValidUntil = &t
			if from, _ := cmd.Flags().GetString(flagValidFrom); from != "" {
				t, err := parseTime(from)
				if err != nil {
					return fmt.Errorf("--%s: %w", flagValidFrom, err)
				}
				msg.ValidFrom = &t
			}

			var approval linkApproval
			if file, _ := cmd.Flags().GetString(flagApproval); file != "" {
				bz, err := os.ReadFile(file)
				if err != nil {
					return err
				}
				if err := json.Unmarshal(bz, &approval); err != nil {
					return fmt.Errorf("%s: %w", file, err)
				}
				if approval.AnchorID != did || approval.Idp != idp.Id || approval.Region != region || approval.Commitment != hex.EncodeToString(commitment) {
					return fmt.Errorf("the approval is for %s by %s in %s with commitment %s, not this link", approval.AnchorID, approval.Idp, approval.Region, approval.Commitment)
				}
			} else {
				key, err := mustHolderKey(cmd, clientCtx, flagHolderKey, flagHolderKeyring)
				if err != nil {
					return fmt.Errorf("the holder's approval: %w (or give --%s)", err, flagApproval)
				}
				keyID, _ := cmd.Flags().GetString(flagHolderKeyID)
				if keyID == "" {
					if keyID, err = lookupKeyID(cmd, clientCtx, did, key); err != nil {
						return err
					}
				}
				seq, err := anchorSequence(cmd, clientCtx, did)
				if err != nil {
					return err
				}
				approval, err = approve(key, keyID, types.LinkApproval{
					ChainId: clientCtx.ChainID, AnchorId: did, Idp: idp.Id, Region: region, Commitment: commitment, Sequence: seq,
				})
				if err != nil {
					return err
				}
			}
			msg.HolderKeyId, msg.HolderSignature = approval.HolderKeyID, approval.HolderSignature
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagRegion, "", "the link's region (default: the identity provider's)")
	addCommitmentFlags(cmd)
	cmd.Flags().Uint32(flagLoA, 3, "level of assurance, 1 (low) to 4 (very high)")
	cmd.Flags().String(flagValidFrom, "", "from when the link holds: RFC 3339 or a duration from now (default: the block time)")
	cmd.Flags().String(flagValidUntil, "", "until when the link holds: RFC 3339, or a duration from now such as 8760h")
	cmd.Flags().String(flagApproval, "", "the holder's approval file written by: baynetd identity approve-link")
	addKeyFlags(cmd, flagHolderKey, flagHolderKeyring, "the holder's key, to approve here")
	cmd.Flags().String(flagHolderKeyID, "", "the holder key's id in the anchor (default: looked up by its public key)")
	cmd.Flags().Uint64(flagSequence, 0, "the anchor's sequence (default: read from the chain)")
	_ = cmd.MarkFlagRequired(flagValidUntil)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// lookupKeyID finds the id of the anchor key with key's public key.
func lookupKeyID(cmd *cobra.Command, clientCtx client.Context, did string, key holderKey) (string, error) {
	res, err := types.NewQueryClient(clientCtx).KeyOwner(cmd.Context(), &types.QueryKeyOwnerRequest{Scheme: key.scheme, PublicKey: key.public})
	if err != nil {
		return "", fmt.Errorf("finding the key's id in the anchor (give it with --%s): %w", flagKeyID, err)
	}
	if res.Key.AnchorId != did {
		return "", fmt.Errorf("the key is %s#%s, not a key of %s", res.Key.AnchorId, res.Key.KeyId, did)
	}
	return res.Key.KeyId, nil
}

func initiateRecoveryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "initiate-recovery [did]",
		Short: "As the identity provider that linked an anchor, start replacing its keys by the holder's new key",
		Long: `Starts a recovery for a holder who lost every key: after the recovery delay (a parameter,
72h by default) anyone may complete it ("complete-recovery"), and until then the holder can
cancel it with any surviving key ("cancel-recovery"). The new key (--new-key, held by the
holder) signs its proof of possession here.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := txContext(cmd)
			if err != nil {
				return err
			}
			did := args[0]
			seq, err := anchorSequence(cmd, clientCtx, did)
			if err != nil {
				return err
			}
			nk, err := newKeyFromFlags(cmd, clientCtx, did, seq, types.RecoverSignBytes)
			if err != nil {
				return err
			}
			msg := &types.MsgInitiateRecovery{Idp: clientCtx.GetFromAddress().String(), AnchorId: did, NewKey: nk}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	addNewKeyFlags(cmd)
	cmd.Flags().Uint64(flagSequence, 0, "the anchor's sequence (default: read from the chain)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
