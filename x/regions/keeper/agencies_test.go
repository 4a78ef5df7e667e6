package keeper_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/regions/types"
)

func TestRegisterAgency(t *testing.T) {
	f := newConsortium(t)
	km := testKeys()
	later, end := t0.Add(time.Hour), t0.Add(48*time.Hour)
	msg := agencyMsg("GD:amr")
	msg.Roles = []types.AgencyRole{types.AGENCY_ROLE_ISSUER, types.AGENCY_ROLE_CA_OPERATOR}
	msg.CredentialTypes = []string{"GD:business-licence", "GD:food-permit"}
	msg.Keys = []types.AgencyKeyInput{
		{KeyId: "ed", Scheme: "ed25519", PublicKey: km.ed25519Raw},
		{KeyId: "k1", Scheme: "secp256k1", PublicKey: km.secp256k1Compressed},
		{KeyId: "p256", Scheme: "p256", PublicKey: km.p256PKIX},
		{KeyId: "p384", Scheme: "p384", PublicKey: km.p384Uncompressed},
		{KeyId: "sm2", Scheme: "sm2", PublicKey: km.sm2PKIX},
		{KeyId: "rsa", Scheme: "rsa-pkcs1v15-sha256", PublicKey: km.rsaPKCS1},
		{KeyId: "rsa-pss", Scheme: "rsa-pss-sha256", PublicKey: km.rsaPEM},
		{KeyId: "window", Scheme: "ed25519", PublicKey: consKey("window"), NotBefore: &later, NotAfter: &end},
	}
	f.registerAgency(msg)

	a, err := f.k.GetAgency(f.ctx, "GD:amr")
	require.NoError(t, err)
	require.Equal(t, types.Agency{
		Id: "GD:amr", Region: "GD", NameZh: msg.NameZh, NameEn: msg.NameEn, Account: msg.Account,
		Roles: msg.Roles, CredentialTypes: msg.CredentialTypes, Status: types.AGENCY_STATUS_ACTIVE, StatusSince: t0,
	}, a)
	require.True(t, f.ak.has(t, msg.Account), "the agency's account is created")
	byAccount, err := f.k.AgencyByAccount(f.ctx, accAddr("agency/GD:amr"))
	require.NoError(t, err)
	require.Equal(t, a, byAccount)

	// Keys are stored in their scheme's canonical form, from the block time
	// unless the input says otherwise.
	key := func(id, scheme string, pk []byte) types.AgencyKey {
		return types.AgencyKey{AgencyId: "GD:amr", KeyId: id, Scheme: scheme, PublicKey: pk, NotBefore: t0}
	}
	window := key("window", "ed25519", consKey("window"))
	window.NotBefore, window.NotAfter = later, &end
	require.Equal(t, []types.AgencyKey{
		key("ed", "ed25519", km.ed25519Raw),
		key("k1", "secp256k1", km.secp256k1Compressed),
		key("p256", "p256", km.p256Compressed),
		key("p384", "p384", km.p384Compressed),
		key("rsa", "rsa-pkcs1v15-sha256", km.rsaPKIX),
		key("rsa-pss", "rsa-pss-sha256", km.rsaPKIX),
		key("sm2", "sm2", km.sm2Compressed),
		window,
	}, f.export().AgencyKeys)

	require.Equal(t, []*types.EventAgencyRegistered{{AgencyId: "GD:amr", Region: "GD", Account: msg.Account, Roles: msg.Roles, CredentialTypes: msg.CredentialTypes}},
		events[*types.EventAgencyRegistered](t, f.ctx))
	var added []string
	for _, ev := range events[*types.EventAgencyKeyAdded](t, f.ctx) {
		require.Equal(t, "GD:amr", ev.AgencyId)
		added = append(added, ev.KeyId+"/"+ev.Scheme)
	}
	require.Equal(t, []string{"ed/ed25519", "k1/secp256k1", "p256/p256", "p384/p384", "sm2/sm2", "rsa/rsa-pkcs1v15-sha256", "rsa-pss/rsa-pss-sha256", "window/ed25519"}, added)

	// The key with a window is valid only inside it.
	for _, c := range []struct {
		at    time.Time
		valid bool
	}{{t0, false}, {later.Add(-time.Second), false}, {later, true}, {end.Add(-time.Second), true}, {end, false}} {
		_, err := f.k.AgencyKeyAt(f.ctx, "GD:amr", "window", c.at)
		if c.valid {
			require.NoError(t, err, c.at)
		} else {
			require.ErrorIs(t, err, types.ErrInvalidKey, c.at)
		}
	}
}

