package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/baynet/baynet/x/certs/types"
)

// Record is one attestation to issue, as a line of a JSON-lines file or a
// row of a CSV file with these column names. Digests are hex; times are
// RFC 3339, a date (YYYY-MM-DD, midnight UTC) or unix seconds.
type Record struct {
	Type       string          `json:"type"`
	LicenceID  string          `json:"licence_id"`
	Subject    string          `json:"subject,omitempty"`
	SHA256     string          `json:"sha256,omitempty"`
	SM3        string          `json:"sm3,omitempty"`
	ValidFrom  json.RawMessage `json:"valid_from"`
	ValidUntil json.RawMessage `json:"valid_until,omitempty"`
}

// recordColumns are the CSV header names; type, licence_id and valid_from
// are required, and sha256 or sm3.
var recordColumns = []string{"type", "licence_id", "subject", "sha256", "sm3", "valid_from", "valid_until"}

// inputLine is a record of the input file, or why it could not be read.
type inputLine struct {
	line   int
	record Record
	err    error
}

// readInput reads a .jsonl (or .json) or .csv file: one attestation a line,
// blank lines skipped, line numbers kept for error reports.
func readInput(path string) ([]inputLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return readCSV(f)
	case ".jsonl", ".json", ".ndjson":
		return readJSONLines(f)
	}
	return nil, fmt.Errorf("%s: want a .jsonl or .csv file", path)
}

func readJSONLines(r io.Reader) ([]inputLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []inputLine
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		l := inputLine{line: n}
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l.record); err != nil {
			l.err = fmt.Errorf("not a JSON attestation record: %w", err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

func readCSV(r io.Reader) ([]inputLine, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range recordColumns {
			known = known || c == name
		}
		if !known {
			return nil, fmt.Errorf("CSV column %q: the columns are %s", h, strings.Join(recordColumns, ", "))
		}
		col[name] = i
	}
	var out []inputLine
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, err
			}
			out = append(out, inputLine{line: pe.Line, err: err})
			continue
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		rec := Record{Type: get("type"), LicenceID: get("licence_id"), Subject: get("subject"), SHA256: get("sha256"), SM3: get("sm3")}
		if v := get("valid_from"); v != "" {
			rec.ValidFrom = json.RawMessage(strconv.Quote(v))
		}
		if v := get("valid_until"); v != "" {
			rec.ValidUntil = json.RawMessage(strconv.Quote(v))
		}
		out = append(out, inputLine{line: line, record: rec})
	}
}

// Payload turns the record into the payload an issuer signs.
func (r Record) Payload(chainID, issuer, keyID string) (types.AttestationPayload, error) {
	p := types.AttestationPayload{
		ChainId: chainID, Type: r.Type, Subject: r.Subject, LicenceId: r.LicenceID, Issuer: issuer, KeyId: keyID,
	}
	var err error
	if p.Sha256, err = decodeDigest("sha256", r.SHA256); err != nil {
		return p, err
	}
	if p.Sm3, err = decodeDigest("sm3", r.SM3); err != nil {
		return p, err
	}
	if len(r.ValidFrom) == 0 {
		return p, errors.New("valid_from is required")
	}
	if p.ValidFrom, err = parseTimeValue(r.ValidFrom); err != nil {
		return p, fmt.Errorf("valid_from: %w", err)
	}
	if len(r.ValidUntil) != 0 && string(r.ValidUntil) != "null" && string(r.ValidUntil) != `""` {
		if p.ValidUntil, err = parseTimeValue(r.ValidUntil); err != nil {
			return p, fmt.Errorf("valid_until: %w", err)
		}
	}
	return p, p.Validate()
}

func decodeDigest(name, s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	bz, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s digest is not hex: %w", name, err)
	}
	return bz, nil
}

// parseTimeValue reads a JSON number of unix seconds or a string holding
// unix seconds, an RFC 3339 time or a date.
func parseTimeValue(raw json.RawMessage) (int64, error) {
	var n int64
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("%s is neither a number nor a string", raw)
	}
	return ParseTime(s)
}

// ParseTime reads unix seconds, an RFC 3339 time or a date (midnight UTC)
// and returns unix seconds.
func ParseTime(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Unix(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Unix(), nil
	}
	return 0, fmt.Errorf("%q is not unix seconds, an RFC 3339 time or a YYYY-MM-DD date", s)
}
