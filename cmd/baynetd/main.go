// Command baynetd is baynet's one binary: node, client, dev chain and local testnet.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/baynet/baynet/cmd/baynetd/cmd"
)

func main() {
	if err := svrcmd.Execute(cmd.NewRootCmd(), "BAYNET", cmd.DefaultNodeHome()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
