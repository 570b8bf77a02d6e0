// Package search is CaseVault's full-text index: one encrypted bleve
// (scorch, zapx v17) index per workspace, across all cases.
//
// # Use
//
//	ix, err := search.Open(dir, search.Key{Epoch: 1, Secret: key}) // key: WorkspaceKeys.DeriveKey(crypto.LabelIndex, 32)
//	if errors.Is(err, search.ErrNeedsRebuild) {
//		ix, err = search.Rebuild(ctx, dir, source, progress, key)  // from the case files
//	}
//	ix.Put(docs...)                 // on every change; Delete, DeleteItem, DeleteCase
//	res, err := ix.Search(ctx, "passport -visa case:2024-017", search.SearchOptions{Facets: true})
//	ix.Verify(ctx)                  // `index verify`
//	ix.Rotate(newKey)               // re-encrypt under a new key epoch
//
// The analysers are registered with bleve in this package's init, so any
// binary that links it can open the index.
//
// # On disk
//
// Every chunk bleve writes through its file hooks (segment sections, the
// root.bolt values, index_meta.json) is
//
//	nonce (24 bytes) || XChaCha20-Poly1305(key, nonce, chunk, ad)
//	ad = "casevault/v1/index-chunk\x00" || base name of the file
//
// so a chunk cannot be moved to another file. A nonce is 16 random bytes
// drawn once per written file, then the chunk's number in that file (8
// bytes, big-endian); the XChaCha20 subkey of a file is therefore derived
// once, not per chunk (chunkaead.go). bleve stores the writer id
// beside each file in plaintext: "cv1-<epoch>" names the key. In-memory
// segments are never encrypted; an on-disk file without an id is refused.
// What stays visible: file names and sizes, chunk lengths, document counts,
// persist timestamps, root.bolt's keys and structure (not its values).
//
// casevault-generation (plaintext) holds "<batches> <hex HMAC-SHA256 of
// root.bolt>": Open checks it before bleve reads root.bolt (bbolt crashes
// on a damaged file) and notices when bleve silently falls back to an
// older snapshot. The index's internal stamp names the analysis version
// and a hash of the mapping; a different stamp means a rebuild.
//
// # Analysis
//
// UAX #29 words; Latin and other spaced scripts lower-cased and folded to
// ASCII ("Nguyễn" → "nguyen", "đ" → "d"), digits of every script to ASCII;
// Thai, Lao, Khmer, Burmese and Han as overlapping bigrams of units,
// queried as phrases, so a word typed alone matches inside running text. A
// unit is a UAX #29 cluster, joined with its neighbours where the join can
// never cross a word boundary: a Thai or Lao leading vowel (เ แ โ ใ ไ), a
// Khmer coeng or a Burmese virama with the cluster after it, a vowel that
// never starts a syllable (ะ า ำ) or a Burmese killed final consonant
// ("က်") with the one before (on the generated corpus, 23% fewer tokens
// for these scripts than bare clusters);
// English documents stemmed (bleve's Snowball), with queries asking for
// both forms. Burmese in the Zawgyi encoding is converted to Unicode before
// indexing and in queries (package zawgyi). Identifiers are extracted into
// canonical forms (package ident). Each pair of adjacent words is indexed
// as one term as well (field "pair", without positions), so that a
// two-word phrase is one term lookup and a longer one checks positions only
// in the chunks that have all its pairs (without pairs, a phrase of two
// common words took 40 times as long at 100k chunks). The full-text field
// keeps each token's position but not its byte offsets: snippets are made
// by analysing a hit's stored text again.
//
// # Bulk loads
//
// Load (Rebuild) builds batches of about 2 MiB of text on one lane per
// core: a lane analyses its batch and builds the batch's segment (bleve
// builds a segment on the calling goroutine), and submits it once at most
// one of its earlier batches is not yet on disk. Batches reach the index in any order (a
// rebuild's source never yields an id twice). While a load runs, the Go
// runtime's soft memory limit is lowered to 640 MiB, and segments stop
// growing at 50,000 chunks, so that no merge maps more than that much of
// the index at once: memory stays bounded whatever the size of the
// workspace.
//
// # Reading
//
// Chunks that searches decrypt are kept in memory (64 MiB across the open
// indexes, oldest out first), found by the file reader that decrypted them
// and the chunk's nonce and tag: a repeated search, or the next key press
// of one, does not decrypt the same posting lists and stored documents
// again. Each open file also keeps, without a lock, the last 128 small
// chunks (8 KiB at most) it served from that cache (frontcache.go): a
// stored document read for every hit no longer goes through the cache's
// lock and large map. Close, Rotate and Verify drop an index's chunks (the
// files' own tables are void from then on); a bulk load's reads (merges)
// are not kept.
package search
