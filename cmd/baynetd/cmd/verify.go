package cmd

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/baynet/baynet/verifier"
	certstypes "github.com/baynet/baynet/x/certs/types"
)

const (
	flagVerifyNode   = "node"
	flagWitness      = "witness"
	flagTrustHeight  = "trust-height"
	flagTrustHash    = "trust-hash"
	flagTrustPeriod  = "trust-period"
	flagVerifyChain  = "chain-id"
	flagAt           = "at"
	flagBundleOut    = "bundle-out"
	flagTrustedOut   = "trusted-block-out"
	flagTrustedBlock = "trusted-block"
	flagAttestation  = "attestation"
	flagRegion       = "region"
	flagPurpose      = "purpose"
	flagBatch        = "batch"
)

// verifyCmd checks facts without trusting the node that serves them.
func verifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check credentials against light-client-verified headers, trusting no node",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(verifyAttestationCmd(), verifyRecognitionCmd(), verifyPresentationCmd(), verifyBatchCmd(), verifyBundleCmd())
	return cmd
}

// provenKey is how a verdict names a fact it proved.
type provenKey struct {
	Store  string `json:"store"`
	Key    string `json:"key"`
	Absent bool   `json:"absent,omitempty"`
}

// verdictJSON is what the verify commands print.
type verdictJSON struct {
	ID     string `json:"id,omitempty"`
	Status string `json:"status,omitempty"`
	// Authentic and Entitled are set when an attestation was decided.
	Authentic  *bool        `json:"authentic,omitempty"`
	Entitled   *bool        `json:"entitled,omitempty"`
	Issuer     string       `json:"issuer,omitempty"`
	KeyID      string       `json:"key_id,omitempty"`
	Reasons    []string     `json:"reasons"`
	At         *time.Time   `json:"at,omitempty"`
	DecidedBy  *decidedJSON `json:"decided_by,omitempty"`
	ChainID    string       `json:"chain_id"`
	Height     int64        `json:"height"`
	HeaderHash string       `json:"header_hash"`
	ProvenKeys []provenKey  `json:"proven_keys"`
	// Recognition is set when recognition in a region was decided.
	Recognition *recognitionJSON `json:"recognition,omitempty"`
	// Presentation is set when a presentation was decided.
	Presentation *presentationJSON `json:"presentation,omitempty"`
}

// recognitionJSON is the chain's IsRecognised answer, decided from proofs.
type recognitionJSON struct {
	Region     string                         `json:"region"`
	Purpose    string                         `json:"purpose"`
	Recognised bool                           `json:"recognised"`
	RuleID     uint64                         `json:"rule_id,omitempty"`
	Reasons    []certstypes.RecognitionReason `json:"reasons"`
}

func (o *verdictJSON) setRecognition(v verifier.RecognitionVerdict) {
	o.setAttestation(v.Attestation)
	o.Recognition = &recognitionJSON{Region: v.Region, Purpose: v.Purpose, Recognised: v.Recognised, RuleID: v.RuleID, Reasons: v.Reasons}
}

// decidedJSON is the history entry that decided a status.
type decidedJSON struct {
	Seq    uint32    `json:"seq"`
	Status string    `json:"status"`
	Reason string    `json:"reason,omitempty"`
	Time   time.Time `json:"time"`
	Height int64     `json:"height"`
}

func newVerdictJSON(b verifier.Bundle) verdictJSON {
	out := verdictJSON{ChainID: b.ChainID, Height: b.Height, Reasons: []string{}, HeaderHash: b.LightBlock.Hash().String()}
	for _, v := range b.Values {
		out.ProvenKeys = append(out.ProvenKeys, provenKey{Store: v.Store, Key: hex.EncodeToString(v.Key), Absent: v.Absent})
	}
	return out
}

