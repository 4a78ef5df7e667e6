package keeper_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/core/address"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	codectestutil "github.com/cosmos/cosmos-sdk/codec/testutil"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	btestutil "github.com/baynet/baynet/testutil"
	"github.com/baynet/baynet/x/regions/keeper"
	"github.com/baynet/baynet/x/regions/types"
)

// t0 is the block time every fixture starts at.
var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// bech32 is the chain's account address codec.
var bech32 = addresscodec.NewBech32Codec("bay")

// accAddr derives a stable 20-byte account address from a name.
func accAddr(name string) sdk.AccAddress {
	h := sha256.Sum256([]byte("account/" + name))
	return h[:20]
}

// bech returns the bech32 form of accAddr(name).
func bech(name string) string {
	s, err := bech32.BytesToString(accAddr(name))
	if err != nil {
		panic(err)
	}
	return s
}

func authority(region string) string { return bech("authority/" + region) }

func operator(region string, i int) string { return bech(fmt.Sprintf("operator/%s/%d", region, i)) }

// moduleAuthority is x/regions' module account, which signs consortium messages.
func moduleAuthority() string {
	s, err := bech32.BytesToString(authtypes.NewModuleAddress(types.ModuleName))
	if err != nil {
		panic(err)
	}
	return s
}

// consKey returns a stable ed25519 consensus public key for a name.
func consKey(name string) []byte {
	seed := sha256.Sum256([]byte("consensus/" + name))
	return ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
}

// valKey is the consensus key of a region's i-th genesis validator.
func valKey(region string, i int) []byte { return consKey(fmt.Sprintf("%s/%d", region, i)) }

// consAddr is CometBFT's address of a consensus key, computed independently of the keeper.
func consAddr(pk []byte) []byte {
	h := sha256.Sum256(pk)
	return h[:20]
}

// regionSpec describes a genesis region: its share and how many validators it runs.
type regionSpec struct {
	code       string
	share      uint64
	validators int
}

// fourRegions is the default testnet consortium: GD, HK, MO and the joint
// office, one validator each and equal shares.
var fourRegions = []regionSpec{{"GD", 100, 1}, {"HK", 100, 1}, {"MO", 100, 1}, {"JO", 100, 1}}

func region(code string, share uint64) types.Region {
	return types.Region{Code: code, NameZh: code + "区", NameEn: "Region " + code, Authority: authority(code), PowerShare: share}
}

// genesisOf builds a genesis with default params and the given regions; the
// i-th validator of region R has key valKey(R, i) and operator operator(R, i).
func genesisOf(specs ...regionSpec) types.GenesisState {
	gs := *types.DefaultGenesis()
	for _, s := range specs {
		gs.Regions = append(gs.Regions, region(s.code, s.share))
		for i := 0; i < s.validators; i++ {
			gs.Validators = append(gs.Validators, types.Validator{
				ConsensusPubkey: valKey(s.code, i), Region: s.code,
				Moniker: fmt.Sprintf("%s-node-%d", s.code, i), Operator: operator(s.code, i),
			})
		}
	}
	return gs
}

// fakeAccountKeeper is a map-backed x/auth.
type fakeAccountKeeper struct {
	accounts map[string]sdk.AccountI
}

var _ types.AccountKeeper = (*fakeAccountKeeper)(nil)

func (f *fakeAccountKeeper) AddressCodec() address.Codec { return bech32 }

func (f *fakeAccountKeeper) HasAccount(_ context.Context, addr sdk.AccAddress) bool {
	_, ok := f.accounts[string(addr)]
	return ok
}

func (f *fakeAccountKeeper) NewAccountWithAddress(_ context.Context, addr sdk.AccAddress) sdk.AccountI {
	return authtypes.NewBaseAccountWithAddress(addr)
}

func (f *fakeAccountKeeper) SetAccount(_ context.Context, acc sdk.AccountI) {
	f.accounts[string(acc.GetAddress())] = acc
}

// has reports whether the bech32 address has an account.
func (f *fakeAccountKeeper) has(t *testing.T, addr string) bool {
	t.Helper()
	bz, err := bech32.StringToBytes(addr)
	require.NoError(t, err)
	_, ok := f.accounts[string(bz)]
	return ok
}

// fakeRouter routes consortium messages to handlers registered by type URL.
type fakeRouter struct {
	handlers map[string]baseapp.MsgServiceHandler
}

var _ baseapp.MessageRouter = (*fakeRouter)(nil)

func (r *fakeRouter) Handler(msg sdk.Msg) baseapp.MsgServiceHandler {
	return r.HandlerByTypeURL(sdk.MsgTypeURL(msg))
}

