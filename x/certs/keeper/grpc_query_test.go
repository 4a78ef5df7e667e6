package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/certs/keeper"
	"github.com/baynet/baynet/x/certs/types"
)

func requireCode(t *testing.T, err error, code codes.Code) {
	t.Helper()
	require.Error(t, err)
	s, ok := status.FromError(err)
	require.True(t, ok, "%v is no gRPC status", err)
	require.Equal(t, code, s.Code(), err.Error())
}

func idsOf(states []types.AttestationState) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = s.Attestation.Id
	}
	return out
}

func TestQueriesByIssuerSubjectLicence(t *testing.T) {
	f, ids := busyFixture(t)

	// By issuer, paged: all seven of GD:amr, each exactly once.
	var seen []string
	page := &query.PageRequest{Limit: 3}
	for {
		res, err := f.qs.AttestationsByIssuer(f.ctx, &types.QueryAttestationsByIssuerRequest{Issuer: "GD:amr", Pagination: page})
		require.NoError(t, err)
		require.LessOrEqual(t, len(res.Attestations), 3)
		seen = append(seen, idsOf(res.Attestations)...)
		if len(res.Pagination.NextKey) == 0 {
			break
		}
		page = &query.PageRequest{Key: res.Pagination.NextKey, Limit: 3}
	}
	require.ElementsMatch(t, ids[:7], seen)

	// By subject: the first attestation's subject names it alone.
	att, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: ids[3]})
	require.NoError(t, err)
	res, err := f.qs.AttestationsBySubject(f.ctx, &types.QueryAttestationsBySubjectRequest{Subject: att.Attestation.Attestation.Payload.Subject})
	require.NoError(t, err)
	require.Equal(t, []string{ids[3]}, idsOf(res.Attestations))
	require.Equal(t, types.ATTESTATION_STATUS_REVOKED, res.Attestations[0].Status, "answers carry the status now")

	// By licence, with and without issuer.
	lic := att.Attestation.Attestation.Payload.LicenceId
	res, err = f.qs.AttestationsByLicence(f.ctx, &types.QueryAttestationsByLicenceRequest{LicenceId: lic})
	require.NoError(t, err)
	require.Equal(t, []string{ids[3]}, idsOf(res.Attestations))
	res, err = f.qs.AttestationsByLicence(f.ctx, &types.QueryAttestationsByLicenceRequest{LicenceId: lic, Issuer: "GD:amr"})
	require.NoError(t, err)
	require.Equal(t, []string{ids[3]}, idsOf(res.Attestations))
	res, err = f.qs.AttestationsByLicence(f.ctx, &types.QueryAttestationsByLicenceRequest{LicenceId: lic, Issuer: "HK:erb"})
	require.NoError(t, err)
	require.Empty(t, res.Attestations)

	// Prefix safety: licence "gd-00000" is no prefix match of "gd-000001".
	res, err = f.qs.AttestationsByLicence(f.ctx, &types.QueryAttestationsByLicenceRequest{LicenceId: "gd-00000"})
	require.NoError(t, err)
	require.Empty(t, res.Attestations)
}

func TestQueryStatusNowAndSuspensionEnd(t *testing.T) {
	f, ids := busyFixture(t)
	res, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: ids[0]})
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, res.Attestation.Status)
	f.advance(2 * time.Hour)
	res, err = f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: ids[0]})
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, res.Attestation.Status, "the suspension ended by itself")
	require.Equal(t, types.ATTESTATION_STATUS_SUSPENDED, res.Attestation.Record.Status, "the record is unchanged")
}

func TestQueryHistoryPaged(t *testing.T) {
	f, ids := busyFixture(t)
	res, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Id: ids[2], Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, res.Changes, 2)
	require.NotEmpty(t, res.Pagination.NextKey)
	res, err = f.qs.History(f.ctx, &types.QueryHistoryRequest{Id: ids[2], Pagination: &query.PageRequest{Key: res.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, res.Changes, 1)
	require.Equal(t, types.ATTESTATION_STATUS_ACTIVE, res.Changes[0].Status)
	require.EqualValues(t, 2, res.Changes[0].Seq)
}

func TestQueryAnchored(t *testing.T) {
	f, ids := busyFixture(t)
	unknown := strings.Repeat("0", 64)
	res, err := f.qs.Anchored(f.ctx, &types.QueryAnchoredRequest{Ids: []string{ids[0], unknown, ids[7]}})
	require.NoError(t, err)
	require.Equal(t, []bool{true, false, true}, res.Anchored)
	_, err = f.qs.Anchored(f.ctx, &types.QueryAnchoredRequest{Ids: make([]string, keeper.MaxAnchoredIDs+1)})
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.qs.Anchored(f.ctx, &types.QueryAnchoredRequest{Ids: []string{"xyz"}})
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueryErrors(t *testing.T) {
	f, _ := busyFixture(t)
	unknown := strings.Repeat("1", 64)
	_, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: unknown})
	requireCode(t, err, codes.NotFound)
	_, err = f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: "nope"})
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.qs.StatusAt(f.ctx, &types.QueryStatusAtRequest{Id: unknown, Time: t0})
	requireCode(t, err, codes.NotFound)
	_, err = f.qs.History(f.ctx, &types.QueryHistoryRequest{Id: unknown})
	requireCode(t, err, codes.NotFound)
	_, err = f.qs.CredentialType(f.ctx, &types.QueryCredentialTypeRequest{TypeId: "GD:nothing"})
	requireCode(t, err, codes.NotFound)
	_, err = f.qs.AttestationsBySubject(f.ctx, &types.QueryAttestationsBySubjectRequest{})
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.qs.AttestationsByLicence(f.ctx, &types.QueryAttestationsByLicenceRequest{LicenceId: "has space"})
	requireCode(t, err, codes.InvalidArgument)
}
