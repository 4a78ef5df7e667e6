package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/identity/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) CreateAnchor(ctx context.Context, msg *types.MsgCreateAnchor) (*types.MsgCreateAnchorResponse, error) {
	id, err := s.k.CreateAnchor(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgCreateAnchorResponse{AnchorId: id}, nil
}

func (s msgServer) HolderOperation(ctx context.Context, msg *types.MsgHolderOperation) (*types.MsgHolderOperationResponse, error) {
	op, err := s.k.ApplyHolderOperation(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgHolderOperationResponse{AnchorId: op.AnchorId, Sequence: op.Sequence + 1}, nil
}

func (s msgServer) LinkIdentity(ctx context.Context, msg *types.MsgLinkIdentity) (*types.MsgLinkIdentityResponse, error) {
	return &types.MsgLinkIdentityResponse{}, s.k.LinkIdentity(ctx, msg)
}

func (s msgServer) UnlinkIdentity(ctx context.Context, msg *types.MsgUnlinkIdentity) (*types.MsgUnlinkIdentityResponse, error) {
	return &types.MsgUnlinkIdentityResponse{}, s.k.UnlinkIdentity(ctx, msg)
}

func (s msgServer) InitiateRecovery(ctx context.Context, msg *types.MsgInitiateRecovery) (*types.MsgInitiateRecoveryResponse, error) {
	r, err := s.k.InitiateRecovery(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgInitiateRecoveryResponse{ExecutableAt: r.ExecutableAt}, nil
}

func (s msgServer) CompleteRecovery(ctx context.Context, msg *types.MsgCompleteRecovery) (*types.MsgCompleteRecoveryResponse, error) {
	return &types.MsgCompleteRecoveryResponse{}, s.k.CompleteRecovery(ctx, msg)
}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := sdk.ValidateAuthority(sdk.UnwrapSDKContext(ctx), s.k.authority, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.SetParams(ctx, msg.Params)
}