func (r *fakeRouter) HandlerByTypeURL(typeURL string) baseapp.MsgServiceHandler {
	return r.handlers[typeURL]
}

// fixture is a keeper on a fresh in-memory store with faked x/auth and router.
type fixture struct {
	t      *testing.T
	ctx    sdk.Context
	key    *storetypes.KVStoreKey
	cdc    codec.Codec
	k      keeper.Keeper
	ms     types.MsgServer
	qs     types.QueryServer
	ak     *fakeAccountKeeper
	router *fakeRouter
}

// newEmptyFixture returns a keeper whose store holds nothing yet.
func newEmptyFixture(t *testing.T) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	cdc := codectestutil.CodecOptions{AccAddressPrefix: "bay", ValAddressPrefix: "bayvaloper"}.NewCodec()
	types.RegisterInterfaces(cdc.InterfaceRegistry())
	ak := &fakeAccountKeeper{accounts: map[string]sdk.AccountI{}}
	router := &fakeRouter{handlers: map[string]baseapp.MsgServiceHandler{}}
	k := keeper.NewKeeper(cdc, runtime.NewKVStoreService(key), ak, router)
	return &fixture{
		t:      t,
		ctx:    tc.Ctx.WithBlockTime(t0).WithBlockHeight(10).WithEventManager(sdk.NewEventManager()),
		key:    key,
		cdc:    cdc,
		k:      k,
		ms:     keeper.NewMsgServerImpl(k),
		qs:     keeper.NewQueryServerImpl(k),
		ak:     ak,
		router: router,
	}
}

// newFixture loads gs and returns the fixture with a fresh event manager.
func newFixture(t *testing.T, gs types.GenesisState) *fixture {
	t.Helper()
	f := newEmptyFixture(t)
	_, err := f.k.InitGenesis(f.ctx, gs)
	require.NoError(t, err)
	f.resetEvents()
	return f
}

// newConsortium is the four-region consortium with default params.
func newConsortium(t *testing.T) *fixture { return newFixture(t, genesisOf(fourRegions...)) }

func (f *fixture) resetEvents() { f.ctx = f.ctx.WithEventManager(sdk.NewEventManager()) }

// advance moves the block time forward.
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

// updates runs the validator-set diff EndBlock hands to CometBFT.
func (f *fixture) updates() []abci.ValidatorUpdate {
	f.t.Helper()
	u, err := f.k.ValidatorUpdates(f.ctx)
	require.NoError(f.t, err)
	return u
}

// requireRejected runs call and checks that it fails with want (and, when
// set, a message containing wantMsg) and changes nothing: neither the
// exported genesis, nor any byte of the store, nor the accounts.
func (f *fixture) requireRejected(call func(ctx sdk.Context) error, want error, wantMsg string) {
	f.t.Helper()
	gs, raw, accounts := f.export(), f.raw(), len(f.ak.accounts)
	err := call(f.ctx)
	btestutil.RequireRefusedAs(f.t, want, err)
	if wantMsg != "" {
		require.ErrorContains(f.t, err, wantMsg)
	}
	require.Equal(f.t, gs, f.export(), "a rejected call changed the exported state")
	require.Equal(f.t, raw, f.raw(), "a rejected call changed the store")
	require.Equal(f.t, accounts, len(f.ak.accounts), "a rejected call created an account")
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

// update is a validator update in comparable form.
type update struct {
	key   []byte
	power int64
}

func simpleUpdates(t *testing.T, us []abci.ValidatorUpdate) []update {
	t.Helper()
	out := make([]update, 0, len(us))
	for _, u := range us {
		pk := u.PubKey.GetEd25519()
		require.Len(t, pk, ed25519.PublicKeySize, "validator updates carry ed25519 keys")
		out = append(out, update{key: pk, power: u.Power})
	}
	return out
}

// powers returns the stored power of each validator, by key.
func (f *fixture) powers() map[string]int64 {
	f.t.Helper()
	out := map[string]int64{}
	for _, v := range f.export().Validators {
		out[string(v.ConsensusPubkey)] = v.Power
	}
	return out
}

// sortedKeys returns keys in byte order, as the store orders them.
func sortedKeys(keys ...[]byte) [][]byte {
	out := append([][]byte(nil), keys...)
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i], out[j]) < 0 })
	return out
}

// keyMaterial is one public key of every scheme in the encodings agencies
// hold, with the canonical form the chain is expected to store.
type keyMaterial struct {
	ed25519Raw          []byte
	secp256k1Compressed []byte
	p256PKIX            []byte
	p256Compressed      []byte
	p256Uncompressed    []byte
	p384Uncompressed    []byte
	p384Compressed      []byte
	sm2PKIX             []byte
	sm2Compressed       []byte
	rsaPKCS1            []byte
	rsaPEM              []byte
	rsaPKIX             []byte
}

