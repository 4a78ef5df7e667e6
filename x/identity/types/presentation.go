package types

import (
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
)

// SignedPresentation is a Presentation with the holder's signature over its
// PresentationSignBytes, as the holder hands it to a verifier: JSON, byte
// fields in hex. The verifier proves the anchor and the key on chain and
// compares the challenge with the one it chose.
type SignedPresentation struct {
	ChainID     string            `json:"chain_id"`
	Anchor      string            `json:"anchor"`
	KeyID       string            `json:"key_id"`
	Attestation cmtbytes.HexBytes `json:"attestation"`
	Challenge   cmtbytes.HexBytes `json:"challenge"`
	Signature   cmtbytes.HexBytes `json:"signature"`
}

// SignBytes is what the key signed, if the presentation is well formed.
func (p SignedPresentation) SignBytes() ([]byte, error) {
	return PresentationSignBytes(p.ChainID, p.Anchor, p.KeyID, p.Attestation, p.Challenge)
}
