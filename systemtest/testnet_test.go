//go:build system

package systemtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// agency is the part of `query regions agency` the tests read.
type agency struct {
	ID              string   `json:"id"`
	Region          string   `json:"region"`
	NameEn          string   `json:"name_en"`
	Account         string   `json:"account"`
	Roles           []string `json:"roles"`
	CredentialTypes []string `json:"credential_types"`
	Status          string   `json:"status"`
}

// queryAgency reads an agency through the node at nodeAddr (tcp://...).
func queryAgency(home, nodeAddr, id string) (agency, error) {
	stdout, stderr, err := run("query", "regions", "agency", id, "--home", home, "--node", nodeAddr, "-o", "json")
	if err != nil {
		return agency{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr))
	}
	var res struct {
		Agency agency `json:"agency"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		return agency{}, fmt.Errorf("decoding %q: %w", stdout, err)
	}
	return res.Agency, nil
}

// TestTestnetRegisterKillRestart runs the four-validator testnet of DESIGN
// §3: an agency registered through one node is read back through another; the
// network keeps committing with one validator SIGKILLed; the killed validator
// restarts and catches up, with the committed agency still there.
func TestTestnetRegisterKillRestart(t *testing.T) {
	tn := startTestnet(t, 4, 28000)

	// Register an agency through node0 for a key new to the chain.
	keyOut := mustRun(t, "keys", "add", "hrss", "--home", tn.home(0), "--keyring-backend", "test", "--output", "json")
	var key struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal([]byte(keyOut[strings.Index(keyOut, "{"):]), &key); err != nil || !strings.HasPrefix(key.Address, "bay1") {
		t.Fatalf("keys add: address %q, err %v, output %s", key.Address, err, keyOut)
	}
	start := time.Now()
	res := broadcast(t, "tx", "regions", "register-agency", "GD:hrss", "广东省人社厅", "Guangdong HRSS", key.Address,
		"--roles", "issuer", "--credential-types", "GD:professional-title",
		"--from", "gd-authority", "--home", tn.home(0))
	if res.Code != 0 {
		t.Fatalf("register-agency refused at CheckTx: code %d (%s) %s", res.Code, res.Codespace, res.RawLog)
	}
	included := waitTx(t, tn.home(0), res.TxHash)
	if included.Code != 0 {
		t.Fatalf("register-agency failed in block %s: code %d (%s) %s", included.Height, included.Code, included.Codespace, included.RawLog)
	}
	t.Logf("register-agency %s included at height %s after %s", res.TxHash, included.Height, time.Since(start).Round(time.Millisecond))

	// Read it back through node1's RPC.
	var got agency
	waitFor(t, 15*time.Second, "GD:hrss readable through node1", func() (bool, string) {
		var err error
		got, err = queryAgency(tn.home(1), tn.node(1), "GD:hrss")
		if err != nil {
			return false, err.Error()
		}
		return true, ""
	})
	if got.ID != "GD:hrss" || got.Region != "GD" || got.Account != key.Address || got.NameEn != "Guangdong HRSS" ||
		got.Status != "AGENCY_STATUS_ACTIVE" || strings.Join(got.Roles, ",") != "AGENCY_ROLE_ISSUER" ||
		strings.Join(got.CredentialTypes, ",") != "GD:professional-title" {
		t.Fatalf("agency read through node1 = %+v, want GD:hrss of GD, account %s, active issuer of GD:professional-title", got, key.Address)
	}

	// SIGKILL node3; the other three hold 3/4 of the power and must go on.
	pid3 := tn.pid(3)
	if !alive(pid3) {
		t.Fatalf("node3 (pid %d) is not running before the kill", pid3)
	}
	killHeight := mustHeight(t, tn.rpc(0))
	killedAt := time.Now()
	if err := syscall.Kill(pid3, syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL node3 (pid %d): %v", pid3, err)
	}
	waitFor(t, 10*time.Second, "node3 to die", func() (bool, string) {
		_, err := nodeStatus(tn.rpc(3))
		return !alive(pid3) && err != nil, fmt.Sprintf("alive %v, RPC error %v", alive(pid3), err)
	})
	target := killHeight + 5
	waitFor(t, 90*time.Second, fmt.Sprintf("nodes 0-2 to commit 5 blocks after the kill (height %d)", target), func() (bool, string) {
		var hs []string
		ok := true
		for i := 0; i < 3; i++ {
			st, err := nodeStatus(tn.rpc(i))
			if err != nil {
				return false, fmt.Sprintf("node%d: %v", i, err)
			}
			hs = append(hs, fmt.Sprintf("node%d %d", i, st.Height))
			ok = ok && st.Height >= target
		}
		return ok, strings.Join(hs, ", ")
	})
	t.Logf("TIMING: node3 SIGKILLed at height %d; nodes 0-2 committed 5 more blocks (height %d) %s after the kill",
		killHeight, target, time.Since(killedAt).Round(time.Millisecond))

	// `testnet start` takes a pid that still exists for a running node, so
	// wait until the killed process is gone for good (reaped by init).
	waitFor(t, 20*time.Second, fmt.Sprintf("node3's killed process (pid %d) to be reaped", pid3), func() (bool, string) {
		return syscall.Kill(pid3, 0) != nil, "the pid still exists (a zombie, if PID 1 has not reaped it)"
	})

	// Restart: `testnet start` again must start node3 only.
	var pids [3]int
	for i := range pids {
		pids[i] = tn.pid(i)
	}
	restartHeight := mustHeight(t, tn.rpc(0))
	restartedAt := time.Now()
	out := mustRun(t, "testnet", "start", "--home", tn.dir)
	for i := range pids {
		if !strings.Contains(out, fmt.Sprintf("node%d already running", i)) {
			t.Errorf("testnet start did not report node%d as already running:\n%s", i, out)
		}
		if p := tn.pid(i); p != pids[i] || !alive(p) {
			t.Errorf("node%d: pid %d before the restart, %d (alive %v) after; it should have been left alone", i, pids[i], p, alive(p))
		}
	}
	if strings.Contains(out, "node3 already running") {
		t.Errorf("testnet start thinks the killed node3 is running:\n%s", out)
	}
	newPid3 := tn.pid(3)
	if newPid3 == pid3 || !alive(newPid3) {
		t.Fatalf("node3 not restarted: pid %d before the kill, %d (alive %v) now\n%s", pid3, newPid3, alive(newPid3), out)
	}

	var last status
	waitFor(t, 90*time.Second, fmt.Sprintf("node3 to catch up to height %d", restartHeight), func() (bool, string) {
		st, err := nodeStatus(tn.rpc(3))
		if err != nil {
			return false, err.Error()
		}
		last = st
		return st.Height >= restartHeight && !st.CatchingUp, fmt.Sprintf("height %d, catching_up %v", st.Height, st.CatchingUp)
	})
	t.Logf("TIMING: node3 restarted when node0 was at height %d; caught up (height %d, catching_up false) %s after the restart",
		restartHeight, last.Height, time.Since(restartedAt).Round(time.Millisecond))

	// Nothing committed is lost, and node3 agrees with node0 on the chain.
	if a, err := queryAgency(tn.home(3), tn.node(3), "GD:hrss"); err != nil || a.Account != key.Address {
		t.Errorf("GD:hrss through the restarted node3: %+v, %v", a, err)
	}
	for _, h := range []int64{killHeight, restartHeight} {
		h0, err0 := blockHash(tn.rpc(0), h)
		h3, err3 := blockHash(tn.rpc(3), h)
		if err0 != nil || err3 != nil || h0 != h3 {
			t.Errorf("block %d: node0 %s (%v), node3 %s (%v)", h, h0, err0, h3, err3)
		}
	}
	// And the full network keeps committing with node3 back.
	back := mustHeight(t, tn.rpc(3))
	waitFor(t, 30*time.Second, "node3 to follow 2 more blocks", func() (bool, string) {
		st, err := nodeStatus(tn.rpc(3))
		if err != nil {
			return false, err.Error()
		}
		return st.Height >= back+2, fmt.Sprintf("height %d", st.Height)
	})
}
