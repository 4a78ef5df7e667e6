// Package keeper holds the consortium registry: regions, their validators,
// their agencies and the consortium's proposals.
package keeper

import (
	"context"
	"crypto/sha256"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"cosmossdk.io/core/address"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/baynet/baynet/x/regions/types"
)

// ValidatorKey is (region, consensus pubkey), so a region's validators are one prefix.
type ValidatorKey = collections.Pair[string, []byte]

// AgencyKey is (region, agency id), so a region's agencies are one prefix.
type AgencyKey = collections.Pair[string, string]

// RegionIndexes finds a region by its authority account.
type RegionIndexes struct {
	Authority *indexes.Unique[sdk.AccAddress, string, types.Region]
}

// IndexesList implements collections.Indexes.
func (i RegionIndexes) IndexesList() []collections.Index[string, types.Region] {
	return []collections.Index[string, types.Region]{i.Authority}
}

// ValidatorIndexes find a validator by consensus key, consensus address or operator.
type ValidatorIndexes struct {
	PubKey   *indexes.Unique[[]byte, ValidatorKey, types.Validator]
	ConsAddr *indexes.Unique[[]byte, ValidatorKey, types.Validator]
	Operator *indexes.Multi[sdk.AccAddress, ValidatorKey, types.Validator]
}

// IndexesList implements collections.Indexes.
func (i ValidatorIndexes) IndexesList() []collections.Index[ValidatorKey, types.Validator] {
	return []collections.Index[ValidatorKey, types.Validator]{i.PubKey, i.ConsAddr, i.Operator}
}

// AgencyIndexes find an agency by its account.
type AgencyIndexes struct {
	Account *indexes.Unique[sdk.AccAddress, AgencyKey, types.Agency]
}

// IndexesList implements collections.Indexes.
func (i AgencyIndexes) IndexesList() []collections.Index[AgencyKey, types.Agency] {
	return []collections.Index[AgencyKey, types.Agency]{i.Account}
}

// Keeper is the consortium registry. Other modules ask it "may this account
// do this" and "was this agency key valid then".
type Keeper struct {
	cdc          codec.Codec
	ak           types.AccountKeeper
	addressCodec address.Codec
	router       baseapp.MessageRouter
	// authority is x/regions' module account, which executes the messages of
	// approved consortium proposals.
	authority []byte

	Schema           collections.Schema
	Params           collections.Item[types.Params]
	Regions          *collections.IndexedMap[string, types.Region, RegionIndexes]
	Validators       *collections.IndexedMap[ValidatorKey, types.Validator, ValidatorIndexes]
	LastPowers       collections.Map[[]byte, int64]
	Agencies         *collections.IndexedMap[AgencyKey, types.Agency, AgencyIndexes]
	AgencyKeys       collections.Map[collections.Pair[string, string], types.AgencyKey]
	Proposals        collections.Map[uint64, types.Proposal]
	ProposalSeq      collections.Sequence
	PendingProposals collections.KeySet[collections.Pair[int64, uint64]]
	DoubleSigns      collections.Map[collections.Pair[int64, []byte], types.DoubleSignRecord]
	// Departures keeps the region of each key removed from Validators in
	// the current block, for the power change EndBlock reports; it is empty
	// between blocks.
	Departures collections.Map[[]byte, string]
}

