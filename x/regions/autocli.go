package regions

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/baynet/baynet/x/regions/types"
)

// AutoCLIOptions describes the plain tx and query commands; commands that
// take files or nested input live in client/cli.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "The consortium's rules"},
				{RpcMethod: "Region", Use: "region [code]", Short: "A region and its validators", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "code"}}},
				{RpcMethod: "Regions", Use: "regions", Short: "All regions"},
				{RpcMethod: "Validator", Use: "validator [consensus-pubkey]", Short: "A validator by its consensus key (hex or base64)", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "consensus_pubkey"}}},
				{RpcMethod: "Validators", Use: "validators", Short: "Validators, optionally of one region (--region)"},
				{RpcMethod: "Agency", Use: "agency [agency-id]", Short: "An agency and its keys", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}}},
				{RpcMethod: "Agencies", Use: "agencies", Short: "Agencies, optionally of one region (--region)"},
				{RpcMethod: "AgencyKeys", Use: "agency-keys [agency-id]", Short: "An agency's signing keys, retired ones included", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}}},
				{RpcMethod: "Proposal", Use: "proposal [id]", Short: "A consortium proposal", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "proposal_id"}}},
				{RpcMethod: "Proposals", Use: "proposals", Short: "All consortium proposals"},
				{RpcMethod: "DoubleSigns", Use: "double-signs", Short: "Recorded double-sign evidence"},
				{RpcMethod: "Permission", Use: "permission [address]", Short: "Whether an account may submit transactions, and why", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}}},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "AddValidator", Use: "add-validator [region] [consensus-pubkey] [moniker] [operator]", Short: "Add a validator to your region (key: hex, base64 or a file)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "region"}, {ProtoField: "consensus_pubkey"}, {ProtoField: "moniker"}, {ProtoField: "operator"}}},
				{RpcMethod: "RotateValidatorKey", Use: "rotate-validator-key [region] [consensus-pubkey] [new-consensus-pubkey]", Short: "Move a validator of your region to a new consensus key",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "region"}, {ProtoField: "consensus_pubkey"}, {ProtoField: "new_consensus_pubkey"}}},
				{RpcMethod: "RemoveValidator", Use: "remove-validator [region] [consensus-pubkey]", Short: "Remove a validator of your region",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "region"}, {ProtoField: "consensus_pubkey"}}},
				{RpcMethod: "RegisterAgency", Skip: true},
				{RpcMethod: "AddAgencyKey", Skip: true},
				{RpcMethod: "SubmitProposal", Skip: true},
				{RpcMethod: "SetAgencyEntitlements", Use: "set-agency-entitlements [agency-id]", Short: "Replace an agency's roles (--roles) and credential types (--credential-types)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}}},
				{RpcMethod: "SuspendAgency", Use: "suspend-agency [agency-id] [reason]", Short: "Suspend an agency of your region",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}, {ProtoField: "reason"}}},
				{RpcMethod: "ReinstateAgency", Use: "reinstate-agency [agency-id] [reason]", Short: "Reinstate a suspended agency",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}, {ProtoField: "reason"}}},
				{RpcMethod: "RetireAgency", Use: "retire-agency [agency-id] [reason]", Short: "Retire an agency for good",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}, {ProtoField: "reason"}}},
				{RpcMethod: "RetireAgencyKey", Use: "retire-agency-key [agency-id] [key-id]", Short: "End an agency key's validity now",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agency_id"}, {ProtoField: "key_id"}}},
				{RpcMethod: "ApproveProposal", Use: "approve-proposal [id]", Short: "Approve a consortium proposal for your region",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "proposal_id"}}},
			},
		},
	}
}
