package verifier_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/baynet/baynet/verifier"
)

// FuzzVerifyBundle feeds arbitrary bundle files to what `baynetd verify
// bundle` does with them: decoding must fail or VerifyBundle and the
// decisions must return, never panic, and a bundle other than the genuine
// one must not verify with a different value set.
func FuzzVerifyBundle(f *testing.F) {
	t := &testing.T{}
	b, trusted := fixture(t)
	genuine, err := json.Marshal(b)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(genuine)
	f.Add([]byte(`{"chain_id":"baynet-test","height":4,"light_block":null,"values":[]}`))
	f.Add([]byte(`{"values":[{"store":"certs","key":"02","value":"","absent":true,"height":4,"proof":{"ops":[{"type":"ics23:iavl","key":"AA==","data":"AA=="}]}}]}`))
	now := t0.Add(time.Hour)
	f.Fuzz(func(t *testing.T, data []byte) {
		var got verifier.Bundle
		if json.Unmarshal(data, &got) != nil {
			return
		}
		// The decisions take any values (a library user may skip
		// VerifyBundle): they may refuse, never panic.
		id := []byte("first")
		_, _ = verifier.DecideAttestation(id, got.Values, now)
		_, _ = verifier.DecideRecognition(id, "HK", "tendering", now, got.Values)
		_, _ = verifier.DecidePresentation(chainID, verifier.PresentationRequest{}, got.Values, now)
		if verifier.VerifyBundle(got, trusted, week, now) != nil {
			return
		}
		// It verified: every value it carries must be one the genuine
		// state proves, or a proven absence of a key absent there.
		for _, v := range got.Values {
			if v.Height != b.Height {
				t.Fatalf("a value of height %d verified in a bundle of height %d", v.Height, b.Height)
			}
			if !v.Absent && !provenIn(b, v) {
				t.Fatalf("verified a value the state does not hold: %s/%X = %X", v.Store, v.Key, v.Value)
			}
		}
	})
}

func provenIn(b verifier.Bundle, v verifier.ProvenValue) bool {
	for _, w := range b.Values {
		if w.Store == v.Store && string(w.Key) == string(v.Key) {
			return string(w.Value) == string(v.Value)
		}
	}
	// Not in the genuine bundle: it may still be in the state (the fixture
	// also holds \x07other), which a proof can show.
	return string(v.Key) == "\x07other" && string(v.Value) == "noise"
}
