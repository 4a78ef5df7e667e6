package keeper_test

import (
	"encoding/binary"
	"encoding/hex"
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
	rule := f.declare("HK", "GD:business-licence", terms("tendering"))
	_, err := f.ms.AmendRecognition(f.ctx, amendMsg("HK", rule, terms("tendering", "e-seal")))
	require.NoError(t, err)
	c := newTestChain(t, "p256")
	f.registerChain("HK", c)
	_, err = f.ms.RecogniseCA(f.ctx, recogniseMsg("GD", c.root.fingerprint(), "tendering"))
	require.NoError(t, err)
	serial := c.leaf.cert.SerialNumber
	_, err = f.ms.RevokeCertificate(f.ctx, revokeCertMsg("HK", c.inter.fingerprint(), serial, t0))
	require.NoError(t, err)
	state := f.export()
	root, inter := sha256Sum(c.root.der), sha256Sum(c.inter.der)
	caOf := func(fp [32]byte) *types.CA {
		for i := range state.Cas {
			if state.Cas[i].Fingerprint == hex.EncodeToString(fp[:]) {
				return &state.Cas[i]
			}
		}
		t.Fatalf("CA %x not exported", fp)
		return nil
	}
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
	u64 := func(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
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
		// 0x08 | rule id big-endian -> RecognitionRule
		cat(b("\x08"), u64(1)): marshal(&state.RecognitionRules[0]),
		// 0x09 | region NUL-terminated | source type -> RuleIDs
		cat(b("\x09HK\x00GD:business-licence")): marshal(&types.RuleIDs{Ids: []uint64{1}}),
		// 0x0a | rule id | version big-endian -> RecognitionRule
		cat(b("\x0a"), u64(1), seq(1)): marshal(&state.SupersededRules[0]),
		// 0x0b -> next rule id big-endian
		cat(b("\x0b")): u64(2),
		// 0x0c | fingerprint (32 bytes) -> CA
		cat(b("\x0c"), root[:]):  marshal(caOf(root)),
		cat(b("\x0c"), inter[:]): marshal(caOf(inter)),
		// 0x0d | region NUL-terminated | fingerprint -> nothing
		cat(b("\x0dHK\x00"), root[:]):  {},
		cat(b("\x0dHK\x00"), inter[:]): {},
		// 0x0e | recognising region NUL-terminated | fingerprint -> CARecognition
		cat(b("\x0eGD\x00"), root[:]): marshal(&state.CaRecognitions[0]),
		// 0x0f | 0x20 | CA fingerprint | serial magnitude -> CertificateRevocation
		cat(b("\x0f\x20"), inter[:], serial.Bytes()): marshal(&state.CertificateRevocations[0]),
	}
	got := f.raw()
	require.Len(t, got, len(want))
	for k, v := range want {
		require.Contains(t, got, k, "key %x", k)
		require.Equal(t, v, got[k], "value of key %x", k)
	}
}
