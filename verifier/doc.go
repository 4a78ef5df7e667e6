// Package verifier checks facts on baynet without trusting the node that
// serves them.
//
// What is trusted: a trust root (a header height and hash obtained out of
// band, e.g. a region's published checkpoint), a trusting period shorter
// than the time misbehaving validators can be held to account, and the
// assumption that a third of the trusted validators' power is honest.
// Nodes are not trusted: the primary answers, the witnesses (at least one)
// must agree with its headers, and a disagreement is an error.
//
// What is proven: a module store key's value, or its absence, at state
// height H, against the app hash in header H+1, which CometBFT's light
// client verifies from the trust root (skipping verification, then
// compared with the witnesses). Every fact a verifier needs has its own key
// (see x/certs/README.md, State), so one proven read answers one question.
// On top of that, Client.Attestation proves an attestation's record, its
// status record and every history entry, its issuer's signing key and
// agency record (x/regions), and DecideAttestation decides from them: is it
// authentic (the issuer's signature, by a key valid when it was anchored),
// is its issuer entitled to the type (as the agency is at the proven
// height; the chain checked it at issuance), and "was this licence valid at
// time T".
//
// What anyone can re-check: a Bundle holds header H+1 with its validator
// set and the proven values; VerifyBundle re-checks it offline against a
// light block the checker trusts, with the clock passed in.
//
// Recognition: Client.Recognition proves every fact certs' Recognise reads
// (the region, its rule ids about the type, each rule and the earlier
// versions used, the issuing agency, the holder's anchor, consent record
// and links) and DecideRecognition decides with that same function, so the
// verifier's answer is the chain's IsRecognised answer
// (app/verifier_test.go checks they agree).
//
// Presentations: Client.Presentation proves, at one height with the
// attestation's facts, the presented anchor and anchor key records
// (x/identity), and DecidePresentation decides whether the presenter holds
// the attestation's subject: the subject is the anchor, the anchor is
// active, the key is in force with the authentication purpose, the signed
// challenge is the one the verifier chose, and the signature over
// x/identity's PresentationSignBytes verifies. Client.Presentations decides
// a batch with one height for the whole batch (each key proven once, one
// bundle) and all its signatures in one crypto.BatchVerifier; a request
// that cannot be decided gets its own error.
//
// Not yet: the issuer's entitlement as it was at issuance rather than now
// (x/regions keeps no history of an agency's entitlements). A bundle older
// than its trusted block is refused rather than verified backwards.
package verifier
