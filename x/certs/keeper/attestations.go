package keeper

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// IssueAttestations anchors the attestations of a message, single or bulk,
// and returns their ids. Everything is checked before anything is written,
// in this order:
//
//  1. the message carries 1 to max_bulk items, and its sender is an active
//     agency with the issuer role; gas_per_attestation is charged per item;
//  2. each item on its own: a signature of plausible size; a well-formed
//     payload for this chain naming the sending agency as issuer;
//  3. each item against state, in order: a registered credential type of
//     the agency's region that the agency is entitled to; a key of the
//     agency valid at the block time; an id and a (licence, issuer) pair
//     not anchored before nor earlier in the message;
//  4. the signatures of the items that passed 2 and 3, as one batch.
//
// If an item fails, the message fails with the lowest failing index. Steps
// 2 and 4, and the encoding of what is written, run on all cores: they are
// pure functions of each item, so the result does not depend on scheduling.
// State is read and written in item order on the calling goroutine.
func (k Keeper) IssueAttestations(ctx context.Context, msg *types.MsgIssueAttestations) ([]string, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	n := len(msg.Items)
	if n == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidAttestation, "no attestations in the message")
	}
	if n > int(params.MaxBulk) {
		return nil, errorsmod.Wrapf(types.ErrTooManyItems, "%d attestations, a message carries at most %d", n, params.MaxBulk)
	}
	sender, err := k.addressCodec.StringToBytes(msg.Issuer)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidRequest, "issuer %q: %v", msg.Issuer, err)
	}
	agency, err := k.regions.ActiveAgencyWithRole(ctx, sender, regionstypes.AGENCY_ROLE_ISSUER)
	if err != nil {
		return nil, err
	}
	sdkCtx.GasMeter().ConsumeGas(uint64(n)*params.GasPerAttestation, "certs: attestations")
	// gas_per_attestation prices the items' store access.
	sdkCtx = sdkCtx.WithKVGasConfig(storetypes.GasConfig{})

	start := k.clock()
	is := newIssuance(k, sdkCtx, agency)
	pending := make([]pendingAttestation, n)
	itemErrs := make([]error, n)
	parallel(n, func(i int) { pending[i], itemErrs[i] = is.prepare(msg.Items[i]) })
	items := make([]bcrypto.Item, 0, n)
	itemOf := make([]int, 0, n)
	for i := range pending {
		if itemErrs[i] == nil {
			itemErrs[i] = is.check(sdkCtx, i, &pending[i])
		}
		if itemErrs[i] == nil {
			items = append(items, pending[i].signatureItem(msg.Items[i].Signature))
			itemOf = append(itemOf, i)
		}
	}
	checked := k.clock()
	for j, verdict := range k.verify(items) {
		if verdict != nil {
			itemErrs[itemOf[j]] = errorsmod.Wrap(types.ErrInvalidSignature, verdictReason(verdict).Error())
		}
	}
	verified := k.clock()
	for i, err := range itemErrs {
		if err != nil {
			return nil, types.ItemError(i, err)
		}
	}

	writes := make([]anchorWrites, n)
	parallel(n, func(i int) { writes[i], itemErrs[i] = k.encodeAnchor(pending[i].id, pending[i].att, msg.Issuer) })
	ids := make([]string, n)
	for i := range writes {
		if itemErrs[i] != nil {
			return nil, itemErrs[i]
		}
		if err := is.w.write(writes[i]); err != nil {
			return nil, err
		}
		ids[i] = pending[i].att.Id
	}
	if k.timings != nil {
		k.timings.add(n, checked.Sub(start), verified.Sub(checked), k.clock().Sub(verified))
	}
	// One event for the whole message: see EventAttestationsIssued.
	return ids, sdkCtx.EventManager().EmitTypedEvent(&types.EventAttestationsIssued{Issuer: agency.Id, Ids: ids})
}

// anchorWrites are the keys and values that anchor one attestation: the
// record, its licence and issuer index entries, its issuance history entry,
// its status record and, if it names a subject, its subject index entry.
type anchorWrites [6]struct{ key, value []byte }

// encodeAnchor encodes what anchoring att writes, with the collections' own
// codecs, so the bytes are the ones the collections read back
// (TestStoreLayout pins them). It touches no state.
func (k Keeper) encodeAnchor(id []byte, att types.Attestation, signer string) (anchorWrites, error) {
	var w anchorWrites
	issued := types.StatusChange{
		Seq: 0, Status: types.ATTESTATION_STATUS_ACTIVE, Time: att.IssuedAt, Height: att.IssuedHeight, Signer: signer,
	}
	errs := []error{
		encodeKV(&w[0], k.Attestations, id, att),
		encodeKV(&w[1], k.AttestationsByLicence, collections.Join(att.Payload.LicenceId, att.Payload.Issuer), id),
		encodeKV(&w[2], collections.Map[RefKey, collections.NoValue](k.AttestationsByIssuer), collections.Join(att.Payload.Issuer, id), collections.NoValue{}),
		encodeKV(&w[3], k.History, collections.Join(id, uint32(0)), issued),
		encodeKV(&w[4], k.Statuses, id, issued.Record(1)),
	}
	if att.Payload.Subject != "" {
		errs = append(errs, encodeKV(&w[5], collections.Map[RefKey, collections.NoValue](k.AttestationsBySubject), collections.Join(att.Payload.Subject, id), collections.NoValue{}))
	}
	return w, errors.Join(errs...)
}

