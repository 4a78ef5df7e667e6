package verifier

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"

	certstypes "github.com/baynet/baynet/x/certs/types"
	identitytypes "github.com/baynet/baynet/x/identity/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// RecognitionVerdict is whether an attestation is recognised in a region
// for a purpose at a time, decided from proven values alone with the same
// function the chain answers IsRecognised with (certs' Recognise).
type RecognitionVerdict struct {
	Attestation AttestationVerdict `json:"attestation"`
	Region      string             `json:"region"`
	Purpose     string             `json:"purpose"`
	// Recognised, RuleID and Reasons are the chain's IsRecognised answer.
	Recognised bool                           `json:"recognised"`
	RuleID     uint64                         `json:"rule_id,omitempty"`
	Reasons    []certstypes.RecognitionReason `json:"reasons"`
}

// Reader returns the proven value of a store key (or its proven absence):
// a Client proving it at one height, or a lookup among a bundle's values.
type Reader func(store string, key []byte) (ProvenValue, error)

// Recognition proves what deciding whether attestation id is recognised in
// region for purpose at at reads — the attestation's facts (see
// Attestation), the region, the region's rule ids about the type, each rule
// and the earlier versions used, the issuing agency, the holder's consent
// record, anchor and links — all at the latest height, and decides. The
// bundle holds every value read, so DecideRecognition re-checks it offline.
func (c *Client) Recognition(ctx context.Context, id []byte, region, purpose string, at time.Time) (RecognitionVerdict, Bundle, error) {
	v, values, err := DecideRecognitionFrom(c.readerAtOneHeight(ctx), id, region, purpose, at)
	if err != nil {
		return v, Bundle{}, err
	}
	b, err := c.Bundle(ctx, values)
	return v, b, err
}

// DecideRecognition decides from values, which must be proven and read at
// one height (a bundle VerifyBundle accepted), whether attestation id is
// recognised in region for purpose at at. A fact the decision needs that
// is not among the values is an error, never a "no".
func DecideRecognition(id []byte, region, purpose string, at time.Time, values []ProvenValue) (RecognitionVerdict, error) {
	v, _, err := DecideRecognitionFrom(valuesReader(values), id, region, purpose, at)
	return v, err
}

// DecideRecognitionFrom reads through read what the decision needs, in the
// order it needs it, and decides with certs' Recognise, the function the
// chain answers IsRecognised with. It returns the values it read.
func DecideRecognitionFrom(read Reader, id []byte, region, purpose string, at time.Time) (RecognitionVerdict, []ProvenValue, error) {
	var values []ProvenValue
	recording := func(store string, key []byte) (ProvenValue, error) {
		v, err := read(store, key)
		if err == nil {
			values = append(values, v)
		}
		return v, err
	}
	v := RecognitionVerdict{Region: region, Purpose: purpose, Reasons: []certstypes.RecognitionReason{}}
	if err := certstypes.ValidatePurpose(purpose); err != nil {
		return v, nil, err
	}
	attValues, err := readAttestationFacts(recording, id)
	if err != nil {
		return v, nil, err
	}
	if v.Attestation, err = DecideAttestation(id, attValues, at); err != nil {
		return v, nil, err
	}
	f := &provenFacts{read: recording, rules: map[uint64]certstypes.RecognitionRule{}}
	var r regionstypes.Region
	if absent, err := readFact(f, regionstypes.StoreKey, regionstypes.RegionsKey, collections.StringKey, region, &r); err != nil {
		return v, nil, err
	} else if absent {
		return v, nil, fmt.Errorf("verifier: the chain has no region %q", region)
	}
	if v.Attestation.Attestation == nil {
		v.Reasons = append(v.Reasons, certstypes.RecognitionReason{Code: certstypes.ReasonNotAnchored, Detail: v.Attestation.Reasons[0]})
		return v, values, nil
	}
	res, err := certstypes.Recognise(f, *v.Attestation.Attestation, v.Attestation.Status, region, purpose, at)
	if err != nil {
		return v, nil, err
	}
	v.Recognised, v.RuleID = res.Recognised, res.RuleId
	v.Reasons = append(v.Reasons, res.Reasons...)
	return v, values, nil
}

// provenFacts answers certs' RecognitionFacts from proven values, one store
// key per fact, encoded with the collections' own key codecs so the keys
// are the keepers' by construction.
type provenFacts struct {
	read  func(store string, key []byte) (ProvenValue, error)
	rules map[uint64]certstypes.RecognitionRule
}

type unmarshaler interface{ Unmarshal([]byte) error }

// readFact reads key, under prefix and encoded by kc, from store into out;
// absent reports a key proven absent (out untouched).
func readFact[K any](f *provenFacts, store string, prefix collections.Prefix, kc codec.KeyCodec[K], key K, out unmarshaler) (absent bool, err error) {
	raw, err := collections.EncodeKeyWithPrefix(prefix.Bytes(), kc, key)
	if err != nil {
		return false, err
	}
	v, err := f.read(store, raw)
	if err != nil || v.Absent {
		return v.Absent, err
	}
	if err := out.Unmarshal(v.Value); err != nil {
		return false, v.inconsistent(err)
	}
	return false, nil
}

// bytesValue is a collections BytesValue read as it is stored.
type bytesValue struct{ b []byte }

func (v *bytesValue) Unmarshal(bz []byte) error { v.b = bytes.Clone(bz); return nil }

