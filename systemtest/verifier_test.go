//go:build system

package systemtest

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// verdict is what `baynetd verify attestation` and `verify bundle` print.
type verdict struct {
	ID        string   `json:"id"`
	Status    string   `json:"status"`
	Authentic *bool    `json:"authentic"`
	Entitled  *bool    `json:"entitled"`
	Issuer    string   `json:"issuer"`
	KeyID     string   `json:"key_id"`
	Reasons   []string `json:"reasons"`
	DecidedBy *struct {
		Seq    uint32    `json:"seq"`
		Status string    `json:"status"`
		Time   time.Time `json:"time"`
	} `json:"decided_by"`
	ChainID    string `json:"chain_id"`
	Height     int64  `json:"height"`
	HeaderHash string `json:"header_hash"`
	ProvenKeys []struct {
		Store  string `json:"store"`
		Key    string `json:"key"`
		Absent bool   `json:"absent"`
	} `json:"proven_keys"`
}

func parseVerdict(t *testing.T, out string) verdict {
	t.Helper()
	var v verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("decoding the verdict %q: %v", out, err)
	}
	return v
}

// recognitionVerdict is what "verify recognition" prints.
type recognitionVerdict struct {
	verdict
	Recognition struct {
		Recognised bool   `json:"recognised"`
		RuleID     uint64 `json:"rule_id"`
		Reasons    []struct {
			Code   string `json:"code"`
			Detail string `json:"detail"`
		} `json:"reasons"`
	} `json:"recognition"`
}

// trusted says whether the verdict found the attestation authentic, signed by
// GD:amr's key sign-1, and its issuer entitled.
func (v verdict) trusted() bool {
	return v.Authentic != nil && *v.Authentic && v.Entitled != nil && *v.Entitled && v.Issuer == "GD:amr" && v.KeyID == "sign-1"
}

// provenKeys lists a verdict's keys as store/hex.
func (v verdict) provenKeys() []string {
	var out []string
	for _, k := range v.ProvenKeys {
		out = append(out, k.Store+"/"+k.Key)
	}
	return out
}