// malformedKeys are bad public keys of every scheme, each with what makes it bad.
func malformedKeys(t *testing.T) []struct {
	name, scheme string
	key          []byte
	msg          string
} {
	km := testKeys()
	flippedY := bytes.Clone(km.p256Uncompressed)
	flippedY[len(flippedY)-1] ^= 1
	compressedX := func(prefix, x byte) []byte {
		b := make([]byte, 33)
		b[0], b[32] = prefix, x
		return b
	}
	rsaPub, err := x509.ParsePKCS1PublicKey(km.rsaPKCS1)
	require.NoError(t, err)
	small := x509.MarshalPKCS1PublicKey(&rsa.PublicKey{N: new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 1023), big.NewInt(1)), E: 65537})
	exponent3 := x509.MarshalPKCS1PublicKey(&rsa.PublicKey{N: rsaPub.N, E: 3})
	withHeaders := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: km.rsaPKCS1})
	return []struct {
		name, scheme string
		key          []byte
		msg          string
	}{
		{"ed25519 of 31 bytes", "ed25519", km.ed25519Raw[:31], "malformed"},
		{"ed25519 off the curve", "ed25519", offCurveEd25519(), "not a curve point"},
		{"ed25519 given a P-256 key", "ed25519", km.p256PKIX, ""},
		{"secp256k1 x with no point", "secp256k1", compressedX(2, 5), "not a curve point"},
		{"secp256k1 bad prefix", "secp256k1", compressedX(5, 5), "unrecognised encoding"},
		{"secp256k1 hybrid point", "secp256k1", append([]byte{6}, make([]byte, 64)...), "unrecognised encoding"},
		{"secp256k1 of 32 bytes", "secp256k1", km.secp256k1Compressed[1:], ""},
		{"p256 x with no point", "p256", compressedX(2, 1), "not a curve point"},
		{"p256 point with y changed", "p256", flippedY, "not a curve point"},
		{"p256 truncated PKIX", "p256", km.p256PKIX[:len(km.p256PKIX)-4], ""},
		{"p256 PKIX with trailing data", "p256", append(bytes.Clone(km.p256PKIX), 0), ""},
		{"p256 given an SM2 key", "p256", km.sm2PKIX, ""},
		{"p384 given a P-256 point", "p384", km.p256Compressed, ""},
		{"sm2 x with no point", "sm2", compressedX(2, 2), "not a curve point"},
		{"sm2 given a P-256 key", "sm2", km.p256PKIX, ""},
		{"rsa 1024-bit", "rsa-pkcs1v15-sha256", small, "1024 bits"},
		{"rsa exponent 3", "rsa-pkcs1v15-sha256", exponent3, "exponent"},
		{"rsa garbage DER", "rsa-pkcs1v15-sha256", []byte{0x30, 0x03, 0x02, 0x01}, ""},
		{"rsa given an EC key", "rsa-pkcs1v15-sha256", km.p256PKIX, ""},
		{"rsa PEM with headers", "rsa-pkcs1v15-sha256", withHeaders, "headers"},
		{"rsa PEM with trailing text", "rsa-pkcs1v15-sha256", append(bytes.Clone(km.rsaPEM), "trailer"...), "trailing"},
		{"rsa-pss 1024-bit", "rsa-pss-sha256", small, "1024 bits"},
		{"unknown scheme", "dsa", km.ed25519Raw, "unknown"},
		{"scheme name in upper case", "ED25519", km.ed25519Raw, "unknown"},
		{"empty key", "ed25519", nil, "1-2048 bytes"},
		{"oversized key", "rsa-pkcs1v15-sha256", make([]byte, types.MaxPublicKeyBytes+1), "1-2048 bytes"},
	}
}

