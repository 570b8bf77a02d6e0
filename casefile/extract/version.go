package extract

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Version is this package's extraction logic version, recorded with every
// Result. Bump it when the text produced for the same input changes.
const Version = "2"

// pinnedVersions are the versions in go.mod of the modules that do the
// work, used when the binary carries no module information (test
// binaries). TestPinnedVersionsMatchGoMod keeps them in step.
var pinnedVersions = map[string]string{
	"golang.org/x/text":               "v0.44.0",
	"golang.org/x/net":                "v0.62.0",
	"github.com/emersion/go-message":  "v0.18.2",
	"github.com/klippa-app/go-pdfium": "v1.21.4",
	"github.com/tetratelabs/wazero":   "v1.12.0",
}

// Versions of the modules that do the work, read from the build info so
// that every Result names exactly what produced it.
var (
	xtextVersion = moduleVersion("golang.org/x/text")
	xnetVersion  = moduleVersion("golang.org/x/net")
)

var buildInfo = sync.OnceValue(func() *debug.BuildInfo {
	bi, _ := debug.ReadBuildInfo()
	return bi
})

// moduleVersion returns "path version" for a dependency.
func moduleVersion(path string) string {
	if bi := buildInfo(); bi != nil {
		for _, m := range bi.Deps {
			if m.Path == path {
				if m.Replace != nil {
					m = m.Replace
				}
				return m.Path + " " + m.Version
			}
		}
	}
	if v, ok := pinnedVersions[path]; ok {
		return path + " " + v
	}
	return path + " (unknown version)"
}

// goVersion names the Go toolchain and this package's logic version, for
// the extractors written with the standard library only.
func goVersion() string { return "casevault/extract " + Version + ", " + runtime.Version() }