var testKeys = sync.OnceValue(func() keyMaterial {
	var km keyMaterial
	km.ed25519Raw = consKey("agency signing key")
	km.secp256k1Compressed = secp256k1.GenPrivKeyFromSecret([]byte("agency secp256k1")).PubKey().Bytes()

	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	km.p256PKIX, err = x509.MarshalPKIXPublicKey(&p256.PublicKey)
	must(err)
	km.p256Compressed = elliptic.MarshalCompressed(elliptic.P256(), p256.X, p256.Y)
	km.p256Uncompressed = elliptic.Marshal(elliptic.P256(), p256.X, p256.Y)

	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(err)
	km.p384Uncompressed = elliptic.Marshal(elliptic.P384(), p384.X, p384.Y)
	km.p384Compressed = elliptic.MarshalCompressed(elliptic.P384(), p384.X, p384.Y)

	sm2Key, err := sm2.GenerateKey(rand.Reader)
	must(err)
	km.sm2PKIX, err = smx509.MarshalPKIXPublicKey(&sm2Key.PublicKey)
	must(err)
	km.sm2Compressed = elliptic.MarshalCompressed(sm2.P256(), sm2Key.X, sm2Key.Y)

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	km.rsaPKCS1 = x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)
	km.rsaPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: km.rsaPKCS1})
	km.rsaPKIX, err = x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	must(err)
	return km
})

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// edKey is an ed25519 agency key input.
func edKey(id, name string) types.AgencyKeyInput {
	return types.AgencyKeyInput{KeyId: id, Scheme: "ed25519", PublicKey: consKey("agency key " + name)}
}

// agencyMsg registers agency id ("GD:amr") by its region's authority, as an
// issuer of GD:business-licence with one ed25519 key "k1".
func agencyMsg(id string) *types.MsgRegisterAgency {
	region := id[:2]
	return &types.MsgRegisterAgency{
		Authority: authority(region), AgencyId: id, NameZh: "市场监督管理局", NameEn: "Market Regulation " + id,
		Account: bech("agency/" + id), Roles: []types.AgencyRole{types.AGENCY_ROLE_ISSUER},
		CredentialTypes: []string{region + ":business-licence"},
		Keys:            []types.AgencyKeyInput{edKey("k1", id)},
	}
}

// mustRun calls a msg-server method and fails the test on error.
func mustRun[M any, R any](f *fixture, call func(context.Context, M) (R, error), msg M) R {
	f.t.Helper()
	res, err := call(f.ctx, msg)
	require.NoError(f.t, err)
	return res
}

func (f *fixture) registerAgency(msg *types.MsgRegisterAgency) {
	f.t.Helper()
	mustRun(f, f.ms.RegisterAgency, msg)
}

// addValidator adds a validator with key consKey(name) to region.
func (f *fixture) addValidator(region, name string) []byte {
	f.t.Helper()
	pk := consKey(name)
	mustRun(f, f.ms.AddValidator, &types.MsgAddValidator{
		Authority: authority(region), Region: region, ConsensusPubkey: pk, Moniker: name, Operator: bech("operator/" + name),
	})
	return pk
}

// submit opens a proposal by region's authority.
func (f *fixture) submit(region string, action types.ProposalAction) uint64 {
	f.t.Helper()
	res := mustRun(f, f.ms.SubmitProposal, &types.MsgSubmitProposal{Authority: authority(region), Action: action})
	return res.ProposalId
}

// approve approves a proposal by region's authority and reports whether it executed.
func (f *fixture) approve(region string, id uint64) bool {
	f.t.Helper()
	res := mustRun(f, f.ms.ApproveProposal, &types.MsgApproveProposal{Authority: authority(region), ProposalId: id})
	return res.Executed
}

func (f *fixture) proposal(id uint64) types.Proposal {
	f.t.Helper()
	p, err := f.k.Proposals.Get(f.ctx, id)
	require.NoError(f.t, err)
	return p
}

// pass submits an action by the first region and has the others approve it
// until it leaves the pending state.
func (f *fixture) pass(action types.ProposalAction, regions ...string) types.Proposal {
	f.t.Helper()
	id := f.submit(regions[0], action)
	for _, r := range regions[1:] {
		if f.proposal(id).Status != types.PROPOSAL_STATUS_PENDING {
			break
		}
		f.approve(r, id)
	}
	return f.proposal(id)
}
