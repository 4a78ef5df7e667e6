package keeper_test

import (
	"encoding/binary"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/x/certs/types"
)

// TestStoreLayout pins the key and value encoding of every collection: a
// verifier proves reads against these exact bytes, so a change here is a
// breaking change of the chain's state.
func TestStoreLayout(t *testing.T) {
	f := newFixture(t)
	id := f.issueOne("GD:amr", "L-1")
	suspended(f, id)
	state := f.export()
	idBytes := mustID(t, id)
	att := state.Attestations[0]

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
	seq := func(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
	gdType, hkType := state.CredentialTypes[0], state.CredentialTypes[1]
	subject := att.Attestation.Payload.Subject

	want := map[string][]byte{
		// 0x00 -> Params
		cat(b("\x00")): marshal(&state.Params),
		// 0x01 | region NUL-terminated | type id -> CredentialType
		cat(b("\x01GD\x00GD:business-licence")):    marshal(&gdType),
		cat(b("\x01HK\x00HK:registered-engineer")): marshal(&hkType),
		// 0x02 | id (32 bytes) -> Attestation
		cat(b("\x02"), idBytes): marshal(&att.Attestation),
		// 0x03 | licence id NUL-terminated | issuer -> id
		cat(b("\x03L-1\x00GD:amr")): idBytes,
		// 0x04 | subject NUL-terminated | id -> nothing
		cat(b("\x04"+subject+"\x00"), idBytes): {},
		// 0x05 | issuer NUL-terminated | id -> nothing
		cat(b("\x05GD:amr\x00"), idBytes): {},
		// 0x06 | id -> StatusRecord
		cat(b("\x06"), idBytes): marshal(&types.StatusRecord{
			Status: types.ATTESTATION_STATUS_SUSPENDED, Reason: "audit", Since: t0, Changes: 2,
		}),
		// 0x07 | 0x20 | id | seq big-endian -> StatusChange
		cat(b("\x07\x20"), idBytes, seq(0)): marshal(&att.History[0]),
		cat(b("\x07\x20"), idBytes, seq(1)): marshal(&att.History[1]),
	}
	got := f.raw()
	require.Len(t, got, len(want))
	for k, v := range want {
		require.Contains(t, got, k, "key %x", k)
		require.Equal(t, v, got[k], "value of key %x", k)
	}
}
