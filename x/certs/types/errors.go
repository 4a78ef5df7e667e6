package types

import "cosmossdk.io/errors"

// Errors of x/certs, registered from code 2 without gaps. An error about one
// item of a bulk message starts with "item <index>: " (see ItemError).
var (
	ErrInvalidCredentialType   = errors.Register(ModuleName, 2, "invalid credential type")
	ErrDuplicateCredentialType = errors.Register(ModuleName, 3, "credential type already registered")
	ErrUnknownCredentialType   = errors.Register(ModuleName, 4, "unknown credential type")
	ErrInvalidAttestation      = errors.Register(ModuleName, 5, "invalid attestation")
	ErrDuplicateAttestation    = errors.Register(ModuleName, 6, "attestation already anchored")
	ErrDuplicateLicence        = errors.Register(ModuleName, 7, "licence already attested by this issuer")
	ErrUnknownAttestation      = errors.Register(ModuleName, 8, "unknown attestation")
	ErrNotEntitled             = errors.Register(ModuleName, 9, "issuer is not entitled to the credential type")
	ErrIssuerMismatch          = errors.Register(ModuleName, 10, "attestation names another issuer")
	ErrInvalidSignature        = errors.Register(ModuleName, 11, "issuer signature does not verify")
	ErrUnauthorized            = errors.Register(ModuleName, 12, "signer may not change this attestation")
	ErrInvalidTransition       = errors.Register(ModuleName, 13, "status change not allowed")
	ErrHistoryFull             = errors.Register(ModuleName, 14, "attestation's status history is full")
	ErrTooManyItems            = errors.Register(ModuleName, 15, "too many attestations in one message")
	ErrInvalidParams           = errors.Register(ModuleName, 16, "invalid params")
	ErrInvalidGenesis          = errors.Register(ModuleName, 17, "invalid genesis")
	ErrInvalidRequest          = errors.Register(ModuleName, 18, "invalid request")
	ErrInvalidRecognition      = errors.Register(ModuleName, 19, "invalid recognition rule")
	ErrUnknownRecognition      = errors.Register(ModuleName, 20, "unknown recognition rule")
	ErrOverlappingRecognition  = errors.Register(ModuleName, 21, "overlapping recognition rule")
	ErrRecognitionWithdrawn    = errors.Register(ModuleName, 22, "recognition rule is withdrawn")
	ErrInvalidCA               = errors.Register(ModuleName, 23, "certificate may not be registered as a CA")
	ErrDuplicateCA             = errors.Register(ModuleName, 24, "CA already registered")
	ErrUnknownCA               = errors.Register(ModuleName, 25, "unknown CA")
	ErrInvalidCARecognition    = errors.Register(ModuleName, 26, "invalid CA recognition")
	ErrDuplicateRevocation     = errors.Register(ModuleName, 27, "certificate already revoked")
)
