package verifier_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/verifier"
)

const week = 168 * time.Hour

// fixture is a bundle of two present keys and one absent key at state
// height 4, and the trust root: header 1 of the same validators.
func fixture(t *testing.T) (verifier.Bundle, *types.LightBlock) {
	t.Helper()
	c := newChain(t, "certs")
	c.commit(map[string][]byte{"\x02first": []byte("an attestation")})
	c.commit(map[string][]byte{"\x06first": []byte("a status record")})
	c.commit(map[string][]byte{"\x07other": []byte("noise")})
	h, appHash := c.commit(map[string][]byte{"\x06first": []byte("a newer status record")})
	values := []verifier.ProvenValue{c.prove([]byte("\x02first"), h), c.prove([]byte("\x06first"), h), c.prove([]byte("\x02missing"), h)}
	require.True(t, values[2].Absent)
	b := verifier.Bundle{ChainID: chainID, Height: h, LightBlock: verifier.LightBlock{LightBlock: c.block(h+1, t0.Add(time.Minute), appHash)}, Values: values}
	return b, c.block(1, t0, []byte("genesis app hash, 32 bytes long!"))
}

// roundTrip sends b through JSON, as a bundle file does.
func roundTrip(t *testing.T, b verifier.Bundle) verifier.Bundle {
	t.Helper()
	bz, err := json.Marshal(b)
	require.NoError(t, err)
	var out verifier.Bundle
	require.NoError(t, json.Unmarshal(bz, &out))
	return out
}

func TestVerifyBundleAccepts(t *testing.T) {
	b, trusted := fixture(t)
	now := t0.Add(time.Hour)
	require.NoError(t, verifier.VerifyBundle(b, trusted, week, now), "skipping from header 1")
	require.NoError(t, verifier.VerifyBundle(roundTrip(t, b), trusted, week, now), "after JSON")
	require.Equal(t, []byte("a newer status record"), []byte(b.Values[1].Value))
	// The bundle's own header, once trusted, vouches for itself.
	require.NoError(t, verifier.VerifyBundle(b, b.LightBlock.LightBlock, week, now))
}

func TestVerifyBundleRefusesStaleOrForeignTrust(t *testing.T) {
	b, trusted := fixture(t)
	err := verifier.VerifyBundle(b, trusted, week, t0.Add(week+time.Second))
	require.ErrorIs(t, err, verifier.ErrBadHeader, "trust root older than the trusting period")

	// Another validator set, signing the same state: not trusted.
	other := newChain(t, "certs")
	err = verifier.VerifyBundle(b, other.block(1, t0, []byte("genesis app hash, 32 bytes long!")), week, t0.Add(time.Hour))
	require.ErrorIs(t, err, verifier.ErrBadHeader)
	var he *verifier.HeaderError
	require.ErrorAs(t, err, &he)
	require.EqualValues(t, b.Height+1, he.Height)
}

