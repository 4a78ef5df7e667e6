package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"

	"github.com/baynet/baynet/x/certs/keeper"
	"github.com/baynet/baynet/x/certs/types"
)

// inclusionTimeout bounds the wait for one transaction to be in a block.
const inclusionTimeout = 2 * time.Minute

func issueBulkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "issue-bulk",
		Short: "Sign the attestations of a file and anchor them in transactions of --batch-size",
		Long: `Read attestations from a JSON-lines or CSV file (fields or columns: type, licence_id,
subject, sha256, sm3, valid_from, valid_until; digests hex; times RFC 3339, YYYY-MM-DD
or unix seconds), sign each payload locally with your agency's key (the keyring key of
--from, or a PEM --key-file: ed25519, secp256k1, P-256 or SM2) and anchor them in
transactions of --batch-size attestations, each verified on chain as one batch.

Lines already anchored (by an earlier run) are skipped, so a rerun issues nothing
twice. A line the chain refuses is reported with its reason and the rest of its
transaction is sent again without it; the other transactions go through. Progress goes
to stderr; a JSON report (issued, skipped, failed lines) to stdout. The exit status is
non-zero if any line failed.`,
		Example: `baynetd tx certs issue-bulk --file licences.jsonl --key-id sign-1 --from gd-amr --batch-size 1000 -y`,
		Args:    cobra.NoArgs,
		RunE:    runIssueBulk,
	}
	cmd.Flags().String(flagFile, "", "attestations to issue, one a line: .jsonl or .csv")
	cmd.Flags().Int(flagBatchSize, 1000, "attestations per transaction (at most the params' max_bulk)")
	_ = cmd.MarkFlagRequired(flagFile)
	addIssuerFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// bulkItem is a line of the input, signed.
type bulkItem struct {
	line int
	id   string
	item types.SignedAttestation
}

// lineFailure is a line that was not issued, and why.
type lineFailure struct {
	Line      int    `json:"line"`
	LicenceID string `json:"licence_id,omitempty"`
	Error     string `json:"error"`
}

// bulkReport is what issue-bulk prints on stdout.
type bulkReport struct {
	Issuer          string        `json:"issuer"`
	Lines           int           `json:"lines"`
	Issued          int           `json:"issued"`
	AlreadyAnchored int           `json:"already_anchored"`
	Failed          []lineFailure `json:"failed"`
	Transactions    []string      `json:"transactions"`
}

