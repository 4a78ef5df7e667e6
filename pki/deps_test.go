package pki

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the package a pure core: the standard library,
// gmsm, baynet's crypto and what those need, never the Cosmos SDK or
// CometBFT.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("implausible dependency list: %q", deps)
	}
	for _, d := range deps {
		for _, banned := range []string{"github.com/cosmos/", "cosmossdk.io/", "github.com/cometbft/"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("pki depends on %s", d)
			}
		}
	}
	out, err = exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if strings.Contains(imp, ".") && !strings.HasPrefix(imp, "github.com/emmansun/gmsm/") && imp != "github.com/baynet/baynet/crypto" {
			t.Errorf("pki imports %s directly", imp)
		}
	}
}
