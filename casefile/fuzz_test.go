package casefile

import (
	"testing"

	"casevault/crypto"
)

func FuzzParseMeta(f *testing.F) {
	w, _ := newTestWorkspace(f)
	f.Add(w.meta.marshal())
	f.Add([]byte(`{"format":"casevault-workspace","version":99}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseMeta(data)
		if err != nil {
			return
		}
		if _, err := parseMeta(m.marshal()); err != nil {
			t.Fatalf("a parsed workspace.json does not parse again: %v", err)
		}
	})
}

func FuzzParseCatalog(f *testing.F) {
	id, _ := crypto.GenerateCaseIdentity()
	f.Add([]byte(`{"format":"casevault-catalog","version":1,"cases":[]}`))
	f.Add([]byte(`{"format":"casevault-catalog","version":1,"cases":[{"id":"abcdefghijklmnopqrst","identity":"` + id.String() + `","generation":3,"checkpoint":{"size":1,"head":"00","signature":""},"summary":{"id":"abcdefghijklmnopqrst","ref":"R","title":"T","status":"intake"}}]}`))
	f.Add([]byte(`{"format":"casevault-catalog","version":1,"cases":[null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseCatalog(data)
		if err != nil {
			return
		}
		for _, cc := range c.Cases {
			if c.find(cc.ID) != cc {
				t.Fatal("catalog lookup broken")
			}
		}
	})
}

// FuzzDecryptCatalog feeds arbitrary bytes as catalog.age.
func FuzzDecryptCatalog(f *testing.F) {
	w, _ := newTestWorkspace(f)
	keys := w.keys
	var buf bytesBuffer
	w.cat.encryptTo(&buf, keys.Recipient())
	f.Add([]byte(buf))
	f.Add([]byte("age-encryption.org/v1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		decryptCatalog(data, keys.Identity())
	})
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
