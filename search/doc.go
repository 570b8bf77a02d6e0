// Package search is CaseVault's full-text index: one encrypted bleve
// (scorch, zapx v17) index per workspace, across all cases.
//
// Every chunk bleve writes to disk goes through XChaCha20-Poly1305 (see
// hooks.go); the key comes from the caller and never touches the disk. Text
// is analysed for the languages of South-East Asia (analysis.go): UAX #29
// words, accent folding for Latin scripts, cluster bigrams for Thai, Lao,
// Khmer, Burmese and Chinese, Zawgyi Burmese converted to Unicode, and
// identifiers (phone numbers, IBANs, accounts, passports, e-mail addresses,
// wallets) extracted into canonical forms. Queries use a small language a
// prosecutor learns in a minute (query.go).
//
// The index is a cache of the case files: when Open reports ErrNeedsRebuild
// (damaged, wrong key, or built by an older analyser), the caller rebuilds
// it with Rebuild from the case files.
package search
