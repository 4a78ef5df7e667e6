package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) RegisterCredentialType(ctx context.Context, msg *types.MsgRegisterCredentialType) (*types.MsgRegisterCredentialTypeResponse, error) {
	return &types.MsgRegisterCredentialTypeResponse{}, s.k.RegisterCredentialType(ctx, msg)
}

func (s msgServer) IssueAttestations(ctx context.Context, msg *types.MsgIssueAttestations) (*types.MsgIssueAttestationsResponse, error) {
	ids, err := s.k.IssueAttestations(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgIssueAttestationsResponse{Issued: uint32(len(ids))}, nil
}

func (s msgServer) SuspendAttestation(ctx context.Context, msg *types.MsgSuspendAttestation) (*types.MsgSuspendAttestationResponse, error) {
	return &types.MsgSuspendAttestationResponse{}, s.k.changeStatus(ctx, statusChange{
		signer: msg.Signer, id: msg.Id, reason: msg.Reason, to: types.ATTESTATION_STATUS_SUSPENDED, until: msg.Until,
	})
}

func (s msgServer) ReinstateAttestation(ctx context.Context, msg *types.MsgReinstateAttestation) (*types.MsgReinstateAttestationResponse, error) {
	return &types.MsgReinstateAttestationResponse{}, s.k.changeStatus(ctx, statusChange{
		signer: msg.Signer, id: msg.Id, reason: msg.Reason, to: types.ATTESTATION_STATUS_ACTIVE,
	})
}

func (s msgServer) RevokeAttestation(ctx context.Context, msg *types.MsgRevokeAttestation) (*types.MsgRevokeAttestationResponse, error) {
	return &types.MsgRevokeAttestationResponse{}, s.k.changeStatus(ctx, statusChange{
		signer: msg.Signer, id: msg.Id, reason: msg.Reason, to: types.ATTESTATION_STATUS_REVOKED,
	})
}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if err := sdk.ValidateAuthority(sdkCtx, s.k.authority, msg.Authority); err != nil {
		return nil, err
	}
	if err := msg.Params.Validate(); err != nil {
		return nil, err
	}
	if err := s.k.Params.Set(ctx, msg.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, sdkCtx.EventManager().EmitTypedEvent(&types.EventParamsUpdated{Params: msg.Params})
}

func (s msgServer) DeclareRecognition(ctx context.Context, msg *types.MsgDeclareRecognition) (*types.MsgDeclareRecognitionResponse, error) {
	id, err := s.k.DeclareRecognition(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgDeclareRecognitionResponse{Id: id}, nil
}

func (s msgServer) AmendRecognition(ctx context.Context, msg *types.MsgAmendRecognition) (*types.MsgAmendRecognitionResponse, error) {
	v, err := s.k.AmendRecognition(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgAmendRecognitionResponse{Version: v}, nil
}

func (s msgServer) WithdrawRecognition(ctx context.Context, msg *types.MsgWithdrawRecognition) (*types.MsgWithdrawRecognitionResponse, error) {
	return &types.MsgWithdrawRecognitionResponse{}, s.k.WithdrawRecognition(ctx, msg)
}

func (s msgServer) RegisterCA(ctx context.Context, msg *types.MsgRegisterCA) (*types.MsgRegisterCAResponse, error) {
	fp, err := s.k.RegisterCA(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgRegisterCAResponse{Fingerprint: fp}, nil
}

func (s msgServer) RecogniseCA(ctx context.Context, msg *types.MsgRecogniseCA) (*types.MsgRecogniseCAResponse, error) {
	return &types.MsgRecogniseCAResponse{}, s.k.RecogniseCA(ctx, msg)
}

func (s msgServer) WithdrawCARecognition(ctx context.Context, msg *types.MsgWithdrawCARecognition) (*types.MsgWithdrawCARecognitionResponse, error) {
	return &types.MsgWithdrawCARecognitionResponse{}, s.k.WithdrawCARecognition(ctx, msg)
}

func (s msgServer) RevokeCertificate(ctx context.Context, msg *types.MsgRevokeCertificate) (*types.MsgRevokeCertificateResponse, error) {
	return &types.MsgRevokeCertificateResponse{}, s.k.RevokeCertificate(ctx, msg)
}
