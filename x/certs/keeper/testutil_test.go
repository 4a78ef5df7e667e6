package keeper_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
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
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"

	btestutil "github.com/baynet/baynet/testutil"
	"github.com/baynet/baynet/x/certs/keeper"
	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

const chainID = "baynet-test"

// t0 is the block time every fixture starts at.
var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

var bech32 = addresscodec.NewBech32Codec("bay")

// accAddr derives a stable account address from a name.
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

func authority(region string) string { return bech("authority/" + region) }

// consortium is the consortium's address, which may change the params.
var consortium = bech("consortium")

// testKey is an agency signing key with its private half.
type testKey struct {
	scheme string
	pub    []byte
	sign   func(msg []byte) []byte
}

// edKey derives an ed25519 agency key from a name.
func edKey(name string) testKey {
	seed := sha256.Sum256([]byte("ed25519/" + name))
	priv := ed25519.NewKeyFromSeed(seed[:])
	return testKey{scheme: "ed25519", pub: priv.Public().(ed25519.PublicKey), sign: func(msg []byte) []byte { return ed25519.Sign(priv, msg) }}
}

// k1Key derives a secp256k1 agency key from a name; it signs as a keyring
// key does: r||s over SHA-256(msg).
func k1Key(name string) testKey {
	priv := secp256k1.GenPrivKeyFromSecret([]byte("secp256k1/" + name))
	return testKey{scheme: "secp256k1", pub: priv.PubKey().Bytes(), sign: func(msg []byte) []byte {
		sig, err := priv.Sign(msg)
		if err != nil {
			panic(err)
		}
		return sig
	}}
}

// fakeRegions is x/regions as x/certs sees it, with its rules: an agency key
// is valid within its window, an agency acts while active and with the role.
type fakeRegions struct {
	regions  map[string]regionstypes.Region
	agencies map[string]regionstypes.Agency
	keys     map[string]regionstypes.AgencyKey
	private  map[string]testKey
}

var _ types.RegionsKeeper = (*fakeRegions)(nil)

func (f *fakeRegions) GetAgency(_ context.Context, id string) (regionstypes.Agency, error) {
	a, ok := f.agencies[id]
	if !ok {
		return a, errorsmod.Wrapf(regionstypes.ErrUnknownAgency, "%q", id)
	}
	return a, nil
}

func (f *fakeRegions) AgencyByAccount(_ context.Context, addr sdk.AccAddress) (regionstypes.Agency, error) {
	s, _ := bech32.BytesToString(addr)
	for _, a := range f.agencies {
		if a.Account == s {
			return a, nil
		}
	}
	return regionstypes.Agency{}, errorsmod.Wrapf(regionstypes.ErrUnknownAgency, "no agency has account %s", s)
}

func (f *fakeRegions) ActiveAgencyWithRole(ctx context.Context, addr sdk.AccAddress, role regionstypes.AgencyRole) (regionstypes.Agency, error) {
	a, err := f.AgencyByAccount(ctx, addr)
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

func (f *fakeRegions) AgencyKeyAt(_ context.Context, agencyID, keyID string, t time.Time) (regionstypes.AgencyKey, error) {
	k, ok := f.keys[agencyID+"/"+keyID]
	if !ok {
		return k, errorsmod.Wrapf(regionstypes.ErrUnknownKey, "%s/%s", agencyID, keyID)
	}
	if !k.ActiveAt(t) {
		return k, errorsmod.Wrapf(regionstypes.ErrInvalidKey, "key %s/%s was not valid at %s", agencyID, keyID, t.UTC().Format(time.RFC3339))
	}
	return k, nil
}

func (f *fakeRegions) RegionByAuthority(_ context.Context, addr sdk.AccAddress) (regionstypes.Region, error) {
	s, _ := bech32.BytesToString(addr)
	for _, r := range f.regions {
		if r.Authority == s {
			return r, nil
		}
	}
	return regionstypes.Region{}, errorsmod.Wrapf(regionstypes.ErrNotRegionAuthority, "%s is no region's authority", s)
}

func (f *fakeRegions) GetRegion(_ context.Context, code string) (regionstypes.Region, error) {
	r, ok := f.regions[code]
	if !ok {
		return r, errorsmod.Wrapf(regionstypes.ErrUnknownRegion, "%q", code)
	}
	return r, nil
}

// addAgency registers an active issuer agency with one key "k1".
func (f *fakeRegions) addAgency(id string, credTypes []string, key testKey) {
	region, _, err := regionstypes.SplitScopedID(id)
	if err != nil {
		panic(err)
	}
	f.agencies[id] = regionstypes.Agency{
		Id: id, Region: region, NameZh: "机构", NameEn: "Agency " + id, Account: bech("agency/" + id),
		Roles: []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_ISSUER}, CredentialTypes: credTypes,
		Status: regionstypes.AGENCY_STATUS_ACTIVE,
	}
	f.addKey(id, "k1", key, time.Time{}, nil)
}