func runIssueBulk(cmd *cobra.Command, _ []string) error {
	cmd.SilenceUsage = true // what fails from here on is the input or the chain
	file, _ := cmd.Flags().GetString(flagFile)
	batchSize, _ := cmd.Flags().GetInt(flagBatchSize)
	is, err := setupIssuer(cmd)
	if err != nil {
		return err
	}
	if is.clientCtx.GenerateOnly || is.clientCtx.Simulate || is.clientCtx.Offline {
		return fmt.Errorf("issue-bulk signs and broadcasts; --%s, --%s and --%s do not apply", flags.FlagGenerateOnly, flags.FlagDryRun, flags.FlagOffline)
	}
	if batchSize < 1 || batchSize > int(is.params.MaxBulk) {
		return fmt.Errorf("--%s must be 1-%d (the chain's max_bulk)", flagBatchSize, is.params.MaxBulk)
	}
	lines, err := readInput(file)
	if err != nil {
		return err
	}
	progress := cmd.ErrOrStderr()
	report := &bulkReport{Issuer: is.agency.Id, Lines: len(lines), Failed: []lineFailure{}, Transactions: []string{}}
	fail := func(line int, licence string, err string) {
		report.Failed = append(report.Failed, lineFailure{Line: line, LicenceID: licence, Error: err})
	}

	// Build and check every payload before signing anything.
	var todo []bulkItem
	licences := map[string]int{}
	for _, l := range lines {
		if l.err != nil {
			fail(l.line, "", l.err.Error())
			continue
		}
		p, err := l.record.Payload(is.clientCtx.ChainID, is.agency.Id, is.keyID)
		switch {
		case err != nil:
			fail(l.line, l.record.LicenceID, err.Error())
		case !slices.Contains(is.agency.CredentialTypes, p.Type):
			fail(l.line, p.LicenceId, fmt.Sprintf("agency %s may not issue %s", is.agency.Id, p.Type))
		case licences[p.LicenceId] != 0:
			fail(l.line, p.LicenceId, fmt.Sprintf("licence %s is also on line %d", p.LicenceId, licences[p.LicenceId]))
		default:
			licences[p.LicenceId] = l.line
			todo = append(todo, bulkItem{line: l.line, id: p.ID(), item: types.SignedAttestation{Payload: p}})
		}
	}
	if todo, err = skipAnchored(cmd, is, todo, report); err != nil {
		return err
	}
	fmt.Fprintf(progress, "%s: %d lines; %d to issue, %d already anchored, %d refused before sending\n",
		file, len(lines), len(todo), report.AlreadyAnchored, len(report.Failed))
	if len(todo) > 0 {
		batches := (len(todo) + batchSize - 1) / batchSize
		ok, err := confirm(cmd, is.clientCtx, fmt.Sprintf("Issue %d attestations as %s in %d transactions?", len(todo), is.agency.Id, batches))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("cancelled")
		}
		for i := range todo {
			sig, err := is.signer.Sign(todo[i].item.Payload.SignBytes())
			if err != nil {
				return fmt.Errorf("signing line %d: %w", todo[i].line, err)
			}
			todo[i].item.Signature = sig
			if (i+1)%1000 == 0 || i+1 == len(todo) {
				fmt.Fprintf(progress, "signed %d/%d\n", i+1, len(todo))
			}
		}
		if err := sendBatches(cmd, is, todo, batchSize, report, progress); err != nil {
			return err
		}
	}
	slices.SortFunc(report.Failed, func(a, b lineFailure) int { return a.Line - b.Line })
	out, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), string(out))
	if len(report.Failed) > 0 {
		return fmt.Errorf("%d of %d lines not issued (see \"failed\")", len(report.Failed), len(lines))
	}
	return nil
}

// skipAnchored drops the items an earlier run already anchored.
func skipAnchored(cmd *cobra.Command, is *issuer, todo []bulkItem, report *bulkReport) ([]bulkItem, error) {
	q := types.NewQueryClient(is.clientCtx)
	kept := todo[:0]
	for start := 0; start < len(todo); start += keeper.MaxAnchoredIDs {
		chunk := todo[start:min(start+keeper.MaxAnchoredIDs, len(todo))]
		ids := make([]string, len(chunk))
		for i, it := range chunk {
			ids[i] = it.id
		}
		res, err := q.Anchored(cmd.Context(), &types.QueryAnchoredRequest{Ids: ids})
		if err != nil {
			return nil, fmt.Errorf("checking which attestations are anchored: %w", err)
		}
		for i, it := range chunk {
			if i < len(res.Anchored) && res.Anchored[i] {
				report.AlreadyAnchored++
				continue
			}
			kept = append(kept, it)
		}
	}
	return kept, nil
}

// sentBatch is a transaction that passed CheckTx.
type sentBatch struct {
	items []bulkItem
	hash  string
}