func (o *verdictJSON) setAttestation(v verifier.AttestationVerdict) {
	o.ID, o.Reasons, o.Status = v.ID, v.Reasons, statusName(v.Status)
	o.Authentic, o.Entitled = &v.Authentic, &v.Entitled
	if a := v.Attestation; a != nil {
		o.Issuer, o.KeyID = a.Payload.Issuer, a.Payload.KeyId
	}
	if d := v.Decided; d != nil {
		o.DecidedBy = &decidedJSON{Seq: d.Seq, Status: statusName(d.Status), Reason: d.Reason, Time: d.Time, Height: d.Height}
	}
	o.At = &v.At
}

func statusName(s certstypes.AttestationStatus) string {
	return strings.TrimPrefix(s.String(), "ATTESTATION_STATUS_")
}

func verifyAttestationCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attestation [id]",
		Short: "Prove an attestation and its issuer's records and decide if it is authentic, entitled and active",
		Long: `Proves the attestation, its status record, every history entry, and its issuer's
signing key and agency record with a light client: the headers are verified from
the trust root (--trust-height, --trust-hash) and compared with the witnesses,
the values against the app hash of the header after the height they were read at.
"authentic" says the issuer's signature verifies with that key and the key was
valid when the attestation was anchored; "entitled" says the agency, as it is at
the proven height, may issue the type (the chain checked it at issuance). --bundle-out writes the proofs and that header
for "baynetd verify bundle"; --trusted-block-out writes the verified trust root.`,
		Example: `baynetd verify attestation 3f5a... --node http://127.0.0.1:26657 --witness http://127.0.0.1:26667 \
  --trust-height 1 --trust-hash 6B1C... --trust-period 168h --bundle-out bundle.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			id, at, c, err := startVerification(cmd, args[0])
			if err != nil {
				return err
			}
			verdict, bundle, err := c.Attestation(cmd.Context(), id, at)
			if err != nil {
				return err
			}
			if err := writeOutputs(cmd, c, bundle); err != nil {
				return err
			}
			out := newVerdictJSON(bundle)
			out.setAttestation(verdict)
			return printJSON(cmd, out)
		},
	}
	addClientFlags(cmd)
	f := cmd.Flags()
	f.String(flagAt, "", "decide the status at this time, RFC 3339 (default: now)")
	return cmd
}

// addClientFlags adds the light client's flags and the output files.
func addClientFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String(flagVerifyNode, "http://127.0.0.1:26657", "the primary: the node whose answers are proven")
	f.StringArray(flagWitness, nil, "a node to cross-check headers with (repeatable; at least one)")
	f.Int64(flagTrustHeight, 0, "height of the trusted header")
	f.String(flagTrustHash, "", "hash of the trusted header, hex")
	f.Duration(flagTrustPeriod, 168*time.Hour, "how long a verified header vouches for later ones")
	f.String(flagVerifyChain, "", "the chain id (default: the primary's; the trust hash fixes it anyway)")
	f.String(flagBundleOut, "", "write the proof bundle to this file")
	f.String(flagTrustedOut, "", "write the verified trust root light block to this file")
	_ = cmd.MarkFlagRequired(flagTrustHeight)
	_ = cmd.MarkFlagRequired(flagTrustHash)
}

// startVerification parses the attestation id and --at, and starts the
// light client the flags describe.
func startVerification(cmd *cobra.Command, idArg string) ([]byte, time.Time, *verifier.Client, error) {
	id, err := certstypes.ParseID(idArg)
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	at, c, err := startClient(cmd)
	return id, at, c, err
}

// startClient parses --at and starts the light client the flags describe.
func startClient(cmd *cobra.Command) (time.Time, *verifier.Client, error) {
	at, err := atFlag(cmd)
	if err != nil {
		return time.Time{}, nil, err
	}
	cfg, err := clientConfig(cmd)
	if err != nil {
		return time.Time{}, nil, err
	}
	c, err := verifier.NewClient(cmd.Context(), cfg)
	return at, c, err
}

// writeOutputs writes the bundle and the trust root where the flags ask.
func writeOutputs(cmd *cobra.Command, c *verifier.Client, bundle verifier.Bundle) error {
	if err := writeJSONFlag(cmd, flagBundleOut, bundle); err != nil {
		return err
	}
	if path, _ := cmd.Flags().GetString(flagTrustedOut); path != "" {
		root, err := c.TrustRoot()
		if err != nil {
			return err
		}
		return writeJSONFlag(cmd, flagTrustedOut, verifier.LightBlock{LightBlock: root})
	}
	return nil
}

func verifyRecognitionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "recognition [id] [region] [purpose]",
		Short: "Prove what the chain's recognition answer reads and decide if an attestation is recognised in a region for a purpose",
		Long: `Proves, with a light client as "verify attestation" does, the attestation's facts and
