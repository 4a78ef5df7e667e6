package cmd

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/baynet/baynet/verifier"
)

const (
	flagChallenge    = "challenge"
	flagPresentation = "presentation"
)

// presentationJSON is whether the presenter holds the attestation's subject.
type presentationJSON struct {
	Anchor  string   `json:"anchor"`
	KeyID   string   `json:"key_id"`
	Held    bool     `json:"held"`
	Reasons []string `json:"reasons"`
}

func (o *verdictJSON) setPresentation(v verifier.PresentationVerdict) {
	if v.Recognition != nil {
		o.setRecognition(*v.Recognition)
	} else {
		o.setAttestation(v.Attestation)
	}
	o.Presentation = &presentationJSON{Anchor: v.Anchor, KeyID: v.KeyID, Held: v.Held, Reasons: v.Reasons}
}

// presentationRequest reads a presentation file and the --challenge the
// verifier chose, and --region and --purpose if given.
func presentationRequest(cmd *cobra.Command, path string) (verifier.PresentationRequest, error) {
	var req verifier.PresentationRequest
	if err := readJSON(path, &req.Presentation); err != nil {
		return req, err
	}
	s, _ := cmd.Flags().GetString(flagChallenge)
	challenge, err := hex.DecodeString(s)
	if err != nil || s == "" {
		return req, fmt.Errorf("--%s %q: give the challenge you chose, hex", flagChallenge, s)
	}
	req.Challenge = challenge
	req.Region, _ = cmd.Flags().GetString(flagRegion)
	req.Purpose, _ = cmd.Flags().GetString(flagPurpose)
	return req, nil
}

func verifyPresentationCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "presentation [file]",
		Short: "Prove a presented attestation, its subject's anchor and key, and decide if the presenter holds it",
		Long: `Reads a presentation ("baynetd identity present" prints one) and proves, with a light
client as "verify attestation" does and at one height, the attestation's facts, the
anchor and the anchor key record. "held" says the attestation's subject is the anchor,
the anchor is active, the key is in force with the authentication purpose, the signed
challenge is --challenge (the one you chose) and the signature verifies. With --region
and --purpose the attestation's recognition there is decided too.`,
		Example: `baynetd verify presentation p.json --challenge 8c1d... --node http://127.0.0.1:26657 \
  --witness http://127.0.0.1:26667 --trust-height 1 --trust-hash 6B1C... --bundle-out bundle.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			req, err := presentationRequest(cmd, args[0])
			if err != nil {
				return err
			}
			at, c, err := startClient(cmd)
			if err != nil {
				return err
			}
			verdict, bundle, err := c.Presentation(cmd.Context(), req, at)
			if err != nil {
				return err
			}
			if err := writeOutputs(cmd, c, bundle); err != nil {
				return err
			}
			out := newVerdictJSON(bundle)
			out.setPresentation(verdict)
			return printJSON(cmd, out)
		},
	}
	addClientFlags(cmd)
	f := cmd.Flags()
	f.String(flagChallenge, "", "the challenge you gave the holder, hex")
	f.String(flagRegion, "", "with --purpose: also decide the attestation's recognition in this region")
	f.String(flagPurpose, "", "with --region: the purpose")
	f.String(flagAt, "", "decide the status at this time, RFC 3339 (default: now)")
	return cmd
}

// batchLineJSON is the verdict on one line of a batch file.
type batchLineJSON struct {
	Line int `json:"line"`
	verdictJSON
	Error string `json:"error,omitempty"`
}

// batchSummaryJSON closes a batch's output.
type batchSummaryJSON struct {
	Summary struct {
		Lines      int    `json:"lines"`
		Held       int    `json:"held"`
		NotHeld    int    `json:"not_held"`
		Errors     int    `json:"errors"`
		ChainID    string `json:"chain_id"`
		Height     int64  `json:"height"`
		HeaderHash string `json:"header_hash,omitempty"`
		Elapsed    string `json:"elapsed"`
	} `json:"summary"`
}

func verifyBatchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "batch [file]",
		Short: "Decide a file of presentations with one light client, one height and one batch of signatures",
		Long: `Reads JSON lines, one request each:

  {"presentation": {...as "identity present" prints it...}, "expected_challenge": "HEX",
   "region": "HK", "purpose": "tendering"}

