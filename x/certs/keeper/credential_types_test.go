package keeper_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

func registerTypeMsg(region, id string) *types.MsgRegisterCredentialType {
	digest := sha256.Sum256([]byte("schema of " + id))
	return &types.MsgRegisterCredentialType{
		Authority: authority(region), TypeId: id, NameZh: "食品经营许可证", NameEn: "Food business licence",
		CatalogueCode: "11100000MB0143028R001", SchemaDigest: digest[:], DefaultValidity: 5 * 365 * 24 * time.Hour,
	}
}

func TestRegisterCredentialType(t *testing.T) {
	f := newFixture(t)
	msg := registerTypeMsg("GD", "GD:food-licence")
	_, err := f.ms.RegisterCredentialType(f.ctx, msg)
	require.NoError(t, err)

	res, err := f.qs.CredentialType(f.ctx, &types.QueryCredentialTypeRequest{TypeId: "GD:food-licence"})
	require.NoError(t, err)
	require.Equal(t, types.CredentialType{
		Id: "GD:food-licence", Region: "GD", NameZh: msg.NameZh, NameEn: msg.NameEn, CatalogueCode: msg.CatalogueCode,
		SchemaDigest: msg.SchemaDigest, DefaultValidity: msg.DefaultValidity, RegisteredAt: t0,
	}, res.CredentialType)
	require.Equal(t, []*types.EventCredentialTypeRegistered{{TypeId: "GD:food-licence", Region: "GD", CatalogueCode: msg.CatalogueCode}},
		events[*types.EventCredentialTypeRegistered](t, f.ctx))

	list, err := f.qs.CredentialTypes(f.ctx, &types.QueryCredentialTypesRequest{Region: "GD"})
	require.NoError(t, err)
	require.Len(t, list.CredentialTypes, 2, "GD:business-licence and GD:food-licence")
	all, err := f.qs.CredentialTypes(f.ctx, &types.QueryCredentialTypesRequest{})
	require.NoError(t, err)
	require.Len(t, all.CredentialTypes, 3)
}

func TestRegisterCredentialTypeRefused(t *testing.T) {
	cases := []struct {
		name    string
		change  func(m *types.MsgRegisterCredentialType)
		want    error
		wantMsg string
	}{
		{"not a region authority", func(m *types.MsgRegisterCredentialType) { m.Authority = bech("agency/GD:amr") },
			regionstypes.ErrNotRegionAuthority, "no region's authority"},
		{"another region's authority", func(m *types.MsgRegisterCredentialType) { m.Authority = authority("HK") },
			regionstypes.ErrNotRegionAuthority, "authority of HK, not of GD"},
		{"already registered", func(m *types.MsgRegisterCredentialType) { m.TypeId = "GD:business-licence" },
			types.ErrDuplicateCredentialType, "GD:business-licence"},
		{"id without region", func(m *types.MsgRegisterCredentialType) { m.TypeId = "food-licence" },
			types.ErrInvalidCredentialType, "<REGION>:<name>"},
		{"upper-case name", func(m *types.MsgRegisterCredentialType) { m.TypeId = "GD:Food" },
			types.ErrInvalidCredentialType, ""},
		{"no Chinese name", func(m *types.MsgRegisterCredentialType) { m.NameZh = "" },
			types.ErrInvalidCredentialType, "name_zh"},
		{"malformed catalogue code", func(m *types.MsgRegisterCredentialType) { m.CatalogueCode = "GB/T-36902" },
			types.ErrInvalidCredentialType, "catalogue code"},
		{"schema digest of 20 bytes", func(m *types.MsgRegisterCredentialType) { m.SchemaDigest = m.SchemaDigest[:20] },
			types.ErrInvalidCredentialType, "schema digest must be 32 bytes"},
		{"negative default validity", func(m *types.MsgRegisterCredentialType) { m.DefaultValidity = -time.Second },
			types.ErrInvalidCredentialType, "default validity"},
		{"malformed authority address", func(m *types.MsgRegisterCredentialType) { m.Authority = "cosmos1xyz" },
			types.ErrInvalidRequest, "authority"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			msg := registerTypeMsg("GD", "GD:food-licence")
			tc.change(msg)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.RegisterCredentialType(ctx, msg)
				return err
			}, tc.want, tc.wantMsg)
		})
	}
}

func TestUpdateParams(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxBulk = 500
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: authority("GD"), Params: p})
		return err
	}, sdkerrors.ErrUnauthorized, "invalid authority")
	bad := p
	bad.GasPerAttestation = 10
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: consortium, Params: bad})
		return err
	}, types.ErrInvalidParams, "gas_per_attestation")

	_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: consortium, Params: p})
	require.NoError(t, err)
	got, err := f.qs.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, p, got.Params)
	require.Equal(t, []*types.EventParamsUpdated{{Params: p}}, events[*types.EventParamsUpdated](t, f.ctx))
}
