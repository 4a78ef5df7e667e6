package verifier_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/verifier"
)

// TestAttestationKeys pins the keys against the layout that
// x/certs/keeper/state_test.go pins for the keeper's collections.
func TestAttestationKeys(t *testing.T) {
	id := bytes.Repeat([]byte{0xab}, 32)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	require.Equal(t, cat([]byte{0x02}, id), verifier.AttestationKey(id))
	require.Equal(t, cat([]byte{0x06}, id), verifier.StatusKey(id))
	require.Equal(t, cat([]byte{0x07, 0x20}, id, []byte{0, 0, 1, 2}), verifier.HistoryKey(id, 258))
}
