package keeper

import (
	"context"
	"encoding/hex"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/baynet/baynet/x/identity/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the module's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// queryErr maps the keeper's errors to gRPC status codes.
func queryErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, collections.ErrNotFound), errors.Is(err, types.ErrUnknownAnchor), errors.Is(err, types.ErrUnknownKey),
		errors.Is(err, types.ErrUnknownLink), errors.Is(err, types.ErrUnknownConsent), errors.Is(err, types.ErrNoRecovery):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, types.ErrInvalidAnchor), errors.Is(err, types.ErrInvalidKey), errors.Is(err, types.ErrInvalidLink),
		errors.Is(err, types.ErrInvalidConsent):
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

func (q queryServer) Anchor(ctx context.Context, req *types.QueryAnchorRequest) (*types.QueryAnchorResponse, error) {
	if err := types.ValidateAnchorID(req.AnchorId); err != nil {
		return nil, queryErr(err)
	}
	a, err := q.k.GetAnchor(ctx, req.AnchorId)
	if err != nil {
		return nil, queryErr(err)
	}
	r, err := q.k.pendingRecovery(ctx, a.Id)
	if err != nil {
		return nil, err
	}
	return &types.QueryAnchorResponse{Anchor: a, Recovery: r}, nil
}

func (q queryServer) AnchorKey(ctx context.Context, req *types.QueryAnchorKeyRequest) (*types.QueryAnchorKeyResponse, error) {
	key, err := q.k.GetKey(ctx, req.AnchorId, req.KeyId)
	if err != nil {
		return nil, queryErr(err)
	}
	return &types.QueryAnchorKeyResponse{Key: key}, nil
}

func (q queryServer) AnchorKeys(ctx context.Context, req *types.QueryAnchorKeysRequest) (*types.QueryAnchorKeysResponse, error) {
	if _, err := q.k.GetAnchor(ctx, req.AnchorId); err != nil {
		return nil, queryErr(err)
	}
	keys, page, err := query.CollectionPaginate(ctx, q.k.Keys, req.Pagination,
		func(_ KeyPK, key types.AnchorKey) (types.AnchorKey, error) { return key, nil },
		query.WithCollectionPaginationPairPrefix[string, string](req.AnchorId))
	if err != nil {
		return nil, err
	}
	return &types.QueryAnchorKeysResponse{Keys: keys, Pagination: page}, nil
}

func (q queryServer) KeyOwner(ctx context.Context, req *types.QueryKeyOwnerRequest) (*types.QueryKeyOwnerResponse, error) {
	pk, err := types.ParseHolderKey(req.Scheme, req.PublicKey)
	if err != nil {
		return nil, queryErr(err)
	}
	ref, err := q.k.Keys.Indexes.PublicKey.MatchExact(ctx, PublicKeyRef(req.Scheme, pk.Bytes()))
	if err != nil {
		return nil, queryErr(err)
	}
	key, err := q.k.Keys.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	return &types.QueryKeyOwnerResponse{Key: key}, nil
}

func (q queryServer) Link(ctx context.Context, req *types.QueryLinkRequest) (*types.QueryLinkResponse, error) {
	commitment, err := hex.DecodeString(req.Commitment)
	if err != nil || len(commitment) != types.CommitmentBytes {
		return nil, status.Errorf(codes.InvalidArgument, "commitment %q must be %d bytes in hex", req.Commitment, types.CommitmentBytes)
	}
	link, err := q.k.Links.Get(ctx, commitment)
	if err != nil {
		return nil, queryErr(err)
	}
	a, err := q.k.GetAnchor(ctx, link.AnchorId)
	if err != nil {
		return nil, err
	}
	inForce := a.Status == types.ANCHOR_STATUS_ACTIVE && link.InForce(sdk.UnwrapSDKContext(ctx).BlockTime())
	return &types.QueryLinkResponse{Link: link, AnchorStatus: a.Status, InForce: inForce}, nil
}