func encodeKV[K, V any](out *struct{ key, value []byte }, m collections.Map[K, V], key K, value V) error {
	var err error
	if out.key, err = collections.EncodeKeyWithPrefix(m.GetPrefix(), m.KeyCodec(), key); err != nil {
		return err
	}
	out.value, err = m.ValueCodec().Encode(value)
	return err
}

// anchor writes a checked attestation: what encodeAnchor encodes.
func (k Keeper) anchor(w rawStore, id []byte, att types.Attestation, signer string) error {
	writes, err := k.encodeAnchor(id, att, signer)
	if err != nil {
		return err
	}
	return w.write(writes)
}

// rawStore is one handle on the module's store for the many reads and
// writes of a bulk message: a collection opens the store (and allocates its
// wrappers) on every access, which was a large part of the time of anchoring
// an attestation (docs/benchmarks.md).
type rawStore struct{ store store.KVStore }

func (k Keeper) rawStore(ctx context.Context) rawStore {
	return rawStore{store: k.storeService.OpenKVStore(ctx)}
}

// write stores an attestation's encoded keys and values.
func (w rawStore) write(writes anchorWrites) error {
	for _, kv := range writes {
		if kv.key == nil {
			continue
		}
		if err := w.store.Set(kv.key, kv.value); err != nil {
			return err
		}
	}
	return nil
}

// licenceHolder returns the id of the attestation of (licence, issuer), nil
// if there is none.
func (w rawStore) licenceHolder(k Keeper, key LicenceKey) ([]byte, error) {
	m := k.AttestationsByLicence
	kb, err := collections.EncodeKeyWithPrefix(m.GetPrefix(), m.KeyCodec(), key)
	if err != nil {
		return nil, err
	}
	return w.store.Get(kb)
}