func TestRegisterAgencyRejected(t *testing.T) {
	type testCase struct {
		name   string
		params func(*types.Params)
		setup  func(f *fixture)
		mutate func(m *types.MsgRegisterAgency)
		want   error
		msg    string
	}
	registerAmr := func(f *fixture) { f.registerAgency(agencyMsg("GD:amr")) }
	past, future := t0.Add(-time.Hour), t0.Add(time.Hour)
	tests := []testCase{
		{name: "empty Chinese name", mutate: func(m *types.MsgRegisterAgency) { m.NameZh = "" }, want: types.ErrInvalidAgency, msg: "name_zh"},
		{name: "oversized English name", mutate: func(m *types.MsgRegisterAgency) { m.NameEn = strings.Repeat("n", types.MaxNameLength+1) }, want: types.ErrInvalidAgency, msg: "name_en"},
		{name: "name not UTF-8", mutate: func(m *types.MsgRegisterAgency) { m.NameZh = "局\xff" }, want: types.ErrInvalidAgency, msg: "name_zh"},
		{name: "id without region", mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "amr" }, want: types.ErrInvalidAgency, msg: "<REGION>:<name>"},
		{name: "id with lower-case region", mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "gd:amr" }, want: types.ErrInvalidAgency, msg: "<REGION>:<name>"},
		{name: "id with upper-case name", mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "GD:AMR" }, want: types.ErrInvalidAgency, msg: "<REGION>:<name>"},
		{name: "id with empty name", mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "GD:" }, want: types.ErrInvalidAgency, msg: "<REGION>:<name>"},
		{name: "id with oversized name", mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "GD:" + strings.Repeat("a", 64) }, want: types.ErrInvalidAgency, msg: "<REGION>:<name>"},
		{name: "id with two colons", mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "GD:amr:x" }, want: types.ErrInvalidAgency, msg: "<REGION>:<name>"},
		{name: "region not the authority's", mutate: func(m *types.MsgRegisterAgency) { m.Authority = authority("HK") }, want: types.ErrNotRegionAuthority, msg: "is not the authority of GD"},
		{name: "unknown region", mutate: func(m *types.MsgRegisterAgency) {
			m.AgencyId = "XY:amr"
			m.CredentialTypes = []string{"XY:business-licence"}
		}, want: types.ErrUnknownRegion, msg: `"XY"`},
		{name: "stranger as authority", mutate: func(m *types.MsgRegisterAgency) { m.Authority = bech("stranger") }, want: types.ErrNotRegionAuthority},
		{name: "duplicate id", setup: registerAmr, mutate: func(m *types.MsgRegisterAgency) { m.Account = bech("another") }, want: types.ErrDuplicateAgency, msg: "GD:amr"},
		{name: "duplicate account", setup: registerAmr, mutate: func(m *types.MsgRegisterAgency) { m.AgencyId = "GD:fsb" }, want: types.ErrDuplicateAgency, msg: "already belongs to GD:amr"},
		{name: "account of another region's agency", setup: registerAmr, mutate: func(m *types.MsgRegisterAgency) {
			m.Authority, m.AgencyId, m.CredentialTypes = authority("HK"), "HK:cr", nil
		}, want: types.ErrDuplicateAgency, msg: "already belongs to GD:amr"},
		{name: "malformed account", mutate: func(m *types.MsgRegisterAgency) { m.Account = "bay1notanaddress" }, want: types.ErrInvalidAddress, msg: "account"},
		{name: "no roles", mutate: func(m *types.MsgRegisterAgency) { m.Roles, m.CredentialTypes = nil, nil }, want: types.ErrInvalidAgency, msg: "at least one role"},
		{name: "unknown role", mutate: func(m *types.MsgRegisterAgency) { m.Roles = append(m.Roles, types.AgencyRole(99)) }, want: types.ErrInvalidAgency, msg: "unknown role 99"},
		{name: "unspecified role", mutate: func(m *types.MsgRegisterAgency) { m.Roles = append(m.Roles, types.AGENCY_ROLE_UNSPECIFIED) }, want: types.ErrInvalidAgency, msg: "unknown role 0"},
		{name: "duplicate role", mutate: func(m *types.MsgRegisterAgency) { m.Roles = append(m.Roles, types.AGENCY_ROLE_ISSUER) }, want: types.ErrInvalidAgency, msg: "listed twice"},
		{name: "credential types without the issuer role", mutate: func(m *types.MsgRegisterAgency) { m.Roles = []types.AgencyRole{types.AGENCY_ROLE_IDENTITY_PROVIDER} }, want: types.ErrInvalidAgency, msg: "only an issuer"},
		{name: "malformed credential type", mutate: func(m *types.MsgRegisterAgency) { m.CredentialTypes = []string{"business licence"} }, want: types.ErrInvalidAgency, msg: "credential type"},
		{name: "duplicate credential type", mutate: func(m *types.MsgRegisterAgency) { m.CredentialTypes = []string{"GD:x", "GD:x"} }, want: types.ErrInvalidAgency, msg: "listed twice"},
		{name: "too many credential types", mutate: func(m *types.MsgRegisterAgency) {
			m.CredentialTypes = nil
			for i := 0; i <= types.MaxCredentialTypes; i++ {
				m.CredentialTypes = append(m.CredentialTypes, fmt.Sprintf("GD:type-%d", i))
			}
		}, want: types.ErrInvalidAgency, msg: "at most 64"},
		{name: "more keys than an agency may hold", mutate: func(m *types.MsgRegisterAgency) {
			m.Keys = nil
			for i := 0; i <= int(types.DefaultParams().MaxKeysPerAgency); i++ {
				m.Keys = append(m.Keys, edKey(fmt.Sprintf("k%d", i), fmt.Sprint(i)))
			}
		}, want: types.ErrLimit, msg: "17 keys"},
		{name: "key id listed twice", mutate: func(m *types.MsgRegisterAgency) { m.Keys = append(m.Keys, edKey("k1", "other")) }, want: types.ErrDuplicateKey, msg: "k1"},
		{name: "key id with a space", mutate: func(m *types.MsgRegisterAgency) { m.Keys[0].KeyId = "key one" }, want: types.ErrInvalidKey, msg: "key id"},
		{name: "empty key id", mutate: func(m *types.MsgRegisterAgency) { m.Keys[0].KeyId = "" }, want: types.ErrInvalidKey, msg: "key id"},
		{name: "key validity ending before it starts", mutate: func(m *types.MsgRegisterAgency) {
			m.Keys[0].NotBefore, m.Keys[0].NotAfter = &future, &past
		}, want: types.ErrInvalidKey, msg: "validity ends before it starts"},
		{name: "key validity ending as it starts", mutate: func(m *types.MsgRegisterAgency) {
			m.Keys[0].NotBefore, m.Keys[0].NotAfter = &future, &future
		}, want: types.ErrInvalidKey, msg: "validity ends before it starts"},
		{name: "key validity already over", mutate: func(m *types.MsgRegisterAgency) { m.Keys[0].NotAfter = &past }, want: types.ErrInvalidKey, msg: "already ended"},
		{name: "key validity ending at the block time", mutate: func(m *types.MsgRegisterAgency) { end := t0; m.Keys[0].NotAfter = &end }, want: types.ErrInvalidKey, msg: "already ended"},
		{name: "region at its agency limit", params: func(p *types.Params) { p.MaxAgenciesPerRegion = 1 }, setup: registerAmr,
			mutate: func(m *types.MsgRegisterAgency) { m.AgencyId, m.Account = "GD:fsb", bech("agency/GD:fsb") }, want: types.ErrLimit, msg: "already has 1 agencies"},
	}
	for _, bad := range malformedKeys(t) {
		tests = append(tests, testCase{name: "malformed key: " + bad.name, mutate: func(m *types.MsgRegisterAgency) {
			m.Keys = append(m.Keys, types.AgencyKeyInput{KeyId: "bad", Scheme: bad.scheme, PublicKey: bad.key})
		}, want: types.ErrInvalidKey, msg: bad.msg})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := genesisOf(fourRegions...)
			if tc.params != nil {
				tc.params(&gs.Params)
			}
			f := newFixture(t, gs)
			if tc.setup != nil {
				tc.setup(f)
			}
			msg := agencyMsg("GD:amr")
			tc.mutate(msg)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.RegisterAgency(ctx, msg)
				return err
			}, tc.want, tc.msg)
		})
	}
}