var (
	stringPair    = collections.PairKeyCodec(collections.StringKey, collections.StringKey)
	ruleVersion   = collections.PairKeyCodec(collections.Uint64Key, collections.Uint32Key)
	consentTriple = collections.TripleKeyCodec(collections.StringKey, collections.StringKey, collections.StringKey)
)

// RulesAbout implements certstypes.RecognitionFacts.
func (f *provenFacts) RulesAbout(region, sourceType string) ([]certstypes.RecognitionRule, error) {
	var ids certstypes.RuleIDs
	absent, err := readFact(f, certstypes.StoreKey, certstypes.RulesByRegionTypeKey, stringPair, collections.Join(region, sourceType), &ids)
	if err != nil || absent {
		return nil, err
	}
	out := make([]certstypes.RecognitionRule, 0, len(ids.Ids))
	for _, id := range ids.Ids {
		var r certstypes.RecognitionRule
		absent, err := readFact(f, certstypes.StoreKey, certstypes.RecognitionRulesKey, collections.Uint64Key, id, &r)
		if err != nil {
			return nil, err
		}
		if absent || r.Id != id || r.Region != region || r.SourceType != sourceType {
			return nil, fmt.Errorf("%w: rule %d listed by %s about %s is not that rule", ErrInconsistent, id, region, sourceType)
		}
		f.rules[id] = r
		out = append(out, r)
	}
	return out, nil
}

// EarlierVersions implements certstypes.RecognitionFacts: versions 1 to
// the current one's minus one.
func (f *provenFacts) EarlierVersions(id uint64) ([]certstypes.RecognitionRule, error) {
	current, ok := f.rules[id]
	if !ok {
		return nil, fmt.Errorf("%w: versions of rule %d asked before the rule", ErrInconsistent, id)
	}
	out := make([]certstypes.RecognitionRule, 0, current.Version)
	for v := uint32(1); v < current.Version; v++ {
		var r certstypes.RecognitionRule
		absent, err := readFact(f, certstypes.StoreKey, certstypes.SupersededRulesKey, ruleVersion, collections.Join(id, v), &r)
		if err != nil {
			return nil, err
		}
		if absent || r.Id != id || r.Version != v {
			return nil, fmt.Errorf("%w: version %d of rule %d is missing or another", ErrInconsistent, v, id)
		}
		out = append(out, r)
	}
	return out, nil
}

// Agency implements certstypes.RecognitionFacts.
func (f *provenFacts) Agency(id string) (regionstypes.Agency, error) {
	var a regionstypes.Agency
	region, _, err := regionstypes.SplitScopedID(id)
	if err != nil {
		return a, err
	}
	absent, err := readFact(f, regionstypes.StoreKey, regionstypes.AgenciesKey, stringPair, collections.Join(region, id), &a)
	if err == nil && (absent || a.Id != id) {
		err = fmt.Errorf("%w: agency %s is not on record", ErrInconsistent, id)
	}
	return a, err
}

// anchor reads an identity anchor; identitytypes.ErrUnknownAnchor when it
// is proven absent.
func (f *provenFacts) anchor(id string) (identitytypes.Anchor, error) {
	var a identitytypes.Anchor
	absent, err := readFact(f, identitytypes.StoreKey, identitytypes.AnchorsKey, collections.StringKey, id, &a)
	if err == nil && absent {
		err = fmt.Errorf("%w: %s", identitytypes.ErrUnknownAnchor, id)
	}
	return a, err
}

// ConsentAt implements certstypes.RecognitionFacts with x/identity's
// decision over the anchor and its one consent record for the verifier and
// purpose.
func (f *provenFacts) ConsentAt(anchorID, verifier, purpose, credentialType string, t time.Time) (bool, string, error) {
	a, err := f.anchor(anchorID)
	if err != nil {
		return false, "", err
	}
	var c identitytypes.Consent
	absent, err := readFact(f, identitytypes.StoreKey, identitytypes.ConsentsKey, consentTriple, collections.Join3(anchorID, verifier, purpose), &c)
	if err != nil {
		return false, "", err
	}
	var record *identitytypes.Consent
	if !absent {
		record = &c
	}
	ok, why := identitytypes.ConsentAt(a, record, verifier, purpose, credentialType, t)
	return ok, why, nil
}

// AssuranceAt implements certstypes.RecognitionFacts with x/identity's
// decision over the anchor and the active link of each provider it lists.
func (f *provenFacts) AssuranceAt(anchorID string, t time.Time) (uint32, string, error) {
	a, err := f.anchor(anchorID)
	if err != nil {
		return 0, "", err
	}
	links := make([]identitytypes.Link, 0, len(a.LinkedIdps))
	for _, idp := range a.LinkedIdps {
		var commitment bytesValue
		absent, err := readFact(f, identitytypes.StoreKey, identitytypes.ActiveLinksKey, stringPair, collections.Join(anchorID, idp), &commitment)
		if err != nil {
			return 0, "", err
		}
		var l identitytypes.Link
		if !absent {
			absent, err = readFact(f, identitytypes.StoreKey, identitytypes.LinksKey, collections.BytesKey, commitment.b, &l)
			if err != nil {
				return 0, "", err
			}
		}
		if absent || l.AnchorId != anchorID || l.Idp != idp {
			return 0, "", fmt.Errorf("%w: %s lists a link by %s that is not on record", ErrInconsistent, anchorID, idp)
		}
		links = append(links, l)
	}
	level, _, why := identitytypes.AssuranceAt(a, links, t)
	return level, why, nil
}
