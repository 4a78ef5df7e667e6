// Package cli holds the x/certs commands that AutoCLI cannot express: those
// that sign attestation payloads locally, read files or compute gas.
package cli

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/types/query"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

const (
	flagKeyID           = "key-id"
	flagKeyFile         = "key-file"
	flagIssuer          = "issuer"
	flagFile            = "file"
	flagBatchSize       = "batch-size"
	flagType            = "type"
	flagLicenceID       = "licence-id"
	flagSubject         = "subject"
	flagSHA256          = "sha256"
	flagSM3             = "sm3"
	flagDocument        = "document"
	flagValidFrom       = "valid-from"
	flagValidUntil      = "valid-until"
	flagCatalogueCode   = "catalogue-code"
	flagSchema          = "schema"
	flagSchemaDigest    = "schema-digest"
	flagDefaultValidity = "default-validity"
)

// TxCmd returns the hand-written x/certs transaction commands; AutoCLI adds
// suspend, reinstate and revoke beside them.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "E-licence transactions: credential types, attestations and their status",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(registerTypeCmd(), issueCmd(), issueBulkCmd(), registerCACmd())
	return cmd
}

func registerTypeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-type [type-id] [name-zh] [name-en]",
		Short: "Register a credential type of your region",
		Long: `Register a credential type of your region, e.g. GD:business-licence, with its schema
(--schema FILE hashes the file with SHA-256; or --schema-digest HEX), its national
catalogue code (GB/T 36902) where there is one, and the default validity of an
attestation whose payload has no end (e.g. 5y, 90d, 8760h; 0 = no expiry).`,
		Example: `baynetd tx certs register-type GD:business-licence 营业执照 "Business licence" \
  --schema business-licence.schema.json --default-validity 0 --from gd-authority`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			digest, err := schemaDigest(cmd)
			if err != nil {
				return err
			}
			validity, _ := cmd.Flags().GetString(flagDefaultValidity)
			d, err := ParseValidity(validity)
			if err != nil {
				return err
			}
			code, _ := cmd.Flags().GetString(flagCatalogueCode)
			msg := &types.MsgRegisterCredentialType{
				Authority: clientCtx.GetFromAddress().String(), TypeId: args[0], NameZh: args[1], NameEn: args[2],
				CatalogueCode: code, SchemaDigest: digest, DefaultValidity: d,
			}
			return clienttx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagSchema, "", "schema document; its SHA-256 is the schema digest")
	cmd.Flags().String(flagSchemaDigest, "", "SHA-256 of the schema document, hex")
	cmd.Flags().String(flagCatalogueCode, "", "national licence type code (GB/T 36902), if there is one")
	cmd.Flags().String(flagDefaultValidity, "0", "validity of attestations without an end: 5y, 90d, 8760h; 0 = no expiry")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func schemaDigest(cmd *cobra.Command) ([]byte, error) {
	file, _ := cmd.Flags().GetString(flagSchema)
	digest, _ := cmd.Flags().GetString(flagSchemaDigest)
	switch {
	case file != "" && digest != "":
		return nil, fmt.Errorf("give --%s or --%s, not both", flagSchema, flagSchemaDigest)
	case file != "":
		bz, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(bz)
		return sum[:], nil
	case digest != "":
		return hex.DecodeString(digest)
	}
	return nil, fmt.Errorf("give the schema (--%s FILE or --%s HEX)", flagSchema, flagSchemaDigest)
}

// ParseValidity reads a duration in years (365 days), days or Go's units:
// "5y", "90d", "8760h", "0".
func ParseValidity(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"y": 365 * 24 * time.Hour, "d": 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseUint(n, 10, 32)
			if err != nil {
				return 0, fmt.Errorf("validity %q: %w", s, err)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("validity %q: want e.g. 5y, 90d or 8760h", s)
	}
	return d, nil
}

func issueCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "issue",
		Short: "Sign an attestation with your agency's key and anchor it",
		Long: `Sign one attestation payload locally with your agency's key (the keyring key of
--from, or a PEM --key-file: ed25519, secp256k1, P-256 or SM2) and anchor it.
--document FILE computes the SHA-256 and SM3 digests of the licence file; the file
itself never leaves this machine. The attestation id is printed on stderr.`,
		Example: `baynetd tx certs issue --type GD:business-licence --licence-id 91440101MA5CY1234X \
  --document licence.pdf --valid-from 2026-03-01 --valid-until 2031-02-28 --key-id sign-1 --from gd-amr`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true
			is, err := setupIssuer(cmd)
			if err != nil {
				return err
			}
			rec, err := recordFromFlags(cmd)
			if err != nil {
				return err
			}
			p, err := rec.Payload(is.clientCtx.ChainID, is.agency.Id, is.keyID)
			if err != nil {
				return err
			}
			sig, err := is.signer.Sign(p.SignBytes())
			if err != nil {
				return err
			}
			msg := &types.MsgIssueAttestations{Issuer: is.clientCtx.GetFromAddress().String(), Items: []types.SignedAttestation{{Payload: p, Signature: sig}}}
			fmt.Fprintf(cmd.ErrOrStderr(), "attestation id: %s\n", p.ID())
			txf, err := clienttx.NewFactoryCLI(is.clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			return clienttx.GenerateOrBroadcastTxWithFactory(is.clientCtx, txf.WithGas(is.gasFor(msg)), msg)
		},
	}
	cmd.Flags().String(flagType, "", "credential type, e.g. GD:business-licence")
	cmd.Flags().String(flagLicenceID, "", "the licence's unique identifier (GB/T 36904 where there is one)")
	cmd.Flags().String(flagSubject, "", "the holder's identity anchor, did:baynet:... (optional)")
	cmd.Flags().String(flagDocument, "", "licence file: its SHA-256 and SM3 digests go in the payload")
	cmd.Flags().String(flagSHA256, "", "SHA-256 of the licence file, hex (instead of --document)")
	cmd.Flags().String(flagSM3, "", "SM3 of the licence file, hex (instead of --document)")
	cmd.Flags().String(flagValidFrom, "", "start of validity: RFC 3339, YYYY-MM-DD or unix seconds")
	cmd.Flags().String(flagValidUntil, "", "end of validity (optional: the type's default validity applies)")
	addIssuerFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func recordFromFlags(cmd *cobra.Command) (Record, error) {
	get := func(name string) string { v, _ := cmd.Flags().GetString(name); return v }
	rec := Record{Type: get(flagType), LicenceID: get(flagLicenceID), Subject: get(flagSubject), SHA256: get(flagSHA256), SM3: get(flagSM3)}
	if doc := get(flagDocument); doc != "" {
		if rec.SHA256 != "" || rec.SM3 != "" {
			return rec, fmt.Errorf("give --%s or the digests, not both", flagDocument)
		}
		bz, err := os.ReadFile(doc)
		if err != nil {
			return rec, err
		}
		s, m := sha256.Sum256(bz), sm3.Sum(bz)
		rec.SHA256, rec.SM3 = hex.EncodeToString(s[:]), hex.EncodeToString(m[:])
	}
	if v := get(flagValidFrom); v != "" {
		rec.ValidFrom = []byte(strconv.Quote(v))
	}
	if v := get(flagValidUntil); v != "" {
		rec.ValidUntil = []byte(strconv.Quote(v))
	}
	return rec, nil
}

func addIssuerFlags(cmd *cobra.Command) {
	cmd.Flags().String(flagKeyID, "", "id of the agency key that signs, as registered in x/regions (e.g. sign-1)")
	cmd.Flags().String(flagKeyFile, "", "sign with this PEM private key (ed25519, secp256k1, P-256, SM2) instead of the keyring key of --from")
	cmd.Flags().String(flagIssuer, "", "your agency's id (default: the agency whose account is --from)")
	_ = cmd.MarkFlagRequired(flagKeyID)
}

// issuer is the agency that signs and sends, with its signing key checked
// against the one x/regions holds.
type issuer struct {
	clientCtx client.Context
	agency    regionstypes.Agency
	keyID     string
	signer    payloadSigner
	params    types.Params
}

