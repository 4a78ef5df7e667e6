package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/certs/types"
)

// busyFixture has attestations in every state: active, suspended with and
// without an end, reinstated, revoked, without subject, and of both issuers.
func busyFixture(t *testing.T) (*fixture, []string) {
	f := newFixture(t)
	ids := f.issue("GD:amr", f.items("GD:amr", "gd", 6)...)
	noSubject := f.payload("GD:amr", "no-subject")
	noSubject.Subject = ""
	ids = append(ids, f.issue("GD:amr", f.sign(noSubject))...)
	ids = append(ids, f.issueOne("HK:erb", "RPE-1"))
	f.advance(time.Hour)
	end := f.ctx.BlockTime().Add(time.Hour)
	_, err := f.ms.SuspendAttestation(f.ctx, suspendMsg("GD:amr", ids[0], "audit", &end))
	require.NoError(t, err)
	suspended(f, ids[1])
	suspended(f, ids[2])
	f.advance(time.Minute)
	_, err = f.ms.ReinstateAttestation(f.ctx, reinstateMsg("GD:amr", ids[2]))
	require.NoError(t, err)
	_, err = f.ms.RevokeAttestation(f.ctx, revokeMsg(authority("GD"), ids[3]))
	require.NoError(t, err)
	_, err = f.ms.RegisterCredentialType(f.ctx, registerTypeMsg("GD", "GD:food-licence"))
	require.NoError(t, err)
	hk := f.declare("HK", "GD:business-licence", terms("tendering"))
	_, err = f.ms.AmendRecognition(f.ctx, amendMsg("HK", hk, terms("tendering", "e-seal")))
	require.NoError(t, err)
	gd := f.declare("GD", "HK:registered-engineer", terms("tendering"))
	_, err = f.ms.WithdrawRecognition(f.ctx, &types.MsgWithdrawRecognition{Authority: authority("GD"), Id: gd, Reason: "review"})
	require.NoError(t, err)
	return f, ids
}

// TestGenesisRoundTrip: exporting and importing reproduces every byte of the
// store, and the imported chain answers status queries as the original.
func TestGenesisRoundTrip(t *testing.T) {
	f, ids := busyFixture(t)
	gs := f.export()
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Attestations, 8)
	require.Len(t, gs.RecognitionRules, 2)
	require.Len(t, gs.SupersededRules, 1)
	require.Equal(t, uint64(3), gs.NextRuleId)

	g := newFixtureWith(t, newRegions(), *gs, nil)
	g.ctx = g.ctx.WithBlockTime(f.ctx.BlockTime()).WithBlockHeight(f.ctx.BlockHeight())
	require.Equal(t, f.raw(), g.raw(), "import reproduces the store")
	require.Equal(t, gs, g.export())
	for _, id := range ids {
		for _, at := range []time.Duration{0, time.Hour, time.Hour + 30*time.Minute, 3 * time.Hour} {
			require.Equal(t, f.statusAt(id, t0.Add(at)), g.statusAt(id, t0.Add(at)))
		}
	}
}

func TestInitGenesisRefusesUnknownIssuer(t *testing.T) {
	f, _ := busyFixture(t)
	gs := f.export()
	regions := newRegions()
	delete(regions.agencies, "HK:erb")
	g := newFixtureWith(t, regions, types.GenesisState{Params: types.DefaultParams()}, nil)
	err := g.k.InitGenesis(g.ctx, *gs)
	require.ErrorIs(t, err, types.ErrInvalidGenesis)
	require.ErrorContains(t, err, "HK:erb")
}

// TestReadsChangeNothing: queries write nothing.
func TestReadsChangeNothing(t *testing.T) {
	f, ids := busyFixture(t)
	gs, raw := f.export(), f.raw()
	_, err := f.qs.Attestation(f.ctx, &types.QueryAttestationRequest{Id: ids[0]})
	require.NoError(t, err)
	_, err = f.qs.StatusAt(f.ctx, &types.QueryStatusAtRequest{Id: ids[1], Time: t0})
	require.NoError(t, err)
	_, err = f.qs.AttestationsByIssuer(f.ctx, &types.QueryAttestationsByIssuerRequest{Issuer: "GD:amr"})
	require.NoError(t, err)
	_, err = f.qs.IsRecognised(f.ctx, &types.QueryIsRecognisedRequest{Id: ids[0], Region: "HK", Purpose: "tendering", Time: t0})
	require.NoError(t, err)
	_, err = f.qs.Mutual(f.ctx, &types.QueryMutualRequest{TypeA: "GD:business-licence", TypeB: "HK:registered-engineer"})
	require.NoError(t, err)
	_, err = f.qs.RecognitionRule(f.ctx, &types.QueryRecognitionRuleRequest{Id: 1})
	require.NoError(t, err)
	require.Equal(t, gs, f.export())
	require.Equal(t, raw, f.raw())
}
