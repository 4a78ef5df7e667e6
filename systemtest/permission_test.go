//go:build system

package systemtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnregisteredSenderRefused checks the permission rule of DESIGN §3 on a
// running node: a transaction from an account that is neither a region
// authority, a validator operator nor an active agency, and one from a
// suspended agency, are refused at CheckTx with an error that says so.
func TestUnregisteredSenderRefused(t *testing.T) {
	tn := startTestnet(t, 1, 28100)
	home := tn.home(0)

	// A key unknown to the chain. Its account does not exist, so the client
	// cannot look up its number: sign offline and broadcast the bytes, which
	// reaches the permission rule (it runs before the signature checks).
	mustRun(t, "keys", "add", "stranger", "--home", home, "--keyring-backend", "test")
	unsigned := mustRun(t, "tx", "regions", "suspend-agency", "GD:amr", "stranger at the gate",
		"--from", "stranger", "--home", home, "--generate-only")
	dir := t.TempDir()
	unsignedFile := filepath.Join(dir, "unsigned.json")
	if err := os.WriteFile(unsignedFile, []byte(unsigned), 0o600); err != nil {
		t.Fatal(err)
	}
	signed := mustRun(t, "tx", "sign", unsignedFile, "--from", "stranger", "--offline",
		"--account-number", "0", "--sequence", "0", "--home", home)
	signedFile := filepath.Join(dir, "signed.json")
	if err := os.WriteFile(signedFile, []byte(signed), 0o600); err != nil {
		t.Fatal(err)
	}
	res := parseTx(t, mustRun(t, "tx", "broadcast", signedFile, "--home", home, "-o", "json"))
	if res.Code == 0 || !strings.Contains(res.RawLog, "not permitted") ||
		!strings.Contains(res.RawLog, "not a region authority, validator operator or registered agency") {
		t.Fatalf("tx from an unregistered account: code %d (%s) %q; want a CheckTx refusal saying it is not permitted",
			res.Code, res.Codespace, res.RawLog)
	}
	t.Logf("unregistered sender refused: code %d (%s) %s", res.Code, res.Codespace, res.RawLog)

	// An active agency passes the permission rule (its message then fails in
	// the block, since an agency is not a region authority)...
	res = broadcast(t, "tx", "regions", "suspend-agency", "HK:erb", "not mine to suspend", "--from", "gd-amr", "--home", home)
	if res.Code != 0 {
		t.Fatalf("tx from the active agency GD:amr refused at CheckTx: code %d (%s) %s", res.Code, res.Codespace, res.RawLog)
	}
	if inc := waitTx(t, home, res.TxHash); inc.Code == 0 {
		t.Fatalf("GD:amr suspended HK:erb, an agency of another region, without being its authority: %+v", inc)
	}

	// ...until its region suspends it.
	res = broadcast(t, "tx", "regions", "suspend-agency", "GD:amr", "audit", "--from", "gd-authority", "--home", home)
	if res.Code != 0 {
		t.Fatalf("suspend-agency refused at CheckTx: code %d (%s) %s", res.Code, res.Codespace, res.RawLog)
	}
	if inc := waitTx(t, home, res.TxHash); inc.Code != 0 {
		t.Fatalf("suspend-agency failed in block %s: code %d (%s) %s", inc.Height, inc.Code, inc.Codespace, inc.RawLog)
	}
	if a, err := queryAgency(home, tn.node(0), "GD:amr"); err != nil || a.Status != "AGENCY_STATUS_SUSPENDED" {
		t.Fatalf("GD:amr after suspension: %+v, %v; want AGENCY_STATUS_SUSPENDED", a, err)
	}
	res = broadcast(t, "tx", "regions", "suspend-agency", "HK:erb", "after suspension", "--from", "gd-amr", "--home", home)
	if res.Code == 0 || !strings.Contains(res.RawLog, "not permitted") ||
		!strings.Contains(strings.ToLower(res.RawLog), "suspended") || !strings.Contains(res.RawLog, "GD:amr") {
		t.Fatalf("tx from the suspended agency GD:amr: code %d (%s) %q; want a CheckTx refusal saying GD:amr is suspended",
			res.Code, res.Codespace, res.RawLog)
	}
	t.Logf("suspended agency refused: code %d (%s) %s", res.Code, res.Codespace, res.RawLog)
}
