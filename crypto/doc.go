// Package crypto is baynet's one signature verifier: every signature the chain
// checks (transactions, anchor key operations, attestations, bids, committee
// shares) goes through it, one at a time with Verify or many at once with a
// BatchVerifier.
//
// Schemes: ed25519 under ZIP-215 rules on every path, secp256k1 through
// libsecp256k1 (cgo), ECDSA P-256 and P-384, RSA PKCS#1 v1.5 and PSS with
// SHA-256 (2048 to 8192 bits), and SM2 with SM3 (GB/T 32918). Signatures made
// off chain, such as X.509 certificate signatures, may name another hash on
// the item for RSA, P-256 and P-384 keys: SHA-256, SHA-384 or SHA-512 (see
// Hash for why this is not a scheme of its own).
//
// An item is checked in this order, and the first failure is its verdict:
//
//  1. the key is present and names a known scheme (ErrMalformedKey,
//     ErrUnknownScheme); a PublicKey not made by this package is re-parsed
//     from its canonical Bytes, so a foreign type never decides a verdict;
//  2. the item's hash is its scheme's own, or one that PolicyExternal allows
//     for an RSA, P-256 or P-384 key (ErrUnsupportedHash);
//  3. for SM2, the user id fits GB/T 32918's 16-bit length (ErrInvalidUID);
//  4. the signature is no longer than the scheme allows (ErrMalformedSignature);
//  5. the signature decodes: exact length for ed25519 and RSA, with the
//     ed25519 S below the group order; strict DER or fixed-width r||s for
//     ECDSA and SM2, both scalars in [1, n-1] (ErrMalformedSignature); for
//     ECDSA under PolicyTx a low S (ErrHighS);
//  6. the cryptographic check (ErrInvalidSignature). A panic inside an
//     underlying library refuses the item with ErrVerifierFault.
//
// Verdicts are a function of the item alone: they do not depend on batch size,
// order, core count, build tags or GODEBUG. Single and batch verification share
// the code of steps 1 to 4 and agree on step 5; ed25519 uses the cofactored
// equation in both, so the batch equation never accepts what a single check
// rejects, and a failed batch is settled item by item with the single check.
// The randomness the ed25519 batch equation draws only affects how fast a
// forgery is caught, never a verdict (a forged batch passes with probability
// below 2^-128).
//
// The package imports nothing from the Cosmos SDK or CometBFT, so it is
// tested and benchmarked alone. It needs cgo for libsecp256k1; a build without
// cgo fails to compile rather than fall back to a verifier with other verdicts.
package crypto
