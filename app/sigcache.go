package app

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"sync/atomic"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/types/known/anypb"

	apisigning "cosmossdk.io/api/cosmos/tx/signing/v1beta1"
	errorsmod "cosmossdk.io/errors"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	txsigning "github.com/cosmos/cosmos-sdk/x/tx/signing"

	bcrypto "github.com/baynet/baynet/crypto"
)

const (
	// keyCacheCapacity bounds the parsed public keys kept between blocks.
	keyCacheCapacity = 20_000
	// sigCacheCapacity bounds the verified-signature cache: a few blocks' worth.
	sigCacheCapacity = 200_000
	// secp256k1SigLen is the length of a transaction signature, r||s.
	secp256k1SigLen = 64
)

// SigCache makes every node verify each transaction signature once, through
// baynet's batched verifier. ProcessProposal (on validators) and the
// PreBlocker (on every node) verify a whole block's signatures as one batch
// and remember what passed; CheckTx verifies a transaction's signatures as a
// batch; the signature step of the ante chain then finds them in the cache
// and only verifies inline on a miss. The cache can only repeat a success.
//
// It handles the signatures baynet's accounts make: single secp256k1
// signatures in SIGN_MODE_DIRECT, low-S as the SDK requires. Anything else
// (a multisig authority) goes through the SDK's own verification unchanged.
//
// The signatures inside messages — attestations, holder operations — take
// the same path: the modules that carry them (PayloadSignatures) say which
// items their handlers will verify, the cache verifies them with the
// block's or the transaction's batch, PayloadSigDecorator refuses in
// CheckTx a transaction whose payload signature fails, and the handlers
// take the successes from the cache (their keepers share it).
type SigCache struct {
	cache     *bcrypto.Cache
	payloads  []PayloadSignatures
	keys      *keyCache
	ak        ante.AccountKeeper
	signModes *txsigning.HandlerMap
	decoder   sdk.TxDecoder

	hits, misses atomic.Uint64

	// proposed is the digest of the block ProcessProposal last prepared, so
	// that the PreBlocker does not walk the same block a second time.
	mu       sync.Mutex
	proposed [32]byte
}

// NewSigCache returns an empty cache.
func NewSigCache(ak ante.AccountKeeper, signModes *txsigning.HandlerMap, decoder sdk.TxDecoder) *SigCache {
	return &SigCache{cache: bcrypto.NewCache(sigCacheCapacity), keys: newKeyCache(keyCacheCapacity), ak: ak, signModes: signModes, decoder: decoder}
}

// PayloadSignatures is what a module whose messages carry signatures of
// their own tells the cache: the items its handler will verify for msg,
// built from the state at ctx, which it only reads. It leaves out what it
// cannot build; what it returns must fail in the block if it fails here.
type PayloadSignatures interface {
	SignatureItems(ctx sdk.Context, msg sdk.Msg) []bcrypto.Item
}

// AddPayloadSignatures registers modules whose messages carry signatures.
func (c *SigCache) AddPayloadSignatures(p ...PayloadSignatures) {
	c.payloads = append(c.payloads, p...)
}

// Cache is the verified-signature cache, for keepers that verify payload
// signatures in their handlers.
func (c *SigCache) Cache() *bcrypto.Cache { return c.cache }

// payloadItems returns the payload signature items of tx's messages, with
// the index of the message each belongs to.
func (c *SigCache) payloadItems(ctx sdk.Context, tx sdk.Tx) (items []bcrypto.Item, msgOf []int) {
	if len(c.payloads) == 0 {
		return nil, nil
	}
	for i, msg := range tx.GetMsgs() {
		for _, p := range c.payloads {
			for _, it := range p.SignatureItems(ctx, msg) {
				items = append(items, it)
				msgOf = append(msgOf, i)
			}
		}
	}
	return items, msgOf
}