// sendBatches sends the items in transactions of batchSize, all at once with
// consecutive sequences, then waits for each. A transaction the chain refuses
// because of one item fails only that line: the rest is queued again.
func sendBatches(cmd *cobra.Command, is *issuer, todo []bulkItem, batchSize int, report *bulkReport, progress io.Writer) error {
	clientCtx := is.clientCtx
	accNum, seq, err := clientCtx.AccountRetriever.GetAccountNumberSequence(clientCtx, clientCtx.GetFromAddress())
	if err != nil {
		return fmt.Errorf("account of %s: %w", clientCtx.GetFromAddress(), err)
	}
	txf, err := clienttx.NewFactoryCLI(clientCtx, cmd.Flags())
	if err != nil {
		return err
	}
	txf = txf.WithAccountNumber(accNum)
	var queue [][]bulkItem
	for start := 0; start < len(todo); start += batchSize {
		queue = append(queue, todo[start:min(start+batchSize, len(todo))])
	}
	failBatch := func(b []bulkItem, reason string) {
		for _, it := range b {
			report.Failed = append(report.Failed, lineFailure{Line: it.line, LicenceID: it.item.Payload.LicenceId, Error: reason})
		}
	}
	for round := 1; len(queue) > 0; round++ {
		var sent []sentBatch
		for i, b := range queue {
			msg := &types.MsgIssueAttestations{Issuer: clientCtx.GetFromAddress().String(), Items: make([]types.SignedAttestation, len(b))}
			for j, it := range b {
				msg.Items[j] = it.item
			}
			span := fmt.Sprintf("lines %d-%d", b[0].line, b[len(b)-1].line)
			res, err := broadcast(cmd, is, txf.WithSequence(seq).WithGas(is.gasFor(msg)), msg)
			switch {
			case err != nil:
				failBatch(b, err.Error())
				fmt.Fprintf(progress, "transaction %d/%d (%s): not sent: %v\n", i+1, len(queue), span, err)
			case res.Code != 0:
				failBatch(b, res.RawLog)
				fmt.Fprintf(progress, "transaction %d/%d (%s): refused: %s\n", i+1, len(queue), span, res.RawLog)
			default:
				seq++
				sent = append(sent, sentBatch{items: b, hash: res.TxHash})
				fmt.Fprintf(progress, "transaction %d/%d (%s, %d attestations): sent %s\n", i+1, len(queue), span, len(b), res.TxHash)
			}
		}
		queue = nil
		for _, s := range sent {
			res, err := waitForTx(cmd, is, s.hash)
			if err != nil {
				failBatch(s.items, err.Error())
				fmt.Fprintf(progress, "%s: %v\n", s.hash, err)
				continue
			}
			if res.Code == 0 {
				report.Issued += len(s.items)
				report.Transactions = append(report.Transactions, s.hash)
				fmt.Fprintf(progress, "%s: %d attestations anchored at height %d (%d/%d issued)\n", s.hash, len(s.items), res.Height, report.Issued, len(todo))
				continue
			}
			i, ok := types.ItemErrorIndex(res.RawLog)
			if !ok || i >= len(s.items) {
				failBatch(s.items, res.RawLog)
				fmt.Fprintf(progress, "%s: failed: %s\n", s.hash, res.RawLog)
				continue
			}
			bad := s.items[i]
			reason := itemReason(res.RawLog)
			report.Failed = append(report.Failed, lineFailure{Line: bad.line, LicenceID: bad.item.Payload.LicenceId, Error: reason})
			rest := append(slices.Clone(s.items[:i]), s.items[i+1:]...)
			fmt.Fprintf(progress, "%s: line %d refused (%s); sending the other %d again\n", s.hash, bad.line, reason, len(rest))
			if len(rest) > 0 {
				queue = append(queue, rest)
			}
		}
	}
	return nil
}

// itemReason is the part of a log after "item <n>: ".
func itemReason(log string) string {
	if i := strings.Index(log, "item "); i >= 0 {
		if j := strings.Index(log[i:], ": "); j >= 0 {
			return log[i+j+2:]
		}
	}
	return log
}

// broadcast signs msg with --from's key and submits it, waiting for CheckTx.
func broadcast(cmd *cobra.Command, is *issuer, txf clienttx.Factory, msg sdk.Msg) (*sdk.TxResponse, error) {
	txb, err := txf.BuildUnsignedTx(msg)
	if err != nil {
		return nil, err
	}
	if err := clienttx.Sign(cmd.Context(), txf, is.clientCtx.FromName, txb, true); err != nil {
		return nil, err
	}
	bz, err := is.clientCtx.TxConfig.TxEncoder()(txb.GetTx())
	if err != nil {
		return nil, err
	}
	return is.clientCtx.BroadcastTxSync(bz)
}

// waitForTx polls the node until the transaction is in a block.
func waitForTx(cmd *cobra.Command, is *issuer, hash string) (*sdk.TxResponse, error) {
	deadline := time.Now().Add(inclusionTimeout)
	for {
		res, err := authtx.QueryTx(is.clientCtx, hash)
		if err == nil && res.Height > 0 {
			return res, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("not in a block after %s (last: %v)", inclusionTimeout, err)
		}
		select {
		case <-cmd.Context().Done():
			return nil, cmd.Context().Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
