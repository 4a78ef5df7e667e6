package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the identity module.
	ModuleName = "identity"
	// StoreKey is the module's store key.
	StoreKey = ModuleName
)

// Store prefixes. Each fact a verifier needs (an anchor, a key's status, a
// link, a consent) is one key, so one proven read answers one question.
// Strings in keys are NUL-terminated except in last position.
var (
	// ParamsKey: 0x00 -> Params.
	ParamsKey = collections.NewPrefix(0)
	// AnchorsKey: 0x01 | anchor id -> Anchor.
	AnchorsKey = collections.NewPrefix(1)
	// KeysKey: 0x02 | anchor id | key id -> AnchorKey, revoked keys included.
	KeysKey = collections.NewPrefix(2)
	// KeysByPublicKeyKey: 0x03 | scheme 0x00 canonical public key -> anchor
	// id | key id. A public key belongs to at most one anchor, ever.
	KeysByPublicKeyKey = collections.NewPrefix(3)
	// LinksKey: 0x04 | commitment (32 bytes) -> Link, removed links included.
	LinksKey = collections.NewPrefix(4)
	// LinksByAnchorKey: 0x05 | anchor id | commitment -> nothing.
	LinksByAnchorKey = collections.NewPrefix(5)
	// ActiveLinksKey: 0x06 | anchor id | idp agency id -> commitment, for
	// active links only: "is this anchor linked by that provider".
	ActiveLinksKey = collections.NewPrefix(6)
	// ConsentsKey: 0x07 | anchor id | verifier | purpose -> Consent.
	ConsentsKey = collections.NewPrefix(7)
	// RecoveriesKey: 0x08 | anchor id -> Recovery, while one is pending.
	RecoveriesKey = collections.NewPrefix(8)
)
