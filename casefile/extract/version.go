package extract

import (
	"runtime"
	"runtime/debug"
	"sync"
)

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

// moduleVersion returns "path version" for a dependency, or the path with
// "(unknown version)" when the build carries no module information.
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
	return path + " (unknown version)"
}

func goVersion() string { return runtime.Version() }
