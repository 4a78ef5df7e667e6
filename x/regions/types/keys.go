package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the consortium registry module.
	ModuleName = "regions"
	// StoreKey is the module's store key.
	StoreKey = ModuleName
)

// Store prefixes. Every fact a verifier needs has its own key, so one proven
// read answers one question.
var (
	// ParamsKey: 0x00 -> Params.
	ParamsKey = collections.NewPrefix(0)
	// RegionsKey: 0x01 | code -> Region.
	RegionsKey = collections.NewPrefix(1)
	// RegionsByAuthorityKey: 0x02 | authority address -> code.
	RegionsByAuthorityKey = collections.NewPrefix(2)
	// ValidatorsKey: 0x03 | region | pubkey -> Validator.
	ValidatorsKey = collections.NewPrefix(3)
	// ValidatorsByPubKeyKey: 0x04 | pubkey -> (region, pubkey).
	ValidatorsByPubKeyKey = collections.NewPrefix(4)
	// ValidatorsByConsAddrKey: 0x05 | consensus address -> (region, pubkey).
	ValidatorsByConsAddrKey = collections.NewPrefix(5)
	// ValidatorsByOperatorKey: 0x06 | operator address | (region, pubkey).
	ValidatorsByOperatorKey = collections.NewPrefix(6)
	// LastPowersKey: 0x07 | pubkey -> power last handed to CometBFT.
	LastPowersKey = collections.NewPrefix(7)
	// AgenciesKey: 0x08 | region | agency id -> Agency.
	AgenciesKey = collections.NewPrefix(8)
	// AgenciesByAccountKey: 0x09 | account address -> (region, agency id).
	AgenciesByAccountKey = collections.NewPrefix(9)
	// AgencyKeysKey: 0x0a | agency id | key id -> AgencyKey.
	AgencyKeysKey = collections.NewPrefix(10)
	// ProposalsKey: 0x0b | id -> Proposal.
	ProposalsKey = collections.NewPrefix(11)
	// ProposalSeqKey: 0x0c -> next proposal id.
	ProposalSeqKey = collections.NewPrefix(12)
	// PendingProposalsKey: 0x0d | expiry unix nanos | id, for pending proposals only.
	PendingProposalsKey = collections.NewPrefix(13)
	// DoubleSignsKey: 0x0e | infraction height | consensus address -> DoubleSignRecord.
	DoubleSignsKey = collections.NewPrefix(14)
	// DeparturesKey: 0x0f | pubkey -> region, for a validator that left the
	// registry in the current block; EndBlock reads and clears it.
	DeparturesKey = collections.NewPrefix(15)
)
