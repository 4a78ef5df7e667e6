package verifier

import (
	"bytes"
	"errors"

	"github.com/cometbft/cometbft/crypto/merkle"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
)

// ProvenValue is one key of one module store at one height, with the proof
// that links it to the app hash of header Height+1. An empty Value with
// Absent set is a proof that the key did not exist.
type ProvenValue struct {
	Store  string              `json:"store"`
	Key    cmtbytes.HexBytes   `json:"key"`
	Value  cmtbytes.HexBytes   `json:"value"`
	Absent bool                `json:"absent,omitempty"`
	Height int64               `json:"height"`
	Proof  *cmtcrypto.ProofOps `json:"proof"`
}

// proofRuntime decodes the SDK's ICS23 proof ops (IAVL, then the multistore's
// simple merkle tree), which CometBFT's default runtime does not know.
var proofRuntime = rootmulti.DefaultProofRuntime()

// keyPath is the merkle key path of a store key: the store name, then the
// key within it, as the multistore's proof ops expect them.
func keyPath(store string, key []byte) string {
	return merkle.KeyPath{}.AppendKey([]byte(store), merkle.KeyEncodingURL).AppendKey(key, merkle.KeyEncodingHex).String()
}

// Verify checks v's proof against appHash, the app hash of header v.Height+1.
func (v ProvenValue) Verify(appHash []byte) error {
	err := v.verify(appHash)
	if err != nil {
		return &ProofError{Store: v.Store, Key: v.Key, Height: v.Height, Err: err}
	}
	return nil
}

func (v ProvenValue) verify(appHash []byte) error {
	if v.Proof == nil || len(v.Proof.Ops) == 0 {
		return wrap(ErrBadProof, errors.New("no proof"))
	}
	// The runtime checks that the ops consume the whole key path, store
	// name and key, so a proof about another key or store fails here.
	kp := keyPath(v.Store, v.Key)
	var err error
	switch {
	case v.Absent && len(v.Value) != 0:
		err = errors.New("an absent key with a value")
	case v.Absent:
		if err = nonExistenceAbout(v.Proof.Ops[0], v.Key); err == nil {
			err = proofRuntime.VerifyAbsence(v.Proof, appHash, kp)
		}
	default:
		err = proofRuntime.VerifyValue(v.Proof, appHash, kp, v.Value)
	}
	if err != nil {
		return wrap(ErrBadProof, err)
	}
	return nil
}

// nonExistenceAbout checks that an absence proof names the key it is about.
// ICS23 proves the absence of the key it is given and ignores the one the
// proof carries, which would leave bytes of a bundle that no check covers.
func nonExistenceAbout(op cmtcrypto.ProofOp, key []byte) error {
	var p ics23.CommitmentProof
	if err := p.Unmarshal(op.Data); err != nil {
		return err
	}
	if ne := p.GetNonexist(); ne == nil || !bytes.Equal(ne.Key, key) {
		return errors.New("not a non-existence proof of this key")
	}
	return nil
}
