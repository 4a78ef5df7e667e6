package keeper

import (
	"context"
	"encoding/hex"
	"math/big"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/x/certs/types"
)

// InitGenesis loads the params, credential types and attestations with their
// histories, and rebuilds each attestation's status record from its last
// history entry. Issuers must be agencies of x/regions, whose genesis runs
// first.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, t := range gs.CredentialTypes {
		if t.RegisteredAt.IsZero() {
			// A type written into a new chain's genesis is registered at
			// genesis time.
			t.RegisteredAt = sdk.UnwrapSDKContext(ctx).BlockTime()
		}
		if err := k.CredentialTypes.Set(ctx, collections.Join(t.Region, t.Id), t); err != nil {
			return err
		}
	}
	for _, ga := range gs.Attestations {
		a := ga.Attestation
		if _, err := k.regions.GetAgency(ctx, a.Payload.Issuer); err != nil {
			return errorsmod.Wrapf(types.ErrInvalidGenesis, "attestation %s: %v", a.Id, err)
		}
		id, err := types.ParseID(a.Id)
		if err != nil {
			return err
		}
		if err := k.anchor(k.rawStore(ctx), id, a, ga.History[0].Signer); err != nil {
			return err
		}
		for _, c := range ga.History {
			if err := k.History.Set(ctx, collections.Join(id, c.Seq), c); err != nil {
				return err
			}
		}
		last := ga.History[len(ga.History)-1]
		if err := k.Statuses.Set(ctx, id, last.Record(uint32(len(ga.History)))); err != nil {
			return err
		}
	}
	for _, r := range gs.RecognitionRules {
		if err := k.setRule(ctx, r); err != nil {
			return err
		}
	}
	for _, r := range gs.SupersededRules {
		if err := k.SupersededRules.Set(ctx, collections.Join(r.Id, r.Version), r); err != nil {
			return err
		}
	}
	for _, ca := range gs.Cas {
		fp, err := hex.DecodeString(ca.Fingerprint)
		if err != nil {
			return err
		}
		if err := k.setCA(ctx, ca, fp); err != nil {
			return err
		}
	}
	for _, rec := range gs.CaRecognitions {
		fp, err := hex.DecodeString(rec.Ca)
		if err != nil {
			return err
		}
		if err := k.CARecognitions.Set(ctx, collections.Join(rec.Region, fp), rec); err != nil {
			return err
		}
	}
	for _, rev := range gs.CertificateRevocations {
		fp, err := hex.DecodeString(rev.Ca)
		if err != nil {
			return err
		}
		serial, _ := new(big.Int).SetString(rev.Serial, 10)
		if err := k.Revocations.Set(ctx, collections.Join(fp, serial.Bytes()), rev); err != nil {
			return err
		}
	}
	// A genesis written before recognition rules existed has no next id:
	// ids start at 1.
	return k.NextRuleID.Set(ctx, max(gs.NextRuleId, 1))
}

// ExportGenesis writes the state out so that InitGenesis reproduces it.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	gs := &types.GenesisState{}
	var err error
	if gs.Params, err = k.Params.Get(ctx); err != nil {
		return nil, err
	}
	if err := k.CredentialTypes.Walk(ctx, nil, func(_ CredentialTypeKey, t types.CredentialType) (bool, error) {
		gs.CredentialTypes = append(gs.CredentialTypes, t)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Attestations.Walk(ctx, nil, func(id []byte, a types.Attestation) (bool, error) {
		history, err := k.HistoryOf(ctx, id)
		if err != nil {
			return true, err
		}
		gs.Attestations = append(gs.Attestations, types.GenesisAttestation{Attestation: a, History: history})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.RecognitionRules.Walk(ctx, nil, func(_ uint64, r types.RecognitionRule) (bool, error) {
		gs.RecognitionRules = append(gs.RecognitionRules, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.SupersededRules.Walk(ctx, nil, func(_ RuleVersionKey, r types.RecognitionRule) (bool, error) {
		gs.SupersededRules = append(gs.SupersededRules, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.NextRuleId, err = k.NextRuleID.Peek(ctx); err != nil {
		return nil, err
	}
	if err := k.CAs.Walk(ctx, nil, func(_ []byte, ca types.CA) (bool, error) {
		gs.Cas = append(gs.Cas, ca)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.CARecognitions.Walk(ctx, nil, func(_ CARefKey, rec types.CARecognition) (bool, error) {
		gs.CaRecognitions = append(gs.CaRecognitions, rec)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Revocations.Walk(ctx, nil, func(_ RevocationKey, rev types.CertificateRevocation) (bool, error) {
		gs.CertificateRevocations = append(gs.CertificateRevocations, rev)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
