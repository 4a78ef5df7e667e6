package cmd_test

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/baynet/baynet/cmd/baynetd/cmd"
)

// TestCommandTree builds baynetd's command tree as the binary does, so a
// command whose flags collide (AutoCLI panics then) fails here rather than
// on a node, and checks the commands the README and DESIGN name exist.
func TestCommandTree(t *testing.T) {
	root := cmd.NewRootCmd()
	var paths []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		paths = append(paths, c.CommandPath())
		// Flags are bound lazily for some commands: touching them here
		// surfaces a redefinition too.
		_ = c.Flags()
		_ = c.InheritedFlags()
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	all := strings.Join(paths, "\n") + "\n"
	for _, want := range []string{
		"baynetd dev", "baynetd testnet start", "baynetd testnet stop", "baynetd genesis add-region",
		"baynetd tx certs declare-recognition", "baynetd tx certs register-ca", "baynetd tx certs recognise-ca",
		"baynetd tx certs revoke-certificate", "baynetd tx certs issue-bulk",
		"baynetd query certs is-recognised", "baynetd query certs mutual", "baynetd query certs verify-certificate",
		"baynetd query certs cas", "baynetd query certs ca-recognitions", "baynetd query certs revocations",
		"baynetd query identity resolve", "baynetd tx regions register-agency",
		"baynetd verify attestation", "baynetd verify recognition", "baynetd verify bundle",
	} {
		require.Contains(t, all, want+"\n", "baynetd has no %q", want)
	}
}
