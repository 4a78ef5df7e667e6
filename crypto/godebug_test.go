package crypto

import (
	"os"
	"os/exec"
	"testing"
)

// TestVerdictsIgnoreGODEBUG re-runs the vector tests in child processes under
// the GODEBUG settings that touch the standard library's signature code; the
// vector tests pin every verdict, so any change fails them.
func TestVerdictsIgnoreGODEBUG(t *testing.T) {
	settings := []string{"rsa1024min=0", "x509sha1=1,x509negativeserial=1"}
	if fips140Available {
		settings = append(settings, "fips140=on", "fips140=only")
	}
	for _, godebug := range settings {
		t.Run(godebug, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run", "^(TestWycheproof|TestWycheproofNamedHash|TestHashesOpenSSL|TestSM2Standard|TestSM2OpenSSL)$", "-test.count=1")
			cmd.Env = append(os.Environ(), "GODEBUG="+godebug)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("GODEBUG=%s: %v\n%s", godebug, err, out)
			}
		})
	}
}
