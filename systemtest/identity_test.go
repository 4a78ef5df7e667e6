//go:build system

package systemtest

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestIdentityJourney walks a resident's journey (DESIGN §4) through the
// command line on a one-validator testnet with the demo agencies: create an
// anchor with a locally held key, get it linked by the Guangdong and Hong
// Kong identity providers, grant consent to a verifier, rotate the key,
// resolve the DID document now and at an earlier height, and see a
// replayed, a forged and a revoked-key payload refused in the block.
func TestIdentityJourney(t *testing.T) {
	tn := startTestnet(t, 1, 28200)
	home := tn.home(0)
	dir := t.TempDir()
	holderKey, newKey := filepath.Join(dir, "holder.pem"), filepath.Join(dir, "holder2.pem")
	salt := strings.Repeat("5a", 32)

	// ok runs a tx command, waits for its block and fails unless it succeeded.
	ok := func(args ...string) txResponse {
		t.Helper()
		res := broadcast(t, append(args, "--home", home)...)
		if res.Code != 0 {
			t.Fatalf("%s refused at CheckTx: code %d (%s) %s", args[2], res.Code, res.Codespace, res.RawLog)
		}
		inc := waitTx(t, home, res.TxHash)
		if inc.Code != 0 {
			t.Fatalf("%s failed in block %s: code %d (%s) %s", args[2], inc.Height, inc.Code, inc.Codespace, inc.RawLog)
		}
		return inc
	}
	// refused relays a signed operation file and returns its block result,
	// failing unless the block refused it.
	refused := func(file string) txResponse {
		t.Helper()
		res := broadcast(t, "tx", "identity", "relay", file, "--from", "hk-erb", "--home", home)
		if res.Code != 0 {
			return res
		}
		inc := waitTx(t, home, res.TxHash)
		if inc.Code == 0 {
			t.Fatalf("relaying %s succeeded in block %s", file, inc.Height)
		}
		return inc
	}
	query := func(v any, args ...string) {
		t.Helper()
		out := mustRun(t, append(append([]string{"query", "identity"}, args...), "--home", home, "-o", "json")...)
		// JSON leaves out false and zero values: decode into a zero value.
		reflect.ValueOf(v).Elem().SetZero()
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("query identity %s: %v in %q", strings.Join(args, " "), err, out)
		}
	}
	type anchorRes struct {
		Anchor struct {
			Status     string   `json:"status"`
			Sequence   string   `json:"sequence"`
			ActiveKeys []string `json:"active_keys"`
		} `json:"anchor"`
	}

	// The holder makes its keys; no chain account is involved.
	mustRun(t, "identity", "keygen", "--scheme", "ed25519", "--out", holderKey)
	mustRun(t, "identity", "keygen", "--scheme", "sm2", "--out", newKey)
	did := anchorID(t, holderKey)
	if !strings.HasPrefix(did, "did:baynet:") || len(did) != len("did:baynet:")+32 {
		t.Fatalf("anchor id %q", did)
	}

	// 1. Create the anchor, relayed by an agency.
	ok("tx", "identity", "create-anchor", "--key", holderKey, "--relay", "gd-amr")
	var a anchorRes
	query(&a, "anchor", did)
	if a.Anchor.Status != "ANCHOR_STATUS_ACTIVE" || strings.Join(a.Anchor.ActiveKeys, ",") != "key-1" {
		t.Fatalf("anchor after creation: %+v", a)
	}

	// 2. Linked by the GD and HK identity providers; the identifiers are
	// hashed on the provider's machine.
	ok("tx", "identity", "link", did, "--id-scheme", "CN-RIC", "--identifier", "44030119900101123X", "--salt", salt,
		"--loa", "3", "--valid-until", "8760h", "--holder-key", holderKey, "--from", "gd-idp")
	ok("tx", "identity", "link", did, "--id-scheme", "HKID", "--identifier", "A1234563", "--salt", salt,
		"--loa", "4", "--valid-until", "8760h", "--holder-key", holderKey, "--from", "hk-iamsmart")
	var link struct {
		Link struct {
			AnchorID string `json:"anchor_id"`
			Idp      string `json:"idp"`
			Region   string `json:"region"`
		} `json:"link"`
		InForce bool `json:"in_force"`
	}
	// A verifier in Hong Kong shown the identifier and salt finds the anchor.
	query(&link, "link-by-commitment", "--region", "HK", "--id-scheme", "HKID", "--identifier", "A1234563", "--salt", salt)
	if link.Link.AnchorID != did || link.Link.Idp != "HK:iamsmart" || !link.InForce {
		t.Fatalf("HK link: %+v", link)
	}
	var links struct {
		Links []struct {
			Idp string `json:"idp"`
		} `json:"links"`
	}
	query(&links, "links", did)
	if len(links.Links) != 2 {
		t.Fatalf("links of %s: %+v", did, links)
	}

	// 3. Consent to a Hong Kong bank for one credential type.
	granted := ok("tx", "identity", "grant-consent", did, "HK:bank-of-example", "account-opening",
		"--credential-types", "GD:business-licence", "--valid-until", "720h", "--key", holderKey, "--relay", "gd-amr")
	var consent struct {
		Holds  bool   `json:"holds"`
		Reason string `json:"reason"`
	}
	query(&consent, "consent-at", did, "HK:bank-of-example", "account-opening", "GD:business-licence")
	if !consent.Holds {
		t.Fatalf("consent for GD:business-licence: %+v", consent)
	}
	query(&consent, "consent-at", did, "HK:bank-of-example", "account-opening", "GD:food-permit")
	if consent.Holds || !strings.Contains(consent.Reason, "does not cover") {
		t.Fatalf("consent for a type not granted: %+v", consent)
	}

	// 4. Rotate to the SM2 key; the DID document follows, and the state at
	// the consent's height still shows the old key.
	ok("tx", "identity", "rotate-key", did, "key-1", "--key", holderKey, "--new-key", newKey, "--new-key-id", "key-2", "--relay", "gd-amr")
	type resolution struct {
		Document struct {
			ID                 string `json:"id"`
			VerificationMethod []struct {
				ID     string            `json:"id"`
				Type   string            `json:"type"`
				Jwk    map[string]string `json:"publicKeyJwk"`
				Multib string            `json:"publicKeyMultibase"`
			} `json:"verificationMethod"`
			Authentication []string `json:"authentication"`
		} `json:"didDocument"`
		Metadata struct {
			VersionID string `json:"versionId"`
		} `json:"didDocumentMetadata"`
	}
	var now, then resolution
	query(&now, "resolve", did)
	if now.Document.ID != did || len(now.Document.VerificationMethod) != 1 || now.Document.VerificationMethod[0].ID != did+"#key-2" ||
		now.Document.VerificationMethod[0].Type != "JsonWebKey2020" || now.Document.VerificationMethod[0].Jwk["crv"] != "SM2" ||
		strings.Join(now.Document.Authentication, ",") != did+"#key-2" {
		t.Fatalf("DID document after rotation: %+v", now)
	}
	query(&then, "resolve", did, "--height", granted.Height)
	if len(then.Document.VerificationMethod) != 1 || then.Document.VerificationMethod[0].ID != did+"#key-1" ||
		then.Document.VerificationMethod[0].Type != "Ed25519VerificationKey2020" || !strings.HasPrefix(then.Document.VerificationMethod[0].Multib, "z6Mk") {
		t.Fatalf("DID document at height %s: %+v", granted.Height, then)
	}
	var oldKey struct {
		Key struct {
			Status    string `json:"status"`
			RevokedAt string `json:"revoked_at"`
		} `json:"key"`
	}
	query(&oldKey, "key", did, "key-1")
	if oldKey.Key.Status != "KEY_STATUS_REVOKED" || oldKey.Key.RevokedAt == "" {
		t.Fatalf("key-1 after rotation: %+v", oldKey)
	}

	// 5. A signed operation relayed twice: applied once, then refused as a
	// replay.
	opFile := filepath.Join(dir, "withdraw.json")
	mustRun(t, "tx", "identity", "withdraw-consent", did, "HK:bank-of-example", "account-opening", "--key", newKey, "--op-out", opFile, "--home", home)
	ok("tx", "identity", "relay", opFile, "--from", "hk-erb")
	query(&consent, "consent-at", did, "HK:bank-of-example", "account-opening", "GD:business-licence")
	if consent.Holds || !strings.Contains(consent.Reason, "withdrawn") {
		t.Fatalf("consent after withdrawal: %+v", consent)
	}
	query(&a, "anchor", did)
	seq := a.Anchor.Sequence
	if res := refused(opFile); !strings.Contains(res.RawLog, "wrong anchor sequence") {
		t.Fatalf("replayed payload: code %d (%s) %s; want a wrong anchor sequence", res.Code, res.Codespace, res.RawLog)
	}

	// A forged payload: a valid operation whose signature was tampered with.
	forgedFile := filepath.Join(dir, "forged.json")
	mustRun(t, "tx", "identity", "grant-consent", did, "MO:insurer", "claims", "--credential-types", "GD:business-licence",
		"--valid-until", "720h", "--key", newKey, "--op-out", forgedFile, "--home", home)
	tamper(t, forgedFile)
	// CheckTx verifies the signatures inside the message and refuses it:
	// it never reaches a block.
	if res := refused(forgedFile); res.Height != "0" && res.Height != "" || !strings.Contains(res.RawLog, "a signature it carries does not verify") {
		t.Fatalf("forged payload: code %d (%s) at height %s: %s; want a refusal in CheckTx", res.Code, res.Codespace, res.Height, res.RawLog)
	}

	// The rotated-away key signs nothing more.
	revokedFile := filepath.Join(dir, "revoked.json")
	mustRun(t, "tx", "identity", "grant-consent", did, "MO:insurer", "claims", "--credential-types", "GD:business-licence",
		"--valid-until", "720h", "--key", holderKey, "--op-out", revokedFile, "--home", home)
	if res := refused(revokedFile); !strings.Contains(res.RawLog, "revoked") {
		t.Fatalf("payload signed by the revoked key: code %d (%s) %s", res.Code, res.Codespace, res.RawLog)
	}

	// None of the refused payloads changed the anchor.
	query(&a, "anchor", did)
	if a.Anchor.Sequence != seq || strings.Join(a.Anchor.ActiveKeys, ",") != "key-2" {
		t.Fatalf("anchor after the refusals: %+v, want sequence %s and key-2 only", a, seq)
	}
	t.Logf("%s: created, linked by GD:idp and HK:iamsmart, consent granted and withdrawn, key rotated; replay, forgery and revoked key refused", did)
}

// anchorID is the id of the testnet anchor whose first key is keyFile, as
// `identity anchor-id` computes it offline.
func anchorID(t *testing.T, keyFile string) string {
	t.Helper()
	var out struct {
		AnchorID string `json:"anchor_id"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "identity", "anchor-id", "--key", keyFile, "--chain-id", "baynet-testnet")), &out); err != nil {
		t.Fatal(err)
	}
	return out.AnchorID
}

// tamper flips a bit of the signature in a signed operation file.
func tamper(t *testing.T, file string) {
	t.Helper()
	bz, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var op map[string]any
	if err := json.Unmarshal(bz, &op); err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(op["signature"].(string))
	if err != nil {
		t.Fatal(err)
	}
	sig[len(sig)/2] ^= 1
	op["signature"] = base64.StdEncoding.EncodeToString(sig)
	if bz, err = json.Marshal(op); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bz, 0o600); err != nil {
		t.Fatal(err)
	}
}