// Stats returns how many signature checks the ante chain found cached and
// how many it had to verify itself.
func (c *SigCache) Stats() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// signatureItems returns one verifier item per signature of tx, or ok=false
// when tx has a signature that only the SDK can check. Public keys come from
// the accounts, or from the transaction for an account's first one.
func (c *SigCache) signatureItems(ctx sdk.Context, tx sdk.Tx) (items []bcrypto.Item, ok bool, err error) {
	sigTx, isSigTx := tx.(authsigning.Tx)
	adaptable, isAdaptable := tx.(authsigning.V2AdaptableTx)
	if !isSigTx || !isAdaptable {
		return nil, false, nil
	}
	sigs, err := sigTx.GetSignaturesV2()
	if err != nil {
		return nil, false, err
	}
	signers, err := sigTx.GetSigners()
	if err != nil {
		return nil, false, err
	}
	txPubKeys, err := sigTx.GetPubKeys()
	if err != nil {
		return nil, false, err
	}
	if len(sigs) != len(signers) {
		return nil, false, nil
	}
	txData := adaptable.GetSigningTxData()
	for i, sig := range sigs {
		single, isSingle := sig.Data.(*signing.SingleSignatureData)
		if !isSingle || single.SignMode != signing.SignMode_SIGN_MODE_DIRECT {
			return nil, false, nil
		}
		// The SDK takes only fixed-width r||s; baynet's verifier would also
		// take DER, a second encoding of the same signature (another tx hash).
		if len(single.Signature) != secp256k1SigLen {
			return nil, false, nil
		}
		acc := c.ak.GetAccount(ctx, signers[i])
		if acc == nil {
			return nil, false, nil
		}
		var pk cryptotypes.PubKey = acc.GetPubKey()
		if pk == nil && i < len(txPubKeys) {
			pk = txPubKeys[i]
		}
		secpKey, isSecp := pk.(*secp256k1.PubKey)
		if !isSecp {
			return nil, false, nil
		}
		var accNum uint64
		if ctx.BlockHeight() != 0 {
			accNum = acc.GetAccountNumber()
		}
		// The signer's bech32 form through the address codec: the SDK's global
		// config lookup behind AccAddress.String costs more than a cache hit.
		addr, err := c.ak.AddressCodec().BytesToString(signers[i])
		if err != nil {
			return nil, false, err
		}
		anyPk, err := codectypes.NewAnyWithValue(secpKey)
		if err != nil {
			return nil, false, err
		}
		signerData := txsigning.SignerData{
			Address: addr, ChainID: ctx.ChainID(), AccountNumber: accNum, Sequence: sig.Sequence,
			PubKey: &anypb.Any{TypeUrl: anyPk.TypeUrl, Value: anyPk.Value},
		}
		signBytes, err := c.signModes.GetSignBytes(ctx, apisigning.SignMode_SIGN_MODE_DIRECT, signerData, txData)
		if err != nil {
			return nil, false, err
		}
		key, err := c.keys.parse(secpKey.Key)
		if err != nil {
			return nil, false, nil
		}
		items = append(items, bcrypto.Item{Key: key, Msg: signBytes, Sig: single.Signature, Policy: bcrypto.PolicyTx})
	}
	return items, true, nil
}

// PrepareBlock verifies the signatures of a block's transactions as one
// batch and caches what passed. It never fails: a transaction it cannot
// decode or check is left to the ante chain, which refuses it there.
func (c *SigCache) PrepareBlock(ctx sdk.Context, txs [][]byte) {
	c.prepare(ctx, txs)
}

