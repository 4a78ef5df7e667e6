package keeper

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// MaxAnchoredIDs is the most ids one Anchored query checks.
const MaxAnchoredIDs = 1000

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the module's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// queryError maps the module's errors to gRPC codes.
func queryError(err error) error {
	switch {
	case errors.Is(err, collections.ErrNotFound) || errors.Is(err, types.ErrUnknownAttestation) || errors.Is(err, types.ErrUnknownCredentialType) ||
		errors.Is(err, types.ErrUnknownRecognition) || errors.Is(err, regionstypes.ErrUnknownRegion) || errors.Is(err, types.ErrUnknownCA):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, types.ErrInvalidRequest) || errors.Is(err, types.ErrInvalidCredentialType) || errors.Is(err, types.ErrInvalidAttestation):
		return status.Error(codes.InvalidArgument, err.Error())
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

func (q queryServer) CredentialType(ctx context.Context, req *types.QueryCredentialTypeRequest) (*types.QueryCredentialTypeResponse, error) {
	t, err := q.k.GetCredentialType(ctx, req.TypeId)
	if err != nil {
		return nil, queryError(err)
	}
	return &types.QueryCredentialTypeResponse{CredentialType: t}, nil
}

func (q queryServer) CredentialTypes(ctx context.Context, req *types.QueryCredentialTypesRequest) (*types.QueryCredentialTypesResponse, error) {
	var opts []func(*query.CollectionsPaginateOptions[CredentialTypeKey])
	if req.Region != "" {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[string, string](req.Region))
	}
	ts, page, err := query.CollectionPaginate(ctx, q.k.CredentialTypes, req.Pagination,
		func(_ CredentialTypeKey, t types.CredentialType) (types.CredentialType, error) { return t, nil }, opts...)
	if err != nil {
		return nil, err
	}
	return &types.QueryCredentialTypesResponse{CredentialTypes: ts, Pagination: page}, nil
}