func (f *fakeRegions) addKey(agencyID, keyID string, key testKey, notBefore time.Time, notAfter *time.Time) {
	f.keys[agencyID+"/"+keyID] = regionstypes.AgencyKey{
		AgencyId: agencyID, KeyId: keyID, Scheme: key.scheme, PublicKey: key.pub, NotBefore: notBefore, NotAfter: notAfter,
	}
	f.private[agencyID+"/"+keyID] = key
}

// newRegions is GD and HK with their authorities; GD:amr issues
// GD:business-licence with an ed25519 key, HK:erb HK:registered-engineer
// with a secp256k1 key.
func newRegions() *fakeRegions {
	f := &fakeRegions{regions: map[string]regionstypes.Region{}, agencies: map[string]regionstypes.Agency{},
		keys: map[string]regionstypes.AgencyKey{}, private: map[string]testKey{}}
	for _, code := range []string{"GD", "HK"} {
		f.regions[code] = regionstypes.Region{Code: code, NameZh: code, NameEn: code, Authority: authority(code), PowerShare: 100}
	}
	f.addAgency("GD:amr", []string{"GD:business-licence"}, edKey("GD:amr"))
	f.addAgency("HK:erb", []string{"HK:registered-engineer"}, k1Key("HK:erb"))
	return f
}

func credType(id string, validity time.Duration) types.CredentialType {
	region, _, _ := regionstypes.SplitScopedID(id)
	digest := sha256.Sum256([]byte("schema " + id))
	return types.CredentialType{
		Id: id, Region: region, NameZh: "证照", NameEn: "Credential " + id, SchemaDigest: digest[:], DefaultValidity: validity,
		RegisteredAt: t0.Add(-time.Hour),
	}
}

// testGenesis registers GD:business-licence (no default validity) and
// HK:registered-engineer (one year).
func testGenesis() types.GenesisState {
	gs := *types.DefaultGenesis()
	gs.CredentialTypes = []types.CredentialType{
		credType("GD:business-licence", 0),
		credType("HK:registered-engineer", 365*24*time.Hour),
	}
	return gs
}

// fixture is a keeper on a fresh in-memory store with a faked x/regions.
type fixture struct {
	t       testing.TB
	ctx     sdk.Context
	key     *storetypes.KVStoreKey
	cdc     codec.Codec
	k       keeper.Keeper
	ms      types.MsgServer
	qs      types.QueryServer
	regions *fakeRegions
}

// newFixture loads testGenesis over newRegions.
func newFixture(t testing.TB) *fixture {
	return newFixtureWith(t, newRegions(), testGenesis(), nil)
}

