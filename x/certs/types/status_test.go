package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/certs/types"
)

// TestStatusAt walks one attestation through its life: anchored at t0,
// valid from t0+1h to t0+30d, suspended at +2d until +4d (ending by
// itself), suspended again at +6d, reinstated at +7d, revoked at +40d.
func TestStatusAt(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	until := at(4 * day)
	att := types.Attestation{
		Payload:  types.AttestationPayload{ValidFrom: at(time.Hour).Unix(), ValidUntil: at(30 * day).Unix()},
		IssuedAt: t0, ExpiresAt: at(30 * day).Unix(),
	}
	history := []types.StatusChange{
		{Seq: 0, Status: types.ATTESTATION_STATUS_ACTIVE, Time: t0},
		{Seq: 1, Status: types.ATTESTATION_STATUS_SUSPENDED, Time: at(2 * day), SuspendedUntil: &until},
		{Seq: 2, Status: types.ATTESTATION_STATUS_SUSPENDED, Time: at(6 * day)},
		{Seq: 3, Status: types.ATTESTATION_STATUS_ACTIVE, Time: at(7 * day)},
		{Seq: 4, Status: types.ATTESTATION_STATUS_REVOKED, Time: at(40 * day)},
	}
	cases := []struct {
		name    string
		t       time.Time
		want    types.AttestationStatus
		inForce int // seq of the entry in force, -1 for none
	}{
		{"before anchoring", at(-time.Second), types.ATTESTATION_STATUS_NOT_ANCHORED, -1},
		{"anchored, not yet valid", t0, types.ATTESTATION_STATUS_NOT_YET_VALID, 0},
		{"valid", at(time.Hour), types.ATTESTATION_STATUS_ACTIVE, 0},
		{"suspended, at the change", at(2 * day), types.ATTESTATION_STATUS_SUSPENDED, 1},
		{"suspended, just before its end", until.Add(-time.Nanosecond), types.ATTESTATION_STATUS_SUSPENDED, 1},
		{"suspension ended by itself", until, types.ATTESTATION_STATUS_ACTIVE, 1},
		{"suspended without end", at(6 * day), types.ATTESTATION_STATUS_SUSPENDED, 2},
		{"reinstated", at(7 * day), types.ATTESTATION_STATUS_ACTIVE, 3},
		{"just before expiry", at(30 * day).Add(-time.Second), types.ATTESTATION_STATUS_ACTIVE, 3},
		{"expired", at(30 * day), types.ATTESTATION_STATUS_EXPIRED, 3},
		{"revoked after expiry", at(40 * day), types.ATTESTATION_STATUS_REVOKED, 4},
		{"long after", at(4000 * day), types.ATTESTATION_STATUS_REVOKED, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, change := types.StatusAt(att, history, tc.t)
			require.Equal(t, tc.want, got)
			if tc.inForce < 0 {
				require.Nil(t, change)
			} else {
				require.NotNil(t, change)
				require.EqualValues(t, tc.inForce, change.Seq)
			}
			// The record of the entry in force gives the same answer.
			if change != nil {
				require.Equal(t, tc.want, types.CurrentStatus(att, change.Record(change.Seq+1), tc.t))
			}
		})
	}
}

// TestStatusAtSameBlock: two changes in one block; the later one is in force.
func TestStatusAtSameBlock(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	att := types.Attestation{Payload: types.AttestationPayload{ValidFrom: t0.Unix()}, IssuedAt: t0}
	history := []types.StatusChange{
		{Seq: 0, Status: types.ATTESTATION_STATUS_ACTIVE, Time: t0},
		{Seq: 1, Status: types.ATTESTATION_STATUS_SUSPENDED, Time: t0.Add(time.Second)},
		{Seq: 2, Status: types.ATTESTATION_STATUS_ACTIVE, Time: t0.Add(time.Second)},
	}
	got, change := types.StatusAt(att, history, t0.Add(time.Second))
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, got)
	require.EqualValues(t, 2, change.Seq)
}
