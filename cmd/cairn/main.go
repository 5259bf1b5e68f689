// Command cairn is Cairn: AWS CloudTrail, self-hosted, with the permission
// plane it depends on. This package only wires: flags and configuration,
// opening the stores, building the services, starting the server.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	root := &cobra.Command{
		Use:           "cairn",
		Short:         "AWS CloudTrail, self-hosted, with the permission plane it depends on",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.AddCommand(serveCommand(), benchCommand(), validateLogsCommand())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "cairn:", err)
		os.Exit(1)
	}
}