func TestAgencyStatusTransitions(t *testing.T) {
	f := newConsortium(t)
	f.registerAgency(agencyMsg("GD:amr"))
	steps := []struct {
		do     func(reason string) error
		from   types.AgencyStatus
		to     types.AgencyStatus
		reason string
	}{
		{func(r string) error {
			_, err := f.ms.SuspendAgency(f.ctx, &types.MsgSuspendAgency{Authority: authority("GD"), AgencyId: "GD:amr", Reason: r})
			return err
		}, types.AGENCY_STATUS_ACTIVE, types.AGENCY_STATUS_SUSPENDED, "licence audit"},
		{func(r string) error {
			_, err := f.ms.ReinstateAgency(f.ctx, &types.MsgReinstateAgency{Authority: authority("GD"), AgencyId: "GD:amr", Reason: r})
			return err
		}, types.AGENCY_STATUS_SUSPENDED, types.AGENCY_STATUS_ACTIVE, "audit passed"},
		{func(r string) error {
			_, err := f.ms.SuspendAgency(f.ctx, &types.MsgSuspendAgency{Authority: authority("GD"), AgencyId: "GD:amr", Reason: r})
			return err
		}, types.AGENCY_STATUS_ACTIVE, types.AGENCY_STATUS_SUSPENDED, ""},
		{func(r string) error {
			_, err := f.ms.RetireAgency(f.ctx, &types.MsgRetireAgency{Authority: authority("GD"), AgencyId: "GD:amr", Reason: r})
			return err
		}, types.AGENCY_STATUS_SUSPENDED, types.AGENCY_STATUS_RETIRED, "merged into GD:samr"},
	}
	for i, s := range steps {
		f.advance(time.Hour)
		f.resetEvents()
		require.NoError(t, s.do(s.reason), "step %d", i)
		a, err := f.k.GetAgency(f.ctx, "GD:amr")
		require.NoError(t, err)
		require.Equal(t, s.to, a.Status)
		require.Equal(t, s.reason, a.StatusReason)
		require.Equal(t, f.ctx.BlockTime(), a.StatusSince)
		require.Equal(t, []*types.EventAgencyStatusChanged{{AgencyId: "GD:amr", OldStatus: s.from, NewStatus: s.to, Reason: s.reason}},
			events[*types.EventAgencyStatusChanged](t, f.ctx), "step %d", i)
	}

	// An active agency can be retired directly.
	f.registerAgency(agencyMsg("GD:fsb"))
	mustRun(f, f.ms.RetireAgency, &types.MsgRetireAgency{Authority: authority("GD"), AgencyId: "GD:fsb"})
	a, err := f.k.GetAgency(f.ctx, "GD:fsb")
	require.NoError(t, err)
	require.Equal(t, types.AGENCY_STATUS_RETIRED, a.Status)
}

