package search

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	_ "modernc.org/sqlite"

	"casevault/internal/benchstat"
)

// Benchmarks compare, on the same generated corpus and queries:
//   ours  — this package: encrypted index, our analysis, our query language
//   bleve — the same pipeline and mapping without encryption
//   fts5  — SQLite FTS5 (modernc.org/sqlite), unicode61 tokenizer
//   fts5-trigram — FTS5 with its trigram tokenizer (BenchmarkIndex only):
//           the FTS5 set-up that, like ours, finds a word typed alone
//           inside Thai, Lao, Khmer, Burmese or Chinese running text
// at 100k chunks, or 1M with CASEVAULT_BENCH_1M=1 (or any size with
// CASEVAULT_BENCH_N). scripts/benchratio prints the ratios. FTS5 has no
// fuzzy query (a prefix stands in) and finds no word inside Thai, Lao,
// Khmer, Burmese or Chinese text. BenchmarkIndex also reports the CPU time
// of a build (cpu-s/op), steadier than wall time on a shared machine; a
// bleve build counts until the merges it started are done (settle).
// BenchmarkIndexMemory streams the corpus into our index (as Rebuild
// streams the case files) and reports the peak resident memory.

func benchSize() int {
	if os.Getenv("CASEVAULT_BENCH_1M") == "1" {
		return 1_000_000
	}
	if n, err := strconv.Atoi(os.Getenv("CASEVAULT_BENCH_N")); err == nil && n > 0 {
		return n // for quick comparisons while tuning
	}
	return 100_000
}

var corpusOnce = sync.OnceValues(func() ([]Document, int64) { return genCorpus(benchSize()) })

