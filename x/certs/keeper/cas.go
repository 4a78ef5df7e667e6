package keeper

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/pki"
	"github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// parseFingerprint reads a CA fingerprint: 64 lower-case hex characters.
func parseFingerprint(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 || hex.EncodeToString(b) != s {
		return nil, errorsmod.Wrapf(types.ErrInvalidRequest, "fingerprint %q must be 64 lower-case hex characters", s)
	}
	return b, nil
}

// parseSerial reads a positive decimal serial number.
func parseSerial(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() <= 0 || n.BitLen() > 20*8 || n.String() != s {
		return nil, errorsmod.Wrapf(types.ErrInvalidRequest, "serial %q must be a positive decimal of at most 20 bytes", s)
	}
	return n, nil
}

// GetCA returns a registered CA by fingerprint.
func (k Keeper) GetCA(ctx context.Context, fp []byte) (types.CA, error) {
	ca, err := k.CAs.Get(ctx, fp)
	if errors.Is(err, collections.ErrNotFound) {
		return ca, errorsmod.Wrapf(types.ErrUnknownCA, "%x", fp)
	}
	return ca, err
}

// certificate returns a stored CA parsed, from the keeper's parse cache
// when it was parsed before.
func (k Keeper) certificate(ca types.CA) (*pki.Certificate, error) {
	if c := k.parsed.get(ca.Fingerprint); c != nil {
		return c, nil
	}
	c, err := pki.ParseCertificate(ca.Der, len(ca.Der))
	if err != nil {
		// A stored CA parsed when it was registered.
		return nil, fmt.Errorf("stored CA %s: %w", ca.Fingerprint, err)
	}
	k.parsed.put(ca.Fingerprint, c)
	return c, nil
}

// parsedCACapacity bounds the parse cache: the trust lists of every region
// at their cap (256 CAs and 256 recognitions each) with room to spare.
const parsedCACapacity = 4096

// parsedCAs keeps stored CA certificates parsed, by fingerprint. A stored
// CA's DER never changes (its fingerprint is its hash), parsing is a pure
// function of it and a parsed certificate is never modified, so a cached
// one is exactly what parsing again would give; every chain verification
// in a region would otherwise parse its whole trust list again. Safe for
// concurrent use; a nil cache parses every time.
type parsedCAs struct {
	mu sync.Mutex
	m  map[string]*pki.Certificate
}

func newParsedCAs() *parsedCAs { return &parsedCAs{m: map[string]*pki.Certificate{}} }

func (p *parsedCAs) get(fp string) *pki.Certificate {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[fp]
}

func (p *parsedCAs) put(fp string, c *pki.Certificate) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.m) >= parsedCACapacity {
		clear(p.m)
	}
	p.m[fp] = c
}

