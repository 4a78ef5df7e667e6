package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

func TestConsent(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	f.advance(time.Hour)
	granted := f.ctx.BlockTime()
	until := granted.Add(30 * 24 * time.Hour)
	f.resetEvents()
	f.apply(h, a, grantOp("HK:bank-of-example", "account-opening", until, "GD:business-licence", "HK:registered-engineer"))

	want := types.Consent{
		AnchorId: a, Verifier: "HK:bank-of-example", Purpose: "account-opening",
		CredentialTypes: []string{"GD:business-licence", "HK:registered-engineer"}, GrantedAt: granted, ValidUntil: until, GrantedSequence: 0,
	}
	res, err := f.qs.Consent(f.ctx, &types.QueryConsentRequest{AnchorId: a, Verifier: "HK:bank-of-example", Purpose: "account-opening"})
	require.NoError(t, err)
	require.Equal(t, want, res.Consent)
	require.Equal(t, uint32(1), f.anchor(a).Consents)
	require.Equal(t, []*types.EventConsentGranted{{
		AnchorId: a, Verifier: want.Verifier, Purpose: want.Purpose, CredentialTypes: want.CredentialTypes, ValidUntil: until,
	}}, events[*types.EventConsentGranted](t, f.ctx))

	at := func(credType string, tm time.Time) (bool, string) {
		t.Helper()
		res, err := f.qs.ConsentAt(f.ctx, &types.QueryConsentAtRequest{
			AnchorId: a, Verifier: "HK:bank-of-example", Purpose: "account-opening", CredentialType: credType, Time: &tm,
		})
		require.NoError(t, err)
		return res.Holds, res.Reason
	}
	for _, c := range []struct {
		name     string
		credType string
		at       time.Time
		holds    bool
		reason   string
	}{
		{"named type, in force", "GD:business-licence", granted.Add(time.Hour), true, "consent holds"},
		{"other named type", "HK:registered-engineer", granted, true, "consent holds"},
		{"type not named", "MO:driving-licence", granted.Add(time.Hour), false, "does not cover"},
		{"before the grant", "GD:business-licence", granted.Add(-time.Second), false, "granted at"},
		{"last second", "GD:business-licence", until.Add(-time.Second), true, "consent holds"},
		{"expired", "GD:business-licence", until, false, "expired"},
	} {
		holds, reason := at(c.credType, c.at)
		require.Equal(t, c.holds, holds, c.name)
		require.Contains(t, reason, c.reason, c.name)
	}
	// Another verifier or purpose has no consent.
	other, err := f.qs.ConsentAt(f.ctx, &types.QueryConsentAtRequest{AnchorId: a, Verifier: "HK:other-bank", Purpose: "account-opening", CredentialType: "GD:business-licence"})
	require.NoError(t, err)
	require.False(t, other.Holds)
	require.Nil(t, other.Consent)

	// Granting again replaces the record and does not count twice.
	f.advance(time.Hour)
	f.apply(h, a, grantOp("HK:bank-of-example", "account-opening", until, "GD:business-licence"))
	require.Equal(t, uint32(1), f.anchor(a).Consents)
	holds, _ := at("HK:registered-engineer", f.ctx.BlockTime())
	require.False(t, holds, "the new grant no longer names the type")

	// Withdrawal keeps the record with its time; consent no longer holds.
	f.advance(time.Hour)
	withdrawn := f.ctx.BlockTime()
	f.resetEvents()
	f.apply(h, a, withdrawOp("HK:bank-of-example", "account-opening"))
	res, err = f.qs.Consent(f.ctx, &types.QueryConsentRequest{AnchorId: a, Verifier: "HK:bank-of-example", Purpose: "account-opening"})
	require.NoError(t, err)
	require.Equal(t, &withdrawn, res.Consent.WithdrawnAt)
	require.Equal(t, uint32(0), f.anchor(a).Consents)
	require.Equal(t, []*types.EventConsentWithdrawn{{AnchorId: a, Verifier: "HK:bank-of-example", Purpose: "account-opening"}},
		events[*types.EventConsentWithdrawn](t, f.ctx))
	holds, reason := at("GD:business-licence", withdrawn)
	require.False(t, holds)
	require.Contains(t, reason, "withdrawn")
	holds, _ = at("GD:business-licence", withdrawn.Add(-time.Second))
	require.True(t, holds, "consent held until its withdrawal")

	list, err := f.qs.Consents(f.ctx, &types.QueryConsentsRequest{AnchorId: a})
	require.NoError(t, err)
	require.Len(t, list.Consents, 1)
}