func TestSetAgencyEntitlements(t *testing.T) {
	f := newConsortium(t)
	f.registerAgency(agencyMsg("GD:amr"))
	f.resetEvents()
	roles := []types.AgencyRole{types.AGENCY_ROLE_ISSUER, types.AGENCY_ROLE_GUARANTOR}
	mustRun(f, f.ms.SetAgencyEntitlements, &types.MsgSetAgencyEntitlements{Authority: authority("GD"), AgencyId: "GD:amr", Roles: roles, CredentialTypes: []string{"GD:permit"}})
	a, err := f.k.GetAgency(f.ctx, "GD:amr")
	require.NoError(t, err)
	require.Equal(t, roles, a.Roles)
	require.Equal(t, []string{"GD:permit"}, a.CredentialTypes)
	require.Equal(t, []*types.EventAgencyEntitlementsChanged{{AgencyId: "GD:amr", Roles: roles, CredentialTypes: []string{"GD:permit"}}},
		events[*types.EventAgencyEntitlementsChanged](t, f.ctx))
}

func TestAgencyChangesRejected(t *testing.T) {
	suspend := func(region, id, reason string) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.SuspendAgency(ctx, &types.MsgSuspendAgency{Authority: authority(region), AgencyId: id, Reason: reason})
			return err
		}
	}
	reinstate := func(id string) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.ReinstateAgency(ctx, &types.MsgReinstateAgency{Authority: authority("GD"), AgencyId: id})
			return err
		}
	}
	retire := func(id string) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.RetireAgency(ctx, &types.MsgRetireAgency{Authority: authority("GD"), AgencyId: id})
			return err
		}
	}
	entitle := func(region string, roles []types.AgencyRole, creds []string) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.SetAgencyEntitlements(ctx, &types.MsgSetAgencyEntitlements{Authority: authority(region), AgencyId: "GD:amr", Roles: roles, CredentialTypes: creds})
			return err
		}
	}
	addKey := func(region string, in types.AgencyKeyInput) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.AddAgencyKey(ctx, &types.MsgAddAgencyKey{Authority: authority(region), AgencyId: "GD:amr", Key: in})
			return err
		}
	}
	retireKey := func(region, keyID string) func(f *fixture, ctx sdk.Context) error {
		return func(f *fixture, ctx sdk.Context) error {
			_, err := f.ms.RetireAgencyKey(ctx, &types.MsgRetireAgencyKey{Authority: authority(region), AgencyId: "GD:amr", KeyId: keyID})
			return err
		}
	}
	issuer := []types.AgencyRole{types.AGENCY_ROLE_ISSUER}
	tests := []struct {
		name   string
		status types.AgencyStatus // GD:amr's status before the call
		setup  func(f *fixture)
		call   func(f *fixture, ctx sdk.Context) error
		want   error
		msg    string
	}{
		{"reinstate an active agency", types.AGENCY_STATUS_ACTIVE, nil, reinstate("GD:amr"), types.ErrAgencyStatus, "is active and cannot become active"},
		{"suspend a suspended agency", types.AGENCY_STATUS_SUSPENDED, nil, suspend("GD", "GD:amr", ""), types.ErrAgencyStatus, "cannot become suspended"},
		{"reinstate a retired agency", types.AGENCY_STATUS_RETIRED, nil, reinstate("GD:amr"), types.ErrAgencyStatus, "is retired"},
		{"suspend a retired agency", types.AGENCY_STATUS_RETIRED, nil, suspend("GD", "GD:amr", ""), types.ErrAgencyStatus, "is retired"},
		{"retire a retired agency", types.AGENCY_STATUS_RETIRED, nil, retire("GD:amr"), types.ErrAgencyStatus, "is retired"},
		{"suspend by another region", types.AGENCY_STATUS_ACTIVE, nil, suspend("HK", "GD:amr", ""), types.ErrNotRegionAuthority, "is not the authority of GD"},
		{"suspend an unknown agency", types.AGENCY_STATUS_ACTIVE, nil, suspend("GD", "GD:nobody", ""), types.ErrUnknownAgency, "GD:nobody"},
		{"suspend a malformed id", types.AGENCY_STATUS_ACTIVE, nil, suspend("GD", "nobody", ""), types.ErrInvalidAgency, "<REGION>:<name>"},
		{"suspend with an oversized reason", types.AGENCY_STATUS_ACTIVE, nil, suspend("GD", "GD:amr", strings.Repeat("r", types.MaxReasonLength+1)), types.ErrInvalidAgency, "reason"},
		{"entitle a retired agency", types.AGENCY_STATUS_RETIRED, nil, entitle("GD", issuer, nil), types.ErrAgencyStatus, "retired"},
		{"entitle by another region", types.AGENCY_STATUS_ACTIVE, nil, entitle("HK", issuer, nil), types.ErrNotRegionAuthority, ""},
		{"entitle credential types without the issuer role", types.AGENCY_STATUS_ACTIVE, nil, entitle("GD", []types.AgencyRole{types.AGENCY_ROLE_GUARANTOR}, []string{"GD:x"}), types.ErrInvalidAgency, "only an issuer"},
		{"entitle no roles", types.AGENCY_STATUS_ACTIVE, nil, entitle("GD", nil, nil), types.ErrInvalidAgency, "at least one role"},
		{"add a key to a retired agency", types.AGENCY_STATUS_RETIRED, nil, addKey("GD", edKey("k2", "k2")), types.ErrAgencyStatus, "retired"},
		{"add a key by another region", types.AGENCY_STATUS_ACTIVE, nil, addKey("HK", edKey("k2", "k2")), types.ErrNotRegionAuthority, ""},
		{"add a key id already used", types.AGENCY_STATUS_ACTIVE, nil, addKey("GD", edKey("k1", "other")), types.ErrDuplicateKey, "GD:amr/k1"},
		{"add a malformed key", types.AGENCY_STATUS_ACTIVE, nil, addKey("GD", types.AgencyKeyInput{KeyId: "k2", Scheme: "sm2", PublicKey: testKeys().p256PKIX}), types.ErrInvalidKey, "k2"},
		{"add a key beyond the keys in force", types.AGENCY_STATUS_ACTIVE, func(f *fixture) {
			for i := 2; i <= int(types.DefaultParams().MaxKeysPerAgency); i++ {
				mustRun(f, f.ms.AddAgencyKey, &types.MsgAddAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", Key: edKey(fmt.Sprintf("k%d", i), fmt.Sprint(i))})
			}
		}, addKey("GD", edKey("one-more", "one-more")), types.ErrLimit, "already has 16 keys in force"},
		{"retire an unknown key", types.AGENCY_STATUS_ACTIVE, nil, retireKey("GD", "k9"), types.ErrUnknownKey, "GD:amr/k9"},
		{"retire a key twice", types.AGENCY_STATUS_ACTIVE, func(f *fixture) {
			mustRun(f, f.ms.RetireAgencyKey, &types.MsgRetireAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", KeyId: "k1"})
			f.advance(time.Second)
		}, retireKey("GD", "k1"), types.ErrInvalidKey, "already ended"},
		{"retire a key by another region", types.AGENCY_STATUS_ACTIVE, nil, retireKey("HK", "k1"), types.ErrNotRegionAuthority, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newConsortium(t)
			f.registerAgency(agencyMsg("GD:amr"))
			switch tc.status {
			case types.AGENCY_STATUS_SUSPENDED:
				mustRun(f, f.ms.SuspendAgency, &types.MsgSuspendAgency{Authority: authority("GD"), AgencyId: "GD:amr"})
			case types.AGENCY_STATUS_RETIRED:
				mustRun(f, f.ms.RetireAgency, &types.MsgRetireAgency{Authority: authority("GD"), AgencyId: "GD:amr"})
			}
			if tc.setup != nil {
				tc.setup(f)
			}
			f.requireRejected(func(ctx sdk.Context) error { return tc.call(f, ctx) }, tc.want, tc.msg)
		})
	}
}