// RegisterCA registers a CA certificate of the signer's region. Checks, in
// order: the signer is a region's authority; the certificate parses within
// max_certificate_size (pki.ParseCertificate: no garbage, no unknown
// critical extension); it is not registered yet; the parent, when named,
// is a registered CA of the same region; pki.CheckCA at the block time (a
// CA, not expired, a self-signed root or an intermediate signed by its
// parent).
func (k Keeper) RegisterCA(ctx context.Context, msg *types.MsgRegisterCA) (string, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	region, err := k.regionOf(ctx, msg.Authority)
	if err != nil {
		return "", err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return "", err
	}
	cert, err := pki.ParseCertificate(msg.Certificate, int(params.MaxCertificateSize))
	if err != nil {
		return "", errorsmod.Wrap(types.ErrInvalidCA, err.Error())
	}
	if has, err := k.CAs.Has(ctx, cert.ID[:]); err != nil {
		return "", err
	} else if has {
		return "", errorsmod.Wrapf(types.ErrDuplicateCA, "%s", cert.ID)
	}
	if err := checkRegionCap(ctx, collections.Map[CARefKey, collections.NoValue](k.CAsByRegion), region.Code, types.MaxCAsPerRegion, "registered CAs"); err != nil {
		return "", err
	}
	var parent *pki.Certificate
	if msg.Parent != "" {
		fp, err := parseFingerprint(msg.Parent)
		if err != nil {
			return "", err
		}
		p, err := k.GetCA(ctx, fp)
		if err != nil {
			return "", err
		}
		if p.Region != region.Code {
			return "", errorsmod.Wrapf(types.ErrInvalidCA, "parent %s is a CA of %s, not of %s", p.Fingerprint, p.Region, region.Code)
		}
		if parent, err = k.certificate(p); err != nil {
			return "", err
		}
	}
	if err := pki.CheckCA(cert, parent, now); err != nil {
		return "", errorsmod.Wrap(types.ErrInvalidCA, err.Error())
	}
	ca := types.CA{
		Fingerprint: cert.ID.String(), Region: region.Code, Der: cert.Raw, Subject: cert.Subject.String(), Issuer: cert.Issuer.String(),
		KeyAlgorithm: string(cert.KeyAlgorithm), KeyBits: uint32(cert.KeyBits), Serial: cert.SerialNumber.String(),
		NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(), SubjectKeyId: cert.SubjectKeyID, AuthorityKeyId: cert.AuthorityKeyID,
		Parent: msg.Parent, RegisteredAt: now, SelfSignatureNote: cert.UnverifiedSelfSignature,
	}
	for _, oid := range cert.Policies {
		ca.Policies = append(ca.Policies, oid.String())
	}
	if err := k.setCA(ctx, ca, cert.ID[:]); err != nil {
		return "", err
	}
	return ca.Fingerprint, sdkCtx.EventManager().EmitTypedEvent(&types.EventCARegistered{
		Fingerprint: ca.Fingerprint, Region: ca.Region, Subject: ca.Subject, Parent: ca.Parent,
	})
}

// checkRegionCap refuses a new entry under region when it already has
// limit of them; it reads at most limit keys.
func checkRegionCap[V any](ctx context.Context, m collections.Map[CARefKey, V], region string, limit int, what string) error {
	n := 0
	err := m.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](region), func(CARefKey, V) (bool, error) {
		n++
		return n >= limit, nil
	})
	if err != nil {
		return err
	}
	if n >= limit {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "%s already has %d %s, the most a region keeps", region, limit, what)
	}
	return nil
}

func (k Keeper) setCA(ctx context.Context, ca types.CA, fp []byte) error {
	if err := k.CAs.Set(ctx, fp, ca); err != nil {
		return err
	}
	return k.CAsByRegion.Set(ctx, collections.Join(ca.Region, fp))
}

// validateCARecognition checks purposes (pki's) and policy OIDs.
func validateCARecognition(purposes, policies []string) error {
	if len(purposes) == 0 {
		return errorsmod.Wrap(types.ErrInvalidCARecognition, "at least one purpose is required")
	}
	for i, p := range purposes {
		if !pki.Purpose(p).Valid() {
			return errorsmod.Wrapf(types.ErrInvalidCARecognition, "unknown purpose %q; known: %v", p, pki.Purposes())
		}
		if slices.Contains(purposes[:i], p) {
			return errorsmod.Wrapf(types.ErrInvalidCARecognition, "purpose %q named twice", p)
		}
	}
	if len(policies) > types.MaxPurposes {
		return errorsmod.Wrapf(types.ErrInvalidCARecognition, "at most %d policies", types.MaxPurposes)
	}
	for _, p := range policies {
		if _, err := pki.ParseOID(p); err != nil {
			return errorsmod.Wrapf(types.ErrInvalidCARecognition, "policy %q: %v", p, err)
		}
	}
	return nil
}

