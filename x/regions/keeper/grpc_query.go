package keeper

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/regions/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the module's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

func notFound(err error) error {
	if errors.Is(err, collections.ErrNotFound) || errors.Is(err, types.ErrUnknownRegion) || errors.Is(err, types.ErrUnknownAgency) ||
		errors.Is(err, types.ErrUnknownValidator) || errors.Is(err, types.ErrUnknownProposal) {
		return status.Error(codes.NotFound, err.Error())
	}
	return err
}

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Region(ctx context.Context, req *types.QueryRegionRequest) (*types.QueryRegionResponse, error) {
	r, err := q.k.GetRegion(ctx, req.Code)
	if err != nil {
		return nil, notFound(err)
	}
	var vals []types.Validator
	err = q.k.Validators.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](req.Code), func(_ ValidatorKey, v types.Validator) (bool, error) {
		vals = append(vals, v)
		return false, nil
	})
	return &types.QueryRegionResponse{Region: r, Validators: vals}, err
}

func (q queryServer) Regions(ctx context.Context, req *types.QueryRegionsRequest) (*types.QueryRegionsResponse, error) {
	regions, page, err := query.CollectionPaginate(ctx, q.k.Regions, req.Pagination,
		func(_ string, r types.Region) (types.Region, error) { return r, nil })
	if err != nil {
		return nil, err
	}
	return &types.QueryRegionsResponse{Regions: regions, Pagination: page}, nil
}

// decodeKey accepts a consensus key in hex or base64, as operators hold it.
func decodeKey(s string) ([]byte, error) {
	if bz, err := hex.DecodeString(s); err == nil && len(bz) == types.ConsensusPubKeyBytes {
		return bz, nil
	}
	if bz, err := base64.StdEncoding.DecodeString(s); err == nil && len(bz) == types.ConsensusPubKeyBytes {
		return bz, nil
	}
	return nil, status.Errorf(codes.InvalidArgument, "consensus key %q is neither hex nor base64 of 32 bytes", s)
}

func (q queryServer) Validator(ctx context.Context, req *types.QueryValidatorRequest) (*types.QueryValidatorResponse, error) {
	pk, err := decodeKey(req.ConsensusPubkey)
	if err != nil {
		return nil, err
	}
	v, err := q.k.GetValidator(ctx, pk)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryValidatorResponse{Validator: v}, nil
}

func (q queryServer) Validators(ctx context.Context, req *types.QueryValidatorsRequest) (*types.QueryValidatorsResponse, error) {
	var opts []func(*query.CollectionsPaginateOptions[ValidatorKey])
	if req.Region != "" {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[string, []byte](req.Region))
	}
	vals, page, err := query.CollectionPaginate(ctx, q.k.Validators, req.Pagination,
		func(_ ValidatorKey, v types.Validator) (types.Validator, error) { return v, nil }, opts...)
	if err != nil {
		return nil, err
	}
	return &types.QueryValidatorsResponse{Validators: vals, Pagination: page}, nil
}

func (q queryServer) Agency(ctx context.Context, req *types.QueryAgencyRequest) (*types.QueryAgencyResponse, error) {
	a, err := q.k.GetAgency(ctx, req.AgencyId)
	if err != nil {
		return nil, notFound(err)
	}
	var keys []types.AgencyKey
	err = q.k.AgencyKeys.Walk(ctx, collections.NewPrefixedPairRange[string, string](a.Id), func(_ collections.Pair[string, string], key types.AgencyKey) (bool, error) {
		keys = append(keys, key)
		return false, nil
	})
	return &types.QueryAgencyResponse{Agency: a, Keys: keys}, err
}

func (q queryServer) Agencies(ctx context.Context, req *types.QueryAgenciesRequest) (*types.QueryAgenciesResponse, error) {
	var opts []func(*query.CollectionsPaginateOptions[AgencyKey])
	if req.Region != "" {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[string, string](req.Region))
	}
	agencies, page, err := query.CollectionPaginate(ctx, q.k.Agencies, req.Pagination,
		func(_ AgencyKey, a types.Agency) (types.Agency, error) { return a, nil }, opts...)
	if err != nil {
		return nil, err
	}
	return &types.QueryAgenciesResponse{Agencies: agencies, Pagination: page}, nil
}

func (q queryServer) AgencyKeys(ctx context.Context, req *types.QueryAgencyKeysRequest) (*types.QueryAgencyKeysResponse, error) {
	if _, err := q.k.GetAgency(ctx, req.AgencyId); err != nil {
		return nil, notFound(err)
	}
	keys, page, err := query.CollectionPaginate(ctx, q.k.AgencyKeys, req.Pagination,
		func(_ collections.Pair[string, string], key types.AgencyKey) (types.AgencyKey, error) {
			return key, nil
		},
		query.WithCollectionPaginationPairPrefix[string, string](req.AgencyId))
	if err != nil {
		return nil, err
	}
	return &types.QueryAgencyKeysResponse{Keys: keys, Pagination: page}, nil
}

func (q queryServer) Proposal(ctx context.Context, req *types.QueryProposalRequest) (*types.QueryProposalResponse, error) {
	p, err := q.k.Proposals.Get(ctx, req.ProposalId)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryProposalResponse{Proposal: p}, nil
}

func (q queryServer) Proposals(ctx context.Context, req *types.QueryProposalsRequest) (*types.QueryProposalsResponse, error) {
	props, page, err := query.CollectionPaginate(ctx, q.k.Proposals, req.Pagination,
		func(_ uint64, p types.Proposal) (types.Proposal, error) { return p, nil })
	if err != nil {
		return nil, err
	}
	return &types.QueryProposalsResponse{Proposals: props, Pagination: page}, nil
}

func (q queryServer) DoubleSigns(ctx context.Context, req *types.QueryDoubleSignsRequest) (*types.QueryDoubleSignsResponse, error) {
	recs, page, err := query.CollectionPaginate(ctx, q.k.DoubleSigns, req.Pagination,
		func(_ collections.Pair[int64, []byte], r types.DoubleSignRecord) (types.DoubleSignRecord, error) {
			return r, nil
		})
	if err != nil {
		return nil, err
	}
	return &types.QueryDoubleSignsResponse{Records: recs, Pagination: page}, nil
}

func (q queryServer) Permission(ctx context.Context, req *types.QueryPermissionRequest) (*types.QueryPermissionResponse, error) {
	addr, err := q.k.addressCodec.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %v", req.Address, err)
	}
	allowed, reasons, err := q.k.Permission(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &types.QueryPermissionResponse{Allowed: allowed, Reasons: reasons}, nil
}