func TestPermission(t *testing.T) {
	f := newFixture(t, genesisOf(regionSpec{"GD", 100, 2}, regionSpec{"HK", 100, 1}, regionSpec{"MO", 100, 1}, regionSpec{"JO", 100, 1}))
	for _, id := range []string{"GD:amr", "GD:fsb", "GD:old"} {
		f.registerAgency(agencyMsg(id))
	}
	mustRun(f, f.ms.SuspendAgency, &types.MsgSuspendAgency{Authority: authority("GD"), AgencyId: "GD:fsb", Reason: "audit"})
	mustRun(f, f.ms.RetireAgency, &types.MsgRetireAgency{Authority: authority("GD"), AgencyId: "GD:old"})
	mustRun(f, f.ms.RemoveValidator, &types.MsgRemoveValidator{Authority: authority("GD"), Region: "GD", ConsensusPubkey: valKey("GD", 1)})

	tests := []struct {
		name    string
		addr    string
		allowed bool
		reasons []string
	}{
		{"region authority", authority("HK"), true, []string{"authority of region HK"}},
		{"validator operator", operator("GD", 0), true, []string{"operator of a validator of region GD"}},
		{"active agency", bech("agency/GD:amr"), true, []string{"active agency GD:amr"}},
		{"suspended agency", bech("agency/GD:fsb"), false, []string{"agency GD:fsb is suspended"}},
		{"retired agency", bech("agency/GD:old"), false, []string{"agency GD:old is retired"}},
		{"operator of a removed validator", operator("GD", 1), false, []string{"not a region authority, validator operator or registered agency"}},
		{"stranger", bech("stranger"), false, []string{"not a region authority, validator operator or registered agency"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, err := bech32.StringToBytes(tc.addr)
			require.NoError(t, err)
			allowed, reasons, err := f.k.Permission(f.ctx, addr)
			require.NoError(t, err)
			require.Equal(t, tc.allowed, allowed)
			require.Equal(t, tc.reasons, reasons)

			res, err := f.qs.Permission(f.ctx, &types.QueryPermissionRequest{Address: tc.addr})
			require.NoError(t, err)
			require.Equal(t, &types.QueryPermissionResponse{Allowed: tc.allowed, Reasons: tc.reasons}, res)
		})
	}

	// An account that stands in two ways lists both; a suspended agency that
	// also operates a validator may still submit, as an operator.
	mustRun(f, f.ms.AddValidator, &types.MsgAddValidator{
		Authority: authority("HK"), Region: "HK", ConsensusPubkey: consKey("hk-2"), Moniker: "hk-2", Operator: bech("agency/GD:fsb"),
	})
	allowed, reasons, err := f.k.Permission(f.ctx, accAddr("agency/GD:fsb"))
	require.NoError(t, err)
	require.True(t, allowed)
	require.Equal(t, []string{"operator of a validator of region HK", "agency GD:fsb is suspended"}, reasons)
}