// RecogniseCA trusts another region's registered CA in the signer's region.
// A region's own CAs are trusted without recognition; an active recognition
// of the same CA must be withdrawn first, and then stays on the record as
// an earlier period (at most MaxCARecognitionPeriods).
func (k Keeper) RecogniseCA(ctx context.Context, msg *types.MsgRecogniseCA) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	region, err := k.regionOf(ctx, msg.Authority)
	if err != nil {
		return err
	}
	if err := validateCARecognition(msg.Purposes, msg.Policies); err != nil {
		return err
	}
	fp, err := parseFingerprint(msg.Ca)
	if err != nil {
		return err
	}
	ca, err := k.GetCA(ctx, fp)
	if err != nil {
		return err
	}
	if ca.Region == region.Code {
		return errorsmod.Wrapf(types.ErrInvalidCARecognition, "%s is a CA of %s itself, trusted without recognition", ca.Fingerprint, region.Code)
	}
	key := collections.Join(region.Code, fp)
	old, err := k.CARecognitions.Get(ctx, key)
	var earlier []types.CARecognitionPeriod
	switch {
	case err == nil && old.WithdrawnAt == nil:
		return errorsmod.Wrapf(types.ErrInvalidCARecognition, "%s already recognises %s; withdraw it first", region.Code, ca.Fingerprint)
	case err == nil:
		// The withdrawn recognition joins the record's earlier periods, so
		// that chains stay verifiable at the times it covered.
		if len(old.Earlier) >= types.MaxCARecognitionPeriods {
			return errorsmod.Wrapf(types.ErrInvalidCARecognition, "%s recognised %s %d times before, the most its record keeps",
				region.Code, ca.Fingerprint, len(old.Earlier)+1)
		}
		earlier = append(old.Earlier, types.CARecognitionPeriod{
			Purposes: old.Purposes, Policies: old.Policies, RecognisedAt: old.RecognisedAt, WithdrawnAt: *old.WithdrawnAt,
		})
	case !errors.Is(err, collections.ErrNotFound):
		return err
	default:
		if err := checkRegionCap(ctx, k.CARecognitions, region.Code, types.MaxCARecognitionsPerRegion, "recognised CAs"); err != nil {
			return err
		}
	}
	rec := types.CARecognition{
		Region: region.Code, Ca: ca.Fingerprint, CaRegion: ca.Region, Purposes: msg.Purposes, Policies: msg.Policies,
		RecognisedAt: sdkCtx.BlockTime(), Earlier: earlier,
	}
	if err := k.CARecognitions.Set(ctx, key, rec); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventCARecognised{Recognition: rec})
}

// WithdrawCARecognition withdraws the signer's region's recognition of a CA
// from the block time on.
func (k Keeper) WithdrawCARecognition(ctx context.Context, msg *types.MsgWithdrawCARecognition) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	region, err := k.regionOf(ctx, msg.Authority)
	if err != nil {
		return err
	}
	fp, err := parseFingerprint(msg.Ca)
	if err != nil {
		return err
	}
	key := collections.Join(region.Code, fp)
	rec, err := k.CARecognitions.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) || (err == nil && rec.WithdrawnAt != nil) {
		return errorsmod.Wrapf(types.ErrInvalidCARecognition, "%s does not recognise %s", region.Code, msg.Ca)
	}
	if err != nil {
		return err
	}
	now := sdkCtx.BlockTime()
	rec.WithdrawnAt = &now
	if err := k.CARecognitions.Set(ctx, key, rec); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventCARecognitionWithdrawn{Region: region.Code, Ca: rec.Ca})
}

// RevokeCertificate posts a revoked serial under one of the signer's
// region's CAs. A serial is revoked once; revoked_at may not be in the
// future.
func (k Keeper) RevokeCertificate(ctx context.Context, msg *types.MsgRevokeCertificate) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	region, err := k.regionOf(ctx, msg.Authority)
	if err != nil {
		return err
	}
	if err := regionstypes.ValidateReason(msg.Reason); err != nil {
		return errorsmod.Wrap(types.ErrInvalidRequest, err.Error())
	}
	serial, err := parseSerial(msg.Serial)
	if err != nil {
		return err
	}
	if msg.RevokedAt.IsZero() || msg.RevokedAt.After(now) {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "revoked_at must be set and not after the block time %s", now.UTC().Format(time.RFC3339))
	}
	fp, err := parseFingerprint(msg.Ca)
	if err != nil {
		return err
	}
	ca, err := k.GetCA(ctx, fp)
	if err != nil {
		return err
	}
	if ca.Region != region.Code {
		return errorsmod.Wrapf(regionstypes.ErrNotRegionAuthority, "CA %s is of %s, not of %s", ca.Fingerprint, ca.Region, region.Code)
	}
	key := collections.Join(fp, serial.Bytes())
	if has, err := k.Revocations.Has(ctx, key); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDuplicateRevocation, "serial %s of CA %s", msg.Serial, ca.Fingerprint)
	}
	rev := types.CertificateRevocation{Ca: ca.Fingerprint, Serial: msg.Serial, RevokedAt: msg.RevokedAt.UTC(), Reason: msg.Reason, PostedAt: now}
	if err := k.Revocations.Set(ctx, key, rev); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventCertificateRevoked{Revocation: rev})
}

