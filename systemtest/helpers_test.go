//go:build system

package systemtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// baynetd is the binary built once by TestMain.
var baynetd string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "baynet-systemtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "systemtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	baynetd = filepath.Join(dir, "baynetd")
	start := time.Now()
	build := exec.Command("go", "build", "-o", baynetd, "github.com/baynet/baynet/cmd/baynetd")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "systemtest: building baynetd:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "systemtest: built baynetd in %s\n", time.Since(start).Round(time.Second))
	return m.Run()
}

// cliTimeout bounds every baynetd client command.
const cliTimeout = 60 * time.Second

// run runs baynetd with args and returns its stdout and stderr.
func run(args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, baynetd, args...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s: %w", cliTimeout, err)
	}
	return stdout.String(), stderr.String(), err
}

// mustRun runs baynetd with args and fails the test if it fails.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, err := run(args...)
	if err != nil {
		t.Fatalf("baynetd %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// txResponse is the part of a broadcast or `query tx` answer the tests read.
type txResponse struct {
	Height    string `json:"height"`
	TxHash    string `json:"txhash"`
	Codespace string `json:"codespace"`
	Code      uint32 `json:"code"`
	RawLog    string `json:"raw_log"`
	// Timestamp is the block time, once in a block (RFC 3339).
	Timestamp string `json:"timestamp"`
}

func parseTx(t *testing.T, out string) txResponse {
	t.Helper()
	i := strings.Index(out, "{")
	if i < 0 {
		t.Fatalf("no JSON in the tx output: %q", out)
	}
	var res txResponse
	if err := json.NewDecoder(strings.NewReader(out[i:])).Decode(&res); err != nil {
		t.Fatalf("decoding the tx output %q: %v", out, err)
	}
	return res
}

// broadcast runs a tx command (with -y added) and returns the CheckTx answer.
func broadcast(t *testing.T, args ...string) txResponse {
	t.Helper()
	return parseTx(t, mustRun(t, append(args, "-y", "-o", "json")...))
}

// waitTx polls `query tx` through home's node until the transaction is in a
// block and returns its result.
func waitTx(t *testing.T, home, hash string) txResponse {
	t.Helper()
	var res txResponse
	waitFor(t, 30*time.Second, "transaction "+hash+" included in a block", func() (bool, string) {
		stdout, stderr, err := run("query", "tx", hash, "--home", home, "-o", "json")
		if err != nil {
			return false, strings.TrimSpace(stderr)
		}
		res = parseTx(t, stdout)
		return res.Height != "" && res.Height != "0", "height " + res.Height
	})
	return res
}

// mustTx broadcasts a tx command through home's node, waits for its block
// and fails the test unless it succeeded there.
func mustTx(t *testing.T, home string, args ...string) txResponse {
	t.Helper()
	res := broadcast(t, append(args, "--home", home)...)
	if res.Code != 0 {
		t.Fatalf("baynetd %s refused at CheckTx: code %d (%s) %s", strings.Join(args, " "), res.Code, res.Codespace, res.RawLog)
	}
	inc := waitTx(t, home, res.TxHash)
	if inc.Code != 0 {
		t.Fatalf("baynetd %s failed in block %s: code %d (%s) %s", strings.Join(args, " "), inc.Height, inc.Code, inc.Codespace, inc.RawLog)
	}
	return inc
}

// mustQuery runs a query command through home's node and decodes its JSON
// answer into v, which it zeroes first: the answer leaves out false and zero
// values.
func mustQuery(t *testing.T, home string, v any, args ...string) {
	t.Helper()
	out := mustRun(t, append(args, "--home", home, "-o", "json")...)
	reflect.ValueOf(v).Elem().SetZero()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("baynetd %s: decoding %q: %v", strings.Join(args, " "), out, err)
	}
}

// waitFor polls cond every 250ms until it holds, failing the test with what
// and cond's last detail after timeout. It returns how long it waited.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(timeout)
	for {
		ok, detail := cond()
		if ok {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s (last: %s)", timeout, what, detail)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// status is the part of CometBFT's /status the tests read.
type status struct {
	Height     int64
	Time       time.Time // the latest block's time
	CatchingUp bool
}

var httpClient = &http.Client{Timeout: 2 * time.Second}

func getJSON(url string, v any) error {
	resp, err := httpClient.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// nodeStatus reads /status from a node's RPC (http://host:port).
func nodeStatus(rpc string) (status, error) {
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string    `json:"latest_block_height"`
				LatestBlockTime   time.Time `json:"latest_block_time"`
				CatchingUp        bool      `json:"catching_up"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := getJSON(rpc+"/status", &st); err != nil {
		return status{}, err
	}
	h, err := strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
	if err != nil {
		return status{}, fmt.Errorf("latest_block_height %q: %w", st.Result.SyncInfo.LatestBlockHeight, err)
	}
	return status{Height: h, Time: st.Result.SyncInfo.LatestBlockTime, CatchingUp: st.Result.SyncInfo.CatchingUp}, nil
}

func mustHeight(t *testing.T, rpc string) int64 {
	t.Helper()
	st, err := nodeStatus(rpc)
	if err != nil {
		t.Fatalf("status of %s: %v", rpc, err)
	}
	return st.Height
}

// blockHash reads the hash of the block at height from a node's RPC.
func blockHash(rpc string, height int64) (string, error) {
	var b struct {
		Result struct {
			BlockID struct {
				Hash string `json:"hash"`
			} `json:"block_id"`
		} `json:"result"`
	}
	if err := getJSON(fmt.Sprintf("%s/block?height=%d", rpc, height), &b); err != nil {
		return "", err
	}
	if b.Result.BlockID.Hash == "" {
		return "", fmt.Errorf("no block %d at %s", height, rpc)
	}
	return b.Result.BlockID.Hash, nil
}

// requirePortsFree fails the test, naming the port, if something listens on
// one of ports for longer than wait (another process on a shared machine may
// be about to release it).
func requirePortsFree(t *testing.T, wait time.Duration, ports ...int) {
	t.Helper()
	waitFor(t, wait, fmt.Sprintf("ports %v on 127.0.0.1 to be free (the test needs them: stop whatever listens there)", ports), func() (bool, string) {
		for _, p := range ports {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				return false, fmt.Sprintf("port %d in use: %v", p, err)
			}
			l.Close()
		}
		return true, ""
	})
}

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	// The state follows the command name, which is in parentheses.
	s := string(bz)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")

// logTail returns the last n lines of a file without colour codes, for
// failure reports.
func logTail(path string, n int) string {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	text := ansiEscape.ReplaceAllString(string(bz), "")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// testnet is a network started by `baynetd testnet start`.
type testnet struct {
	t    *testing.T
	dir  string
	base int
	n    int
	seen map[int]bool // every node pid the test has read, killed at the end if still alive
}

// startTestnet starts an n-validator testnet on base-port base and stops it
// when the test ends, whether it passed or not.
func startTestnet(t *testing.T, n, base int) *testnet {
	t.Helper()
	var ports []int
	for i := 0; i < n; i++ {
		for p := 0; p < 5; p++ {
			ports = append(ports, base+10*i+p)
		}
	}
	requirePortsFree(t, 30*time.Second, ports...)
	tn := &testnet{t: t, dir: t.TempDir(), base: base, n: n, seen: map[int]bool{}}
	t.Cleanup(tn.stop)
	start := time.Now()
	out := mustRun(t, "testnet", "start", "--validators", strconv.Itoa(n), "--home", tn.dir,
		"--base-port", strconv.Itoa(base), "--timeout", "90s")
	t.Logf("testnet of %d validators producing blocks after %s:\n%s", n, time.Since(start).Round(time.Millisecond), out)
	for i := 0; i < n; i++ {
		tn.pid(i)
	}
	return tn
}

func (tn *testnet) home(i int) string { return filepath.Join(tn.dir, fmt.Sprintf("node%d", i)) }

// rpc is node i's RPC as an HTTP URL; node its RPC as a client --node value.
func (tn *testnet) rpc(i int) string  { return fmt.Sprintf("http://127.0.0.1:%d", tn.base+10*i+1) }
func (tn *testnet) node(i int) string { return fmt.Sprintf("tcp://127.0.0.1:%d", tn.base+10*i+1) }

// pid reads node i's pid file.
func (tn *testnet) pid(i int) int {
	tn.t.Helper()
	bz, err := os.ReadFile(filepath.Join(tn.home(i), "node.pid"))
	if err != nil {
		tn.t.Fatalf("node%d pid: %v", i, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(bz)))
	if err != nil {
		tn.t.Fatalf("node%d pid file: %v", i, err)
	}
	tn.seen[pid] = true
	return pid
}

// stop runs `baynetd testnet stop`, then kills anything left, and on failure
// logs the end of every node's log.
func (tn *testnet) stop() {
	t := tn.t
	if t.Failed() {
		for i := 0; i < tn.n; i++ {
			t.Logf("node%d log (last 25 lines):\n%s", i, logTail(filepath.Join(tn.home(i), "node.log"), 25))
		}
	}
	if _, err := os.Stat(tn.home(0)); err != nil {
		return // start failed before creating the network
	}
	if stdout, stderr, err := run("testnet", "stop", "--home", tn.dir); err != nil {
		t.Errorf("testnet stop: %v\n%s%s", err, stdout, stderr)
	}
	// Anything of this network still alive (a pid file overwritten, a stop
	// that missed a node) is a leak: report it and kill it.
	for i := 0; i < tn.n; i++ {
		if bz, err := os.ReadFile(filepath.Join(tn.home(i), "node.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(bz))); err == nil {
				tn.seen[pid] = true
			}
		}
	}
	for pid := range tn.seen {
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil || !alive(pid) || !strings.Contains(string(cmdline), tn.dir) {
			continue // gone, or the pid now belongs to another process
		}
		t.Errorf("pid %d (%s) still running after testnet stop; killing it", pid, strings.ReplaceAll(string(cmdline), "\x00", " "))
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}