func TestConsentRejects(t *testing.T) {
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	until := t0.Add(24 * time.Hour)
	tests := []struct {
		name string
		op   func(f *fixture, a string) *types.MsgHolderOperation
		want error
		text string
	}{
		{"already expired", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("HK:bank", "kyc", t0, "GD:business-licence"))
		}, types.ErrInvalidConsent, "already passed"},
		{"no end", func(f *fixture, a string) *types.MsgHolderOperation {
			op := grantOp("HK:bank", "kyc", until, "GD:business-licence")
			op.GetGrantConsent().ValidUntil = nil
			return f.op(h, a, op)
		}, types.ErrInvalidConsent, "valid_until"},
		{"granted by another anchor's holder", func(f *fixture, a string) *types.MsgHolderOperation {
			mallory := newHolder(t, bcrypto.SchemeEd25519, "key-1")
			f.create(mallory)
			return opAt(t, mallory, a, 0, grantOp("HK:bank", "kyc", until, "GD:business-licence"))
		}, types.ErrInvalidSignature, "holder signature"},
		{"granted by the relayer", func(f *fixture, a string) *types.MsgHolderOperation {
			// The relayer alters the grant the holder signed.
			msg := f.op(h, a, grantOp("HK:bank", "kyc", until, "GD:business-licence"))
			forged := grantOp("HK:bank", "kyc", until.Add(365*24*time.Hour), "GD:business-licence")
			forged.ChainId, forged.AnchorId = chainID, a
			msg.Payload, _ = forged.Marshal()
			return msg
		}, types.ErrInvalidSignature, "holder signature"},
		{"no verifier", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("", "kyc", until, "GD:business-licence"))
		}, types.ErrInvalidConsent, "verifier"},
		{"verifier too long", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp(strings.Repeat("v", types.MaxVerifierLength+1), "kyc", until, "GD:business-licence"))
		}, types.ErrInvalidConsent, "verifier"},
		{"verifier with a NUL", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("HK:bank\x00", "kyc", until, "GD:business-licence"))
		}, types.ErrInvalidConsent, "control characters"},
		{"purpose too long", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("HK:bank", strings.Repeat("p", types.MaxPurposeLength+1), until, "GD:business-licence"))
		}, types.ErrInvalidConsent, "purpose"},
		{"no credential type", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("HK:bank", "kyc", until))
		}, types.ErrInvalidConsent, "credential types"},
		{"too many credential types", func(f *fixture, a string) *types.MsgHolderOperation {
			var many []string
			for i := 0; i <= types.MaxConsentCredentialTypes; i++ {
				many = append(many, "GD:type-"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)))
			}
			return f.op(h, a, grantOp("HK:bank", "kyc", until, many...))
		}, types.ErrInvalidConsent, "credential types"},
		{"malformed credential type", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("HK:bank", "kyc", until, "business licence"))
		}, types.ErrInvalidConsent, "credential type"},
		{"credential type twice", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, grantOp("HK:bank", "kyc", until, "GD:business-licence", "GD:business-licence"))
		}, types.ErrInvalidConsent, "twice"},
		{"too many consents", func(f *fixture, a string) *types.MsgHolderOperation {
			f.setParams(func(p *types.Params) { p.MaxConsentsPerAnchor = 2 })
			f.apply(h, a, grantOp("HK:bank", "kyc", until, "GD:business-licence"))
			f.apply(h, a, grantOp("HK:bank", "loan", until, "GD:business-licence"))
			return f.op(h, a, grantOp("MO:bank", "kyc", until, "GD:business-licence"))
		}, types.ErrLimit, "withdraw"},
		{"withdraw a consent never granted", func(f *fixture, a string) *types.MsgHolderOperation {
			return f.op(h, a, withdrawOp("HK:bank", "kyc"))
		}, types.ErrUnknownConsent, ""},
		{"withdraw twice", func(f *fixture, a string) *types.MsgHolderOperation {
			f.apply(h, a, grantOp("HK:bank", "kyc", until, "GD:business-licence"))
			f.apply(h, a, withdrawOp("HK:bank", "kyc"))
			return f.op(h, a, withdrawOp("HK:bank", "kyc"))
		}, types.ErrUnknownConsent, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.create(h)
			msg := tc.op(f, a)
			f.requireRejected(func(ctx sdk.Context) error {
				_, err := f.ms.HolderOperation(ctx, msg)
				return err
			}, tc.want, tc.text)
		})
	}
}

// TestConsentCapCountsLiveRecords: withdrawing a consent frees its slot,
// and granting again over a withdrawn record counts it again.
func TestConsentCapCountsLiveRecords(t *testing.T) {
	f := newFixture(t)
	h := newHolder(t, bcrypto.SchemeEd25519, "key-1")
	a := f.create(h)
	f.setParams(func(p *types.Params) { p.MaxConsentsPerAnchor = 1 })
	until := t0.Add(time.Hour)
	f.apply(h, a, grantOp("HK:bank", "kyc", until, "GD:business-licence"))
	f.apply(h, a, withdrawOp("HK:bank", "kyc"))
	f.apply(h, a, grantOp("MO:bank", "kyc", until, "GD:business-licence"))
	require.Equal(t, uint32(1), f.anchor(a).Consents)
	f.requireRejected(func(ctx sdk.Context) error {
		_, err := f.ms.HolderOperation(ctx, f.op(h, a, grantOp("HK:bank", "kyc", until, "GD:business-licence")))
		return err
	}, types.ErrLimit, "")
}