// NewKeeper declares the module's state. router executes the messages of
// approved consortium proposals.
func NewKeeper(cdc codec.Codec, storeService store.KVStoreService, ak types.AccountKeeper, router baseapp.MessageRouter) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	ac := ak.AddressCodec()
	validatorKeyCodec := collections.PairKeyCodec(collections.StringKey, collections.BytesKey)
	agencyKeyCodec := collections.PairKeyCodec(collections.StringKey, collections.StringKey)
	k := Keeper{
		cdc:          cdc,
		ak:           ak,
		addressCodec: ac,
		router:       router,
		authority:    authtypes.NewModuleAddress(types.ModuleName),
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Regions: collections.NewIndexedMap(sb, types.RegionsKey, "regions", collections.StringKey, codec.CollValue[types.Region](cdc),
			RegionIndexes{
				Authority: indexes.NewUnique(sb, types.RegionsByAuthorityKey, "regions_by_authority", sdk.AccAddressKey, collections.StringKey,
					func(_ string, r types.Region) (sdk.AccAddress, error) { return ac.StringToBytes(r.Authority) }),
			}),
		Validators: collections.NewIndexedMap(sb, types.ValidatorsKey, "validators", validatorKeyCodec, codec.CollValue[types.Validator](cdc),
			ValidatorIndexes{
				PubKey: indexes.NewUnique(sb, types.ValidatorsByPubKeyKey, "validators_by_pubkey", collections.BytesKey, validatorKeyCodec,
					func(pk ValidatorKey, _ types.Validator) ([]byte, error) { return pk.K2(), nil }),
				ConsAddr: indexes.NewUnique(sb, types.ValidatorsByConsAddrKey, "validators_by_consaddr", collections.BytesKey, validatorKeyCodec,
					func(pk ValidatorKey, _ types.Validator) ([]byte, error) { return ConsAddress(pk.K2()), nil }),
				Operator: indexes.NewMulti(sb, types.ValidatorsByOperatorKey, "validators_by_operator", sdk.AccAddressKey, validatorKeyCodec,
					func(_ ValidatorKey, v types.Validator) (sdk.AccAddress, error) { return ac.StringToBytes(v.Operator) }),
			}),
		LastPowers: collections.NewMap(sb, types.LastPowersKey, "last_powers", collections.BytesKey, collections.Int64Value),
		Agencies: collections.NewIndexedMap(sb, types.AgenciesKey, "agencies", agencyKeyCodec, codec.CollValue[types.Agency](cdc),
			AgencyIndexes{
				Account: indexes.NewUnique(sb, types.AgenciesByAccountKey, "agencies_by_account", sdk.AccAddressKey, agencyKeyCodec,
					func(_ AgencyKey, a types.Agency) (sdk.AccAddress, error) { return ac.StringToBytes(a.Account) }),
			}),
		AgencyKeys:       collections.NewMap(sb, types.AgencyKeysKey, "agency_keys", agencyKeyCodec, codec.CollValue[types.AgencyKey](cdc)),
		Proposals:        collections.NewMap(sb, types.ProposalsKey, "proposals", collections.Uint64Key, codec.CollValue[types.Proposal](cdc)),
		ProposalSeq:      collections.NewSequence(sb, types.ProposalSeqKey, "proposal_seq"),
		PendingProposals: collections.NewKeySet(sb, types.PendingProposalsKey, "pending_proposals", collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		DoubleSigns: collections.NewMap(sb, types.DoubleSignsKey, "double_signs", collections.PairKeyCodec(collections.Int64Key, collections.BytesKey),
			codec.CollValue[types.DoubleSignRecord](cdc)),
		Departures: collections.NewMap(sb, types.DeparturesKey, "departures", collections.BytesKey, collections.StringValue),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// AddressCodec returns the account address codec.
func (k Keeper) AddressCodec() address.Codec { return k.addressCodec }

// ConsAddress is CometBFT's address of an ed25519 consensus key: the first
// 20 bytes of its SHA-256.
func ConsAddress(pubKey []byte) []byte {
	h := sha256.Sum256(pubKey)
	return h[:20]
}

// GetParams returns the consortium's rules.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// GetRegion returns a region by code.
func (k Keeper) GetRegion(ctx context.Context, code string) (types.Region, error) {
	r, err := k.Regions.Get(ctx, code)
	if errors.Is(err, collections.ErrNotFound) {
		return r, errorsmod.Wrapf(types.ErrUnknownRegion, "%q", code)
	}
	return r, err
}

// regionOfAuthority checks that signer is the authority of region and returns the region.
func (k Keeper) regionOfAuthority(ctx context.Context, signer, region string) (types.Region, error) {
	r, err := k.GetRegion(ctx, region)
	if err != nil {
		return r, err
	}
	if r.Authority != signer {
		return r, errorsmod.Wrapf(types.ErrNotRegionAuthority, "%s is not the authority of %s", signer, region)
	}
	return r, nil
}

// RegionByAuthority returns the region whose authority is addr.
func (k Keeper) RegionByAuthority(ctx context.Context, addr sdk.AccAddress) (types.Region, error) {
	code, err := k.Regions.Indexes.Authority.MatchExact(ctx, addr)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Region{}, errorsmod.Wrapf(types.ErrNotRegionAuthority, "%s is no region's authority", addr)
	}
	if err != nil {
		return types.Region{}, err
	}
	return k.Regions.Get(ctx, code)
}

// ensureAccount creates the auth account of a newly registered member, so
// that it can sign transactions without ever receiving tokens.
func (k Keeper) ensureAccount(ctx context.Context, addr string) error {
	bz, err := k.addressCodec.StringToBytes(addr)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "%q: %v", addr, err)
	}
	if !k.ak.HasAccount(ctx, bz) {
		k.ak.SetAccount(ctx, k.ak.NewAccountWithAddress(ctx, bz))
	}
	return nil
}

// checkAddress parses a bech32 account address.
func (k Keeper) checkAddress(field, addr string) error {
	if _, err := k.addressCodec.StringToBytes(addr); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return nil
}
