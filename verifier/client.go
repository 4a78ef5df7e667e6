package verifier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/light"
	lightdb "github.com/cometbft/cometbft/light/store/db"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/types"
)

// defaultHeaderWait bounds how long Prove waits for the chain to produce the
// header that proves a height: two blocks at baynet's one-second pace, with
// room for a slow proposer.
const defaultHeaderWait = 30 * time.Second

// Config is what a verifier trusts and whom it asks.
type Config struct {
	// ChainID is the chain's id; empty asks the primary. Asking is safe: the
	// trust hash fixes the header, and the header names its chain.
	ChainID string
	// TrustHeight and TrustHash are the trust root: a header the verifier
	// obtained from a source it trusts (a region's published checkpoint).
	TrustHeight int64
	TrustHash   []byte
	// TrustingPeriod is how long a verified header can vouch for the next
	// one; it must be shorter than the time a misbehaving validator could
	// still be punished, and the trust root must be younger than it.
	TrustingPeriod time.Duration
	// Primary is the node the answers come from; Witnesses are nodes the
	// light client compares each header with (at least one).
	Primary   string
	Witnesses []string
	// HeaderWait bounds the wait for header H+1 (zero: 30 seconds).
	HeaderWait time.Duration
}

// Client proves facts from a primary node, trusting only the trust root.
// It is not safe for concurrent use.
type Client struct {
	chainID    string
	trustRoot  int64
	headerWait time.Duration
	light      *light.Client
	rpc        *rpchttp.HTTP
}

// NewClient connects to the primary and the witnesses and verifies the
// trust root: the primary's header at TrustHeight must have TrustHash, and
// the witnesses must agree with it.
func NewClient(ctx context.Context, cfg Config) (*Client, error) {
	rpc, err := rpchttp.New(cfg.Primary, "/websocket")
	if err != nil {
		return nil, fmt.Errorf("verifier: primary %s: %w", cfg.Primary, err)
	}
	chainID := cfg.ChainID
	if chainID == "" {
		st, err := rpc.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("verifier: chain id from %s: %w", cfg.Primary, err)
		}
		chainID = st.NodeInfo.Network
	}
	trust := light.TrustOptions{Period: cfg.TrustingPeriod, Height: cfg.TrustHeight, Hash: cfg.TrustHash}
	lc, err := light.NewHTTPClient(ctx, chainID, trust, cfg.Primary, cfg.Witnesses,
		lightdb.New(dbm.NewMemDB(), chainID), light.Logger(cmtlog.NewNopLogger()))
	if err != nil {
		return nil, &HeaderError{Height: cfg.TrustHeight, Err: wrap(ErrBadHeader, err)}
	}
	wait := cfg.HeaderWait
	if wait == 0 {
		wait = defaultHeaderWait
	}
	return &Client{chainID: chainID, trustRoot: cfg.TrustHeight, headerWait: wait, light: lc, rpc: rpc}, nil
}

// ChainID is the chain the client verifies.
func (c *Client) ChainID() string { return c.chainID }

// TrustRoot returns the light block of the trust root, verified against the
// trust hash: what VerifyBundle needs to re-check a bundle later.
func (c *Client) TrustRoot() (*types.LightBlock, error) {
	return c.light.TrustedLightBlock(c.trustRoot)
}

// LatestHeight is the primary's latest block height. It is a hint, not a
// fact: what is proven at it is checked against a verified header.
func (c *Client) LatestHeight(ctx context.Context) (int64, error) {
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// Prove reads key from the module store named store at state height
// (0: the latest) and proves it, or its absence, against the app hash of
// header height+1, which the light client verifies first.
func (c *Client) Prove(ctx context.Context, store string, key []byte, height int64) (ProvenValue, error) {
	if height == 0 {
		h, err := c.LatestHeight(ctx)
		if err != nil {
			return ProvenValue{}, err
		}
		height = h
	}
	res, err := c.rpc.ABCIQueryWithOptions(ctx, "/store/"+store+"/key", key, rpcclient.ABCIQueryOptions{Height: height, Prove: true})
	if err != nil {
		return ProvenValue{}, err
	}
	resp := res.Response
	fail := func(err error) (ProvenValue, error) {
		return ProvenValue{}, &ProofError{Store: store, Key: key, Height: height, Err: err}
	}
	if resp.IsErr() {
		return fail(fmt.Errorf("query refused: code %d: %s", resp.Code, resp.Log))
	}
	if resp.Height != height || !bytes.Equal(resp.Key, key) {
		return fail(wrap(ErrBadResponse, fmt.Errorf("key %X at height %d", resp.Key, resp.Height)))
	}
	lb, err := c.VerifiedBlock(ctx, height+1)
	if err != nil {
		return ProvenValue{}, err
	}
	v := ProvenValue{Store: store, Key: key, Value: resp.Value, Absent: len(resp.Value) == 0, Height: height, Proof: resp.ProofOps}
	err = v.Verify(lb.AppHash)
	if err != nil && v.Absent {
		// The query answers an empty value for a missing key and for a key
		// stored with an empty value (a key set's entry); the proof says which.
		present := v
		present.Absent = false
		if present.Verify(lb.AppHash) == nil {
			return present, nil
		}
	}
	return v, err
}

// VerifiedBlock returns the light block at height, verified by the light
// client (and compared with the witnesses), waiting up to the configured
// bound for the chain to produce it.
func (c *Client) VerifiedBlock(ctx context.Context, height int64) (*types.LightBlock, error) {
	if err := c.waitPast(ctx, height); err != nil {
		return nil, err
	}
	lb, err := c.light.VerifyLightBlockAtHeight(ctx, height, time.Now())
	if err != nil {
		return nil, &HeaderError{Height: height, Err: wrap(ErrBadHeader, err)}
	}
	return lb, nil
}

// waitPast waits until the primary has a block above height. Asking for the
// primary's newest block would race the witnesses: one a few milliseconds
// behind makes the light client wait 2*drift+lag (30 s) before comparing.
func (c *Client) waitPast(ctx context.Context, height int64) error {
	wctx, cancel := context.WithTimeout(ctx, c.headerWait)
	defer cancel()
	for {
		latest, err := c.LatestHeight(wctx)
		if err == nil && latest > height {
			return nil
		}
		select {
		case <-wctx.Done():
			return &HeaderError{Height: height, Err: wrap(ErrBadHeader,
				fmt.Errorf("the chain is not past it after %s (latest %d): %w", c.headerWait, latest, errors.Join(err, wctx.Err())))}
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Bundle packs values, all read at one state height, with the verified
// header that proves them.
func (c *Client) Bundle(ctx context.Context, values []ProvenValue) (Bundle, error) {
	if len(values) == 0 {
		return Bundle{}, errors.New("verifier: nothing to bundle")
	}
	h := values[0].Height
	for _, v := range values {
		if v.Height != h {
			return Bundle{}, fmt.Errorf("verifier: values of heights %d and %d in one bundle", h, v.Height)
		}
	}
	lb, err := c.VerifiedBlock(ctx, h+1)
	if err != nil {
		return Bundle{}, err
	}
	return Bundle{ChainID: c.chainID, Height: h, LightBlock: LightBlock{lb}, Values: values}, nil
}