func TestActiveAgencyWithRole(t *testing.T) {
	f := newConsortium(t)
	f.registerAgency(agencyMsg("GD:amr"))
	f.registerAgency(agencyMsg("GD:fsb"))
	mustRun(f, f.ms.SuspendAgency, &types.MsgSuspendAgency{Authority: authority("GD"), AgencyId: "GD:fsb"})
	tests := []struct {
		name string
		addr sdk.AccAddress
		role types.AgencyRole
		want error
	}{
		{"active with the role", accAddr("agency/GD:amr"), types.AGENCY_ROLE_ISSUER, nil},
		{"active without the role", accAddr("agency/GD:amr"), types.AGENCY_ROLE_GUARANTOR, types.ErrInvalidAgency},
		{"suspended", accAddr("agency/GD:fsb"), types.AGENCY_ROLE_ISSUER, types.ErrAgencyStatus},
		{"not an agency", accAddr("stranger"), types.AGENCY_ROLE_ISSUER, types.ErrUnknownAgency},
		{"a region authority is not an agency", accAddr("authority/GD"), types.AGENCY_ROLE_ISSUER, types.ErrUnknownAgency},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := f.k.ActiveAgencyWithRole(f.ctx, tc.addr, tc.role)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "GD:amr", a.Id)
		})
	}
}

