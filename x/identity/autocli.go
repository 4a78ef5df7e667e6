package identity

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/baynet/baynet/x/identity/types"
)

// AutoCLIOptions describes the plain tx and query commands; commands the
// holder signs locally, and queries that compute a commitment or print a DID
// document, live in client/cli.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	anchor := []*autocliv1.PositionalArgDescriptor{{ProtoField: "anchor_id"}}
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "The identity module's parameters"},
				{RpcMethod: "Anchor", Use: "anchor [did]", Short: "An anchor: status, sequence, keys in force, pending recovery", PositionalArgs: anchor},
				{RpcMethod: "AnchorKey", Use: "key [did] [key-id]", Short: "One key of an anchor with its status and revocation time",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "anchor_id"}, {ProtoField: "key_id"}}},
				{RpcMethod: "AnchorKeys", Use: "keys [did]", Short: "An anchor's keys, revoked ones included", PositionalArgs: anchor},
				{RpcMethod: "KeyOwner", Use: "key-owner [scheme] [public-key]", Short: "The anchor key with a public key (file, hex or base64)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "scheme"}, {ProtoField: "public_key"}}},
				{RpcMethod: "Link", Skip: true},
				{RpcMethod: "Links", Use: "links [did]", Short: "An anchor's region identity links, removed ones included", PositionalArgs: anchor},
				{RpcMethod: "Consent", Use: "consent [did] [verifier] [purpose]", Short: "The consent record of an anchor for a verifier and purpose",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "anchor_id"}, {ProtoField: "verifier"}, {ProtoField: "purpose"}}},
				{RpcMethod: "Consents", Use: "consents [did]", Short: "An anchor's consent records", PositionalArgs: anchor},
				{RpcMethod: "ConsentAt", Use: "consent-at [did] [verifier] [purpose] [credential-type]",
					Short: "Whether consent holds at a time (--time, RFC 3339; default the block time)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "anchor_id"}, {ProtoField: "verifier"}, {ProtoField: "purpose"}, {ProtoField: "credential_type"},
					}},
				{RpcMethod: "Recovery", Use: "recovery [did]", Short: "An anchor's pending recovery", PositionalArgs: anchor},
				{RpcMethod: "ResolveDID", Skip: true},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateAnchor", Skip: true},
				{RpcMethod: "HolderOperation", Skip: true},
				{RpcMethod: "LinkIdentity", Skip: true},
				{RpcMethod: "UnlinkIdentity", Use: "unlink [commitment] [reason]", Short: "Remove a link your identity provider made (commitment in hex)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "commitment"}, {ProtoField: "reason"}}},
				{RpcMethod: "InitiateRecovery", Skip: true},
				{RpcMethod: "CompleteRecovery", Use: "complete-recovery [did]", Short: "Complete an anchor's recovery once its waiting period is over",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "anchor_id"}}},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
