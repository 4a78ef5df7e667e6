package keeper

import (
	"context"

	"github.com/baynet/baynet/x/regions/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) AddValidator(ctx context.Context, msg *types.MsgAddValidator) (*types.MsgAddValidatorResponse, error) {
	if _, err := s.k.regionOfAuthority(ctx, msg.Authority, msg.Region); err != nil {
		return nil, err
	}
	v := types.Validator{ConsensusPubkey: msg.ConsensusPubkey, Region: msg.Region, Moniker: msg.Moniker, Operator: msg.Operator}
	return &types.MsgAddValidatorResponse{}, s.k.AddValidator(ctx, v)
}

func (s msgServer) RotateValidatorKey(ctx context.Context, msg *types.MsgRotateValidatorKey) (*types.MsgRotateValidatorKeyResponse, error) {
	if _, err := s.k.regionOfAuthority(ctx, msg.Authority, msg.Region); err != nil {
		return nil, err
	}
	return &types.MsgRotateValidatorKeyResponse{}, s.k.RotateValidatorKey(ctx, msg.Region, msg.ConsensusPubkey, msg.NewConsensusPubkey)
}

func (s msgServer) RemoveValidator(ctx context.Context, msg *types.MsgRemoveValidator) (*types.MsgRemoveValidatorResponse, error) {
	if _, err := s.k.regionOfAuthority(ctx, msg.Authority, msg.Region); err != nil {
		return nil, err
	}
	return &types.MsgRemoveValidatorResponse{}, s.k.RemoveValidator(ctx, msg.Region, msg.ConsensusPubkey)
}

func (s msgServer) RegisterAgency(ctx context.Context, msg *types.MsgRegisterAgency) (*types.MsgRegisterAgencyResponse, error) {
	return &types.MsgRegisterAgencyResponse{}, s.k.RegisterAgency(ctx, msg)
}

func (s msgServer) SetAgencyEntitlements(ctx context.Context, msg *types.MsgSetAgencyEntitlements) (*types.MsgSetAgencyEntitlementsResponse, error) {
	return &types.MsgSetAgencyEntitlementsResponse{}, s.k.SetAgencyEntitlements(ctx, msg)
}

func (s msgServer) SuspendAgency(ctx context.Context, msg *types.MsgSuspendAgency) (*types.MsgSuspendAgencyResponse, error) {
	return &types.MsgSuspendAgencyResponse{}, s.k.SetAgencyStatus(ctx, msg.Authority, msg.AgencyId, types.AGENCY_STATUS_SUSPENDED, msg.Reason)
}

func (s msgServer) ReinstateAgency(ctx context.Context, msg *types.MsgReinstateAgency) (*types.MsgReinstateAgencyResponse, error) {
	return &types.MsgReinstateAgencyResponse{}, s.k.SetAgencyStatus(ctx, msg.Authority, msg.AgencyId, types.AGENCY_STATUS_ACTIVE, msg.Reason)
}

func (s msgServer) RetireAgency(ctx context.Context, msg *types.MsgRetireAgency) (*types.MsgRetireAgencyResponse, error) {
	return &types.MsgRetireAgencyResponse{}, s.k.SetAgencyStatus(ctx, msg.Authority, msg.AgencyId, types.AGENCY_STATUS_RETIRED, msg.Reason)
}

func (s msgServer) AddAgencyKey(ctx context.Context, msg *types.MsgAddAgencyKey) (*types.MsgAddAgencyKeyResponse, error) {
	return &types.MsgAddAgencyKeyResponse{}, s.k.AddAgencyKey(ctx, msg.Authority, msg.AgencyId, msg.Key)
}

func (s msgServer) RetireAgencyKey(ctx context.Context, msg *types.MsgRetireAgencyKey) (*types.MsgRetireAgencyKeyResponse, error) {
	return &types.MsgRetireAgencyKeyResponse{}, s.k.RetireAgencyKey(ctx, msg.Authority, msg.AgencyId, msg.KeyId)
}

func (s msgServer) SubmitProposal(ctx context.Context, msg *types.MsgSubmitProposal) (*types.MsgSubmitProposalResponse, error) {
	id, err := s.k.SubmitProposal(ctx, msg.Authority, msg.Action)
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitProposalResponse{ProposalId: id}, nil
}

func (s msgServer) ApproveProposal(ctx context.Context, msg *types.MsgApproveProposal) (*types.MsgApproveProposalResponse, error) {
	executed, err := s.k.ApproveProposal(ctx, msg.Authority, msg.ProposalId)
	if err != nil {
		return nil, err
	}
	return &types.MsgApproveProposalResponse{Executed: executed}, nil
}
