//go:build system

package systemtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDevChainStarts runs `baynetd dev` (DESIGN §10) as a newcomer would: it
// must produce blocks on its fixed ports and know the four consortium regions.
func TestDevChainStarts(t *testing.T) {
	// The dev chain's fixed ports: P2P, RPC, gRPC, REST, ABCI.
	requirePortsFree(t, 30*time.Second, 26656, 26657, 26658, 26659, 26660)
	home := filepath.Join(t.TempDir(), "dev")
	logPath := filepath.Join(t.TempDir(), "dev.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	cmd := exec.Command(baynetd, "dev", "--home", home)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting baynetd dev: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("baynetd dev output (last 25 lines):\n%s", logTail(logPath, 25))
		}
		select {
		case <-exited:
			return
		default:
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Errorf("baynetd dev ignored SIGTERM for 10s; killing it")
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	const rpc = "http://127.0.0.1:26657"
	start := time.Now()
	waitFor(t, 60*time.Second, "the dev chain to reach height 3", func() (bool, string) {
		select {
		case err := <-exited:
			exited <- err // keep it for the cleanup
			t.Fatalf("baynetd dev exited before producing blocks: %v", err)
		default:
		}
		st, err := nodeStatus(rpc)
		if err != nil {
			return false, err.Error()
		}
		return st.Height >= 3, fmt.Sprintf("height %d", st.Height)
	})
	t.Logf("dev chain at height 3 after %s", time.Since(start).Round(time.Millisecond))

	bz, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http://127.0.0.1:26657", "gd-authority", "gd-amr", "gd-idp (GD:idp)", "hk-iamsmart (HK:iamsmart)"} {
		if !strings.Contains(string(bz), want) {
			t.Errorf("baynetd dev did not print %q", want)
		}
	}

	out := mustRun(t, "query", "regions", "regions", "--home", home, "-o", "json")
	var res struct {
		Regions []struct {
			Code      string `json:"code"`
			Authority string `json:"authority"`
		} `json:"regions"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("decoding regions %q: %v", out, err)
	}
	var codes []string
	for _, r := range res.Regions {
		if !strings.HasPrefix(r.Authority, "bay1") {
			t.Errorf("region %s has authority %q", r.Code, r.Authority)
		}
		codes = append(codes, r.Code)
	}
	sort.Strings(codes)
	if got, want := strings.Join(codes, ","), "GD,HK,JOINT,MO"; got != want {
		t.Fatalf("dev chain regions = %s, want %s", got, want)
	}

	// The node stops cleanly on SIGTERM, as `start` does.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-exited:
		exited <- err
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Errorf("waiting for baynetd dev: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("baynetd dev still running 15s after SIGTERM")
	}
}
