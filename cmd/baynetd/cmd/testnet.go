package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

const testnetChainID = "baynet-testnet"

// testnetCmd runs N validators as separate processes on 127.0.0.1.
func testnetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Run a local multi-validator network in the background",
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	start := &cobra.Command{
		Use:   "start",
		Short: "Create (or reuse) N validator homes under --home and start them; returns once blocks are produced",
		Long: `Validators are spread over GD, HK, MO and the joint office in turn. With four or more,
every region holds a quarter of the power, so the network survives any one region's
outage; with fewer, one crash halts it. Node i listens on base-port+10*i (P2P),
+1 (RPC), +2 (gRPC), +3 (REST). Client commands: --home DIR/node0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, _ := cmd.Flags().GetString(flags.FlagHome)
			n, _ := cmd.Flags().GetInt("validators")
			base, _ := cmd.Flags().GetInt("base-port")
			timeout, _ := cmd.Flags().GetDuration("timeout")
			return testnetStart(cmd, dir, n, base, timeout)
		},
	}
	start.Flags().Int("validators", 4, "number of validators")
	start.Flags().Int("base-port", 27000, "first port; each node uses ten from base-port+10*i")
	start.Flags().Duration("timeout", 90*time.Second, "how long to wait for blocks")
	stop := &cobra.Command{
		Use:   "stop",
		Short: "Stop the network's processes (SIGTERM, then SIGKILL after 10s)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, _ := cmd.Flags().GetString(flags.FlagHome)
			return testnetStop(cmd, dir)
		},
	}
	cmd.AddCommand(start, stop)
	return cmd
}

func nodeHome(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("node%d", i)) }

type testnetLayout struct {
	Validators int `json:"validators"`
	BasePort   int `json:"base_port"`
}

func testnetStart(cmd *cobra.Command, dir string, n, base int, timeout time.Duration) error {
	if dir == "" || dir == DefaultNodeHome() {
		return errors.New("give the network's directory with --home")
	}
	layoutFile := filepath.Join(dir, "testnet.json")
	var layout testnetLayout
	if bz, err := os.ReadFile(layoutFile); err == nil {
		if err := json.Unmarshal(bz, &layout); err != nil {
			return fmt.Errorf("%s: %w", layoutFile, err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "reusing the %d-validator network in %s\n", layout.Validators, dir)
	} else {
		if n < 1 || n > 16 {
			return fmt.Errorf("--validators must be 1-16, got %d", n)
		}
		layout = testnetLayout{Validators: n, BasePort: base}
		if err := initTestnet(dir, layout); err != nil {
			return err
		}
		bz, _ := json.Marshal(layout)
		if err := os.WriteFile(layoutFile, bz, 0o644); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for i := 0; i < layout.Validators; i++ {
		home := nodeHome(dir, i)
		if pid, ok := runningPid(home); ok {
			fmt.Fprintf(cmd.OutOrStdout(), "node%d already running (pid %d)\n", i, pid)
			continue
		}
		if err := startNode(self, home); err != nil {
			return fmt.Errorf("node%d: %w", i, err)
		}
	}
	rpc := fmt.Sprintf("http://127.0.0.1:%d", portsAt(layout.BasePort).rpc)
	deadline := time.Now().Add(timeout)
	for {
		h, err := latestHeight(rpc)
		if err == nil && h >= 2 {
			fmt.Fprintf(cmd.OutOrStdout(), "testnet %q: %d validators producing blocks (height %d)\n", testnetChainID, layout.Validators, h)
			for i := 0; i < layout.Validators; i++ {
				pt := portsAt(layout.BasePort + 10*i)
				fmt.Fprintf(cmd.OutOrStdout(), "  node%d RPC http://127.0.0.1:%d REST http://127.0.0.1:%d home %s\n", i, pt.rpc, pt.api, nodeHome(dir, i))
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no blocks after %s; see %s/node*/node.log", timeout, dir)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func initTestnet(dir string, layout testnetLayout) error {
	var homes []string
	var vals []localValidator
	var ids []string
	for i := 0; i < layout.Validators; i++ {
		homes = append(homes, nodeHome(dir, i))
	}
	for i, home := range homes {
		pt := portsAt(layout.BasePort + 10*i)
		region := demoRegions[i%len(demoRegions)].code
		moniker := fmt.Sprintf("%s-%d", strings.ToLower(region), i)
		pubKey, id, err := initNodeHome(home, testnetChainID, moniker, pt, "")
		if err != nil {
			return err
		}
		vals = append(vals, localValidator{region: region, moniker: moniker, pubKey: pubKey})
		ids = append(ids, fmt.Sprintf("%s@127.0.0.1:%d", id, pt.p2p))
	}
	// Now that every node id is known, point each node at all the others.
	for i, home := range homes {
		var peers []string
		for j, id := range ids {
			if j != i {
				peers = append(peers, id)
			}
		}
		if _, _, err := initNodeHome(home, testnetChainID, vals[i].moniker, portsAt(layout.BasePort+10*i), strings.Join(peers, ",")); err != nil {
			return err
		}
	}
	addrs, mnemonics, err := demoKeys(homes[0], nil)
	if err != nil {
		return err
	}
	for _, home := range homes[1:] {
		if _, _, err := demoKeys(home, mnemonics); err != nil {
			return err
		}
	}
	maxShare := uint32(3333)
	if layout.Validators < len(demoRegions) {
		// Fewer than four validators cannot keep any region under a third.
		maxShare = 10000
	}
	return writeLocalGenesis(homes, testnetChainID, vals, addrs, homes[0], maxShare)
}

func startNode(self, home string) error {
	logFile, err := os.OpenFile(filepath.Join(home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	c := exec.Command(self, "start", "--home", home)
	c.Stdout, c.Stderr = logFile, logFile
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(home, "node.pid"), []byte(strconv.Itoa(c.Process.Pid)), 0o644); err != nil {
		return err
	}
	return c.Process.Release()
}

// runningPid returns the pid recorded for home if that process is alive.
func runningPid(home string) (int, bool) {
	bz, err := os.ReadFile(filepath.Join(home, "node.pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(bz)))
	if err != nil {
		return 0, false
	}
	return pid, alive(pid)
}

// alive reports whether pid is a live process: one that exists and is not a
// zombie waiting to be reaped (a killed node is one for a moment).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the parenthesised command name.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}

func latestHeight(rpc string) (int64, error) {
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(rpc + "/status")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return 0, err
	}
	return strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

func testnetStop(cmd *cobra.Command, dir string) error {
	homes, _ := filepath.Glob(filepath.Join(dir, "node*"))
	if len(homes) == 0 {
		return fmt.Errorf("no testnet in %s", dir)
	}
	for _, home := range homes {
		pid, ok := runningPid(home)
		if !ok {
			continue
		}
		_ = syscall.Kill(pid, syscall.SIGTERM)
		deadline := time.Now().Add(10 * time.Second)
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if alive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		_ = os.Remove(filepath.Join(home, "node.pid"))
		fmt.Fprintf(cmd.OutOrStdout(), "stopped %s (pid %d)\n", filepath.Base(home), pid)
	}
	return nil
}
