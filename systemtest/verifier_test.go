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

// presentationVerdict is what "verify presentation" prints, and each line
// of "verify batch".
type presentationVerdict struct {
	verdict
	Line         int    `json:"line"`
	Error        string `json:"error"`
	Presentation *struct {
		Anchor  string   `json:"anchor"`
		KeyID   string   `json:"key_id"`
		Held    bool     `json:"held"`
		Reasons []string `json:"reasons"`
	} `json:"presentation"`
}

// heldCode is "held", or the first reason code of a presentation not held.
func (v presentationVerdict) heldCode() string {
	switch {
	case v.Presentation == nil:
		return "no presentation: " + v.Error
	case v.Presentation.Held:
		return "held"
	case len(v.Presentation.Reasons) == 0:
		return "not held, no reason"
	}
	code, _, _ := strings.Cut(v.Presentation.Reasons[0], ":")
	return code
}

// TestVerifierPresentation checks that a holder can show a bank it holds
// the anchor a licence names as subject: it creates the anchor with its
// own key, GD:amr issues the licence to it, the holder signs the bank's
// challenge offline, and the bank proves the anchor and its key through a
// light client and finds it held; a presentation over another challenge is
// not. The same, with a malformed line, as one batch file, and from the
// bundle offline.
func TestVerifierPresentation(t *testing.T) {
	tn := startTestnet(t, 2, 28420)
	home, dir := tn.home(0), t.TempDir()
	trustHash, err := blockHash(tn.rpc(0), 1)
	if err != nil {
		t.Fatal(err)
	}
	holderKey := filepath.Join(dir, "holder.pem")
	mustRun(t, "identity", "keygen", "--scheme", "p256", "--out", holderKey)
	did := anchorID(t, holderKey)
	mustTx(t, home, "tx", "identity", "create-anchor", "--key", holderKey, "--relay", "gd-amr")
	id := issueLicence(t, home, dir, "91440101MA5PRES001", "--subject", did)

	// present signs challenge with the holder's key into a file.
	present := func(name, challenge string) string {
		t.Helper()
		out := mustRun(t, "identity", "present", did, id, "--challenge", challenge, "--key", holderKey, "--key-id", "key-1", "--chain-id", "baynet-testnet")
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	challenge, other := strings.Repeat("c4", 32), strings.Repeat("7e", 16)
	good, wrong := present("good.json", challenge), present("wrong.json", other)
	client := []string{"--node", tn.rpc(0), "--witness", tn.rpc(1), "--trust-height", "1", "--trust-hash", trustHash}
	verify := func(file string, extra ...string) presentationVerdict {
		t.Helper()
		start := time.Now()
		var v presentationVerdict
		out := mustRun(t, append(append([]string{"verify", "presentation", file, "--challenge", challenge}, client...), extra...)...)
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("verify presentation: %v in %q", err, out)
		}
		t.Logf("verify presentation %s: %s at height %d in %s", filepath.Base(file), v.heldCode(), v.Height, time.Since(start).Round(time.Millisecond))
		return v
	}
	bundle, trusted := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "trusted.json")
	v := verify(good, "--bundle-out", bundle, "--trusted-block-out", trusted)
	// 0x01 | anchor id, 0x02 | anchor id | 0 | key id: the anchor and its key, proven.
	anchorKeys := []string{"identity/01" + hex.EncodeToString([]byte(did)), "identity/02" + hex.EncodeToString([]byte(did+"\x00key-1"))}
	if v.heldCode() != "held" || v.Status != "ACTIVE" || !v.trusted() || v.Presentation.Anchor != did ||
		!strings.Contains(strings.Join(v.provenKeys(), " "), strings.Join(anchorKeys, " ")) {
		t.Fatalf("verify presentation: %+v %+v; want held, an ACTIVE, authentic licence, keys %v", v, v.Presentation, anchorKeys)
	}
	if w := verify(wrong); w.heldCode() != "challenge_mismatch" {
		t.Fatalf("presentation over another challenge: %+v; want challenge_mismatch", w.Presentation)
	}

	// Offline, from the bundle.
	out, errOut, err := run("verify", "bundle", bundle, "--trusted-block", trusted, "--trust-hash", trustHash,
		"--presentation", good, "--challenge", challenge)
	var offline presentationVerdict
	if err != nil || json.Unmarshal([]byte(out), &offline) != nil || offline.heldCode() != "held" || offline.Height != v.Height {
		t.Fatalf("verify bundle --presentation: %v\n%s%s", err, out, errOut)
	}

	// A batch: the good presentation with HK recognition asked, the one over
	// another challenge, and a line that is not JSON.
	line := func(file, expected, extra string) string {
		bz, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return `{"presentation":` + strings.TrimSpace(string(bz)) + `,"expected_challenge":"` + expected + `"` + extra + `}`
	}
	batch := filepath.Join(dir, "batch.jsonl")
	body := line(good, challenge, `,"region":"HK","purpose":"tendering"`) + "\n" + line(wrong, challenge, "") + "\n" + `{"presentation": oops` + "\n"
	if err := os.WriteFile(batch, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	batchBundle := filepath.Join(dir, "batch-bundle.json")
	out = mustRun(t, append([]string{"verify", "batch", batch, "--bundle-out", batchBundle}, client...)...)
	t.Logf("verify batch of 3 lines in %s:\n%s", time.Since(start).Round(time.Millisecond), out)
	// Offline, the batch's bundle decides the same lines the same way.
	offlineOut, errOut, err := run("verify", "bundle", batchBundle, "--trusted-block", trusted, "--trust-hash", trustHash, "--batch", batch)
	if err != nil {
		t.Fatalf("verify bundle --batch: %v\n%s%s", err, offlineOut, errOut)
	}
	verdictsOf := func(out string) []string {
		var held []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var pv presentationVerdict
			if json.Unmarshal([]byte(l), &pv) == nil && pv.Line > 0 {
				held = append(held, pv.heldCode())
			}
		}
		return held
	}
	if online, offline := verdictsOf(out), verdictsOf(offlineOut); strings.Join(online, "|") != strings.Join(offline, "|") || len(online) != 3 {
		t.Fatalf("batch online %q, from its bundle %q; want the same 3 verdicts", online, offline)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("verify batch printed %d lines, want 3 verdicts and a summary:\n%s", len(lines), out)
	}
	var got []string
	for i, l := range lines[:3] {
		var pv presentationVerdict
		if err := json.Unmarshal([]byte(l), &pv); err != nil || pv.Line != i+1 {
			t.Fatalf("batch line %d: %v in %q", i+1, err, l)
		}
		got = append(got, pv.heldCode())
	}
	if want := []string{"held", "challenge_mismatch", "no presentation: line 3 is not a presentation request"}; !strings.HasPrefix(strings.Join(got, "|"), strings.Join(want, "|")) {
		t.Fatalf("batch verdicts %q; want %q", got, want)
	}
	var sum struct {
		Summary struct {
			Lines   int   `json:"lines"`
			Held    int   `json:"held"`
			NotHeld int   `json:"not_held"`
			Errors  int   `json:"errors"`
			Height  int64 `json:"height"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(lines[3]), &sum); err != nil || sum.Summary.Lines != 3 || sum.Summary.Held != 1 ||
		sum.Summary.NotHeld != 1 || sum.Summary.Errors != 1 || sum.Summary.Height == 0 {
		t.Fatalf("batch summary %q: %v", lines[3], err)
	}
}
