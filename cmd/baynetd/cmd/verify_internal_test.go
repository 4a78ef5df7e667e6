package cmd

import (
	"encoding/json"
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
