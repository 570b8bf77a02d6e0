package extract_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"casevault/casefile/extract"
)

// An importer opens the evidence (here a plain file; in CaseVault an
// age.DecryptReaderAt over the stored blob) and hands it to the registry.
func ExampleRegistry_Extract() {
	f, err := os.Open("testdata/chat/whatsapp-android-en-GB.txt")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	st, _ := f.Stat()

	res, err := extract.Default().Extract(context.Background(), st.Name(), f, st.Size(), extract.Options{})
	switch {
	case errors.Is(err, extract.ErrUnsupported):
		fmt.Println("no text:", err) // stored and hashed, nothing to extract
		return
	case err != nil:
		fmt.Println("failed:", extract.Reason(err), err)
		return
	}
	fmt.Println(res.Format, len(res.Chunks), "chunks")
	m := res.Chunks[1]
	fmt.Println(m.Kind, m.Index, m.Sender, m.Time.Format("2006-01-02 15:04"), m.Script)
	for _, a := range res.Attachments {
		_ = a // store a.Open() as a linked item, extract it with Options{Depth: 1}
	}
	// Output:
	// whatsapp 4 chunks
	// message 2 Somchai (fictional) 2023-12-31 21:41 Thai
}
