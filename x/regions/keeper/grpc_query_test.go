package keeper_test

import (
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/regions/types"
)

func TestQueries(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	for _, id := range []string{"GD:amr", "GD:fsb", "GD:tax", "HK:cr"} {
		f.registerAgency(agencyMsg(id))
	}
	for _, id := range []string{"k2", "k3"} {
		mustRun(f, f.ms.AddAgencyKey, &types.MsgAddAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", Key: edKey(id, id)})
	}
	f.submit("GD", types.ProposalAction{RemoveRegion: "HK"})
	f.submit("HK", types.ProposalAction{RemoveRegion: "MO"})
	require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: []byte("unknown-consensus-ad"), InfractionHeight: 4}))
	state := f.export()
	code := func(err error) codes.Code { return status.Code(err) }

	t.Run("params", func(t *testing.T) {
		res, err := f.qs.Params(f.ctx, &types.QueryParamsRequest{})
		require.NoError(t, err)
		require.Equal(t, types.DefaultParams(), res.Params)
	})
	t.Run("region with its validators", func(t *testing.T) {
		res, err := f.qs.Region(f.ctx, &types.QueryRegionRequest{Code: "GD"})
		require.NoError(t, err)
		require.Equal(t, state.Regions[0], res.Region)
		require.Equal(t, state.Validators[:2], res.Validators)
		_, err = f.qs.Region(f.ctx, &types.QueryRegionRequest{Code: "XY"})
		require.Equal(t, codes.NotFound, code(err))
	})
	t.Run("regions paginated", func(t *testing.T) {
		res, err := f.qs.Regions(f.ctx, &types.QueryRegionsRequest{Pagination: &query.PageRequest{Limit: 3, CountTotal: true}})
		require.NoError(t, err)
		require.Equal(t, state.Regions[:3], res.Regions)
		require.Equal(t, uint64(4), res.Pagination.Total)
		res, err = f.qs.Regions(f.ctx, &types.QueryRegionsRequest{Pagination: &query.PageRequest{Key: res.Pagination.NextKey}})
		require.NoError(t, err)
		require.Equal(t, state.Regions[3:], res.Regions)
		require.Empty(t, res.Pagination.NextKey)
	})
	t.Run("validator by hex or base64 key", func(t *testing.T) {
		pk := valKey("HK", 0)
		for _, s := range []string{hex.EncodeToString(pk), base64.StdEncoding.EncodeToString(pk)} {
			res, err := f.qs.Validator(f.ctx, &types.QueryValidatorRequest{ConsensusPubkey: s})
			require.NoError(t, err)
			require.Equal(t, pk, res.Validator.ConsensusPubkey)
			require.Equal(t, int64(100), res.Validator.Power)
		}
		_, err := f.qs.Validator(f.ctx, &types.QueryValidatorRequest{ConsensusPubkey: hex.EncodeToString(consKey("nobody"))})
		require.Equal(t, codes.NotFound, code(err))
		_, err = f.qs.Validator(f.ctx, &types.QueryValidatorRequest{ConsensusPubkey: "abcd"})
		require.Equal(t, codes.InvalidArgument, code(err))
	})
	t.Run("validators of a region", func(t *testing.T) {
		res, err := f.qs.Validators(f.ctx, &types.QueryValidatorsRequest{Region: "GD", Pagination: &query.PageRequest{CountTotal: true}})
		require.NoError(t, err)
		require.Equal(t, state.Validators[:2], res.Validators)
		require.Equal(t, uint64(2), res.Pagination.Total)
		res, err = f.qs.Validators(f.ctx, &types.QueryValidatorsRequest{})
		require.NoError(t, err)
		require.Equal(t, state.Validators, res.Validators)
	})
	t.Run("agency with its keys", func(t *testing.T) {
		res, err := f.qs.Agency(f.ctx, &types.QueryAgencyRequest{AgencyId: "GD:amr"})
		require.NoError(t, err)
		require.Equal(t, "GD:amr", res.Agency.Id)
		require.Len(t, res.Keys, 3)
		_, err = f.qs.Agency(f.ctx, &types.QueryAgencyRequest{AgencyId: "GD:nobody"})
		require.Equal(t, codes.NotFound, code(err))
		_, err = f.qs.Agency(f.ctx, &types.QueryAgencyRequest{AgencyId: "nobody"})
		require.ErrorIs(t, err, types.ErrInvalidAgency)
	})
	t.Run("agencies of a region paginated", func(t *testing.T) {
		res, err := f.qs.Agencies(f.ctx, &types.QueryAgenciesRequest{Region: "GD", Pagination: &query.PageRequest{Limit: 2}})
		require.NoError(t, err)
		require.Equal(t, state.Agencies[:2], res.Agencies)
		res, err = f.qs.Agencies(f.ctx, &types.QueryAgenciesRequest{Region: "GD", Pagination: &query.PageRequest{Key: res.Pagination.NextKey}})
		require.NoError(t, err)
		require.Equal(t, state.Agencies[2:3], res.Agencies, "HK's agency is not listed under GD")
		res, err = f.qs.Agencies(f.ctx, &types.QueryAgenciesRequest{})
		require.NoError(t, err)
		require.Len(t, res.Agencies, 4)
	})
	t.Run("agency keys paginated", func(t *testing.T) {
		res, err := f.qs.AgencyKeys(f.ctx, &types.QueryAgencyKeysRequest{AgencyId: "GD:amr", Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
		require.NoError(t, err)
		require.Equal(t, []string{"k1", "k2"}, []string{res.Keys[0].KeyId, res.Keys[1].KeyId})
		require.Equal(t, uint64(3), res.Pagination.Total)
		res, err = f.qs.AgencyKeys(f.ctx, &types.QueryAgencyKeysRequest{AgencyId: "GD:fsb"})
		require.NoError(t, err)
		require.Len(t, res.Keys, 1, "another agency's keys are not listed")
		_, err = f.qs.AgencyKeys(f.ctx, &types.QueryAgencyKeysRequest{AgencyId: "GD:nobody"})
		require.Equal(t, codes.NotFound, code(err))
	})
	t.Run("proposals", func(t *testing.T) {
		res, err := f.qs.Proposal(f.ctx, &types.QueryProposalRequest{ProposalId: 2})
		require.NoError(t, err)
		require.Equal(t, state.Proposals[1], res.Proposal)
		_, err = f.qs.Proposal(f.ctx, &types.QueryProposalRequest{ProposalId: 9})
		require.Equal(t, codes.NotFound, code(err))
		list, err := f.qs.Proposals(f.ctx, &types.QueryProposalsRequest{})
		require.NoError(t, err)
		require.Equal(t, state.Proposals, list.Proposals)
	})
	t.Run("double signs", func(t *testing.T) {
		res, err := f.qs.DoubleSigns(f.ctx, &types.QueryDoubleSignsRequest{})
		require.NoError(t, err)
		require.Equal(t, state.DoubleSigns, res.Records)
	})
	t.Run("permission of a malformed address", func(t *testing.T) {
		_, err := f.qs.Permission(f.ctx, &types.QueryPermissionRequest{Address: "bay1notanaddress"})
		require.Equal(t, codes.InvalidArgument, code(err))
	})
}
