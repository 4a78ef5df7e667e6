package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

const digest = "450dc27aa2ee3f54b494a679a03ab8b4b0937d513ba5b5c98e15f75d2d1e9f2a"

func TestReadJSONLines(t *testing.T) {
	path := writeFile(t, "a.jsonl", `{"type":"GD:business-licence","licence_id":"L-1","sha256":"`+digest+`","valid_from":"2026-01-01","valid_until":1924992000}

{"type":"GD:business-licence","licence_id":"L-2","sha256":"`+digest+`","valid_from":1767225600,"unknown":1}
not json
`)
	lines, err := readInput(path)
	require.NoError(t, err)
	require.Len(t, lines, 3)
	require.Equal(t, 1, lines[0].line)
	require.NoError(t, lines[0].err)
	require.Equal(t, 3, lines[1].line, "blank lines keep the numbering")
	require.ErrorContains(t, lines[1].err, "unknown", "unknown fields are refused, not ignored")
	require.Equal(t, 4, lines[2].line)
	require.Error(t, lines[2].err)

	p, err := lines[0].record.Payload("baynet-1", "GD:amr", "sign-1")
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), p.ValidFrom)
	require.EqualValues(t, 1924992000, p.ValidUntil)
	require.Len(t, p.Sha256, 32)
	require.Equal(t, "GD:amr", p.Issuer)
}

func TestReadCSV(t *testing.T) {
	path := writeFile(t, "a.csv", "\ufefflicence_id,type,sha256,valid_from,subject\n"+
		"L-1,GD:business-licence,"+digest+",2026-01-01T08:00:00+08:00,did:baynet:000102030405060708090a0b0c0d0e0f\n"+
		"L-2,GD:business-licence,zz,2026-01-01,\n")
	lines, err := readInput(path)
	require.NoError(t, err)
	require.Len(t, lines, 2)
	require.Equal(t, 2, lines[0].line)
	p, err := lines[0].record.Payload("baynet-1", "GD:amr", "sign-1")
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), p.ValidFrom)
	require.Equal(t, "did:baynet:000102030405060708090a0b0c0d0e0f", p.Subject)
	_, err = lines[1].record.Payload("baynet-1", "GD:amr", "sign-1")
	require.ErrorContains(t, err, "sha256 digest is not hex")

	_, err = readInput(writeFile(t, "b.csv", "licence,type\nL-1,GD:x\n"))
	require.ErrorContains(t, err, `CSV column "licence"`)
	_, err = readInput(writeFile(t, "c.txt", ""))
	require.ErrorContains(t, err, ".jsonl or .csv")
}

func TestParseValidity(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"0": 0, "5y": 5 * 365 * 24 * time.Hour, "90d": 90 * 24 * time.Hour, "8760h": 8760 * time.Hour,
	} {
		got, err := ParseValidity(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "5 years", "-1y", "y"} {
		_, err := ParseValidity(bad)
		require.Error(t, err, bad)
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]int64{
		"1767225600": 1767225600, "2026-01-01": 1767225600, "2026-01-01T08:00:00+08:00": 1767225600,
	} {
		got, err := ParseTime(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := ParseTime("01/01/2026")
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "RFC 3339"))
}

func TestItemReason(t *testing.T) {
	log := "failed to execute message; message index: 0: item 12: licence L-1: licence already attested by this issuer"
	require.Equal(t, "licence L-1: licence already attested by this issuer", itemReason(log))
}