// parallel calls fn(i) for i in [0, n) on up to GOMAXPROCS goroutines, in
// chunks taken from a shared counter. fn must only touch item i's data. A
// panic in fn is raised again on the calling goroutine, where the
// transaction's recovery handles it.
func parallel(n int, fn func(i int)) {
	const chunk = 64
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var panicked atomic.Value
	work := func() {
		defer func() {
			if r := recover(); r != nil {
				panicked.CompareAndSwap(nil, fmt.Sprint(r))
			}
		}()
		for {
			start := int(next.Add(chunk)) - chunk
			if start >= n {
				return
			}
			for i := start; i < min(start+chunk, n); i++ {
				fn(i)
			}
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if r := panicked.Load(); r != nil {
		panic(r)
	}
}

// verdictReason unwraps the crypto package's verdict on an item to its
// reason, since the item's index in the batch is not the message's.
func verdictReason(verdict error) error {
	var ie *bcrypto.ItemError
	if errors.As(verdict, &ie) {
		return ie.Reason
	}
	return verdict
}

// batchVerify gives the verdicts on items as one batch of the crypto
// package's verifier: nil if every item is valid.
func batchVerify(items []bcrypto.Item) []error {
	bv := bcrypto.NewBatchVerifier()
	for _, it := range items {
		bv.Add(it)
	}
	if ok, verdicts := bv.Verify(); !ok {
		return verdicts
	}
	return nil
}

// pendingAttestation is an item on its way through the checks.
type pendingAttestation struct {
	id        []byte
	sum       [32]byte
	att       types.Attestation
	signBytes []byte
	key       bcrypto.PublicKey
}

// issuance checks the items of one message, looking up each credential type
// and agency key once.
type issuance struct {
	k        Keeper
	w        rawStore
	agency   regionstypes.Agency
	chainID  string
	now      time.Time
	height   int64
	types    map[string]typeLookup
	keys     map[string]keyLookup
	licences map[string]seenLicence
}

// seenLicence is an earlier item of the message.
type seenLicence struct {
	index int
	id    [32]byte
}

type typeLookup struct {
	t   types.CredentialType
	err error
}

type keyLookup struct {
	key bcrypto.PublicKey
	err error
}

func newIssuance(k Keeper, ctx sdk.Context, agency regionstypes.Agency) *issuance {
	return &issuance{
		k: k, w: k.rawStore(ctx), agency: agency, chainID: ctx.ChainID(), now: ctx.BlockTime(), height: ctx.BlockHeight(),
		types: map[string]typeLookup{}, keys: map[string]keyLookup{}, licences: map[string]seenLicence{},
	}
}

// prepare runs step 2 of IssueAttestations on an item and computes its sign
// bytes and id. It reads nothing but the item and is's fixed fields, so
// items are prepared in parallel.
func (is *issuance) prepare(item types.SignedAttestation) (pendingAttestation, error) {
	p := item.Payload
	if len(item.Signature) == 0 || len(item.Signature) > types.MaxSignatureLength {
		return pendingAttestation{}, errorsmod.Wrapf(types.ErrInvalidSignature, "signature must be 1-%d bytes, got %d", types.MaxSignatureLength, len(item.Signature))
	}
	if err := p.ValidateFields(); err != nil {
		return pendingAttestation{}, err
	}
	if p.ChainId != is.chainID {
		return pendingAttestation{}, errorsmod.Wrapf(types.ErrInvalidAttestation, "signed for chain %q, this is %q", p.ChainId, is.chainID)
	}
	if p.Issuer != is.agency.Id {
		return pendingAttestation{}, errorsmod.Wrapf(types.ErrIssuerMismatch, "payload names %s, the sender is %s", p.Issuer, is.agency.Id)
	}
	signBytes := p.SignBytes()
	sum := types.AttestationID(signBytes)
	return pendingAttestation{
		sum: sum, signBytes: signBytes,
		att: types.Attestation{Id: hex.EncodeToString(sum[:]), Payload: p, Signature: item.Signature, IssuedAt: is.now, IssuedHeight: is.height},
	}, nil
}

// check runs step 3 of IssueAttestations on prepared item i.
func (is *issuance) check(ctx context.Context, i int, pa *pendingAttestation) error {
	p := &pa.att.Payload
	t, err := is.credentialType(ctx, p.Type)
	if err != nil {
		return err
	}
	if pa.key, err = is.key(ctx, p.KeyId); err != nil {
		return err
	}
	// The same id means the same payload, so the same licence and issuer:
	// one lookup of (licence, issuer) finds both kinds of duplicate.
	if earlier, dup := is.licences[p.LicenceId]; dup {
		if earlier.id == pa.sum {
			return errorsmod.Wrapf(types.ErrDuplicateAttestation, "%s is also item %d", pa.att.Id, earlier.index)
		}
		return errorsmod.Wrapf(types.ErrDuplicateLicence, "licence %s is also item %d", p.LicenceId, earlier.index)
	}
	holder, err := is.w.licenceHolder(is.k, collections.Join(p.LicenceId, p.Issuer))
	switch {
	case err != nil:
		return err
	case holder != nil && string(holder) == string(pa.sum[:]):
		return errorsmod.Wrapf(types.ErrDuplicateAttestation, "%s", pa.att.Id)
	case holder != nil:
		return errorsmod.Wrapf(types.ErrDuplicateLicence, "licence %s", p.LicenceId)
	}
	is.licences[p.LicenceId] = seenLicence{index: i, id: pa.sum}
	pa.id = pa.sum[:]
	pa.att.ExpiresAt = types.ExpiresAt(*p, t)
	return nil
}

// credentialType returns a registered type of the agency's region that the
// agency is entitled to issue.
func (is *issuance) credentialType(ctx context.Context, id string) (types.CredentialType, error) {
	if l, ok := is.types[id]; ok {
		return l.t, l.err
	}
	var l typeLookup
	switch {
	case !slices.Contains(is.agency.CredentialTypes, id):
		l.err = errorsmod.Wrapf(types.ErrNotEntitled, "agency %s may not issue %s", is.agency.Id, id)
	default:
		l.t, l.err = is.k.GetCredentialType(ctx, id)
		if l.err == nil && l.t.Region != is.agency.Region {
			l.err = errorsmod.Wrapf(types.ErrNotEntitled, "%s is a type of %s, agency %s belongs to %s", id, l.t.Region, is.agency.Id, is.agency.Region)
		}
	}
	is.types[id] = l
	return l.t, l.err
}

// key returns the agency's key keyID if it is valid at the block time.
func (is *issuance) key(ctx context.Context, keyID string) (bcrypto.PublicKey, error) {
	if l, ok := is.keys[keyID]; ok {
		return l.key, l.err
	}
	var l keyLookup
	ak, err := is.k.regions.AgencyKeyAt(ctx, is.agency.Id, keyID, is.now)
	if err == nil {
		var scheme bcrypto.Scheme
		if scheme, err = bcrypto.ParseScheme(ak.Scheme); err == nil {
			l.key, err = bcrypto.ParsePublicKey(scheme, ak.PublicKey)
		}
		if err != nil {
			err = errorsmod.Wrapf(regionstypes.ErrInvalidKey, "key %s/%s: %v", is.agency.Id, keyID, err)
		}
	}
	l.err = err
	is.keys[keyID] = l
	return l.key, l.err
}

// clock reads the wall clock for phaseTimes, and only when a benchmark asked
// for them: nothing the chain computes depends on it.
func (k Keeper) clock() time.Time {
	if k.timings == nil {
		return time.Time{}
	}
	return time.Now()
}

// phaseTimes accumulates where bulk issuance spends its time.
type phaseTimes struct {
	items                 int
	checks, verify, write time.Duration
}

func (p *phaseTimes) add(n int, checks, verify, write time.Duration) {
	p.items += n
	p.checks += checks
	p.verify += verify
	p.write += write
}