func sliceSource(docs []Document) Source {
	return func(ctx context.Context, yield func(Document) error) error {
		for _, d := range docs {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}
}

func buildOurs(tb testing.TB, dir string, plain bool, docs []Document) *Index {
	opts := Options{Bulk: true, plaintext: plain}
	ix, err := OpenWith(dir, opts, testKey(1))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := ix.Load(context.Background(), sliceSource(docs), nil); err != nil {
		tb.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		tb.Fatal(err)
	}
	if plain {
		ix, err = OpenWith(dir, Options{plaintext: true})
	} else {
		ix, err = Open(dir, testKey(1))
	}
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

func buildFTS5(tb testing.TB, dir string, docs []Document) *sql.DB {
	return buildFTS5With(tb, dir, docs, "unicode61 remove_diacritics 2")
}

func buildFTS5With(tb testing.TB, dir string, docs []Document, tokenizer string) *sql.DB {
	db, err := sql.Open("sqlite", filepath.Join(dir, "fts.db"))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
		`CREATE VIRTUAL TABLE docs USING fts5(title, body, person, caseid UNINDEXED, kind UNINDEXED,
			item UNINDEXED, chunk UNINDEXED, type UNINDEXED, lang UNINDEXED, date UNINDEXED,
			tokenize='` + tokenizer + `')`,
	} {
		if _, err := db.Exec(s); err != nil {
			tb.Fatal(err)
		}
	}
	for len(docs) > 0 {
		n := min(len(docs), 10000)
		tx, err := db.Begin()
		if err != nil {
			tb.Fatal(err)
		}
		st, err := tx.Prepare("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)")
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range docs[:n] {
			if _, err := st.Exec(d.Title, d.Text, d.Fields[FieldPerson], d.CaseID, string(d.Kind), d.ItemID, d.Chunk,
				d.Fields[FieldType], d.Lang, d.Date.Format(time.RFC3339)); err != nil {
				tb.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
		docs = docs[n:]
	}
	return db
}

func BenchmarkIndex(b *testing.B) {
	docs, size := corpusOnce()
	name := fmt.Sprintf("n=%dk", len(docs)/1000)
	for _, peer := range []string{"ours", "bleve", "fts5", "fts5-trigram"} {
		b.Run(name+"/"+peer, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			cpu0 := benchstat.CPUTime()
			defer func() { b.ReportMetric((benchstat.CPUTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op") }()
			for b.Loop() {
				dir := b.TempDir()
				switch peer {
				case "fts5":
					buildFTS5(b, dir, docs).Close()
				case "fts5-trigram":
					buildFTS5With(b, dir, docs, "trigram remove_diacritics 1").Close()
				default:
					// The build is done when the merges it leaves behind
					// are: they take the same cores the next work needs.
					ix := buildOurs(b, filepath.Join(dir, "index"), peer == "bleve", docs)
					settle(b, ix)
					ix.Close()
				}
			}
		})
	}
}

// BenchmarkIndexMemory indexes a streamed corpus (nothing held in memory
// but what the index needs) and reports the process's peak resident memory
// during the build (peak-rss-MiB), the sampled peaks of its anonymous
// memory (peak-anon-MiB: the Go heap) and of its file-backed memory
// (peak-file-MiB: mapped index segments), and its resident memory before it
// (base-rss-MiB: the test binary, and the corpus if another benchmark of the
// same run generated it). Run it alone for the index's own figure, e.g.
//
//	CASEVAULT_BENCH_N=1000000 go test -run '^$' -bench IndexMemory -benchtime 1x ./search
func BenchmarkIndexMemory(b *testing.B) {
	n := benchSize()
	b.Run(fmt.Sprintf("n=%dk/ours", n/1000), func(b *testing.B) {
		var size int64
		var base, peak int64
		var peakAnon, peakFile atomic.Int64
		stop := make(chan struct{})
		defer close(stop)
		go func() { // VmHWM has no anonymous/file-backed split: sample it
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
				}
				storeMax(&peakAnon, benchstat.StatusKB("RssAnon"))
				storeMax(&peakFile, benchstat.StatusKB("RssFile"))
			}
		}()
		for b.Loop() {
			b.StopTimer()
			dir := filepath.Join(b.TempDir(), "index")
			runtime.GC()
			debug.FreeOSMemory()
			os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset VmHWM
			base = benchstat.StatusKB("VmRSS")
			b.StartTimer()
			ix, err := OpenWith(dir, Options{Bulk: true}, testKey(1))
			if err != nil {
				b.Fatal(err)
			}
			src := func(ctx context.Context, yield func(Document) error) error {
				var err error
				size = streamCorpus(n, func(d Document) {
					if err == nil {
						err = yield(d)
					}
				})
				return err
			}
			if _, err := ix.Load(context.Background(), src, nil); err != nil {
				b.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			peak = max(peak, benchstat.StatusKB("VmHWM"))
			b.StartTimer()
		}
		b.SetBytes(size)
		b.ReportMetric(float64(peak)/1024, "peak-rss-MiB")
		b.ReportMetric(float64(peakAnon.Load())/1024, "peak-anon-MiB")
		b.ReportMetric(float64(peakFile.Load())/1024, "peak-file-MiB")
		b.ReportMetric(float64(base)/1024, "base-rss-MiB")
	})
}

func storeMax(v *atomic.Int64, x int64) {
	for {
		old := v.Load()
		if x <= old || v.CompareAndSwap(old, x) {
			return
		}
	}
}

// Indexes built once per process for the query benchmarks.
var (
	builtMu   sync.Mutex
	built     = map[string]any{}
	builtDirs []string // removed by TestMain
)

func builtIndex(b *testing.B, peer string) any {
	builtMu.Lock()
	defer builtMu.Unlock()
	if v, ok := built[peer]; ok {
		return v
	}
	docs, _ := corpusOnce()
	dir, err := os.MkdirTemp("", "casevault-bench-")
	if err != nil {
		b.Fatal(err)
	}
	builtDirs = append(builtDirs, dir)
	var v any
	switch peer {
	case "fts5":
		v = buildFTS5(b, dir, docs)
	default:
		ix := buildOurs(b, filepath.Join(dir, "index"), peer == "bleve", docs)
		settle(b, ix)
		v = ix
	}
	built[peer] = v
	return v
}

// settle waits until bleve's merger has nothing left to merge: queries are
// measured on the index as it stays, not while merges the build left behind
// still run beside them (they took a core from ours more than from the
// unencrypted peer, whose merges copy stored fields as they are).
func settle(tb testing.TB, ix *Index) {
	adv, err := ix.bl.Advanced()
	if err != nil {
		tb.Fatal(err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		tb.Fatalf("index is a %T", adv)
	}
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		m := sc.StatsMap()
		if m["TotFileMergePlanNone"].(uint64) > 0 && m["TotFileMergeZapBeg"] == m["TotFileMergeZapEnd"] {
			return
		}
	}
	tb.Fatal("index merges did not settle")
}

// benchQueries are the same questions in each system's language.
var benchQueries = map[string]struct{ ours, fts5 []string }{
	"word": {
		ours: []string{"passport", "broker", "paspor", "salary", "karaoke", "contract"},
		fts5: []string{"passport", "broker", "paspor", "salary", "karaoke", "contract"},
	},
	"phrase": {
		ours: []string{`"fishing boat"`, `"bank account"`, `"hộ chiếu"`, `"send money"`},
		fts5: []string{`"fishing boat"`, `"bank account"`, `"hộ chiếu"`, `"send money"`},
	},
	"fuzzy": {
		ours: []string{"Somchay~", "Nguyn~", "Santoz~", "Kyow~"},
		fts5: []string{"Somch*", "Nguy*", "Sant*", "Kya*"},
	},
	"filtered": {
		ours: []string{"broker case:c17", "passport type:chat from:2022 to:2023", "money lang:id", "visa case:c42 type:email"},
		fts5: []string{"broker|caseid = 'c17'", "passport|type = 'chat' AND date >= '2022' AND date < '2024'", "money|lang = 'id'", "visa|caseid = 'c42' AND type = 'email'"},
	},
}

func BenchmarkQuery(b *testing.B) {
	docs, _ := corpusOnce()
	n := fmt.Sprintf("n=%dk", len(docs)/1000)
	for _, kind := range []string{"word", "phrase", "fuzzy", "filtered"} {
		for _, peer := range []string{"ours", "bleve", "fts5"} {
			b.Run(n+"/"+kind+"/"+peer, func(b *testing.B) {
				idx := builtIndex(b, peer)
				qs := benchQueries[kind]
				lat := make([]time.Duration, 0, 1024)
				hits := 0
				i := 0
				for b.Loop() {
					t0 := time.Now()
					switch x := idx.(type) {
					case *Index:
						q := qs.ours[i%len(qs.ours)]
						r, err := x.Search(context.Background(), q, SearchOptions{Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						hits += len(r.Hits)
					case *sql.DB:
						q := qs.fts5[i%len(qs.fts5)]
						hits += fts5Query(b, x, q)
					}
					lat = append(lat, time.Since(t0))
					i++
				}
				slices.Sort(lat)
				if len(lat) > 0 {
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
				}
			})
		}
	}
}

// fts5Query runs "match|where" and reads the first 20 hits with a snippet,
// as our Search does.
func fts5Query(b *testing.B, db *sql.DB, q string) int {
	match, where, _ := strings.Cut(q, "|")
	sqlq := `SELECT caseid, kind, item, chunk, snippet(docs, 1, '[', ']', '…', 24) FROM docs WHERE docs MATCH ?`
	if where != "" {
		sqlq += " AND " + where
	}
	sqlq += " ORDER BY rank LIMIT 20"
	rows, err := db.Query(sqlq, match)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var c, k, it, ch, sn string
		if err := rows.Scan(&c, &k, &it, &ch, &sn); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

func TestMain(m *testing.M) {
	code := m.Run()
	builtMu.Lock()
	for _, v := range built {
		switch x := v.(type) {
		case *Index:
			x.Close()
		case *sql.DB:
			x.Close()
		}
	}
	for _, dir := range builtDirs {
		os.RemoveAll(dir)
	}
	builtMu.Unlock()
	os.Exit(code)
}