(region and purpose optional) and decides each as "verify presentation" does, with one
light client: every fact of the whole batch is proven at one height, each key once, and
every presentation signature is verified in one batch (crypto.BatchVerifier). Prints one
JSON verdict per line, in order, then a summary line. A line that is not a request, or
whose attestation is not on chain, gets an "error" and the others go on. --bundle-out
writes one bundle with the values of the whole batch.`,
		Example: `baynetd verify batch presentations.jsonl --node http://127.0.0.1:26657 \
  --witness http://127.0.0.1:26667 --trust-height 1 --trust-hash 6B1C...`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			start := time.Now()
			lines, err := readBatch(args[0])
			if err != nil {
				return err
			}
			at, c, err := startClient(cmd)
			if err != nil {
				return err
			}
			results, bundle, err := c.Presentations(cmd.Context(), batchRequests(lines), at)
			if err != nil {
				return err
			}
			if bundle.LightBlock.LightBlock != nil {
				if err := writeOutputs(cmd, c, bundle); err != nil {
					return err
				}
			}
			return printBatch(cmd, lines, results, c.ChainID(), bundle, start)
		},
	}
	addClientFlags(cmd)
	cmd.Flags().String(flagAt, "", "decide the statuses at this time, RFC 3339 (default: now)")
	return cmd
}

// batchRequests returns the requests of the lines that are requests.
func batchRequests(lines []batchLine) []verifier.PresentationRequest {
	var reqs []verifier.PresentationRequest
	for _, l := range lines {
		if l.err == nil {
			reqs = append(reqs, l.req)
		}
	}
	return reqs
}

// printBatch prints one verdict per line of the batch file, in order, then
// the summary; results are those of the lines that are requests.
func printBatch(cmd *cobra.Command, lines []batchLine, results []verifier.PresentationResult, chainID string, bundle verifier.Bundle, start time.Time) error {
	var sum batchSummaryJSON
	s := &sum.Summary
	s.Lines, s.ChainID, s.Height = len(lines), chainID, bundle.Height
	if bundle.LightBlock.LightBlock != nil {
		s.HeaderHash = bundle.LightBlock.Hash().String()
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	next := 0
	for _, l := range lines {
		out := batchLineJSON{Line: l.number, verdictJSON: verdictJSON{ChainID: chainID, Reasons: []string{}}}
		err := l.err
		if err == nil {
			res := results[next]
			next++
			if err = res.Err; err == nil {
				out.Height, out.HeaderHash = bundle.Height, s.HeaderHash
				out.setPresentation(res.Verdict)
			}
		}
		switch {
		case err != nil:
			out.Error = err.Error()
			s.Errors++
		case out.Presentation.Held:
			s.Held++
		default:
			s.NotHeld++
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	s.Elapsed = time.Since(start).Round(time.Millisecond).String()
	return enc.Encode(sum)
}

// batchLine is one non-empty line of a batch file: a request or why not.
type batchLine struct {
	number int
	req    verifier.PresentationRequest
	err    error
}

// readBatch reads a batch file's lines; blank lines are skipped but counted.
func readBatch(path string) ([]batchLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var out []batchLine
	for n := 1; sc.Scan(); n++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		l := batchLine{number: n}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l.req); err != nil {
			l.err = fmt.Errorf("line %d is not a presentation request: %w", n, err)
		} else if len(l.req.Presentation.Attestation) == 0 {
			l.err = fmt.Errorf("line %d names no attestation", n)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// decidePresentationFromBundle decides --presentation with --challenge from
// a bundle's values, for "verify bundle".
func decidePresentationFromBundle(cmd *cobra.Command, b verifier.Bundle, path string, at time.Time) (verifier.PresentationVerdict, error) {
	req, err := presentationRequest(cmd, path)
	if err != nil {
		return verifier.PresentationVerdict{}, err
	}
	return verifier.DecidePresentation(b.ChainID, req, b.Values, at)
}
