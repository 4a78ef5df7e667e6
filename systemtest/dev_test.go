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

// devRPC is the dev chain's fixed RPC address.
const devRPC = "http://127.0.0.1:26657"

// devChain is a running `baynetd dev`.
type devChain struct {
	home   string
	log    string
	cmd    *exec.Cmd
	exited chan error // receives the process's exit once; put it back after reading
}

// startDev runs `baynetd dev` in a new home on its fixed ports, as a
// newcomer would, and returns once it has produced 3 blocks. When the test
// ends the chain is stopped with SIGTERM (SIGKILL after 10 s) and, if the
// test failed, the end of its output is logged.
func startDev(t *testing.T) *devChain {
	t.Helper()
	// The dev chain's fixed ports: P2P, RPC, gRPC, REST, ABCI.
	requirePortsFree(t, 30*time.Second, 26656, 26657, 26658, 26659, 26660)
	d := &devChain{home: filepath.Join(t.TempDir(), "dev"), log: filepath.Join(t.TempDir(), "dev.log"), exited: make(chan error, 1)}
	logFile, err := os.Create(d.log)
	if err != nil {
		t.Fatal(err)
	}
	d.cmd = exec.Command(baynetd, "dev", "--home", d.home)
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	if err := d.cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("starting baynetd dev: %v", err)
	}
	go func() {
		d.exited <- d.cmd.Wait()
		logFile.Close()
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("baynetd dev output (last 25 lines):\n%s", logTail(d.log, 25))
		}
		select {
		case err := <-d.exited:
			d.exited <- err
			return
		default:
		}
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-d.exited:
			d.exited <- err
		case <-time.After(10 * time.Second):
			t.Errorf("baynetd dev ignored SIGTERM for 10s; killing it")
			_ = d.cmd.Process.Kill()
			d.exited <- <-d.exited
		}
	})

	start := time.Now()
	waitFor(t, 60*time.Second, "the dev chain to reach height 3", func() (bool, string) {
		select {
		case err := <-d.exited:
			d.exited <- err // keep it for the cleanup
			t.Fatalf("baynetd dev exited before producing blocks: %v", err)
		default:
		}
		st, err := nodeStatus(devRPC)
		if err != nil {
			return false, err.Error()
		}
		return st.Height >= 3, fmt.Sprintf("height %d", st.Height)
	})
	t.Logf("dev chain at height 3 after %s", time.Since(start).Round(time.Millisecond))
	return d
}

// TestDevChainStarts runs `baynetd dev` (DESIGN §10) as a newcomer would: it
// must produce blocks on its fixed ports and know the four consortium regions.
func TestDevChainStarts(t *testing.T) {
	dev := startDev(t)

	bz, err := os.ReadFile(dev.log)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{devRPC, "gd-authority", "gd-amr", "gd-idp (GD:idp)", "hk-iamsmart (HK:iamsmart)"} {
		if !strings.Contains(string(bz), want) {
			t.Errorf("baynetd dev did not print %q", want)
		}
	}

	out := mustRun(t, "query", "regions", "regions", "--home", dev.home, "-o", "json")
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
	if err := dev.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-dev.exited:
		dev.exited <- err
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Errorf("waiting for baynetd dev: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("baynetd dev still running 15s after SIGTERM")
	}
}
