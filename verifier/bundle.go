package verifier

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/types"
)

// maxClockDrift is how far a header's time may be ahead of the verifier's
// clock, as CometBFT's light client allows by default.
const maxClockDrift = 10 * time.Second

// Bundle is what a verifier proved, in a form anyone can re-check offline
// with VerifyBundle: the values, all read at state Height, and header
// Height+1 whose app hash commits to that state, with its validator set.
type Bundle struct {
	ChainID    string        `json:"chain_id"`
	Height     int64         `json:"height"`
	LightBlock LightBlock    `json:"light_block"`
	Values     []ProvenValue `json:"values"`
}

// LightBlock is a CometBFT light block that encodes to JSON as CometBFT's
// RPC encodes headers, commits and validators (public keys typed), so a
// bundle or a trust root file can be read by people and other tools.
type LightBlock struct {
	*types.LightBlock
}

type lightBlockJSON struct {
	SignedHeader *types.SignedHeader `json:"signed_header"`
	ValidatorSet *types.ValidatorSet `json:"validator_set"`
}

// MarshalJSON implements json.Marshaler.
func (l LightBlock) MarshalJSON() ([]byte, error) {
	if l.LightBlock == nil {
		return []byte("null"), nil
	}
	return cmtjson.Marshal(lightBlockJSON{SignedHeader: l.SignedHeader, ValidatorSet: l.ValidatorSet})
}

// UnmarshalJSON implements json.Unmarshaler.
func (l *LightBlock) UnmarshalJSON(bz []byte) error {
	var j lightBlockJSON
	if err := cmtjson.Unmarshal(bz, &j); err != nil {
		return err
	}
	lb := &types.LightBlock{SignedHeader: j.SignedHeader, ValidatorSet: j.ValidatorSet}
	if err := complete(lb); err != nil {
		return err
	}
	l.LightBlock = lb
	return nil
}

// complete refuses a light block missing its header, commit or validator
// set, which the checks below would otherwise dereference.
func complete(lb *types.LightBlock) error {
	if lb == nil || lb.SignedHeader == nil || lb.Header == nil || lb.Commit == nil || lb.ValidatorSet == nil {
		return errors.New("light block without a header, commit or validator set")
	}
	return nil
}

// VerifyBundle re-checks b against trusted, a light block the caller already
// trusts (its trust root, or a later block it verified), with the clock
// passed in. The checks, in the order they run:
//
//  1. b's light block is well formed (its commit is for its header, its
//     validator set is the one the header names), of trusted's chain, and is
//     header b.Height+1;
//  2. it is trusted itself, or it verifies against trusted: adjacent, signed
//     by the validators trusted named as next; skipping, signed by a third
//     of trusted's validators' power and by two thirds of its own; trusted
//     must be younger than trustingPeriod at now. A block older than
//     trusted is refused: that needs the headers in between;
//  3. every value was read at b.Height and its proof leads to the app hash
//     of b's header.
//
// Fields outside the header and validator hashes (a validator's proposer
// priority) are not covered by the signatures and are not relied on.
func VerifyBundle(b Bundle, trusted *types.LightBlock, trustingPeriod time.Duration, now time.Time) error {
	lb := b.LightBlock.LightBlock
	if err := errors.Join(complete(lb), complete(trusted)); err != nil {
		return &HeaderError{Height: b.Height + 1, Err: wrap(ErrBadHeader, err)}
	}
	if err := lb.ValidateBasic(trusted.ChainID); err != nil {
		return &HeaderError{Height: lb.Height, Err: wrap(ErrBadHeader, err)}
	}
	if lb.Height != b.Height+1 || b.ChainID != lb.ChainID {
		return &HeaderError{Height: lb.Height, Err: wrap(ErrBadHeader,
			fmt.Errorf("bundle of %s at state height %d carries header %d of %s", b.ChainID, b.Height, lb.Height, lb.ChainID))}
	}
	if err := verifyAgainst(trusted, lb, trustingPeriod, now); err != nil {
		return &HeaderError{Height: lb.Height, Err: wrap(ErrBadHeader, err)}
	}
	for _, v := range b.Values {
		if v.Height != b.Height {
			return &ProofError{Store: v.Store, Key: v.Key, Height: v.Height,
				Err: wrap(ErrBadProof, fmt.Errorf("read at height %d, the bundle proves height %d", v.Height, b.Height))}
		}
		if err := v.Verify(lb.AppHash); err != nil {
			return err
		}
	}
	return nil
}

func verifyAgainst(trusted, lb *types.LightBlock, trustingPeriod time.Duration, now time.Time) error {
	switch {
	case lb.Height == trusted.Height:
		if !bytes.Equal(lb.Hash(), trusted.Hash()) {
			return fmt.Errorf("header hash %X differs from the trusted %X", lb.Hash(), trusted.Hash())
		}
		return nil
	case lb.Height < trusted.Height:
		return fmt.Errorf("older than the trusted header %d", trusted.Height)
	}
	return light.Verify(trusted.SignedHeader, trusted.ValidatorSet, lb.SignedHeader, lb.ValidatorSet,
		trustingPeriod, now, maxClockDrift, light.DefaultTrustLevel)
}
