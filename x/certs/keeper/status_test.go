package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

func suspendMsg(agency, id, reason string, until *time.Time) *types.MsgSuspendAttestation {
	return &types.MsgSuspendAttestation{Signer: bech("agency/" + agency), Id: id, Reason: reason, Until: until}
}

func reinstateMsg(agency, id string) *types.MsgReinstateAttestation {
	return &types.MsgReinstateAttestation{Signer: bech("agency/" + agency), Id: id, Reason: "cleared"}
}

func revokeMsg(signer, id string) *types.MsgRevokeAttestation {
	return &types.MsgRevokeAttestation{Signer: signer, Id: id, Reason: "licence cancelled"}
}

// TestStatusLifecycle suspends, reinstates and revokes one attestation and
// checks, after each change, the status at times before and after it, the
// history, the record and the event.
func TestStatusLifecycle(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	issued := f.ctx.BlockTime()
	require.Equal(t, types.ATTESTATION_STATUS_NOT_ANCHORED, f.statusAt(id, issued.Add(-time.Second)))
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, issued))

	f.advance(time.Hour)
	suspended := f.ctx.BlockTime()
	f.resetEvents()
	_, err := f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", id, "under investigation", nil))
	require.NoError(t, err)
	require.Equal(t, []*types.EventAttestationStatusChanged{{
		Id: id, Issuer: "GD:amr", OldStatus: types.ATTESTATION_STATUS_ACTIVE, NewStatus: types.ATTESTATION_STATUS_SUSPENDED,
		Reason: "under investigation", Seq: 1, Signer: bech("agency/GD:amr"),
	}}, events[*types.EventAttestationStatusChanged](t, f.ctx))
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, suspended.Add(-time.Nanosecond)))
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusAt(id, suspended))
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusNow(id))

	f.advance(time.Hour)
	reinstated := f.ctx.BlockTime()
	_, err = f.ms.ReinstateAttestation(f.ctx, reinstateMsg("GD:amr", id))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusAt(id, reinstated.Add(-time.Second)))
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, reinstated))

	f.advance(time.Hour)
	revoked := f.ctx.BlockTime()
	_, err = f.ms.RevokeAttestation(f.ctx, revokeMsg(bech("agency/GD:amr"), id))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, revoked.Add(-time.Second)))
	require.Equal(t, types.ATTESTATION_STATUS_REVOKED, f.statusAt(id, revoked))
	require.Equal(t, types.ATTESTATION_STATUS_REVOKED, f.statusNow(id))
	// The past does not change: it was suspended during the suspension.
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusAt(id, suspended.Add(time.Minute)))

	h, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Id: id})
	require.NoError(t, err)
	require.Len(t, h.Changes, 4)
	for i, want := range []struct {
		status types.AttestationStatus
		time   time.Time
		reason string
	}{
		{types.ATTESTATION_STATUS_ACTIVE, issued, ""},
		{types.ATTESTATION_STATUS_SUSPENDED, suspended, "under investigation"},
		{types.ATTESTATION_STATUS_ACTIVE, reinstated, "cleared"},
		{types.ATTESTATION_STATUS_REVOKED, revoked, "licence cancelled"},
	} {
		c := h.Changes[i]
		require.EqualValues(t, i, c.Seq)
		require.Equal(t, want.status, c.Status)
		require.Equal(t, want.time, c.Time)
		require.Equal(t, want.reason, c.Reason)
	}
	res, err := f.qs.StatusAt(f.ctx, &types.QueryStatusAtRequest{Id: id, Time: suspended.Add(time.Minute)})
	require.NoError(t, err)
	require.Equal(t, h.Changes[1], *res.Change, "the answer names the entry that decided it")
	rec, err := f.k.Statuses.Get(f.ctx, mustID(t, id))
	require.NoError(t, err)
	require.Equal(t, h.Changes[3].Record(4), rec, "the record is the last entry")
}

func mustID(t *testing.T, id string) []byte {
	t.Helper()
	bz, err := types.ParseID(id)
	require.NoError(t, err)
	return bz
}

