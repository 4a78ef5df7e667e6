package verifier_test

import (
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/baynet/baynet/verifier"
)

const chainID = "baynet-test"

// t0 is the trust root's time; the bundle's header comes a minute later.
var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// chain is a multistore and a validator set that signs headers over its
// app hash: the two things a bundle depends on, without a node.
type chain struct {
	t     *testing.T
	store *rootmulti.Store
	key   *storetypes.KVStoreKey
	vals  *types.ValidatorSet
	privs []types.PrivValidator
}

func newChain(t *testing.T, store string) *chain {
	t.Helper()
	ms := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger())
	key := storetypes.NewKVStoreKey(store)
	ms.MountStoreWithDB(key, storetypes.StoreTypeIAVL, nil)
	require.NoError(t, ms.LoadVersion(0))
	vals, privs := types.RandValidatorSet(4, 10)
	return &chain{t: t, store: ms, key: key, vals: vals, privs: privs}
}

// commit writes kv to the store and commits, returning the state height
// and its app hash.
func (c *chain) commit(kv map[string][]byte) (int64, []byte) {
	s := c.store.GetKVStore(c.key)
	for k, v := range kv {
		s.Set([]byte(k), v)
	}
	cid := c.store.Commit()
	return cid.Version, cid.Hash
}

// prove reads key at height with its proof, as a node's abci_query does.
func (c *chain) prove(key []byte, height int64) verifier.ProvenValue {
	res, err := c.store.Query(&storetypes.RequestQuery{Path: "/" + c.key.Name() + "/key", Data: key, Height: height, Prove: true})
	require.NoError(c.t, err)
	return verifier.ProvenValue{Store: c.key.Name(), Key: key, Value: res.Value, Absent: len(res.Value) == 0, Height: height, Proof: res.ProofOps}
}

// block is header height, at tm, over appHash, signed by every validator.
func (c *chain) block(height int64, tm time.Time, appHash []byte) *types.LightBlock {
	c.t.Helper()
	h := &types.Header{
		Version:            cmtversion.Consensus{Block: version.BlockProtocol},
		ChainID:            chainID,
		Height:             height,
		Time:               tm,
		LastBlockID:        types.BlockID{Hash: tmhash.Sum([]byte("previous")), PartSetHeader: types.PartSetHeader{Total: 1, Hash: tmhash.Sum([]byte("parts"))}},
		ValidatorsHash:     c.vals.Hash(),
		NextValidatorsHash: c.vals.Hash(),
		ConsensusHash:      tmhash.Sum([]byte("params")),
		AppHash:            appHash,
		ProposerAddress:    c.vals.Proposer.Address,
	}
	return c.sign(h)
}

// sign signs h with every validator and returns it as a light block.
func (c *chain) sign(h *types.Header) *types.LightBlock {
	c.t.Helper()
	id := types.BlockID{Hash: h.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: tmhash.Sum([]byte("parts"))}}
	votes := types.NewVoteSet(chainID, h.Height, 0, cmtproto.PrecommitType, c.vals)
	ec, err := types.MakeExtCommit(id, h.Height, 0, votes, c.privs, h.Time, false)
	require.NoError(c.t, err)
	return &types.LightBlock{SignedHeader: &types.SignedHeader{Header: h, Commit: ec.ToCommit()}, ValidatorSet: c.vals}
}
