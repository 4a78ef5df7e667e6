package keeper_test

import (
	"bytes"
	"context"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	codectestutil "github.com/cosmos/cosmos-sdk/codec/testutil"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	btestutil "github.com/baynet/baynet/testutil"
	"github.com/baynet/baynet/x/identity/keeper"
	"github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

const chainID = "baynet-test"

// t0 is the block time every fixture starts at.
var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// bech32 is the chain's account address codec.
var bech32 = addresscodec.NewBech32Codec("bay")

func accAddr(name string) sdk.AccAddress {
	h := sha256.Sum256([]byte("account/" + name))
	return h[:20]
}

func bech(name string) string {
	s, err := bech32.BytesToString(accAddr(name))
	if err != nil {
		panic(err)
	}
	return s
}

// The agencies of the fake registry: an issuer that relays, the GD and HK
// identity providers, and a GD identity provider that is suspended.
var (
	relayerAcc   = bech("agency/GD:amr")
	gdIdP        = bech("agency/GD:idp")
	hkIdP        = bech("agency/HK:iamsmart")
	suspendedIdP = bech("agency/GD:old-idp")
	authorityAcc = bech("consortium")
)

// fakeRegions is x/regions reduced to its agencies, by account.
type fakeRegions struct {
	agencies map[string]regionstypes.Agency
}

var _ types.RegionsKeeper = (*fakeRegions)(nil)

func newFakeRegions() *fakeRegions {
	r := &fakeRegions{agencies: map[string]regionstypes.Agency{}}
	r.add("GD:amr", regionstypes.AGENCY_ROLE_ISSUER)
	r.add("GD:idp", regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER)
	r.add("HK:iamsmart", regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER)
	r.add("GD:old-idp", regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER)
	r.setStatus("GD:old-idp", regionstypes.AGENCY_STATUS_SUSPENDED)
	return r
}

func (r *fakeRegions) add(id string, roles ...regionstypes.AgencyRole) {
	region, _, err := regionstypes.SplitScopedID(id)
	if err != nil {
		panic(err)
	}
	acc := bech("agency/" + id)
	r.agencies[acc] = regionstypes.Agency{Id: id, Region: region, Account: acc, Roles: roles, Status: regionstypes.AGENCY_STATUS_ACTIVE}
}

func (r *fakeRegions) setStatus(id string, s regionstypes.AgencyStatus) {
	for acc, a := range r.agencies {
		if a.Id == id {
			a.Status = s
			r.agencies[acc] = a
			return
		}
	}
	panic("no agency " + id)
}

func (r *fakeRegions) AgencyByAccount(_ context.Context, addr sdk.AccAddress) (regionstypes.Agency, error) {
	s, _ := bech32.BytesToString(addr)
	a, ok := r.agencies[s]
	if !ok {
		return a, errorsmod.Wrapf(regionstypes.ErrUnknownAgency, "no agency has account %s", s)
	}
	return a, nil
}

func (r *fakeRegions) ActiveAgencyWithRole(ctx context.Context, addr sdk.AccAddress, role regionstypes.AgencyRole) (regionstypes.Agency, error) {
	a, err := r.AgencyByAccount(ctx, addr)
	if err != nil {
		return a, err
	}
	if a.Status != regionstypes.AGENCY_STATUS_ACTIVE {
		return a, errorsmod.Wrapf(regionstypes.ErrAgencyStatus, "agency %s is %s", a.Id, a.Status)
	}
	if !a.HasRole(role) {
		return a, errorsmod.Wrapf(regionstypes.ErrInvalidAgency, "agency %s does not hold the role %s", a.Id, role)
	}
	return a, nil
}

func (r *fakeRegions) GetAgency(_ context.Context, id string) (regionstypes.Agency, error) {
	for _, a := range r.agencies {
		if a.Id == id {
			return a, nil
		}
	}
	return regionstypes.Agency{}, errorsmod.Wrapf(regionstypes.ErrUnknownAgency, "%q", id)
}

// fixture is a keeper on a fresh in-memory store with a faked x/regions.
type fixture struct {
	t       *testing.T
	ctx     sdk.Context
	key     *storetypes.KVStoreKey
	cdc     codec.Codec
	k       keeper.Keeper
	ms      types.MsgServer
	qs      types.QueryServer
	regions *fakeRegions
}

// newEmptyFixture returns a keeper whose store holds nothing yet.
func newEmptyFixture(t *testing.T) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	cdc := codectestutil.CodecOptions{AccAddressPrefix: "bay", ValAddressPrefix: "bayvaloper"}.NewCodec()
	types.RegisterInterfaces(cdc.InterfaceRegistry())
	regions := newFakeRegions()
	k := keeper.NewKeeper(cdc, runtime.NewKVStoreService(key), bech32, regions, authorityAcc)
	return &fixture{
		t: t,
		ctx: tc.Ctx.WithChainID(chainID).WithBlockTime(t0).WithBlockHeight(10).
			WithEventManager(sdk.NewEventManager()).WithGasMeter(storetypes.NewInfiniteGasMeter()),
		key: key, cdc: cdc, k: k, ms: keeper.NewMsgServerImpl(k), qs: keeper.NewQueryServerImpl(k), regions: regions,
	}
}

