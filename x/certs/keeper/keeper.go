// Package keeper holds x/certs' state: credential types, attestations and
// their status histories.
package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	"cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/certs/types"
)

// CredentialTypeKey is (region, type id), so a region's types are one prefix.
type CredentialTypeKey = collections.Pair[string, string]

// HistoryKey is (attestation id, seq), so an attestation's history is one prefix.
type HistoryKey = collections.Pair[[]byte, uint32]

// LicenceKey is (licence id, issuer): an issuer attests a licence once, and
// one licence's attestations by every issuer are one prefix.
type LicenceKey = collections.Pair[string, string]

// RefKey is (reference, attestation id): the entry of a secondary index.
type RefKey = collections.Pair[string, []byte]

// RuleIndexKey is (region, source type): the key of the ids of a region's
// rules about one type; a region's keys are one prefix.
type RuleIndexKey = collections.Pair[string, string]

// RuleVersionKey is (rule id, version).
type RuleVersionKey = collections.Pair[uint64, uint32]

// CARefKey is (region, CA fingerprint).
type CARefKey = collections.Pair[string, []byte]

// RevocationKey is (CA fingerprint, serial magnitude).
type RevocationKey = collections.Pair[[]byte, []byte]

// Keeper is x/certs' state and rules.
type Keeper struct {
	storeService store.KVStoreService
	regions      types.RegionsKeeper
	// identity, when set, answers the consent conditions of recognition
	// rules.
	identity     types.IdentityKeeper
	addressCodec address.Codec
	// authority may change the params: the consortium's authority.
	authority string

	// verify gives the verdicts on a bulk message's signatures: one batch of
	// the crypto package's verifier. Benchmarks swap in a one-by-one baseline.
	verify func([]bcrypto.Item) []error
	// timings, when set, accumulates the phases of bulk issuance (benchmarks).
	timings *phaseTimes
	// parsed keeps stored CA certificates parsed (see parsedCAs); shared
	// by the keeper's copies.
	parsed *parsedCAs

	Schema          collections.Schema
	Params          collections.Item[types.Params]
	CredentialTypes collections.Map[CredentialTypeKey, types.CredentialType]
	// Attestations are written once and never change or go, so the keeper
	// writes their secondary indexes itself, beside the record, after
	// checking uniqueness (see anchor); an IndexedMap would read every new
	// key back first.
	Attestations          collections.Map[[]byte, types.Attestation]
	AttestationsByLicence collections.Map[LicenceKey, []byte]
	// AttestationsBySubject holds only attestations that name a subject.
	AttestationsBySubject collections.KeySet[RefKey]
	AttestationsByIssuer  collections.KeySet[RefKey]
	Statuses              collections.Map[[]byte, types.StatusRecord]
	History               collections.Map[HistoryKey, types.StatusChange]
	// RecognitionRules hold each rule's current version; RulesByRegionType
	// lists their ids by (region, source type), and SupersededRules keeps
	// every earlier version.
	RecognitionRules  collections.Map[uint64, types.RecognitionRule]
	RulesByRegionType collections.Map[RuleIndexKey, types.RuleIDs]
	SupersededRules   collections.Map[RuleVersionKey, types.RecognitionRule]
	NextRuleID        collections.Sequence
	// CAs are the registered CA certificates by fingerprint, CAsByRegion
	// each region's, CARecognitions the foreign CAs each region trusts and
	// Revocations the revoked serials under each CA.
	CAs            collections.Map[[]byte, types.CA]
	CAsByRegion    collections.KeySet[CARefKey]
	CARecognitions collections.Map[CARefKey, types.CARecognition]
	Revocations    collections.Map[RevocationKey, types.CertificateRevocation]
}

// NewKeeper declares the module's state. authority is the address allowed to
// change the params.
func NewKeeper(cdc codec.Codec, storeService store.KVStoreService, regions types.RegionsKeeper, addressCodec address.Codec, authority string) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		storeService: storeService,
		regions:      regions,
		addressCodec: addressCodec,
		authority:    authority,
		verify:       batchVerify,
		parsed:       newParsedCAs(),
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		CredentialTypes: collections.NewMap(sb, types.CredentialTypesKey, "credential_types",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.CredentialType](cdc)),
		Attestations: collections.NewMap(sb, types.AttestationsKey, "attestations", collections.BytesKey, codec.CollValue[types.Attestation](cdc)),
		AttestationsByLicence: collections.NewMap(sb, types.AttestationsByLicenceKey, "attestations_by_licence",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), collections.BytesValue),
		AttestationsBySubject: collections.NewKeySet(sb, types.AttestationsBySubjectKey, "attestations_by_subject",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey), collections.WithKeySetSecondaryIndex()),
		AttestationsByIssuer: collections.NewKeySet(sb, types.AttestationsByIssuerKey, "attestations_by_issuer",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey), collections.WithKeySetSecondaryIndex()),
		Statuses: collections.NewMap(sb, types.StatusesKey, "statuses", collections.BytesKey, codec.CollValue[types.StatusRecord](cdc)),
		History: collections.NewMap(sb, types.HistoryKey, "history",
			collections.PairKeyCodec(collections.BytesKey, collections.Uint32Key), codec.CollValue[types.StatusChange](cdc)),
		RecognitionRules: collections.NewMap(sb, types.RecognitionRulesKey, "recognition_rules", collections.Uint64Key,
			codec.CollValue[types.RecognitionRule](cdc)),
		RulesByRegionType: collections.NewMap(sb, types.RulesByRegionTypeKey, "rules_by_region_type",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.RuleIDs](cdc)),
		SupersededRules: collections.NewMap(sb, types.SupersededRulesKey, "superseded_rules",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint32Key), codec.CollValue[types.RecognitionRule](cdc)),
		NextRuleID: collections.NewSequence(sb, types.NextRuleIDKey, "next_rule_id"),
		CAs:        collections.NewMap(sb, types.CAsKey, "cas", collections.BytesKey, codec.CollValue[types.CA](cdc)),
		CAsByRegion: collections.NewKeySet(sb, types.CAsByRegionKey, "cas_by_region",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey)),
		CARecognitions: collections.NewMap(sb, types.CARecognitionsKey, "ca_recognitions",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey), codec.CollValue[types.CARecognition](cdc)),
		Revocations: collections.NewMap(sb, types.RevocationsKey, "revocations",
			collections.PairKeyCodec(collections.BytesKey, collections.BytesKey), codec.CollValue[types.CertificateRevocation](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetSignatureCache makes the keeper take the signatures the node already
// verified (in CheckTx or ProcessProposal, through SignatureItems) from
// cache, and add those it verifies itself.
func (k *Keeper) SetSignatureCache(c *bcrypto.Cache) {
	k.verify = func(items []bcrypto.Item) []error {
		if ok, verdicts, _ := c.VerifyAll(items); !ok {
			return verdicts
		}
		return nil
	}
}

// SetIdentityKeeper lets recognition rules check the holder's consent
// through x/identity.
func (k *Keeper) SetIdentityKeeper(ik types.IdentityKeeper) { k.identity = ik }

// Authority returns the address that may change the params.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the params.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) { return k.Params.Get(ctx) }
