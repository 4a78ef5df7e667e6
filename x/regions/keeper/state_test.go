package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/regions/types"
)

// TestStoreLayout pins the key and value encoding of every collection: a
// verifier proves reads against these exact bytes, so a change here is a
// breaking change of the chain's state.
func TestStoreLayout(t *testing.T) {
	gs := genesisOf(regionSpec{"GD", 100, 1}, regionSpec{"HK", 100, 1})
	gs.Params.MaxRegionShareBps = 10000
	f := newFixture(t, gs)
	f.registerAgency(agencyMsg("GD:amr"))
	id := f.submit("GD", types.ProposalAction{RemoveRegion: "HK"}) // pending: HK has not approved
	require.NoError(t, f.k.RecordDoubleSign(f.ctx, types.DoubleSignRecord{ConsensusAddress: []byte("unknown-consensus-ad"), InfractionHeight: 7, InfractionTime: t0}))
	state := f.export()

	mustHex := func(s string) []byte {
		b, err := hex.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	marshal := func(m proto.Message) []byte {
		bz, err := f.cdc.Marshal(m)
		require.NoError(t, err)
		return bz
	}
	cat := func(parts ...[]byte) string {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return string(out)
	}
	b := func(s string) []byte { return []byte(s) }
	gd, hk := valKey("GD", 0), valKey("HK", 0)
	agencyAcc := accAddr("agency/GD:amr")
	expiry := f.proposal(id).ExpiryTime.UnixNano()
	// Int64 keys are big-endian with the sign bit flipped, so that negative
	// numbers sort first.
	int64Key := func(v int64) []byte {
		out := make([]byte, 8)
		for i := 0; i < 8; i++ {
			out[7-i] = byte(v >> (8 * i))
		}
		out[0] ^= 0x80
		return out
	}

	want := map[string][]byte{
		// 0x00 -> Params
		cat(b("\x00")): marshal(&state.Params),
		// 0x01 | code -> Region
		cat(b("\x01GD")): marshal(&state.Regions[0]),
		cat(b("\x01HK")): marshal(&state.Regions[1]),
		// 0x02 | authority address (20 raw bytes) -> code
		cat(b("\x02"), accAddr("authority/GD")): b("GD"),
		cat(b("\x02"), accAddr("authority/HK")): b("HK"),
		// 0x03 | region NUL-terminated | pubkey -> Validator
		cat(b("\x03GD\x00"), gd): marshal(&state.Validators[0]),
		cat(b("\x03HK\x00"), hk): marshal(&state.Validators[1]),
		// 0x04 | pubkey -> region NUL-terminated | pubkey
		cat(b("\x04"), gd): []byte(cat(b("GD\x00"), gd)),
		cat(b("\x04"), hk): []byte(cat(b("HK\x00"), hk)),
		// 0x05 | consensus address (sha256(pubkey)[:20]) -> region | pubkey
		cat(b("\x05"), consAddr(gd)): []byte(cat(b("GD\x00"), gd)),
		cat(b("\x05"), consAddr(hk)): []byte(cat(b("HK\x00"), hk)),
		// 0x06 | length-prefixed operator address | region NUL-terminated | pubkey -> nothing
		cat(b("\x06\x14"), accAddr("operator/GD/0"), b("GD\x00"), gd): {},
		cat(b("\x06\x14"), accAddr("operator/HK/0"), b("HK\x00"), hk): {},
		// 0x07 | pubkey -> power as a sign-flipped big-endian int64
		cat(b("\x07"), gd): mustHex("8000000000000064"),
		cat(b("\x07"), hk): mustHex("8000000000000064"),
		// 0x08 | region NUL-terminated | agency id -> Agency
		cat(b("\x08GD\x00GD:amr")): marshal(&state.Agencies[0]),
		// 0x09 | account address (20 raw bytes) -> region NUL-terminated | agency id
		cat(b("\x09"), agencyAcc): b("GD\x00GD:amr"),
		// 0x0a | agency id NUL-terminated | key id -> AgencyKey
		cat(b("\x0aGD:amr\x00k1")): marshal(&state.AgencyKeys[0]),
		// 0x0b | id as big-endian uint64 -> Proposal
		cat(b("\x0b"), mustHex("0000000000000001")): marshal(&state.Proposals[0]),
		// 0x0c -> next proposal id as big-endian uint64
		cat(b("\x0c")): mustHex("0000000000000002"),
		// 0x0d | expiry unix nanos (sign-flipped int64) | id -> nothing
		cat(b("\x0d"), int64Key(expiry), mustHex("0000000000000001")): {},
		// 0x0e | infraction height (sign-flipped int64) | consensus address -> DoubleSignRecord
		cat(b("\x0e"), mustHex("8000000000000007"), b("unknown-consensus-ad")): marshal(&state.DoubleSigns[0]),
	}
	require.Equal(t, want, f.raw())

	// The prefixes are the ones types/keys.go documents.
	for prefix, got := range map[byte][]byte{
		0x00: types.ParamsKey, 0x01: types.RegionsKey, 0x02: types.RegionsByAuthorityKey, 0x03: types.ValidatorsKey,
		0x04: types.ValidatorsByPubKeyKey, 0x05: types.ValidatorsByConsAddrKey, 0x06: types.ValidatorsByOperatorKey,
		0x07: types.LastPowersKey, 0x08: types.AgenciesKey, 0x09: types.AgenciesByAccountKey, 0x0a: types.AgencyKeysKey,
		0x0b: types.ProposalsKey, 0x0c: types.ProposalSeqKey, 0x0d: types.PendingProposalsKey, 0x0e: types.DoubleSignsKey,
		0x0f: types.DeparturesKey,
	} {
		require.Equal(t, []byte{prefix}, got)
	}
}

// TestStoreValueEncoding pins the protobuf encoding of a stored region, so
// that a field renumbering in types.proto cannot pass unnoticed.
func TestStoreValueEncoding(t *testing.T) {
	f := newConsortium(t)
	r := types.Region{Code: "GD", NameZh: "广东", NameEn: "Guangdong", Authority: "bay1x", PowerShare: 300}
	bz, err := f.cdc.Marshal(&r)
	require.NoError(t, err)
	// 1:"GD" 2:"广东" 3:"Guangdong" 4:"bay1x" 5:300
	require.Equal(t, "0a0247441206e5b9bfe4b89c1a094775616e67646f6e67220562617931782"+"8ac02", hex.EncodeToString(bz))

	// A validator's stored bytes are its proto encoding, power included.
	raw := f.raw()
	v := f.export().Validators[0]
	require.Equal(t, v.Power, int64(100))
	stored := raw[string(append([]byte("\x03"+v.Region+"\x00"), v.ConsensusPubkey...))]
	var decoded types.Validator
	require.NoError(t, f.cdc.Unmarshal(stored, &decoded))
	require.Equal(t, v, decoded)
}

// TestEventTypeNames pins the event type strings the indexer subscribes to.
func TestEventTypeNames(t *testing.T) {
	for want, ev := range map[string]proto.Message{
		"EventRegionAdded": &types.EventRegionAdded{}, "EventRegionRemoved": &types.EventRegionRemoved{},
		"EventPowerShareChanged": &types.EventPowerShareChanged{}, "EventParamsUpdated": &types.EventParamsUpdated{},
		"EventValidatorAdded": &types.EventValidatorAdded{}, "EventValidatorKeyRotated": &types.EventValidatorKeyRotated{},
		"EventValidatorRemoved": &types.EventValidatorRemoved{}, "EventValidatorPowerChanged": &types.EventValidatorPowerChanged{},
		"EventDoubleSign": &types.EventDoubleSign{}, "EventAgencyRegistered": &types.EventAgencyRegistered{},
		"EventAgencyEntitlementsChanged": &types.EventAgencyEntitlementsChanged{}, "EventAgencyStatusChanged": &types.EventAgencyStatusChanged{},
		"EventAgencyKeyAdded": &types.EventAgencyKeyAdded{}, "EventAgencyKeyRetired": &types.EventAgencyKeyRetired{},
		"EventProposalSubmitted": &types.EventProposalSubmitted{}, "EventProposalApproved": &types.EventProposalApproved{},
		"EventProposalFinished": &types.EventProposalFinished{},
	} {
		require.Equal(t, "baynet.regions.v1."+want, proto.MessageName(ev))
	}
}