// TestVerifyBundleRefusesTampering changes one thing at a time, each byte
// of every key, value and proof op included, and expects a refusal naming
// the right check.
func TestVerifyBundleRefusesTampering(t *testing.T) {
	b, trusted := fixture(t)
	now := t0.Add(time.Hour)
	check := func(name string, want error, tamper func(b *verifier.Bundle)) {
		t.Helper()
		c := roundTrip(t, b) // a deep copy
		tamper(&c)
		err := verifier.VerifyBundle(c, trusted, week, now)
		require.ErrorIs(t, err, want, name)
	}
	for i := range b.Values {
		for j := range b.Values[i].Key {
			check(fmt.Sprintf("value %d key byte %d", i, j), verifier.ErrBadProof, func(b *verifier.Bundle) { b.Values[i].Key[j] ^= 1 })
		}
		for j := range b.Values[i].Value {
			check(fmt.Sprintf("value %d byte %d", i, j), verifier.ErrBadProof, func(b *verifier.Bundle) { b.Values[i].Value[j] ^= 1 })
		}
		for k, op := range b.Values[i].Proof.Ops {
			for j := range op.Data {
				check(fmt.Sprintf("value %d proof op %d byte %d", i, k, j), verifier.ErrBadProof,
					func(b *verifier.Bundle) { b.Values[i].Proof.Ops[k].Data[j] ^= 1 })
			}
			check(fmt.Sprintf("value %d proof op %d type", i, k), verifier.ErrBadProof,
				func(b *verifier.Bundle) {
					b.Values[i].Proof.Ops[k].Type = "ics23:simple" + b.Values[i].Proof.Ops[k].Type
				})
		}
		check(fmt.Sprintf("value %d proof dropped", i), verifier.ErrBadProof, func(b *verifier.Bundle) { b.Values[i].Proof = nil })
		check(fmt.Sprintf("value %d store", i), verifier.ErrBadProof, func(b *verifier.Bundle) { b.Values[i].Store = "identity" })
		check(fmt.Sprintf("value %d height", i), verifier.ErrBadProof, func(b *verifier.Bundle) { b.Values[i].Height-- })
		check(fmt.Sprintf("value %d absence flipped", i), verifier.ErrBadProof, func(b *verifier.Bundle) {
			b.Values[i].Absent = !b.Values[i].Absent
			b.Values[i].Value = nil
		})
	}
	check("values swapped", verifier.ErrBadProof, func(b *verifier.Bundle) { b.Values[0].Value, b.Values[1].Value = b.Values[1].Value, b.Values[0].Value })
	check("a value given to the absent key", verifier.ErrBadProof, func(b *verifier.Bundle) {
		b.Values[2].Value, b.Values[2].Absent = []byte("forged"), false
	})
	for j := range b.LightBlock.AppHash {
		check(fmt.Sprintf("app hash byte %d", j), verifier.ErrBadHeader, func(b *verifier.Bundle) { b.LightBlock.AppHash[j] ^= 1 })
	}
	check("header time", verifier.ErrBadHeader, func(b *verifier.Bundle) { b.LightBlock.Time = b.LightBlock.Time.Add(time.Second) })
	check("header height", verifier.ErrBadHeader, func(b *verifier.Bundle) { b.LightBlock.Height++ })
	check("bundle height", verifier.ErrBadHeader, func(b *verifier.Bundle) { b.Height-- })
	check("chain id", verifier.ErrBadHeader, func(b *verifier.Bundle) { b.ChainID = "baynet-other" })
	check("commit signature", verifier.ErrBadHeader, func(b *verifier.Bundle) {
		for i := range b.LightBlock.Commit.Signatures {
			b.LightBlock.Commit.Signatures[i].Signature[0] ^= 1
		}
	})
	check("validator power", verifier.ErrBadHeader, func(b *verifier.Bundle) { b.LightBlock.ValidatorSet.Validators[0].VotingPower++ })
	check("no light block", verifier.ErrBadHeader, func(b *verifier.Bundle) { b.LightBlock.LightBlock = nil })
}

// TestVerifyBundleRefusesReSignedState: validators the trust root does not
// know sign a header over another state; the proofs are sound against it,
// the header is not.
func TestVerifyBundleRefusesReSignedState(t *testing.T) {
	b, trusted := fixture(t)
	forger := newChain(t, "certs")
	h, appHash := forger.commit(map[string][]byte{"\x02first": []byte("a forged attestation")})
	forged := verifier.Bundle{ChainID: chainID, Height: h, LightBlock: verifier.LightBlock{LightBlock: forger.block(h+1, t0.Add(time.Minute), appHash)},
		Values: []verifier.ProvenValue{forger.prove([]byte("\x02first"), h)}}
	err := verifier.VerifyBundle(forged, trusted, week, t0.Add(time.Hour))
	require.True(t, errors.Is(err, verifier.ErrBadHeader), "%v", err)
	require.NoError(t, verifier.VerifyBundle(b, trusted, week, t0.Add(time.Hour)))
}