// setupIssuer finds the sending agency and checks, before anything is
// signed, that the local key is the agency key --key-id registered on chain.
func setupIssuer(cmd *cobra.Command) (*issuer, error) {
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return nil, err
	}
	is := &issuer{clientCtx: clientCtx}
	is.keyID, _ = cmd.Flags().GetString(flagKeyID)
	keyFile, _ := cmd.Flags().GetString(flagKeyFile)
	if keyFile != "" {
		is.signer, err = loadKeyFile(keyFile)
	} else {
		is.signer, err = newKeyringSigner(clientCtx.Keyring, clientCtx.FromName)
	}
	if err != nil {
		return nil, err
	}
	if clientCtx.ChainID == "" {
		return nil, fmt.Errorf("no chain id: give --%s", flags.FlagChainID)
	}
	ctx := cmd.Context()
	regions := regionstypes.NewQueryClient(clientCtx)
	from := clientCtx.GetFromAddress().String()
	id, _ := cmd.Flags().GetString(flagIssuer)
	if id == "" {
		if id, err = agencyOfAccount(cmd, regions, from); err != nil {
			return nil, err
		}
	}
	res, err := regions.Agency(ctx, &regionstypes.QueryAgencyRequest{AgencyId: id})
	if err != nil {
		return nil, fmt.Errorf("agency %s: %w", id, err)
	}
	is.agency = res.Agency
	if is.agency.Account != from {
		return nil, fmt.Errorf("agency %s sends from %s, not from %s (--from)", id, is.agency.Account, from)
	}
	if err := checkKey(res.Keys, id, is.keyID, is.signer); err != nil {
		return nil, err
	}
	params, err := types.NewQueryClient(clientCtx).Params(ctx, &types.QueryParamsRequest{})
	if err != nil {
		return nil, fmt.Errorf("x/certs params: %w", err)
	}
	is.params = params.Params
	return is, nil
}

// agencyOfAccount finds the agency whose account is addr.
func agencyOfAccount(cmd *cobra.Command, regions regionstypes.QueryClient, addr string) (string, error) {
	page := &query.PageRequest{Limit: 1000}
	for {
		res, err := regions.Agencies(cmd.Context(), &regionstypes.QueryAgenciesRequest{Pagination: page})
		if err != nil {
			return "", fmt.Errorf("listing agencies: %w", err)
		}
		for _, a := range res.Agencies {
			if a.Account == addr {
				return a.Id, nil
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return "", fmt.Errorf("%s is no agency's account; give --%s", addr, flagIssuer)
		}
		page = &query.PageRequest{Key: res.Pagination.NextKey, Limit: 1000}
	}
}

// checkKey compares the local signing key with the registered one.
func checkKey(keys []regionstypes.AgencyKey, agencyID, keyID string, s payloadSigner) error {
	for _, k := range keys {
		if k.KeyId != keyID {
			continue
		}
		if bcrypto.Scheme(k.Scheme) != s.Scheme() {
			return fmt.Errorf("key %s/%s is %s, the local key is %s", agencyID, keyID, k.Scheme, s.Scheme())
		}
		local, err := bcrypto.ParsePublicKey(s.Scheme(), s.PublicKey())
		if err != nil {
			return fmt.Errorf("local key: %w", err)
		}
		if hex.EncodeToString(local.Bytes()) != hex.EncodeToString(k.PublicKey) {
			return fmt.Errorf("the local key is not key %s/%s registered on chain", agencyID, keyID)
		}
		return nil
	}
	return fmt.Errorf("agency %s has no key %q", agencyID, keyID)
}

// gasFor is the gas limit of a transaction carrying msg: the params' price
// per attestation, ten gas a byte of transaction (with room for the
// envelope), and a base for the ante handler.
func (is *issuer) gasFor(msg *types.MsgIssueAttestations) uint64 {
	const base, perByte, envelope = 300_000, 12, 1_000
	return base + uint64(len(msg.Items))*is.params.GasPerAttestation + perByte*uint64(msg.Size()+envelope)
}

// confirm asks once on stderr unless --yes was given.
func confirm(cmd *cobra.Command, clientCtx client.Context, question string) (bool, error) {
	if clientCtx.SkipConfirm {
		return true, nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s [y/N]: ", question)
	answer, err := bufio.NewReader(clientCtx.Input).ReadString('\n')
	if err != nil {
		return false, err
	}
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes", nil
}
