package types

import (
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm2/sm2ec"
	"github.com/ethereum/go-ethereum/crypto/secp256k1"

	bcrypto "github.com/baynet/baynet/crypto"
)

// JSON-LD contexts of the documents ResolveDID returns.
const (
	didContext        = "https://www.w3.org/ns/did/v1"
	ed25519Context    = "https://w3id.org/security/suites/ed25519-2020/v1"
	jsonWebKeyContext = "https://w3id.org/security/suites/jws-2020/v1"
)

// DIDDocument is a W3C DID Core document, in the property order it is
// serialised in.
type DIDDocument struct {
	Context            []string             `json:"@context"`
	ID                 string               `json:"id"`
	VerificationMethod []VerificationMethod `json:"verificationMethod,omitempty"`
	Authentication     []string             `json:"authentication,omitempty"`
	AssertionMethod    []string             `json:"assertionMethod,omitempty"`
}

// VerificationMethod is one key of a DID document: Ed25519VerificationKey2020
// with publicKeyMultibase for ed25519, JsonWebKey2020 with publicKeyJwk for
// secp256k1, P-256 and SM2.
type VerificationMethod struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase,omitempty"`
	PublicKeyJwk       *JWK   `json:"publicKeyJwk,omitempty"`
}

// JWK is an elliptic-curve public JSON Web Key (RFC 7517). SM2 has no
// registered curve name; baynet writes "SM2".
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// DIDDocumentMetadata is the document metadata of a DID resolution.
type DIDDocumentMetadata struct {
	Created string `json:"created"`
	Updated string `json:"updated"`
	// VersionID is the anchor's sequence: it changes with every holder
	// operation, link and recovery.
	VersionID   string `json:"versionId"`
	Deactivated bool   `json:"deactivated,omitempty"`
}

// BuildDIDDocument returns the DID document and metadata of an anchor from
// its keys in force (those listed in anchor.ActiveKeys, in that order). A
// deactivated anchor's document carries no keys.
func BuildDIDDocument(anchor Anchor, keys []AnchorKey) (DIDDocument, DIDDocumentMetadata, error) {
	doc := DIDDocument{Context: []string{didContext}, ID: anchor.Id}
	meta := DIDDocumentMetadata{
		Created:     anchor.CreatedAt.UTC().Format(time.RFC3339),
		Updated:     anchor.UpdatedAt.UTC().Format(time.RFC3339),
		VersionID:   strconv.FormatUint(anchor.Sequence, 10),
		Deactivated: anchor.Status == ANCHOR_STATUS_DEACTIVATED,
	}
	if meta.Deactivated {
		return doc, meta, nil
	}
	var hasEd, hasJWK bool
	for _, k := range keys {
		if k.Status != KEY_STATUS_ACTIVE {
			continue
		}
		vm, err := verificationMethod(anchor.Id, k)
		if err != nil {
			return doc, meta, err
		}
		hasEd = hasEd || vm.PublicKeyMultibase != ""
		hasJWK = hasJWK || vm.PublicKeyJwk != nil
		doc.VerificationMethod = append(doc.VerificationMethod, vm)
		if HasPurpose(k.Purposes, KEY_PURPOSE_AUTHENTICATION) {
			doc.Authentication = append(doc.Authentication, vm.ID)
		}
		if HasPurpose(k.Purposes, KEY_PURPOSE_ASSERTION) {
			doc.AssertionMethod = append(doc.AssertionMethod, vm.ID)
		}
	}
	if hasEd {
		doc.Context = append(doc.Context, ed25519Context)
	}
	if hasJWK {
		doc.Context = append(doc.Context, jsonWebKeyContext)
	}
	return doc, meta, nil
}

// MarshalDIDDocument serialises a document or its metadata as compact JSON.
func MarshalDIDDocument(v any) (string, error) {
	bz, err := json.Marshal(v)
	return string(bz), err
}

func verificationMethod(did string, k AnchorKey) (VerificationMethod, error) {
	vm := VerificationMethod{ID: did + "#" + k.KeyId, Controller: did}
	switch bcrypto.Scheme(k.Scheme) {
	case bcrypto.SchemeEd25519:
		vm.Type = "Ed25519VerificationKey2020"
		// Multikey: the multicodec prefix of ed25519-pub (0xed 0x01), then
		// base58btc with the multibase prefix "z".
		vm.PublicKeyMultibase = "z" + base58Encode(append([]byte{0xed, 0x01}, k.PublicKey...))
		return vm, nil
	case bcrypto.SchemeSecp256k1, bcrypto.SchemeP256, bcrypto.SchemeSM2:
		x, y, crv, err := ecPoint(bcrypto.Scheme(k.Scheme), k.PublicKey)
		if err != nil {
			return vm, fmt.Errorf("key %s: %w", k.KeyId, err)
		}
		vm.Type = "JsonWebKey2020"
		vm.PublicKeyJwk = &JWK{Kty: "EC", Crv: crv, X: coordinate(x), Y: coordinate(y)}
		return vm, nil
	}
	return vm, fmt.Errorf("key %s: scheme %q has no DID representation", k.KeyId, k.Scheme)
}

// ecPoint decompresses a canonical (compressed SEC1) key and names its curve
// as JOSE does.
func ecPoint(s bcrypto.Scheme, compressed []byte) (x, y *big.Int, crv string, err error) {
	switch s {
	case bcrypto.SchemeSecp256k1:
		x, y = secp256k1.DecompressPubkey(compressed)
		crv = "secp256k1"
	case bcrypto.SchemeP256:
		x, y = elliptic.UnmarshalCompressed(elliptic.P256(), compressed)
		crv = "P-256"
	case bcrypto.SchemeSM2:
		x, y = sm2ec.UnmarshalCompressed(sm2.P256(), compressed)
		crv = "SM2"
	}
	if x == nil {
		return nil, nil, "", fmt.Errorf("%s key is not a compressed curve point", s)
	}
	return x, y, crv, nil
}

func coordinate(v *big.Int) string {
	return base64.RawURLEncoding.EncodeToString(v.FillBytes(make([]byte, 32)))
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Encode is Bitcoin's base58: each leading zero byte becomes "1".
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// Base-58 digits, least significant first.
	digits := make([]byte, 0, len(b)*138/100+1)
	for _, v := range b[zeros:] {
		carry := int(v)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, zeros, zeros+len(digits))
	for i := range out {
		out[i] = '1'
	}
	for i := len(digits) - 1; i >= 0; i-- {
		out = append(out, base58Alphabet[digits[i]])
	}
	return string(out)
}