// TestVerifierAttestation checks an attestation as a bank would, trusting
// only header 1's hash: node0 answers, node1 witnesses, every value is
// proven against a light-client-verified header, the issuer's signing key
// and agency record included, so the verdict says the attestation is
// authentic and its issuer entitled. After a revocation the proof says
// REVOKED; the bundle re-checks offline to the same verdict, and a bundle
// with one byte of a value or of the header changed is refused.
func TestVerifierAttestation(t *testing.T) {
	tn := startTestnet(t, 2, 28400)
	home, dir := tn.home(0), t.TempDir()
	trustHash, err := blockHash(tn.rpc(0), 1)
	if err != nil {
		t.Fatal(err)
	}

	id := issueLicence(t, home, dir, "91440101MA5VERI001")

	verify := func(extra ...string) verdict {
		t.Helper()
		args := append([]string{"verify", "attestation", id, "--node", tn.rpc(0), "--witness", tn.rpc(1),
			"--trust-height", "1", "--trust-hash", trustHash, "--trust-period", "168h"}, extra...)
		start := time.Now()
		v := parseVerdict(t, mustRun(t, args...))
		t.Logf("verify attestation: %s at height %d in %s, keys %v", v.Status, v.Height, time.Since(start).Round(time.Millisecond), v.provenKeys())
		return v
	}
	v := verify()
	// The issuer's records: 0x0a | agency id | 0 | key id, 0x08 | region | 0 | agency id.
	issuerKeys := []string{"regions/0a" + hex.EncodeToString([]byte("GD:amr\x00sign-1")), "regions/08" + hex.EncodeToString([]byte("GD\x00GD:amr"))}
	wantKeys := append([]string{"certs/02" + id, "certs/06" + id, "certs/0720" + id + "00000000"}, issuerKeys...)
	if v.Status != "ACTIVE" || v.ID != id || len(v.Reasons) != 0 || !v.trusted() || strings.Join(v.provenKeys(), " ") != strings.Join(wantKeys, " ") {
		t.Fatalf("verify after issuance: %+v; want ACTIVE, authentic and entitled, with keys %v", v, wantKeys)
	}
	issuedAt := v.DecidedBy.Time

	// Recognition, decided by the verifier from proofs with the chain's own
	// function: HK recognises GD business licences for tendering.
	mustTx(t, home, "tx", "certs", "declare-recognition", "GD:business-licence", "--from", "hk-authority",
		"--terms", `{"purposes":["tendering"],"valid_from":"2026-01-01T00:00:00Z"}`)
	recognition := func(purpose string, extra ...string) recognitionVerdict {
		t.Helper()
		args := append([]string{"verify", "recognition", id, "HK", purpose, "--node", tn.rpc(0), "--witness", tn.rpc(1),
			"--trust-height", "1", "--trust-hash", trustHash}, extra...)
		var r recognitionVerdict
		if err := json.Unmarshal([]byte(mustRun(t, args...)), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := recognition("tendering"); !r.Recognition.Recognised || r.Recognition.RuleID != 1 || r.Status != "ACTIVE" {
		t.Fatalf("verify recognition in HK for tendering: %+v; want recognised by rule 1", r)
	}
	if r := recognition("e-seal"); r.Recognition.Recognised || len(r.Recognition.Reasons) != 1 || r.Recognition.Reasons[0].Code != "type_not_recognised" {
		t.Fatalf("verify recognition in HK for e-seal: %+v; want type_not_recognised", r)
	}

	mustTx(t, home, "tx", "certs", "revoke", id, "licence cancelled", "--from", "gd-amr")
	recBundle := filepath.Join(dir, "recognition.json")
	if r := recognition("tendering", "--bundle-out", recBundle); r.Recognition.Recognised || r.Recognition.Reasons[0].Code != "revoked" {
		t.Fatalf("verify recognition after the revocation: %+v; want revoked", r)
	}
	bundle, trusted := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "trusted.json")
	v = verify("--bundle-out", bundle, "--trusted-block-out", trusted)
	if v.Status != "REVOKED" || len(v.Reasons) != 1 || !strings.Contains(v.Reasons[0], "licence cancelled") ||
		v.DecidedBy == nil || v.DecidedBy.Seq != 1 || len(v.ProvenKeys) != 6 || !v.trusted() {
		t.Fatalf("verify after the revocation: %+v; want REVOKED by entry 1, authentic and entitled, 6 proven keys", v)
	}
	// Asked for the time before the revocation, the same proofs say ACTIVE.
	if before := verify("--at", issuedAt.Format(time.RFC3339Nano)); before.Status != "ACTIVE" {
		t.Fatalf("verify at issuance, after the revocation: %+v; want ACTIVE", before)
	}

	// Offline: no --node, only the files.
	checkBundle := func(path string, extra ...string) (string, string, error) {
		return run(append([]string{"verify", "bundle", path, "--trusted-block", trusted, "--trust-hash", trustHash,
			"--attestation", id}, extra...)...)
	}
	out, errOut, err := checkBundle(bundle)
	if err != nil {
		t.Fatalf("verify bundle: %v\n%s%s", err, out, errOut)
	}
	if ok := parseVerdict(t, out); ok.Status != "REVOKED" || ok.Height != v.Height || len(ok.ProvenKeys) != 6 || !ok.trusted() {
		t.Fatalf("verify bundle: %+v; want REVOKED, authentic and entitled at height %d", ok, v.Height)
	}
	out, errOut, err = checkBundle(bundle, "--at", issuedAt.Format(time.RFC3339Nano))
	if err != nil || parseVerdict(t, out).Status != "ACTIVE" {
		t.Fatalf("verify bundle at issuance: %v\n%s%s", err, out, errOut)
	}
	// The recognition bundle decides offline too: revoked now, recognised
	// by rule 1 at the time of issuance.
	for _, c := range []struct {
		at   string
		want string
	}{{"", "revoked"}, {issuedAt.Format(time.RFC3339Nano), ""}} {
		args := []string{recBundle, "--region", "HK", "--purpose", "tendering"}
		if c.at != "" {
			args = append(args, "--at", c.at)
		}
		out, errOut, err := checkBundle(args[0], args[1:]...)
		var r recognitionVerdict
		if err != nil || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("verify bundle --region HK --purpose tendering: %v\n%s%s", err, out, errOut)
		}
		got := ""
		if !r.Recognition.Recognised {
			got = r.Recognition.Reasons[0].Code
		}
		if got != c.want {
			t.Fatalf("recognition bundle at %q: %+v; want %q", c.at, r.Recognition, c.want)
		}
	}

	raw, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	tampered := []struct {
		name, want string
		edit       func(b map[string]any)
	}{
		{"one byte of the status record", "proof does not match the app hash", func(b map[string]any) {
			val := b["values"].([]any)[1].(map[string]any)
			val["value"] = flipHex(val["value"].(string), 10)
		}},
		{"one byte of the issuer's signing key", "proof does not match the app hash", func(b map[string]any) {
			val := b["values"].([]any)[4].(map[string]any)
			val["value"] = flipHex(val["value"].(string), len(val["value"].(string))/2)
		}},
		{"one byte of the header's app hash", "header not verified", func(b map[string]any) {
			h := b["light_block"].(map[string]any)["signed_header"].(map[string]any)["header"].(map[string]any)
			h["app_hash"] = flipHex(h["app_hash"].(string), 0)
		}},
	}
	for _, c := range tampered {
		var b map[string]any
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		c.edit(b)
		bz, _ := json.Marshal(b)
		path := filepath.Join(dir, "tampered.json")
		if err := os.WriteFile(path, bz, 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut, err := checkBundle(path)
		if err == nil || !strings.Contains(errOut, c.want) {
			t.Fatalf("bundle with %s: err %v, stderr %q, stdout %q; want a refusal (%s)", c.name, err, errOut, out, c.want)
		}
		t.Logf("bundle with %s refused: %s", c.name, strings.TrimSpace(errOut))
	}
}

// flipHex changes the hex digit at i of s to another one.
func flipHex(s string, i int) string {
	c := byte('0')
	if s[i] == '0' {
		c = '1'
	}
	return s[:i] + string(c) + s[i+1:]
}
