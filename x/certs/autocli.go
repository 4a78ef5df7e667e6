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
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
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
				{RpcMethod: "RecognitionRule", Use: "recognition-rule [id]", Short: "A recognition rule with its earlier versions", PositionalArgs: id},
				{RpcMethod: "RecognitionRules", Use: "recognition-rules [region]", Short: "A region's recognition rules, optionally about one type (--source-type)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "region"}}},
				{RpcMethod: "Mutual", Use: "mutual [type-a] [type-b]", Short: "Rules recognising each type in the other's region, and the mutual pairs",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "type_a"}, {ProtoField: "type_b"}}},
				{RpcMethod: "DataFlow", Use: "data-flow [credential-type] [to-region] [time]",
					Short:          "The cross-border whitelist: may data of a type flow from its region to another at a time (RFC 3339), by which rules, with consent or not",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "credential_type"}, {ProtoField: "to_region"}, {ProtoField: "time"}}},
				{RpcMethod: "IsRecognised", Use: "is-recognised [id] [region] [purpose] [time]",
					Short:          "Whether an attestation is recognised in a region for a purpose at a time (RFC 3339), with the deciding rule or every reason",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "region"}, {ProtoField: "purpose"}, {ProtoField: "time"}}},
				{RpcMethod: "CA", Use: "ca [fingerprint]", Short: "A registered CA certificate and what was read from it",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "fingerprint"}}},
				{RpcMethod: "RegionCAs", Use: "cas [region]", Short: "The CAs a region registered (trusted there without recognition)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "region"}}},
				{RpcMethod: "CARecognitions", Use: "ca-recognitions [region]", Short: "A region's recognitions of other regions' CAs, with their earlier periods",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "region"}}},
				{RpcMethod: "Revocations", Use: "revocations [fingerprint]", Short: "The certificate serials revoked under a CA",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "fingerprint"}}},
				{RpcMethod: "VerifyCertificate", Skip: true},
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
				{RpcMethod: "DeclareRecognition", Use: "declare-recognition [source-type]",
					Short: "Recognise another region's credential type in your region (--terms as JSON: local_type, purposes, valid_from, valid_until, conditions, data_flow)",
					Long: `Recognise credential type SOURCE-TYPE of another region in your region, under --terms, JSON of RecognitionTerms:
  {"local_type": "HK:company-registration",            optional, one of your region's types
   "purposes": ["tendering"],                          1-16 short names
   "valid_from": "2026-01-01T00:00:00Z",                required
   "valid_until": "2031-01-01T00:00:00Z",               optional; open-ended when left out
   "conditions": {"min_level_of_assurance": 3,          0-4, the subject's best identity link
                  "issuer_roles": ["AGENCY_ROLE_ISSUER"],
                  "max_age": "31536000s",               from the anchoring (seconds)
                  "consent_required": true},            the holder's consent to your region
   "data_flow": true}                                   the type may flow to your region`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "source_type"}}},
				{RpcMethod: "AmendRecognition", Use: "amend-recognition [id]", Short: "Replace the terms of one of your region's rules (--terms as JSON); the old version is kept",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
				{RpcMethod: "WithdrawRecognition", Use: "withdraw-recognition [id] [reason]", Short: "Withdraw one of your region's recognition rules",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "reason", Optional: true}}},
				{RpcMethod: "RegisterCA", Skip: true},
				{RpcMethod: "RecogniseCA", Use: "recognise-ca [fingerprint] [purpose]...",
					Short:          "Trust another region's CA in your region for purposes (tendering, e-seal, e-signature); --policies narrows to policy OIDs",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "ca"}, {ProtoField: "purposes", Varargs: true}}},
				{RpcMethod: "WithdrawCARecognition", Use: "withdraw-ca-recognition [fingerprint]", Short: "Stop trusting a CA in your region",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "ca"}}},
				{RpcMethod: "RevokeCertificate", Use: "revoke-certificate [ca-fingerprint] [serial] [revoked-at] [reason]",
					Short:          "Post a revoked certificate serial (decimal) of one of your region's CAs, effective at revoked-at (RFC 3339)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "ca"}, {ProtoField: "serial"}, {ProtoField: "revoked_at"}, {ProtoField: "reason"}}},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