func TestAgencyKeyRetirement(t *testing.T) {
	f := newConsortium(t)
	f.registerAgency(agencyMsg("GD:amr"))
	f.advance(time.Hour)
	retiredAt := f.ctx.BlockTime()

	// Rotation: a new key and the old one's retirement in one block.
	f.resetEvents()
	mustRun(f, f.ms.AddAgencyKey, &types.MsgAddAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", Key: edKey("k2", "k2")})
	mustRun(f, f.ms.RetireAgencyKey, &types.MsgRetireAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", KeyId: "k1"})
	require.Equal(t, []*types.EventAgencyKeyAdded{{AgencyId: "GD:amr", KeyId: "k2", Scheme: "ed25519"}}, events[*types.EventAgencyKeyAdded](t, f.ctx))
	require.Equal(t, []*types.EventAgencyKeyRetired{{AgencyId: "GD:amr", KeyId: "k1"}}, events[*types.EventAgencyKeyRetired](t, f.ctx))

	tests := []struct {
		key   string
		at    time.Time
		valid bool
	}{
		{"k1", t0.Add(-time.Second), false}, // before it was registered
		{"k1", t0, true},
		{"k1", retiredAt.Add(-time.Second), true}, // signed while valid: stays valid
		{"k1", retiredAt, false},
		{"k1", retiredAt.Add(time.Second), false},
		{"k2", retiredAt.Add(-time.Second), false},
		{"k2", retiredAt, true},
		{"k2", retiredAt.Add(time.Second), true},
	}
	for _, tc := range tests {
		k, err := f.k.AgencyKeyAt(f.ctx, "GD:amr", tc.key, tc.at)
		if tc.valid {
			require.NoError(t, err, "%s at %s", tc.key, tc.at)
			require.Equal(t, tc.key, k.KeyId)
		} else {
			require.ErrorIs(t, err, types.ErrInvalidKey, "%s at %s", tc.key, tc.at)
		}
	}
	_, err := f.k.AgencyKeyAt(f.ctx, "GD:amr", "k9", retiredAt)
	require.ErrorIs(t, err, types.ErrUnknownKey)
	_, err = f.k.AgencyKeyAt(f.ctx, "HK:amr", "k1", retiredAt)
	require.ErrorIs(t, err, types.ErrUnknownKey)
}

func TestMaxKeysInForce(t *testing.T) {
	gs := genesisOf(fourRegions...)
	gs.Params.MaxKeysPerAgency = 2
	f := newFixture(t, gs)
	msg := agencyMsg("GD:amr")
	soon := t0.Add(time.Hour)
	msg.Keys = []types.AgencyKeyInput{edKey("k1", "1"), {KeyId: "k2", Scheme: "ed25519", PublicKey: consKey("2"), NotAfter: &soon}}
	f.registerAgency(msg)
	add := func(id string) error {
		_, err := f.ms.AddAgencyKey(f.ctx, &types.MsgAddAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", Key: edKey(id, id)})
		return err
	}
	require.ErrorIs(t, add("k3"), types.ErrLimit)

	// A key whose validity ran out no longer counts.
	f.advance(time.Hour)
	require.NoError(t, add("k3"))
	require.ErrorIs(t, add("k4"), types.ErrLimit)

	// Nor does a retired one.
	mustRun(f, f.ms.RetireAgencyKey, &types.MsgRetireAgencyKey{Authority: authority("GD"), AgencyId: "GD:amr", KeyId: "k1"})
	require.NoError(t, add("k4"))
	require.Len(t, f.export().AgencyKeys, 4, "ended keys stay on record")
}
