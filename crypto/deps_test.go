package crypto

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goTool finds the go command that built this test.
func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no go command: %v", err)
	}
	return p
}

// TestNoSDKDependency keeps the package free of the Cosmos SDK and CometBFT,
// so it can be tested, benchmarked and audited alone.
func TestNoSDKDependency(t *testing.T) {
	out, err := exec.Command(goTool(t), "list", "-deps", ".").Output()
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
				t.Errorf("crypto depends on %s", d)
			}
		}
	}
}
