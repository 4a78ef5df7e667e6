package crypto

// Policy selects the rules that differ between transaction signatures and
// signatures made outside the chain.
type Policy uint8

const (
	// PolicyExternal is for payloads signed off-chain (attestations,
	// certificates, HSM output): an ECDSA signature is accepted with either
	// half of S, since CAs and HSMs produce high S about half the time.
	PolicyExternal Policy = iota
	// PolicyTx is for transaction keys: an ECDSA signature (secp256k1, P-256,
	// P-384) must have a low S, so that no third party can re-encode a
	// signed transaction. Any value other than PolicyExternal is treated as
	// PolicyTx.
	PolicyTx
)

// Item is one signature to verify.
type Item struct {
	Key    PublicKey // a nil key fails with ErrMalformedKey
	Msg    []byte    // the signed bytes, any length; the scheme hashes them
	Sig    []byte    // in any encoding the key's scheme accepts
	Policy Policy
	// SM2UID is the signer's SM2 user id; nil or empty means the default
	// "1234567812345678". Other schemes ignore it.
	SM2UID []byte
	// Hash is the digest the signer used when it is not the scheme's own;
	// HashScheme (the zero value) means the scheme's. Only PolicyExternal
	// items with an RSA, P-256 or P-384 key may name another, as X.509
	// certificate signatures do (see Hash).
	Hash Hash
}

// Verify checks one item and returns nil if it is valid, or its reason: one of
// the Err* sentinels. It reaches the same verdict as a BatchVerifier, whose
// ItemError for the item wraps the same reason.
func Verify(it Item) error {
	k, err := resolve(it.Key)
	if err != nil {
		return err
	}
	return verifyOne(k, it.Msg, it.Sig, it.Policy, it.SM2UID, it.Hash)
}

func verifyOne(k key, msg, sig []byte, pol Policy, uid []byte, h Hash) error {
	sc := scratchPool.Get().(*scratch)
	err := safeVerify(k, sc, msg, sig, pol, uid, h)
	scratchPool.Put(sc)
	return err
}

// safeVerify runs steps 2 to 6 of the package checks. It turns a panic in an
// underlying library into a refused item: a crafted signature must not be
// able to crash every validator.
func safeVerify(k key, sc *scratch, msg, sig []byte, pol Policy, uid []byte, h Hash) (err error) {
	defer func() {
		if recover() != nil {
			err = ErrVerifierFault
		}
	}()
	s := k.Scheme()
	if h, err = normalHash(s, h, pol); err != nil {
		return err
	}
	return k.verify(sc, msg, sig, pol, uid, h.effective(s))
}
