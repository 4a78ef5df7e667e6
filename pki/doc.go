// Package pki parses X.509 CA and end-entity certificates and verifies
// certificate chains against a trust list, for x/certs's CA trust lists
// (DESIGN §5).
//
// Certificates may be RSA, ECDSA P-256 or P-384, or SM2 in the GM/T 0015
// profile (id-ecPublicKey keys on curve 1.2.156.10197.1.301, signed
// sm2sign-with-sm3 1.2.156.10197.1.501). Signatures may be RSA PKCS#1 v1.5
// or PSS with SHA-256, SHA-384 or SHA-512, ECDSA with any of those hashes
// under a P-256 or P-384 key, or SM2 with SM3; never SHA-1 or MD5, except
// that a root's own SHA-1 self-signature is left unverified rather than
// refused (Certificate.UnverifiedSelfSignature).
// Parsing is gmsm's smx509, which reads all of them; every certificate
// signature is checked by github.com/baynet/baynet/crypto, the chain's one
// signature verifier, so the verdict on a signature is the same one the chain
// reaches anywhere else.
//
// The package is a pure core: no Cosmos SDK, no clock, no store. Callers pass
// the time of the check, the trust list they assembled from chain state and a
// revocation lookup, and get back typed reasons that carry data:
//
//   - ParseCertificate turns DER or PEM into a Certificate, refusing garbage,
//     trailing data, oversized input, unsupported keys and unknown critical
//     extensions.
//   - CheckCA decides whether a certificate may be registered as a CA: a
//     self-signed root on its own, an intermediate against its parent.
//   - VerifyChain builds the path from a leaf through the given intermediates
//     to a trusted CA and reports the path and every reason it fails.
package pki
