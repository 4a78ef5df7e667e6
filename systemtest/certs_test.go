//go:build system

package systemtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bulkReport is the JSON report `tx certs issue-bulk` prints.
type bulkReport struct {
	Issuer          string `json:"issuer"`
	Lines           int    `json:"lines"`
	Issued          int    `json:"issued"`
	AlreadyAnchored int    `json:"already_anchored"`
	Failed          []struct {
		Line      int    `json:"line"`
		LicenceID string `json:"licence_id"`
		Error     string `json:"error"`
	} `json:"failed"`
	Transactions []string `json:"transactions"`
}

func parseReport(t *testing.T, stdout string) bulkReport {
	t.Helper()
	var r bulkReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("decoding the issue-bulk report %q: %v", stdout, err)
	}
	return r
}

// licenceLine is line i of the generated file: a GD business licence with a
// subject, its file's SHA-256 (and SM3-sized second digest on even lines),
// valid 2026-2031.
func licenceLine(i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("business licence file %d", i)))
	rec := map[string]any{
		"type": "GD:business-licence", "licence_id": fmt.Sprintf("GD-BL-%05d", i), "subject": fmt.Sprintf("did:baynet:%032x", i),
		"sha256": hex.EncodeToString(sum[:]), "valid_from": "2026-01-01", "valid_until": "2031-01-01T00:00:00Z",
	}
	if i%2 == 0 {
		sm := sha256.Sum256(sum[:])
		rec["sm3"] = hex.EncodeToString(sm[:])
	}
	bz, _ := json.Marshal(rec)
	return string(bz)
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// attestationByLicence returns the id of GD:amr's attestation of licence.
func attestationByLicence(t *testing.T, home, licence string) string {
	t.Helper()
	out := mustRun(t, "query", "certs", "by-licence", licence, "--issuer", "GD:amr", "--home", home, "-o", "json")
	var res struct {
		Attestations []struct {
			Attestation struct {
				ID string `json:"id"`
			} `json:"attestation"`
		} `json:"attestations"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Attestations) != 1 {
		t.Fatalf("by-licence %s: %v, %s", licence, err, out)
	}
	return res.Attestations[0].Attestation.ID
}

// issueLicence has GD:amr issue one GD business licence, valid 2026-2031,
// through `tx certs issue` with extra flags, waits for its block and returns
// its id.
func issueLicence(t *testing.T, home, dir, licenceID string, extra ...string) string {
	t.Helper()
	licence := filepath.Join(dir, licenceID+".txt")
	if err := os.WriteFile(licence, []byte("营业执照 "+licenceID+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := run(append([]string{"tx", "certs", "issue", "--type", "GD:business-licence", "--licence-id", licenceID,
		"--document", licence, "--valid-from", "2026-01-01", "--valid-until", "2031-01-01", "--key-id", "sign-1", "--from", "gd-amr",
		"-y", "-o", "json", "--home", home}, extra...)...)
	if err != nil {
		t.Fatalf("issue: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
	}
	m := attestationIDLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("issue printed no attestation id on stderr: %q", stderr)
	}
	if inc := waitTx(t, home, parseTx(t, stdout).TxHash); inc.Code != 0 {
		t.Fatalf("issue failed in block %s: code %d (%s) %s", inc.Height, inc.Code, inc.Codespace, inc.RawLog)
	}
	return m[1]
}

// statusAt runs `query certs status-at`.
func statusAt(t *testing.T, home, id string, at time.Time) string {
	t.Helper()
	out := mustRun(t, "query", "certs", "status-at", id, at.UTC().Format(time.RFC3339Nano), "--home", home, "-o", "json")
	var res struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("status-at: %v: %s", err, out)
	}
	return strings.TrimPrefix(res.Status, "ATTESTATION_STATUS_")
}

// changeTimes returns the times of an attestation's history entries.
func changeTimes(t *testing.T, home, id string) []time.Time {
	t.Helper()
	out := mustRun(t, "query", "certs", "history", id, "--home", home, "-o", "json")
	var res struct {
		Changes []struct {
			Time time.Time `json:"time"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("history: %v: %s", err, out)
	}
	times := make([]time.Time, len(res.Changes))
	for i, c := range res.Changes {
		times[i] = c.Time
	}
	return times
}