// newFixture loads the default genesis.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := newEmptyFixture(t)
	require.NoError(t, f.k.InitGenesis(f.ctx, *types.DefaultGenesis()))
	return f
}

func (f *fixture) resetEvents() { f.ctx = f.ctx.WithEventManager(sdk.NewEventManager()) }

// advance moves the block time forward by d and the height by one.
func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

func (f *fixture) export() *types.GenesisState {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return gs
}

// raw returns every key and value of the module's store.
func (f *fixture) raw() map[string][]byte {
	f.t.Helper()
	out := map[string][]byte{}
	it := f.ctx.KVStore(f.key).Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		out[string(it.Key())] = bytes.Clone(it.Value())
	}
	return out
}

// requireRejected runs call and checks that it fails with want (and, when
// set, a message containing wantMsg) and changes nothing: neither the
// exported genesis nor any byte of the store, and emits no event.
func (f *fixture) requireRejected(call func(ctx sdk.Context) error, want error, wantMsg string) {
	f.t.Helper()
	gs, raw := f.export(), f.raw()
	ctx := f.ctx.WithEventManager(sdk.NewEventManager())
	err := call(ctx)
	btestutil.RequireRefusedAs(f.t, want, err)
	if wantMsg != "" {
		require.ErrorContains(f.t, err, wantMsg)
	}
	require.Equal(f.t, gs, f.export(), "a rejected call changed the exported state")
	require.Equal(f.t, raw, f.raw(), "a rejected call changed the store")
	require.Empty(f.t, ctx.EventManager().Events(), "a rejected call emitted events")
}

// events returns the typed events of type T emitted since the last reset.
func events[T proto.Message](t *testing.T, ctx sdk.Context) []T {
	t.Helper()
	var zero T
	name := proto.MessageName(zero)
	require.NotEmpty(t, name)
	var out []T
	for _, ev := range ctx.EventManager().Events() {
		if ev.Type != name {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(ev))
		require.NoError(t, err)
		out = append(out, msg.(T))
	}
	return out
}

// holder is a holder's key and the id it has (or will have) in its anchor.
type holder struct {
	id  string
	key bcrypto.PrivateKey
}

func newHolder(t *testing.T, scheme bcrypto.Scheme, id string) holder {
	t.Helper()
	k, err := bcrypto.GenerateKey(scheme)
	require.NoError(t, err)
	return holder{id: id, key: k}
}

func (h holder) scheme() string   { return string(h.key.Scheme()) }
func (h holder) public() []byte   { return h.key.Public().Bytes() }
func (h holder) anchorID() string { return types.AnchorID(chainID, h.scheme(), h.public()) }

func (h holder) sign(t *testing.T, msg []byte) []byte {
	t.Helper()
	sig, err := h.key.Sign(msg)
	require.NoError(t, err)
	return sig
}

var bothPurposes = []types.KeyPurpose{types.KEY_PURPOSE_AUTHENTICATION, types.KEY_PURPOSE_ASSERTION}

// createMsg is the message that creates h's anchor, relayed by GD:amr.
func createMsg(t *testing.T, h holder, purposes ...types.KeyPurpose) *types.MsgCreateAnchor {
	t.Helper()
	if len(purposes) == 0 {
		purposes = bothPurposes
	}
	nk := types.NewKey{KeyId: h.id, Scheme: h.scheme(), PublicKey: h.public(), Purposes: purposes}
	pop := h.sign(t, types.CreateSignBytes(nk.Possession(chainID, h.anchorID(), 0, h.public())))
	return &types.MsgCreateAnchor{Relayer: relayerAcc, Scheme: h.scheme(), PublicKey: h.public(), KeyId: h.id, Purposes: purposes, PopSignature: pop}
}

// create creates h's anchor and returns its id.
func (f *fixture) create(h holder) string {
	f.t.Helper()
	res, err := f.ms.CreateAnchor(f.ctx, createMsg(f.t, h))
	require.NoError(f.t, err)
	return res.AnchorId
}

func (f *fixture) anchor(id string) types.Anchor {
	f.t.Helper()
	a, err := f.k.GetAnchor(f.ctx, id)
	require.NoError(f.t, err)
	return a
}

// newKey is h as a new key of anchor at sequence, with its proof of
// possession (over signBytes, PossessionSignBytes unless given).
func newKey(t *testing.T, h holder, anchor string, sequence uint64, purposes ...types.KeyPurpose) types.NewKey {
	t.Helper()
	if len(purposes) == 0 {
		purposes = bothPurposes
	}
	nk := types.NewKey{KeyId: h.id, Scheme: h.scheme(), PublicKey: h.public(), Purposes: purposes}
	nk.PopSignature = h.sign(t, types.PossessionSignBytes(nk.Possession(chainID, anchor, sequence, h.public())))
	return nk
}