// newFixtureWith builds the keeper, lets adjust change it (benchmarks swap
// the verifier), then loads gs.
func newFixtureWith(t testing.TB, regions *fakeRegions, gs types.GenesisState, adjust func(*keeper.Keeper)) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	cdc := codectestutil.CodecOptions{AccAddressPrefix: "bay", ValAddressPrefix: "bayvaloper"}.NewCodec()
	types.RegisterInterfaces(cdc.InterfaceRegistry())
	k := keeper.NewKeeper(cdc, runtime.NewKVStoreService(key), regions, bech32, consortium)
	if adjust != nil {
		adjust(&k)
	}
	f := &fixture{
		t:       t,
		ctx:     tc.Ctx.WithBlockTime(t0).WithBlockHeight(10).WithChainID(chainID).WithEventManager(sdk.NewEventManager()),
		key:     key,
		cdc:     cdc,
		k:       k,
		ms:      keeper.NewMsgServerImpl(k),
		qs:      keeper.NewQueryServerImpl(k),
		regions: regions,
	}
	require.NoError(t, k.InitGenesis(f.ctx, gs))
	f.resetEvents()
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
	f.resetEvents()
	err := call(f.ctx)
	btestutil.RequireRefusedAs(f.t, want, err)
	if wantMsg != "" {
		require.ErrorContains(f.t, err, wantMsg)
	}
	require.Equal(f.t, gs, f.export(), "a rejected call changed the exported state")
	require.Equal(f.t, raw, f.raw(), "a rejected call changed the store")
	require.Empty(f.t, f.ctx.EventManager().Events(), "a rejected call emitted events")
}

// payload returns a valid payload of agency's type for licence, signed
// with key "k1", valid for five years from t0.
func (f *fixture) payload(agencyID, licence string) types.AttestationPayload {
	a := f.regions.agencies[agencyID]
	sum := sha256.Sum256([]byte("licence file " + licence))
	return types.AttestationPayload{
		ChainId: chainID, Type: a.CredentialTypes[0], Subject: fmt.Sprintf("did:baynet:%x", sum[:16]), LicenceId: licence, Sha256: sum[:],
		ValidFrom: t0.Add(-24 * time.Hour).Unix(), ValidUntil: t0.AddDate(5, 0, 0).Unix(), Issuer: agencyID, KeyId: "k1",
	}
}

// sign signs p with the agency key it names.
func (f *fixture) sign(p types.AttestationPayload) types.SignedAttestation {
	key, ok := f.regions.private[p.Issuer+"/"+p.KeyId]
	if !ok {
		key = f.regions.private[p.Issuer+"/k1"]
	}
	return types.SignedAttestation{Payload: p, Signature: key.sign(p.SignBytes())}
}

// items returns n signed attestations of agencyID with licences prefix-0..n-1.
func (f *fixture) items(agencyID, prefix string, n int) []types.SignedAttestation {
	out := make([]types.SignedAttestation, n)
	for i := range out {
		out[i] = f.sign(f.payload(agencyID, fmt.Sprintf("%s-%06d", prefix, i)))
	}
	return out
}

func issueMsg(agencyID string, items ...types.SignedAttestation) *types.MsgIssueAttestations {
	return &types.MsgIssueAttestations{Issuer: bech("agency/" + agencyID), Items: items}
}

// issue anchors items as agencyID and returns their ids.
func (f *fixture) issue(agencyID string, items ...types.SignedAttestation) []string {
	f.t.Helper()
	ids, err := f.k.IssueAttestations(f.ctx, issueMsg(agencyID, items...))
	require.NoError(f.t, err)
	return ids
}

// issueOne anchors one attestation of agencyID for licence and returns its id.
func (f *fixture) issueOne(agencyID, licence string) string {
	f.t.Helper()
	return f.issue(agencyID, f.sign(f.payload(agencyID, licence)))[0]
}

// statusAt queries the status of id at t.
func (f *fixture) statusAt(id string, t time.Time) types.AttestationStatus {
	f.t.Helper()
	res, err := f.qs.StatusAt(f.ctx, &types.QueryStatusAtRequest{Id: id, Time: t})
	require.NoError(f.t, err)
	return res.Status
}

// statusNow queries the status of id at the block time.
func (f *fixture) statusNow(id string) types.AttestationStatus {
	f.t.Helper()
	res, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: id})
	require.NoError(f.t, err)
	return res.Attestation.Status
}

// events returns the typed events of type T emitted since the last reset.
func events[T proto.Message](t testing.TB, ctx sdk.Context) []T {
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

func collectionsJoin(a, b string) collections.Pair[string, string] { return collections.Join(a, b) }