func (q queryServer) Links(ctx context.Context, req *types.QueryLinksRequest) (*types.QueryLinksResponse, error) {
	if _, err := q.k.GetAnchor(ctx, req.AnchorId); err != nil {
		return nil, queryErr(err)
	}
	links, page, err := query.CollectionPaginate(ctx, q.k.Links.Indexes.Anchor, req.Pagination,
		func(key collections.Pair[string, []byte], _ collections.NoValue) (types.Link, error) {
			return q.k.Links.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, []byte](req.AnchorId))
	if err != nil {
		return nil, err
	}
	return &types.QueryLinksResponse{Links: links, Pagination: page}, nil
}

func (q queryServer) Consent(ctx context.Context, req *types.QueryConsentRequest) (*types.QueryConsentResponse, error) {
	c, err := q.k.getConsent(ctx, req.AnchorId, req.Verifier, req.Purpose)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, status.Errorf(codes.NotFound, "no consent of %s for %q to use for %q", req.AnchorId, req.Verifier, req.Purpose)
	}
	return &types.QueryConsentResponse{Consent: *c}, nil
}

func (q queryServer) Consents(ctx context.Context, req *types.QueryConsentsRequest) (*types.QueryConsentsResponse, error) {
	if _, err := q.k.GetAnchor(ctx, req.AnchorId); err != nil {
		return nil, queryErr(err)
	}
	consents, page, err := query.CollectionPaginate(ctx, q.k.Consents, req.Pagination,
		func(_ ConsentPK, c types.Consent) (types.Consent, error) { return c, nil },
		func(o *query.CollectionsPaginateOptions[ConsentPK]) {
			prefix := collections.TriplePrefix[string, string, string](req.AnchorId)
			o.Prefix = &prefix
		})
	if err != nil {
		return nil, err
	}
	return &types.QueryConsentsResponse{Consents: consents, Pagination: page}, nil
}

func (q queryServer) ConsentAt(ctx context.Context, req *types.QueryConsentAtRequest) (*types.QueryConsentAtResponse, error) {
	t := sdk.UnwrapSDKContext(ctx).BlockTime()
	if req.Time != nil {
		t = *req.Time
	}
	holds, reason, c, err := q.k.ConsentAt(ctx, req.AnchorId, req.Verifier, req.Purpose, req.CredentialType, t)
	if err != nil {
		return nil, queryErr(err)
	}
	return &types.QueryConsentAtResponse{Holds: holds, Reason: reason, Consent: c}, nil
}

func (q queryServer) Recovery(ctx context.Context, req *types.QueryRecoveryRequest) (*types.QueryRecoveryResponse, error) {
	r, err := q.k.pendingRecovery(ctx, req.AnchorId)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, status.Errorf(codes.NotFound, "no recovery is pending for %s", req.AnchorId)
	}
	return &types.QueryRecoveryResponse{Recovery: *r}, nil
}

func (q queryServer) ResolveDID(ctx context.Context, req *types.QueryResolveDIDRequest) (*types.QueryResolveDIDResponse, error) {
	doc, meta, err := q.k.ResolveDID(ctx, req.Did)
	if err != nil {
		return nil, queryErr(err)
	}
	docJSON, err := types.MarshalDIDDocument(doc)
	if err != nil {
		return nil, err
	}
	metaJSON, err := types.MarshalDIDDocument(meta)
	if err != nil {
		return nil, err
	}
	return &types.QueryResolveDIDResponse{DidDocument: docJSON, DidDocumentMetadata: metaJSON}, nil
}

// ResolveDID builds the DID document of an anchor from its keys in force.
// It reads at most the anchor's keys in force.
func (k Keeper) ResolveDID(ctx context.Context, did string) (types.DIDDocument, types.DIDDocumentMetadata, error) {
	if err := types.ValidateAnchorID(did); err != nil {
		return types.DIDDocument{}, types.DIDDocumentMetadata{}, err
	}
	a, err := k.GetAnchor(ctx, did)
	if err != nil {
		return types.DIDDocument{}, types.DIDDocumentMetadata{}, err
	}
	keys := make([]types.AnchorKey, 0, len(a.ActiveKeys))
	for _, id := range a.ActiveKeys {
		key, err := k.GetKey(ctx, a.Id, id)
		if err != nil {
			return types.DIDDocument{}, types.DIDDocumentMetadata{}, err
		}
		keys = append(keys, key)
	}
	return types.BuildDIDDocument(a, keys)
}