// TestSuspensionEndsByItself: a suspension with an end is over at that time
// without any transaction or end-block work, for queries now and at a time.
func TestSuspensionEndsByItself(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	f.advance(time.Hour)
	end := f.ctx.BlockTime().Add(48 * time.Hour)
	_, err := f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", id, "pending renewal", &end))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusNow(id))
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusAt(id, end.Add(-time.Second)))
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, end))

	raw := f.raw()
	f.advance(48 * time.Hour)
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusNow(id))
	require.Equal(t, raw, f.raw(), "nothing was written for the suspension to end")

	// It is no longer suspended, so there is nothing to reinstate; a new
	// suspension is possible.
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.ReinstateAttestation(ctx, reinstateMsg("GD:amr", id))
		return err
	}, types.ErrInvalidTransition, "suspension already ended")
	_, err = f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", id, "again", nil))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusNow(id))
}

// TestResuspendReplacesEnd: suspending a suspended attestation replaces the
// reason and the end.
func TestResuspendReplacesEnd(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	first := t0.Add(24 * time.Hour)
	_, err := f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", id, "audit", &first))
	require.NoError(t, err)
	f.advance(time.Hour)
	_, err = f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", id, "audit extended", nil))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, f.statusAt(id, first.Add(time.Hour)))
}

func TestRevokeByRegionAuthority(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	f.advance(time.Minute)
	_, err := f.ms.RevokeAttestation(f.ctx, revokeMsg(authority("GD"), id))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_REVOKED, f.statusNow(id))
	h, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, authority("GD"), h.Changes[1].Signer)
}

// TestRevokeAfterExpiry: an expired attestation can still be revoked (the
// record then says so), but not suspended or reinstated.
func TestRevokeAfterExpiry(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	f.advance(6 * 365 * 24 * time.Hour)
	require.Equal(t, types.ATTESTATION_STATUS_EXPIRED, f.statusNow(id))
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.SuspendAttestation(ctx, suspendMsg("GD:amr", id, "late", nil))
		return err
	}, types.ErrInvalidTransition, "expired at")
	_, err := f.ms.RevokeAttestation(f.ctx, revokeMsg(bech("agency/GD:amr"), id))
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_REVOKED, f.statusNow(id))
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, f.statusAt(id, t0.Add(time.Hour)), "it was valid before expiry")
}

