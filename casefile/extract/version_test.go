package extract

import (
	"os"
	"strings"
	"testing"
)

func TestPinnedVersionsMatchGoMod(t *testing.T) {
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Skip(err)
	}
	for path, v := range pinnedVersions {
		if !strings.Contains(string(data), "\t"+path+" "+v) {
			t.Errorf("pinnedVersions says %s %s; go.mod differs", path, v)
		}
	}
}