// trustList returns region's trust list for purpose at t: its own CAs and
// the CAs it recognised for purpose and had not withdrawn by t, with the
// roots of recognised intermediates (so that their revocation is checked),
// and the policies each recognised CA was recognised under at t, by
// fingerprint.
func (k Keeper) trustList(ctx context.Context, region string, purpose string, t time.Time) ([]*pki.Certificate, map[pki.Fingerprint][]string, error) {
	var trusted []*pki.Certificate
	seen := map[pki.Fingerprint]bool{}
	add := func(fp []byte) error {
		for len(fp) > 0 {
			ca, err := k.GetCA(ctx, fp)
			if err != nil {
				return err
			}
			c, err := k.certificate(ca)
			if err != nil {
				return err
			}
			if seen[c.ID] {
				return nil
			}
			seen[c.ID] = true
			trusted = append(trusted, c)
			if fp, err = hex.DecodeString(ca.Parent); err != nil {
				return err
			}
		}
		return nil
	}
	err := k.CAsByRegion.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](region), func(key CARefKey) (bool, error) {
		return false, add(key.K2())
	})
	if err != nil {
		return nil, nil, err
	}
	recs := map[pki.Fingerprint][]string{}
	err = k.CARecognitions.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](region), func(key CARefKey, rec types.CARecognition) (bool, error) {
		purposes, policies, ok := rec.PeriodAt(t)
		if !ok || !slices.Contains(purposes, purpose) {
			return false, nil
		}
		recs[pki.Fingerprint(key.K2())] = policies
		return false, add(key.K2())
	})
	return trusted, recs, err
}

// VerifyCertificate verifies a chain for purpose in region at t with
// pki.VerifyChain: the trust list is the region's own CAs and the CAs it
// recognises for the purpose (see trustList), revocations are the posted
// ones, and the size caps are the params'. When the path runs through a
// recognised CA whose recognition names policies, the chain is verified
// again with those policies required.
func (k Keeper) VerifyCertificate(ctx context.Context, req *types.QueryVerifyCertificateRequest) (*types.QueryVerifyCertificateResponse, error) {
	if _, err := k.regions.GetRegion(ctx, req.Region); err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	trusted, recs, err := k.trustList(ctx, req.Region, req.Purpose, req.Time)
	if err != nil {
		return nil, err
	}
	var lookupErr error
	lookup := func(issuer pki.Fingerprint, serial *big.Int) (pki.Revocation, bool) {
		rev, err := k.Revocations.Get(ctx, collections.Join(issuer[:], serial.Bytes()))
		if err != nil {
			if !errors.Is(err, collections.ErrNotFound) {
				lookupErr = err
			}
			return pki.Revocation{}, false
		}
		return pki.Revocation{At: rev.RevokedAt, Reason: rev.Reason}, true
	}
	vr := pki.VerifyRequest{
		Leaf: req.Leaf, Intermediates: req.Intermediates, Trusted: trusted, At: req.Time, Purpose: pki.Purpose(req.Purpose),
		Revoked: lookup, Limits: pki.Limits{MaxCertSize: int(params.MaxCertificateSize), MaxIntermediates: int(params.MaxIntermediates)},
	}
	res := pki.VerifyChain(vr)
	if res.Trusted {
		for _, c := range res.Path {
			if policies := recs[c.ID]; len(policies) > 0 {
				for _, p := range policies {
					oid, err := pki.ParseOID(p)
					if err != nil {
						return nil, err
					}
					vr.Policies = append(vr.Policies, oid)
				}
				res = pki.VerifyChain(vr)
				break
			}
		}
	}
	if lookupErr != nil {
		return nil, lookupErr
	}
	out := &types.QueryVerifyCertificateResponse{Verified: res.OK(), Trusted: res.Trusted}
	for _, c := range res.Path {
		out.Path = append(out.Path, c.ID.String())
	}
	for _, r := range res.Reasons {
		out.Reasons = append(out.Reasons, types.CertificateReason{Code: uint32(r.Code()), Name: r.Code().String(), Detail: r.Error()})
	}
	return out, nil
}