everything deciding its recognition reads — the region, the region's rules about
the type and the versions used, the issuing agency, the holder's anchor, consent
and identity links — at one height, and decides with the function the chain
answers "query certs is-recognised" with, at --at (default now).`,
		Example: `baynetd verify recognition 3f5a... HK tendering --node http://127.0.0.1:27001 \
  --witness http://127.0.0.1:27011 --trust-height 1 --trust-hash 6B1C... --bundle-out bundle.json`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			id, at, c, err := startVerification(cmd, args[0])
			if err != nil {
				return err
			}
			verdict, bundle, err := c.Recognition(cmd.Context(), id, args[1], args[2], at)
			if err != nil {
				return err
			}
			if err := writeOutputs(cmd, c, bundle); err != nil {
				return err
			}
			out := newVerdictJSON(bundle)
			out.setRecognition(verdict)
			return printJSON(cmd, out)
		},
	}
	addClientFlags(cmd)
	cmd.Flags().String(flagAt, "", "decide at this time, RFC 3339 (default: now)")
	return cmd
}

func verifyBundleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle [file]",
		Short: "Re-check a proof bundle offline against a trusted light block",
		Long: `Checks, with no network, that the bundle's header verifies against the trusted
light block (--trusted-block, as written by --trusted-block-out) and that every
value's proof leads to its app hash. --attestation ID also decides from the
bundle's values whether that attestation is authentic, its issuer entitled, and
its status at --at; with --region and --purpose (a bundle of "verify
recognition"), whether it is recognised there; --presentation FILE with
--challenge (a bundle of "verify presentation") decides whether the presenter holds
the attestation it presents; --batch FILE (a bundle of "verify batch") decides the
batch file's requests line by line. A refused bundle exits non-zero and names the
check that failed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			var b verifier.Bundle
			if err := readJSON(args[0], &b); err != nil {
				return err
			}
			var trusted verifier.LightBlock
			path, _ := cmd.Flags().GetString(flagTrustedBlock)
			if err := readJSON(path, &trusted); err != nil {
				return err
			}
			if err := checkTrustHash(cmd, trusted.LightBlock); err != nil {
				return err
			}
			period, _ := cmd.Flags().GetDuration(flagTrustPeriod)
			if err := verifier.VerifyBundle(b, trusted.LightBlock, period, time.Now()); err != nil {
				return err
			}
			if path, _ := cmd.Flags().GetString(flagBatch); path != "" {
				start := time.Now()
				lines, err := readBatch(path)
				if err != nil {
					return err
				}
				at, err := atFlag(cmd)
				if err != nil {
					return err
				}
				results := verifier.DecidePresentations(b.ChainID, batchRequests(lines), b.Values, at)
				return printBatch(cmd, lines, results, b.ChainID, b, start)
			}
			out := newVerdictJSON(b)
			if path, _ := cmd.Flags().GetString(flagPresentation); path != "" {
				at, err := atFlag(cmd)
				if err != nil {
					return err
				}
				v, err := decidePresentationFromBundle(cmd, b, path, at)
				if err != nil {
					return err
				}
				out.setPresentation(v)
				return printJSON(cmd, out)
			}
			if s, _ := cmd.Flags().GetString(flagAttestation); s != "" {
				id, err := certstypes.ParseID(s)
				if err != nil {
					return err
				}
				at, err := atFlag(cmd)
				if err != nil {
					return err
				}
				region, _ := cmd.Flags().GetString(flagRegion)
				purpose, _ := cmd.Flags().GetString(flagPurpose)
				if region != "" || purpose != "" {
					v, err := verifier.DecideRecognition(id, region, purpose, at, b.Values)
					if err != nil {
						return err
					}
					out.setRecognition(v)
					return printJSON(cmd, out)
				}
				v, err := verifier.DecideAttestation(id, b.Values, at)
				if err != nil {
					return err
				}
				out.setAttestation(v)
			}
			return printJSON(cmd, out)
		},
	}
	f := cmd.Flags()
	f.String(flagTrustedBlock, "", "the trusted light block, JSON")
	f.String(flagTrustHash, "", "also require the trusted block to have this hash, hex")
	f.Duration(flagTrustPeriod, 168*time.Hour, "how long a verified header vouches for later ones")
	f.String(flagAttestation, "", "decide this attestation's status from the bundle")
	f.String(flagRegion, "", "with --attestation and --purpose: decide its recognition in this region")
	f.String(flagPurpose, "", "with --attestation and --region: the purpose")
	f.String(flagPresentation, "", "with --challenge: decide this presentation (and with --region and --purpose, its recognition) from the bundle")
	f.String(flagBatch, "", "decide the presentation requests of this file (as for \"verify batch\") from the bundle of that batch")
	f.String(flagChallenge, "", "with --presentation: the challenge you gave the holder, hex")
	f.String(flagAt, "", "with --attestation: the time, RFC 3339 (default: now)")
	_ = cmd.MarkFlagRequired(flagTrustedBlock)
	return cmd
}

func clientConfig(cmd *cobra.Command) (verifier.Config, error) {
	f := cmd.Flags()
	node, _ := f.GetString(flagVerifyNode)
	witnesses, _ := f.GetStringArray(flagWitness)
	height, _ := f.GetInt64(flagTrustHeight)
	period, _ := f.GetDuration(flagTrustPeriod)
	chainID, _ := f.GetString(flagVerifyChain)
	hash, err := trustHash(cmd)
	if err != nil {
		return verifier.Config{}, err
	}
	if len(witnesses) == 0 {
		return verifier.Config{}, fmt.Errorf("give at least one --%s: the light client cross-checks the primary with it", flagWitness)
	}
	return verifier.Config{ChainID: chainID, TrustHeight: height, TrustHash: hash, TrustingPeriod: period,
		Primary: node, Witnesses: witnesses}, nil
}

func trustHash(cmd *cobra.Command) ([]byte, error) {
	s, _ := cmd.Flags().GetString(flagTrustHash)
	hash, err := hex.DecodeString(s)
	if err != nil || (s != "" && len(hash) != 32) {
		return nil, fmt.Errorf("--%s %q: want 64 hex characters", flagTrustHash, s)
	}
	return hash, nil
}

// checkTrustHash pins the trusted block file to a hash the user trusts, when given.
func checkTrustHash(cmd *cobra.Command, trusted *types.LightBlock) error {
	want, err := trustHash(cmd)
	if err != nil || len(want) == 0 {
		return err
	}
	if got := trusted.Hash(); !strings.EqualFold(got.String(), hex.EncodeToString(want)) {
		return fmt.Errorf("the trusted block has hash %s, not --%s %X", got, flagTrustHash, want)
	}
	return nil
}

func atFlag(cmd *cobra.Command) (time.Time, error) {
	s, _ := cmd.Flags().GetString(flagAt)
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: want RFC 3339", flagAt, s)
	}
	return t, nil
}

func readJSON(path string, v any) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(bz, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSONFlag(cmd *cobra.Command, flag string, v any) error {
	path, _ := cmd.Flags().GetString(flag)
	if path == "" {
		return nil
	}
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(bz, '\n'), 0o644)
}

func printJSON(cmd *cobra.Command, v any) error {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), string(bz))
	return err
}