// state returns an attestation with its record and its status at the
// query's block time.
func (q queryServer) state(ctx context.Context, id []byte) (types.AttestationState, error) {
	att, rec, err := q.k.GetAttestation(ctx, id)
	if err != nil {
		return types.AttestationState{}, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	return types.AttestationState{Attestation: att, Record: rec, Status: types.CurrentStatus(att, rec, now)}, nil
}

func (q queryServer) Attestation(ctx context.Context, req *types.QueryAttestationRequest) (*types.QueryAttestationResponse, error) {
	id, err := types.ParseID(req.Id)
	if err != nil {
		return nil, queryError(err)
	}
	st, err := q.state(ctx, id)
	if err != nil {
		return nil, queryError(err)
	}
	return &types.QueryAttestationResponse{Attestation: st}, nil
}

func (q queryServer) StatusAt(ctx context.Context, req *types.QueryStatusAtRequest) (*types.QueryStatusAtResponse, error) {
	id, err := types.ParseID(req.Id)
	if err != nil {
		return nil, queryError(err)
	}
	att, st, change, err := q.k.StatusAt(ctx, id, req.Time)
	if err != nil {
		return nil, queryError(err)
	}
	return &types.QueryStatusAtResponse{Status: st, Change: change, ValidFrom: att.Payload.ValidFrom, ExpiresAt: att.ExpiresAt}, nil
}

func (q queryServer) History(ctx context.Context, req *types.QueryHistoryRequest) (*types.QueryHistoryResponse, error) {
	id, err := types.ParseID(req.Id)
	if err != nil {
		return nil, queryError(err)
	}
	if has, err := q.k.Attestations.Has(ctx, id); err != nil {
		return nil, err
	} else if !has {
		return nil, status.Errorf(codes.NotFound, "attestation %s", req.Id)
	}
	changes, page, err := query.CollectionPaginate(ctx, q.k.History, req.Pagination,
		func(_ HistoryKey, c types.StatusChange) (types.StatusChange, error) { return c, nil },
		query.WithCollectionPaginationPairPrefix[[]byte, uint32](id))
	if err != nil {
		return nil, err
	}
	return &types.QueryHistoryResponse{Changes: changes, Pagination: page}, nil
}

func (q queryServer) AttestationsByLicence(ctx context.Context, req *types.QueryAttestationsByLicenceRequest) (*types.QueryAttestationsResponse, error) {
	if err := types.ValidateLicenceID(req.LicenceId); err != nil {
		return nil, queryError(err)
	}
	refs := q.k.AttestationsByLicence
	if req.Issuer != "" {
		id, err := refs.Get(ctx, collections.Join(req.LicenceId, req.Issuer))
		if errors.Is(err, collections.ErrNotFound) {
			return &types.QueryAttestationsResponse{Pagination: &query.PageResponse{}}, nil
		}
		if err != nil {
			return nil, err
		}
		st, err := q.state(ctx, id)
		if err != nil {
			return nil, err
		}
		return &types.QueryAttestationsResponse{Attestations: []types.AttestationState{st}, Pagination: &query.PageResponse{Total: 1}}, nil
	}
	states, page, err := query.CollectionPaginate(ctx, refs, req.Pagination,
		func(_ collections.Pair[string, string], id []byte) (types.AttestationState, error) {
			return q.state(ctx, id)
		},
		query.WithCollectionPaginationPairPrefix[string, string](req.LicenceId))
	if err != nil {
		return nil, err
	}
	return &types.QueryAttestationsResponse{Attestations: states, Pagination: page}, nil
}

func (q queryServer) AttestationsBySubject(ctx context.Context, req *types.QueryAttestationsBySubjectRequest) (*types.QueryAttestationsResponse, error) {
	if req.Subject == "" {
		return nil, status.Error(codes.InvalidArgument, "subject is required")
	}
	return q.byRef(ctx, q.k.AttestationsBySubject, req.Subject, req.Pagination)
}

func (q queryServer) AttestationsByIssuer(ctx context.Context, req *types.QueryAttestationsByIssuerRequest) (*types.QueryAttestationsResponse, error) {
	if req.Issuer == "" {
		return nil, status.Error(codes.InvalidArgument, "issuer is required")
	}
	return q.byRef(ctx, q.k.AttestationsByIssuer, req.Issuer, req.Pagination)
}

// byRef pages through the attestations an index files under ref.
func (q queryServer) byRef(ctx context.Context, idx collections.KeySet[RefKey], ref string, pageReq *query.PageRequest) (*types.QueryAttestationsResponse, error) {
	states, page, err := query.CollectionPaginate(ctx, idx, pageReq,
		func(key collections.Pair[string, []byte], _ collections.NoValue) (types.AttestationState, error) {
			return q.state(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, []byte](ref))
	if err != nil {
		return nil, err
	}
	return &types.QueryAttestationsResponse{Attestations: states, Pagination: page}, nil
}

func (q queryServer) Anchored(ctx context.Context, req *types.QueryAnchoredRequest) (*types.QueryAnchoredResponse, error) {
	if len(req.Ids) > MaxAnchoredIDs {
		return nil, status.Errorf(codes.InvalidArgument, "%d ids, at most %d per query", len(req.Ids), MaxAnchoredIDs)
	}
	out := make([]bool, len(req.Ids))
	for i, s := range req.Ids {
		id, err := types.ParseID(s)
		if err != nil {
			return nil, queryError(err)
		}
		if out[i], err = q.k.Attestations.Has(ctx, id); err != nil {
			return nil, err
		}
	}
	return &types.QueryAnchoredResponse{Anchored: out}, nil
}

func (q queryServer) RecognitionRule(ctx context.Context, req *types.QueryRecognitionRuleRequest) (*types.QueryRecognitionRuleResponse, error) {
	r, err := q.k.GetRecognitionRule(ctx, req.Id)
	if err != nil {
		return nil, queryError(err)
	}
	older, err := q.k.SupersededVersions(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return &types.QueryRecognitionRuleResponse{Rule: r, Superseded: older}, nil
}

func (q queryServer) RecognitionRules(ctx context.Context, req *types.QueryRecognitionRulesRequest) (*types.QueryRecognitionRulesResponse, error) {
	if req.Region == "" {
		return nil, status.Error(codes.InvalidArgument, "region is required")
	}
	if req.SourceType != "" {
		rules, err := q.k.RulesAbout(ctx, req.Region, req.SourceType)
		if err != nil {
			return nil, err
		}
		return &types.QueryRecognitionRulesResponse{Rules: rules}, nil
	}
	// A page holds the rules about up to limit source types.
	lists, page, err := query.CollectionPaginate(ctx, q.k.RulesByRegionType, req.Pagination,
		func(_ RuleIndexKey, ids types.RuleIDs) ([]types.RecognitionRule, error) {
			return q.k.rulesByID(ctx, ids.Ids)
		},
		query.WithCollectionPaginationPairPrefix[string, string](req.Region))
	if err != nil {
		return nil, err
	}
	var rules []types.RecognitionRule
	for _, l := range lists {
		rules = append(rules, l...)
	}
	return &types.QueryRecognitionRulesResponse{Rules: rules, Pagination: page}, nil
}

func (q queryServer) Mutual(ctx context.Context, req *types.QueryMutualRequest) (*types.QueryMutualResponse, error) {
	aInB, bInA, pairs, err := q.k.Mutual(ctx, req.TypeA, req.TypeB)
	if err != nil {
		return nil, queryError(err)
	}
	return &types.QueryMutualResponse{AInB: aInB, BInA: bInA, Pairs: pairs}, nil
}

func (q queryServer) DataFlow(ctx context.Context, req *types.QueryDataFlowRequest) (*types.QueryDataFlowResponse, error) {
	res, err := q.k.DataFlow(ctx, req.CredentialType, req.ToRegion, req.Time)
	if err != nil {
		return nil, queryError(err)
	}
	return res, nil
}

func (q queryServer) IsRecognised(ctx context.Context, req *types.QueryIsRecognisedRequest) (*types.QueryIsRecognisedResponse, error) {
	id, err := types.ParseID(req.Id)
	if err != nil {
		return nil, queryError(err)
	}
	res, err := q.k.IsRecognised(ctx, id, req.Region, req.Purpose, req.Time)
	if err != nil {
		return nil, queryError(err)
	}
	return res, nil
}

func (q queryServer) CA(ctx context.Context, req *types.QueryCARequest) (*types.QueryCAResponse, error) {
	fp, err := parseFingerprint(req.Fingerprint)
	if err != nil {
		return nil, queryError(err)
	}
	ca, err := q.k.GetCA(ctx, fp)
	if err != nil {
		return nil, queryError(err)
	}
	return &types.QueryCAResponse{Ca: ca}, nil
}

func (q queryServer) RegionCAs(ctx context.Context, req *types.QueryRegionCAsRequest) (*types.QueryRegionCAsResponse, error) {
	if _, err := q.k.regions.GetRegion(ctx, req.Region); err != nil {
		return nil, queryError(err)
	}
	cas, page, err := query.CollectionPaginate(ctx, q.k.CAsByRegion, req.Pagination,
		func(key CARefKey, _ collections.NoValue) (types.CA, error) { return q.k.GetCA(ctx, key.K2()) },
		query.WithCollectionPaginationPairPrefix[string, []byte](req.Region))
	if err != nil {
		return nil, err
	}
	return &types.QueryRegionCAsResponse{Cas: cas, Pagination: page}, nil
}

func (q queryServer) CARecognitions(ctx context.Context, req *types.QueryCARecognitionsRequest) (*types.QueryCARecognitionsResponse, error) {
	if _, err := q.k.regions.GetRegion(ctx, req.Region); err != nil {
		return nil, queryError(err)
	}
	recs, page, err := query.CollectionPaginate(ctx, q.k.CARecognitions, req.Pagination,
		func(_ CARefKey, rec types.CARecognition) (types.CARecognition, error) { return rec, nil },
		query.WithCollectionPaginationPairPrefix[string, []byte](req.Region))
	if err != nil {
		return nil, err
	}
	return &types.QueryCARecognitionsResponse{Recognitions: recs, Pagination: page}, nil
}

func (q queryServer) Revocations(ctx context.Context, req *types.QueryRevocationsRequest) (*types.QueryRevocationsResponse, error) {
	fp, err := parseFingerprint(req.Fingerprint)
	if err != nil {
		return nil, queryError(err)
	}
	if _, err := q.k.GetCA(ctx, fp); err != nil {
		return nil, queryError(err)
	}
	revs, page, err := query.CollectionPaginate(ctx, q.k.Revocations, req.Pagination,
		func(_ RevocationKey, rev types.CertificateRevocation) (types.CertificateRevocation, error) {
			return rev, nil
		},
		query.WithCollectionPaginationPairPrefix[[]byte, []byte](fp))
	if err != nil {
		return nil, err
	}
	return &types.QueryRevocationsResponse{Revocations: revs, Pagination: page}, nil
}

func (q queryServer) VerifyCertificate(ctx context.Context, req *types.QueryVerifyCertificateRequest) (*types.QueryVerifyCertificateResponse, error) {
	res, err := q.k.VerifyCertificate(ctx, req)
	if err != nil {
		return nil, queryError(err)
	}
	return res, nil
}
