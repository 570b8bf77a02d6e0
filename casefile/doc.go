// Package casefile is CaseVault's domain and storage: the workspace (keys,
// catalog, lock), case files (an in-memory SQLite database saved atomically
// as an age file with a generation number), the case register, and the
// hash-chained audit log. It knows nothing of Fyne or of the command line;
// both faces call it.
//
// The on-disk formats are described in docs/FORMAT.md.
package casefile
