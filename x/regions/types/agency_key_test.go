package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/regions/types"
)

// TestAgencyKeyActiveAt pins the validity rule the chain applies when it
// anchors an attestation and a verifier applies when it re-checks one:
// from not_before included to not_after excluded.
func TestAgencyKeyActiveAt(t *testing.T) {
	from := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	until := from.Add(24 * time.Hour)
	open := types.AgencyKey{NotBefore: from}
	retired := types.AgencyKey{NotBefore: from, NotAfter: &until}
	for _, c := range []struct {
		name string
		key  types.AgencyKey
		at   time.Time
		want bool
	}{
		{"before not_before", open, from.Add(-time.Nanosecond), false},
		{"at not_before", open, from, true},
		{"long after, no end", open, from.Add(10 * 365 * 24 * time.Hour), true},
		{"just before not_after", retired, until.Add(-time.Nanosecond), true},
		{"at not_after", retired, until, false},
		{"after not_after", retired, until.Add(time.Hour), false},
	} {
		require.Equal(t, c.want, c.key.ActiveAt(c.at), c.name)
	}
}
