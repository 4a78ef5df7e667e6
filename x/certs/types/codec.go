package types

import (
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the module's messages.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterCredentialType{},
		&MsgIssueAttestations{},
		&MsgSuspendAttestation{},
		&MsgReinstateAttestation{},
		&MsgRevokeAttestation{},
		&MsgDeclareRecognition{},
		&MsgAmendRecognition{},
		&MsgWithdrawRecognition{},
		&MsgRegisterCA{},
		&MsgRecogniseCA{},
		&MsgWithdrawCARecognition{},
		&MsgRevokeCertificate{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
