package certs

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/baynet/baynet/x/certs/types"
)

// AutoCLIOptions describes the plain tx and query commands; the commands
// that sign payloads or read files live in client/cli.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	id := []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "x/certs' params: bulk size, history cap, gas per attestation"},
				{RpcMethod: "CredentialType", Use: "credential-type [type-id]", Short: "A credential type",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "type_id"}}},
				{RpcMethod: "CredentialTypes", Use: "credential-types", Short: "Credential types, optionally of one region (--region)"},
				{RpcMethod: "Attestation", Use: "attestation [id]", Short: "An attestation, its status record and its status now", PositionalArgs: id},
				{RpcMethod: "StatusAt", Use: "status-at [id] [time]", Short: "An attestation's status at a time (RFC 3339), with the history entry that decided it",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "time"}}},
				{RpcMethod: "History", Use: "history [id]", Short: "An attestation's status changes, issuance first", PositionalArgs: id},
				{RpcMethod: "AttestationsByLicence", Use: "by-licence [licence-id]", Short: "Attestations of a licence identifier, optionally of one issuer (--issuer)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "licence_id"}}},
				{RpcMethod: "AttestationsBySubject", Use: "by-subject [subject]", Short: "Attestations about an identity anchor (did:baynet:...)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "subject"}}},
				{RpcMethod: "AttestationsByIssuer", Use: "by-issuer [agency-id]", Short: "An agency's attestations",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "issuer"}}},
				{RpcMethod: "Anchored", Use: "anchored [id]...", Short: "Which of the given attestation ids are anchored",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "ids", Varargs: true}}},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "RegisterCredentialType", Skip: true},
				{RpcMethod: "IssueAttestations", Skip: true},
				{RpcMethod: "SuspendAttestation", Use: "suspend [id] [reason]", Short: "Suspend an attestation you issued; --until ends the suspension by itself",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "reason"}}},
				{RpcMethod: "ReinstateAttestation", Use: "reinstate [id] [reason]", Short: "Lift the suspension of an attestation you issued",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "reason", Optional: true}}},
				{RpcMethod: "RevokeAttestation", Use: "revoke [id] [reason]", Short: "Revoke an attestation you issued, or one of your region's agencies issued (final)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "reason"}}},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