// blockDigest identifies a block's transaction list.
func blockDigest(txs [][]byte) [32]byte {
	h := sha256.New()
	var n [8]byte
	for _, tx := range txs {
		binary.BigEndian.PutUint64(n[:], uint64(len(tx)))
		h.Write(n[:])
		h.Write(tx)
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// PreBlock prepares a block in FinalizeBlock unless ProcessProposal already
// prepared the same one on this node (validators); full nodes and replays
// prepare it here.
func (c *SigCache) PreBlock(ctx sdk.Context, txs [][]byte) {
	d := blockDigest(txs)
	c.mu.Lock()
	seen := d == c.proposed
	c.mu.Unlock()
	if !seen {
		c.prepare(ctx, txs)
	}
}

func (c *SigCache) prepare(ctx sdk.Context, txs [][]byte) {
	batch := bcrypto.NewBatchVerifier()
	var keys [][32]byte
	for _, raw := range txs {
		tx, err := c.decoder(raw)
		if err != nil {
			continue
		}
		items, ok, err := c.signatureItems(ctx, tx)
		if err != nil || !ok {
			items = nil
		}
		payload, _ := c.payloadItems(ctx, tx)
		for _, it := range append(items, payload...) {
			k := it.CacheKey()
			if c.cache.Contains(k) {
				continue
			}
			batch.Add(it)
			keys = append(keys, k)
		}
	}
	if batch.Len() == 0 {
		return
	}
	_, verdicts := batch.Verify()
	for i, verdict := range verdicts {
		if verdict == nil {
			c.cache.Add(keys[i])
		}
	}
}

// ProcessProposal verifies the proposed block's signatures as one batch.
// Like the SDK's default, it accepts the block: a transaction with a bad
// signature fails on its own in FinalizeBlock.
func (c *SigCache) ProcessProposal(ctx sdk.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
	c.prepare(ctx, req.Txs)
	d := blockDigest(req.Txs)
	c.mu.Lock()
	c.proposed = d
	c.mu.Unlock()
	return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_ACCEPT}, nil
}

// SigVerificationDecorator runs the SDK's signature step with baynet's
// verifier: on a cache hit, or after verifying the transaction's signatures
// itself, it runs the SDK decorator with the cryptography switched off, so
// sequence, account and replay rules stay exactly the SDK's; for signatures
// it does not handle, the SDK decorator runs unchanged.
type SigVerificationDecorator struct {
	cache *SigCache
	inner ante.SigVerificationDecorator
}

// NewSigVerificationDecorator wraps the SDK's signature step.
func NewSigVerificationDecorator(cache *SigCache, ak ante.AccountKeeper, signModes *txsigning.HandlerMap) SigVerificationDecorator {
	return SigVerificationDecorator{cache: cache, inner: ante.NewSigVerificationDecorator(ak, signModes)}
}

// AnteHandle implements sdk.AnteDecorator.
func (d SigVerificationDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	if simulate || ctx.IsReCheckTx() || !ctx.IsSigverifyTx() {
		return d.inner.AnteHandle(ctx, tx, simulate, next)
	}
	items, ok, err := d.cache.signatureItems(ctx, tx)
	if err != nil {
		return ctx, err
	}
	if !ok {
		return d.inner.AnteHandle(ctx, tx, simulate, next)
	}
	batch := bcrypto.NewBatchVerifier()
	var missed [][32]byte
	var sigIndex []int
	for i, it := range items {
		k := it.CacheKey()
		if d.cache.cache.Contains(k) {
			d.cache.hits.Add(1)
			continue
		}
		d.cache.misses.Add(1)
		batch.Add(it)
		missed = append(missed, k)
		sigIndex = append(sigIndex, i)
	}
	if batch.Len() > 0 {
		if allOK, verdicts := batch.Verify(); !allOK {
			for j, v := range verdicts {
				if v != nil {
					return ctx, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "signature %d verification failed: %v", sigIndex[j], v)
				}
			}
		}
		for _, k := range missed {
			d.cache.cache.Add(k)
		}
	}
	// Verified: run the SDK's step for its other rules with the cryptography
	// off, and switch it back on for the rest of the chain.
	return d.inner.AnteHandle(ctx.WithIsSigverifyTx(false), tx, simulate, func(c sdk.Context, tx sdk.Tx, sim bool) (sdk.Context, error) {
		return next(c.WithIsSigverifyTx(true), tx, sim)
	})
}

// keyCache keeps parsed transaction keys: parsing decompresses the point,
// which costs as much as the rest of a cache hit. It is cleared when full.
type keyCache struct {
	mu   sync.Mutex
	max  int
	keys map[string]bcrypto.PublicKey
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, keys: make(map[string]bcrypto.PublicKey)}
}

func (kc *keyCache) parse(compressed []byte) (bcrypto.PublicKey, error) {
	kc.mu.Lock()
	k, ok := kc.keys[string(compressed)]
	kc.mu.Unlock()
	if ok {
		return k, nil
	}
	k, err := bcrypto.ParsePublicKey(bcrypto.SchemeSecp256k1, compressed)
	if err != nil {
		return nil, err
	}
	kc.mu.Lock()
	if len(kc.keys) >= kc.max {
		clear(kc.keys)
	}
	kc.keys[string(compressed)] = k
	kc.mu.Unlock()
	return k, nil
}

// PayloadSigDecorator verifies, in CheckTx, the signatures inside a
// transaction's messages (see PayloadSignatures) as one batch through the
// cache, and refuses the transaction if one fails: a forged attestation or
// holder operation never reaches a block. In FinalizeBlock the handlers
// verify, mostly from the cache.
type PayloadSigDecorator struct{ cache *SigCache }

// AnteHandle implements sdk.AnteDecorator.
func (d PayloadSigDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	if simulate || !ctx.IsCheckTx() || ctx.IsReCheckTx() {
		return next(ctx, tx, simulate)
	}
	// The reads that build the items are not the transaction's: simulation
	// skips this step, so charging them would make CheckTx use more gas
	// than was estimated and than the block will.
	items, msgOf := d.cache.payloadItems(ctx.WithGasMeter(storetypes.NewInfiniteGasMeter()), tx)
	if len(items) == 0 {
		return next(ctx, tx, simulate)
	}
	if ok, verdicts, _ := d.cache.cache.VerifyAll(items); !ok {
		for i, v := range verdicts {
			if v != nil {
				return ctx, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "message %d: a signature it carries does not verify: %v", msgOf[i], v)
			}
		}
	}
	return next(ctx, tx, simulate)
}
