// Command casevault is CaseVault's desktop GUI: it makes the Fyne app and
// hands it to package app.
package main

import (
	"flag"
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"casevault/app"
	"casevault/crypto"
)

func main() {
	if err := crypto.HardenProcess(); err != nil {
		fmt.Fprintf(os.Stderr, "casevault: cannot disable core dumps: %v\n", err)
	}
	workspace := flag.String("workspace", os.Getenv("CASEVAULT_WORKSPACE"),
		"workspace `folder` (default: CASEVAULT_WORKSPACE, else under the user config folder)")
	flag.Parse()

	a := fyneapp.NewWithID(app.ID)
	a.Settings().SetTheme(app.NewTheme())
	app.Run(a, app.Options{WorkspaceDir: *workspace})
}
