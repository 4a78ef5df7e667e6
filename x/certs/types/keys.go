package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the e-licence module.
	ModuleName = "certs"
	// StoreKey is the module's store key.
	StoreKey = ModuleName
)

// Store prefixes. An attestation, its current status and each of its history
// entries have their own keys, so that one proven read answers "what was
// attested", "what is its status" and "what changed at step n". Attestation
// ids are the raw 32 bytes of the SHA-256, length-prefixed (0x20) where
// something follows them in a key. Recognition rules take 0x08-0x0b, CA
// trust lists 0x0c-0x0f. CA fingerprints are the raw 32 bytes of the
// SHA-256 of the DER, length-prefixed (0x20) where something follows them.
var (
	// ParamsKey: 0x00 -> Params.
	ParamsKey = collections.NewPrefix(0)
	// CredentialTypesKey: 0x01 | region NUL-terminated | type id -> CredentialType.
	CredentialTypesKey = collections.NewPrefix(1)
	// AttestationsKey: 0x02 | id (32 bytes) -> Attestation.
	AttestationsKey = collections.NewPrefix(2)
	// AttestationsByLicenceKey: 0x03 | licence id NUL-terminated | issuer -> id,
	// unique: an issuer attests a licence once.
	AttestationsByLicenceKey = collections.NewPrefix(3)
	// AttestationsBySubjectKey: 0x04 | subject NUL-terminated | id -> nothing,
	// for attestations with a subject.
	AttestationsBySubjectKey = collections.NewPrefix(4)
	// AttestationsByIssuerKey: 0x05 | issuer NUL-terminated | id -> nothing.
	AttestationsByIssuerKey = collections.NewPrefix(5)
	// StatusesKey: 0x06 | id (32 bytes) -> StatusRecord.
	StatusesKey = collections.NewPrefix(6)
	// HistoryKey: 0x07 | 0x20 | id | seq (uint32 big-endian) -> StatusChange.
	HistoryKey = collections.NewPrefix(7)
	// RecognitionRulesKey: 0x08 | id (uint64 big-endian) -> RecognitionRule,
	// the rule's current version.
	RecognitionRulesKey = collections.NewPrefix(8)
	// RulesByRegionTypeKey: 0x09 | region NUL-terminated | source type ->
	// RuleIDs: the ids of a region's rules about one type, in one value so
	// that a verifier proves the whole set with one key.
	RulesByRegionTypeKey = collections.NewPrefix(9)
	// SupersededRulesKey: 0x0a | id | version (uint32 big-endian) ->
	// RecognitionRule, a rule's earlier versions.
	SupersededRulesKey = collections.NewPrefix(10)
	// NextRuleIDKey: 0x0b -> uint64, the id the next rule gets.
	NextRuleIDKey = collections.NewPrefix(11)
	// CAsKey: 0x0c | fingerprint (32 bytes) -> CA.
	CAsKey = collections.NewPrefix(12)
	// CAsByRegionKey: 0x0d | region NUL-terminated | fingerprint -> nothing.
	CAsByRegionKey = collections.NewPrefix(13)
	// CARecognitionsKey: 0x0e | recognising region NUL-terminated |
	// fingerprint -> CARecognition.
	CARecognitionsKey = collections.NewPrefix(14)
	// RevocationsKey: 0x0f | 0x20 | CA fingerprint | serial (big-endian
	// magnitude) -> CertificateRevocation.
	RevocationsKey = collections.NewPrefix(15)
)