func TestStatusChangeRefused(t *testing.T) {
	type call func(f *fixture, ctx sdk.Context, id string) error
	suspend := func(signer, reason string, until *time.Time) call {
		return func(f *fixture, ctx sdk.Context, id string) error {
			_, err := f.ms.SuspendAttestation(ctx, &types.MsgSuspendAttestation{Signer: signer, Id: id, Reason: reason, Until: until})
			return err
		}
	}
	reinstate := func(signer string) call {
		return func(f *fixture, ctx sdk.Context, id string) error {
			_, err := f.ms.ReinstateAttestation(ctx, &types.MsgReinstateAttestation{Signer: signer, Id: id})
			return err
		}
	}
	revoke := func(signer, reason string) call {
		return func(f *fixture, ctx sdk.Context, id string) error {
			_, err := f.ms.RevokeAttestation(ctx, &types.MsgRevokeAttestation{Signer: signer, Id: id, Reason: reason})
			return err
		}
	}
	issuer := bech("agency/GD:amr")
	past := t0.Add(-time.Second)
	cases := []struct {
		name    string
		setup   func(f *fixture, id string)
		do      call
		id      func(id string) string
		want    error
		wantMsg string
	}{
		{name: "suspend by another agency", do: suspend(bech("agency/HK:erb"), "x", nil),
			want: types.ErrUnauthorized, wantMsg: "not the account of the issuer GD:amr"},
		{name: "suspend by the region's authority", do: suspend(authority("GD"), "x", nil),
			want: types.ErrUnauthorized},
		{name: "reinstate by the region's authority", setup: suspended, do: reinstate(authority("GD")),
			want: types.ErrUnauthorized},
		{name: "revoke by another region's authority", do: revoke(authority("HK"), "x"),
			want: types.ErrUnauthorized, wantMsg: "neither the issuer GD:amr nor its region's authority"},
		{name: "revoke by another agency", do: revoke(bech("agency/HK:erb"), "x"),
			want: types.ErrUnauthorized},
		{name: "revoke by a stranger", do: revoke(bech("stranger"), "x"),
			want: types.ErrUnauthorized},
		{name: "suspend by the suspended issuer",
			setup: func(f *fixture, _ string) { setAgencyStatus(f, "GD:amr", regionstypes.AGENCY_STATUS_SUSPENDED) },
			do:    suspend(issuer, "x", nil), want: regionstypes.ErrAgencyStatus},
		{name: "reinstate a revoked attestation", setup: revokedBy(issuer), do: reinstate(issuer),
			want: types.ErrInvalidTransition, wantMsg: "revoked, which is final"},
		{name: "suspend a revoked attestation", setup: revokedBy(issuer), do: suspend(issuer, "x", nil),
			want: types.ErrInvalidTransition, wantMsg: "revoked"},
		{name: "revoke twice", setup: revokedBy(issuer), do: revoke(authority("GD"), "again"),
			want: types.ErrInvalidTransition, wantMsg: "revoked"},
		{name: "reinstate an active attestation", do: reinstate(issuer),
			want: types.ErrInvalidTransition, wantMsg: "not suspended"},
		{name: "suspend without reason", do: suspend(issuer, "", nil),
			want: types.ErrInvalidRequest, wantMsg: "reason is required"},
		{name: "revoke without reason", do: revoke(issuer, ""),
			want: types.ErrInvalidRequest, wantMsg: "reason is required"},
		{name: "reason too long", do: suspend(issuer, strings.Repeat("r", 257), nil),
			want: types.ErrInvalidRequest, wantMsg: "reason"},
		{name: "suspension ending in the past", do: suspend(issuer, "x", &past),
			want: types.ErrInvalidRequest, wantMsg: "not after the block time"},
		{name: "malformed id", do: suspend(issuer, "x", nil), id: func(id string) string { return id[:10] },
			want: types.ErrInvalidRequest, wantMsg: "64 hex"},
		{name: "unknown id", do: suspend(issuer, "x", nil), id: func(id string) string { return strings.Repeat("ab", 32) },
			want: types.ErrUnknownAttestation},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.issueOne("GD:amr", "L-1")
			f.advance(time.Minute)
			if tc.setup != nil {
				tc.setup(f, id)
			}
			if tc.id != nil {
				id = tc.id(id)
			}
			f.requireRejected(func(ctx sdk.Context) error { return tc.do(f, ctx, id) }, tc.want, tc.wantMsg)
		})
	}
}

func suspended(f *fixture, id string) {
	_, err := f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", id, "audit", nil))
	require.NoError(f.t, err)
}

func revokedBy(signer string) func(f *fixture, id string) {
	return func(f *fixture, id string) {
		_, err := f.ms.RevokeAttestation(f.ctx, revokeMsg(signer, id))
		require.NoError(f.t, err)
	}
}

// TestHistoryCap: the history holds at most max_status_changes entries, the
// last kept for a revocation.
func TestHistoryCap(t *testing.T) {
	gs := testGenesis()
	gs.Params.MaxStatusChanges = 4
	f := newFixtureWith(t, newRegions(), gs, nil)
	id := f.issueOne("GD:amr", "L-1") // entry 0
	suspended(f, id)                  // 1
	f.advance(time.Minute)
	_, err := f.ms.ReinstateAttestation(f.ctx, reinstateMsg("GD:amr", id)) // 2
	require.NoError(t, err)
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.SuspendAttestation(ctx, suspendMsg("GD:amr", id, "third", nil))
		return err
	}, types.ErrHistoryFull, "only a revocation is still possible")
	_, err = f.ms.RevokeAttestation(f.ctx, revokeMsg(authority("GD"), id)) // 3
	require.NoError(t, err)
	h, err := f.k.HistoryOf(f.ctx, mustID(t, id))
	require.NoError(t, err)
	require.Len(t, h, 4)
}
