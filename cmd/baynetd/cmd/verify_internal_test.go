package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/verifier"
	certstypes "github.com/baynet/baynet/x/certs/types"
)

// TestVerdictJSONAuthenticity: a decided attestation prints authentic and
// entitled even when false, with its issuer and key id; a bundle checked
// without --attestation prints neither.
func TestVerdictJSONAuthenticity(t *testing.T) {
	fields := func(o verdictJSON) map[string]any {
		bz, err := json.Marshal(o)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(bz, &m))
		return m
	}
	require.NotContains(t, fields(verdictJSON{}), "authentic")
	require.NotContains(t, fields(verdictJSON{}), "entitled")

	var o verdictJSON
	o.setAttestation(verifier.AttestationVerdict{
		Status: certstypes.ATTESTATION_STATUS_ACTIVE, Authentic: true, Entitled: false,
		Reasons:     []string{verifier.ReasonIssuerNotEntitled + ": agency GD:amr does not list type GD:business-licence"},
		Attestation: &certstypes.Attestation{Payload: certstypes.AttestationPayload{Issuer: "GD:amr", KeyId: "sign-1"}},
	})
	m := fields(o)
	require.Equal(t, true, m["authentic"])
	require.Equal(t, false, m["entitled"])
	require.Equal(t, "GD:amr", m["issuer"])
	require.Equal(t, "sign-1", m["key_id"])
	require.Equal(t, "ACTIVE", m["status"])
}

// TestReadBatch: each non-blank line of a batch file is a request or an
// error of its own, numbered as in the file.
func TestReadBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "batch.jsonl")
	good := `{"presentation":{"chain_id":"c","anchor":"did:baynet:00","key_id":"key-1","attestation":"AB","challenge":"01","signature":"02"},"expected_challenge":"01","region":"HK","purpose":"tendering"}`
	body := good + "\n\n{not json\n" + `{"presentation":{},"expected_challenge":"01"}` + "\n" + `{"presentaton":{}}` + "\n"
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	lines, err := readBatch(path)
	require.NoError(t, err)
	require.Len(t, lines, 4)
	require.NoError(t, lines[0].err)
	require.Equal(t, 1, lines[0].number)
	require.Equal(t, "HK", lines[0].req.Region)
	require.Equal(t, []byte{0xab}, []byte(lines[0].req.Presentation.Attestation))
	require.Equal(t, 3, lines[1].number)
	require.ErrorContains(t, lines[1].err, "line 3 is not a presentation request")
	require.ErrorContains(t, lines[2].err, "line 4 names no attestation")
	require.ErrorContains(t, lines[3].err, "unknown field")
}
