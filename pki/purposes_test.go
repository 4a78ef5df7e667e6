package pki

import (
	"encoding/asn1"
	"errors"
	"testing"
)

func TestPurposes(t *testing.T) {
	for _, p := range Purposes() {
		u, ok := p.Usage()
		if !ok || !p.Valid() || u.KeyUsage == 0 || len(u.ExtKeyUsage) == 0 {
			t.Errorf("%s: %+v %v", p, u, ok)
		}
	}
	if Purpose("login").Valid() {
		t.Error("an unknown purpose is valid")
	}
}

func TestParseOID(t *testing.T) {
	good := map[string]asn1.ObjectIdentifier{
		"2.16.156.112554.1.1": {2, 16, 156, 112554, 1, 1},
		"1.2.156.10197.1.501": {1, 2, 156, 10197, 1, 501},
		"0.0":                 {0, 0},
		"2.999.3":             {2, 999, 3},
	}
	for s, want := range good {
		if got, err := ParseOID(s); err != nil || !got.Equal(want) {
			t.Errorf("ParseOID(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "1", "1.", ".1", "1..2", "3.1", "1.40", "01.2", "1.+2", "1.-2", "1.2a", "1.99999999999"} {
		if _, err := ParseOID(s); !errors.Is(err, ErrInvalidOID) {
			t.Errorf("ParseOID(%q): %v", s, err)
		}
	}
}