// opAt builds the message relaying op for anchor at sequence, signed by signer.
func opAt(t *testing.T, signer holder, anchor string, sequence uint64, op *types.HolderOperation) *types.MsgHolderOperation {
	t.Helper()
	op.ChainId, op.AnchorId, op.Sequence = chainID, anchor, sequence
	payload, err := op.Marshal()
	require.NoError(t, err)
	return &types.MsgHolderOperation{Relayer: relayerAcc, Payload: payload, KeyId: signer.id, Signature: signer.sign(t, types.OperationSignBytes(payload))}
}

// op builds the message relaying op at the anchor's current sequence.
func (f *fixture) op(signer holder, anchor string, op *types.HolderOperation) *types.MsgHolderOperation {
	f.t.Helper()
	return opAt(f.t, signer, anchor, f.anchor(anchor).Sequence, op)
}

// apply relays op signed by signer and fails the test on error.
func (f *fixture) apply(signer holder, anchor string, op *types.HolderOperation) {
	f.t.Helper()
	_, err := f.ms.HolderOperation(f.ctx, f.op(signer, anchor, op))
	require.NoError(f.t, err)
}

func addKeyOp(nk types.NewKey) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_AddKey{AddKey: &types.AddKey{Key: nk}}}
}

func revokeKeyOp(id, reason string) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_RevokeKey{RevokeKey: &types.RevokeKey{KeyId: id, Reason: reason}}}
}

func rotateKeyOp(old string, nk types.NewKey) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_RotateKey{RotateKey: &types.RotateKey{OldKeyId: old, NewKey: nk}}}
}

func deactivateOp(reason string) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_Deactivate{Deactivate: &types.Deactivate{Reason: reason}}}
}

func grantOp(verifier, purpose string, until time.Time, credTypes ...string) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_GrantConsent{GrantConsent: &types.GrantConsent{
		Verifier: verifier, Purpose: purpose, CredentialTypes: credTypes, ValidUntil: &until,
	}}}
}

func withdrawOp(verifier, purpose string) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_WithdrawConsent{WithdrawConsent: &types.WithdrawConsent{Verifier: verifier, Purpose: purpose}}}
}

func removeLinkOp(commitment []byte, reason string) *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_RemoveLink{RemoveLink: &types.RemoveLink{Commitment: commitment, Reason: reason}}}
}

func cancelRecoveryOp() *types.HolderOperation {
	return &types.HolderOperation{Op: &types.HolderOperation_CancelRecovery{CancelRecovery: &types.CancelRecovery{}}}
}

// commitment is a test person's commitment in region.
func commitment(t *testing.T, region, person string) []byte {
	t.Helper()
	salt := sha256.Sum256([]byte("salt/" + person))
	c, err := types.Commitment(region, "TEST-ID", person, salt[:])
	require.NoError(t, err)
	return c
}

// linkMsg is the link of anchor by the identity provider with account idp
// (agency id idpID) in region, approved by h at the anchor's sequence.
func (f *fixture) linkMsg(h holder, anchor, idp, idpID, region string, c []byte) *types.MsgLinkIdentity {
	f.t.Helper()
	approval := &types.LinkApproval{ChainId: chainID, AnchorId: anchor, Idp: idpID, Region: region, Commitment: c, Sequence: f.anchor(anchor).Sequence}
	until := f.ctx.BlockTime().Add(365 * 24 * time.Hour)
	return &types.MsgLinkIdentity{
		Idp: idp, AnchorId: anchor, Region: region, Commitment: c, LevelOfAssurance: 3, ValidUntil: &until,
		HolderKeyId: h.id, HolderSignature: h.sign(f.t, types.LinkSignBytes(approval)),
	}
}

// link has GD:idp link anchor to person, approved by h, and returns the commitment.
func (f *fixture) link(h holder, anchor, person string) []byte {
	f.t.Helper()
	c := commitment(f.t, "GD", person)
	_, err := f.ms.LinkIdentity(f.ctx, f.linkMsg(h, anchor, gdIdP, "GD:idp", "GD", c))
	require.NoError(f.t, err)
	return c
}

// setParams changes the parameters directly.
func (f *fixture) setParams(change func(p *types.Params)) {
	f.t.Helper()
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(f.t, err)
	change(&p)
	require.NoError(f.t, f.k.Params.Set(f.ctx, p))
}

// anchorKey returns a stored key and fails the test if it is missing.
func (f *fixture) anchorKey(anchor, id string) types.AnchorKey {
	f.t.Helper()
	k, err := f.k.GetKey(f.ctx, anchor, id)
	require.NoError(f.t, err)
	return k
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func joinPair(a, b string) collections.Pair[string, string] { return collections.Join(a, b) }

// uncompressedP256 re-encodes a compressed P-256 point uncompressed.
func uncompressedP256(t *testing.T, compressed []byte) []byte {
	t.Helper()
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), compressed)
	require.NotNil(t, x)
	return elliptic.Marshal(elliptic.P256(), x, y) //nolint:staticcheck // a test fixture in the legacy form on purpose
}