// TestCertsBulkIssuanceAndStatusOverTime is issue 5's journey on a running
// node: GD:amr issues 10,000 attestations from a file through the CLI in
// transactions of 1,000, a rerun issues nothing twice, a file with bad lines
// names them while the rest go through, then it suspends one attestation
// (with an end), revokes another, and status-at queries answer right before
// and after each change.
func TestCertsBulkIssuanceAndStatusOverTime(t *testing.T) {
	tn := startTestnet(t, 1, 28300)
	home := tn.home(0)
	dir := t.TempDir()

	const n = 10_000
	lines := make([]string, n)
	for i := range lines {
		lines[i] = licenceLine(i)
	}
	file := filepath.Join(dir, "licences.jsonl")
	writeLines(t, file, lines)

	start := time.Now()
	stdout, stderr, err := run("tx", "certs", "issue-bulk", "--file", file, "--key-id", "sign-1", "--from", "gd-amr",
		"--batch-size", "1000", "-y", "--home", home)
	if err != nil {
		t.Fatalf("issue-bulk: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
	}
	report := parseReport(t, stdout)
	if report.Issued != n || len(report.Failed) != 0 || len(report.Transactions) != 10 || report.Issuer != "GD:amr" {
		t.Fatalf("issue-bulk report: issued %d, failed %v, %d transactions; want %d issued in 10 transactions\nstderr: %s",
			report.Issued, report.Failed, len(report.Transactions), n, stderr)
	}
	if !strings.Contains(stderr, "signed 10000/10000") || !strings.Contains(stderr, "10000/10000 issued") {
		t.Fatalf("issue-bulk showed no progress on stderr: %s", stderr)
	}
	t.Logf("issued %d attestations in %d transactions in %s", report.Issued, len(report.Transactions), time.Since(start).Round(time.Millisecond))

	// The chain holds all of them, and a rerun issues nothing.
	out := mustRun(t, "query", "certs", "by-issuer", "GD:amr", "--page-count-total", "--page-limit", "1", "--home", home, "-o", "json")
	if !strings.Contains(out, fmt.Sprintf(`"total":"%d"`, n)) && !strings.Contains(out, fmt.Sprintf(`"total": "%d"`, n)) {
		t.Fatalf("by-issuer GD:amr total: %s", out)
	}
	stdout = mustRun(t, "tx", "certs", "issue-bulk", "--file", file, "--key-id", "sign-1", "--from", "gd-amr", "-y", "--home", home)
	if rerun := parseReport(t, stdout); rerun.Issued != 0 || rerun.AlreadyAnchored != n || len(rerun.Transactions) != 0 {
		t.Fatalf("rerun: %+v; want nothing issued, %d already anchored", rerun, n)
	}

	// A file with bad lines: line 2 names a licence GD:amr already attested
	// (refused by the chain, the rest of its transaction resent), line 3
	// has a digest of the wrong length (refused before sending).
	bad := []string{
		licenceLine(n),
		strings.Replace(licenceLine(n+1), fmt.Sprintf("GD-BL-%05d", n+1), "GD-BL-00007", 1),
		`{"type":"GD:business-licence","licence_id":"GD-BL-BAD","sha256":"abcd","valid_from":"2026-01-01"}`,
		licenceLine(n + 2),
	}
	badFile := filepath.Join(dir, "bad.jsonl")
	writeLines(t, badFile, bad)
	stdout, stderr, err = run("tx", "certs", "issue-bulk", "--file", badFile, "--key-id", "sign-1", "--from", "gd-amr",
		"--batch-size", "10", "-y", "--home", home)
	if err == nil {
		t.Fatalf("issue-bulk of a file with bad lines succeeded: %s", stdout)
	}
	report = parseReport(t, stdout)
	if report.Issued != 2 || len(report.Failed) != 2 || report.Failed[0].Line != 2 || report.Failed[1].Line != 3 ||
		!strings.Contains(report.Failed[0].Error, "already attested") || !strings.Contains(report.Failed[1].Error, "sha256") {
		t.Fatalf("bad-lines report: %+v\nstderr: %s", report, stderr)
	}
	t.Logf("bad lines reported: %+v", report.Failed)

	suspendedID := attestationByLicence(t, home, "GD-BL-00100")
	revokedID := attestationByLicence(t, home, "GD-BL-00200")
	issuedAt := changeTimes(t, home, suspendedID)[0]
	for _, id := range []string{suspendedID, revokedID} {
		if s := statusAt(t, home, id, issuedAt); s != "ACTIVE" {
			t.Fatalf("%s at issuance: %s, want ACTIVE", id, s)
		}
		if s := statusAt(t, home, id, issuedAt.Add(-time.Second)); s != "NOT_ANCHORED" {
			t.Fatalf("%s before issuance: %s, want NOT_ANCHORED", id, s)
		}
	}

	// Suspend one until 20 seconds from now: it ends by itself.
	until := time.Now().Add(20 * time.Second).UTC().Truncate(time.Second)
	res := broadcast(t, "tx", "certs", "suspend", suspendedID, "licence audit", "--until", until.Format(time.RFC3339), "--from", "gd-amr", "--home", home)
	if inc := waitTx(t, home, res.TxHash); inc.Code != 0 {
		t.Fatalf("suspend: code %d (%s) %s", inc.Code, inc.Codespace, inc.RawLog)
	}
	suspendedAt := changeTimes(t, home, suspendedID)[1]
	checks := []struct {
		id   string
		at   time.Time
		want string
	}{
		{suspendedID, suspendedAt.Add(-time.Millisecond), "ACTIVE"},
		{suspendedID, suspendedAt, "SUSPENDED"},
		{suspendedID, until.Add(-time.Second), "SUSPENDED"},
		{suspendedID, until, "ACTIVE"},
		{suspendedID, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), "EXPIRED"},
		{revokedID, suspendedAt, "ACTIVE"},
	}
	for _, c := range checks {
		if got := statusAt(t, home, c.id, c.at); got != c.want {
			t.Fatalf("after the suspension: status of %s at %s is %s, want %s", c.id, c.at.Format(time.RFC3339Nano), got, c.want)
		}
	}

	// Revoke another; reinstating it is refused.
	res = broadcast(t, "tx", "certs", "revoke", revokedID, "licence cancelled", "--from", "gd-amr", "--home", home)
	if inc := waitTx(t, home, res.TxHash); inc.Code != 0 {
		t.Fatalf("revoke: code %d (%s) %s", inc.Code, inc.Codespace, inc.RawLog)
	}
	revokedAt := changeTimes(t, home, revokedID)[1]
	checks = []struct {
		id   string
		at   time.Time
		want string
	}{
		{revokedID, issuedAt, "ACTIVE"},
		{revokedID, revokedAt.Add(-time.Millisecond), "ACTIVE"},
		{revokedID, revokedAt, "REVOKED"},
		{revokedID, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), "REVOKED"},
		{suspendedID, revokedAt, "SUSPENDED"},
	}
	for _, c := range checks {
		if got := statusAt(t, home, c.id, c.at); got != c.want {
			t.Fatalf("after the revocation: status of %s at %s is %s, want %s", c.id, c.at.Format(time.RFC3339Nano), got, c.want)
		}
	}
	res = broadcast(t, "tx", "certs", "reinstate", revokedID, "mistake", "--from", "gd-amr", "--home", home)
	if inc := waitTx(t, home, res.TxHash); inc.Code == 0 || !strings.Contains(inc.RawLog, "revoked, which is final") {
		t.Fatalf("reinstating a revoked attestation: code %d %s; want a refusal", inc.Code, inc.RawLog)
	}

	// Once the suspension's end has passed, the status now is active with no
	// transaction having touched it.
	waitFor(t, 40*time.Second, "the suspension to end by itself", func() (bool, string) {
		out := mustRun(t, "query", "certs", "attestation", suspendedID, "--home", home, "-o", "json")
		var res struct {
			Attestation struct {
				Status string `json:"status"`
				Record struct {
					Status string `json:"status"`
				} `json:"record"`
			} `json:"attestation"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			return false, err.Error()
		}
		return res.Attestation.Status == "ATTESTATION_STATUS_ACTIVE" && res.Attestation.Record.Status == "ATTESTATION_STATUS_SUSPENDED",
			res.Attestation.Status + " (record " + res.Attestation.Record.Status + ")"
	})
	if n := len(changeTimes(t, home, suspendedID)); n != 2 {
		t.Fatalf("the suspension's end wrote history: %d entries", n)
	}
}
