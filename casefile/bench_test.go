package casefile

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"filippo.io/age"

	"casevault/internal/benchstat"
)

// Benchmarks name CaseVault's own path ".../ours" and the peer it is
// compared with in the same run ".../age"; scripts/benchratio prints
// median ratios.

var benchSizes = []int{1, 10, 100} // MB

type benchCase struct {
	w     *Workspace
	c     *Case
	image []byte // the serialised database, for the peers
	rcpt  *age.X25519Recipient
	id    *age.X25519Identity
}

var benchCases = map[int]*benchCase{}

// benchSetup makes (once per size) a workspace with one case whose
// database is about mb megabytes.
func benchSetup(b *testing.B, mb int) *benchCase {
	if bc, ok := benchCases[mb]; ok {
		return bc
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "casevault-bench")
	if err != nil {
		b.Fatal(err)
	}
	benchTempDirs = append(benchTempDirs, dir) // removed by TestMain
	w, _, err := Create(filepath.Join(dir, "ws"), testPass, CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		b.Fatal(err)
	}
	c, err := w.CreateCase(ctx, sampleInfo())
	if err != nil {
		b.Fatal(err)
	}
	fillRandom(b, c, mb<<20)
	c.dirty = true
	if err := c.Save(); err != nil {
		b.Fatal(err)
	}
	// Measured on the case as users save it: opened from its file, so
	// that SQLite holds it in its memdb (Deserialize), not in the pager
	// cache of the database CreateCase made.
	caseID := c.ID()
	if err := c.Close(); err != nil {
		b.Fatal(err)
	}
	if c, err = w.OpenCase(ctx, caseID); err != nil {
		b.Fatal(err)
	}
	id, _ := age.GenerateX25519Identity()
	bc := &benchCase{w: w, c: c, image: serializeCase(b, c), rcpt: id.Recipient(), id: id}
	benchCases[mb] = bc
	return bc
}

func BenchmarkCaseSave(b *testing.B) {
	for _, mb := range benchSizes {
		b.Run(fmt.Sprintf("size=%dMB/ours", mb), func(b *testing.B) {
			bc := benchSetup(b, mb)
			b.SetBytes(int64(len(bc.image)))
			peak := newPeakRSS()
			cpu0 := benchstat.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bc.c.dirty = true
				if err := bc.c.Save(); err != nil {
					b.Fatal(err)
				}
			}
			// The catalog writes the saves asked for are part of the cost.
			if err := bc.w.Flush(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			reportCPU(b, cpu0)
			peak.report(b, len(bc.image))
		})
		b.Run(fmt.Sprintf("size=%dMB/age", mb), func(b *testing.B) {
			bc := benchSetup(b, mb)
			b.SetBytes(int64(len(bc.image)))
			dir := bc.c.dir()
			runtime.GC() // as newPeakRSS does for ours: both start clean
			cpu0 := benchstat.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Plain age encryption of the same bytes, written and fsynced.
				f, err := os.CreateTemp(dir, ".bench-*")
				if err != nil {
					b.Fatal(err)
				}
				aw, _ := age.Encrypt(f, bc.rcpt)
				aw.Write(bc.image)
				aw.Close()
				f.Sync()
				f.Close()
				os.Rename(f.Name(), filepath.Join(dir, "bench.age"))
				syncDir(dir)
			}
			b.StopTimer()
			reportCPU(b, cpu0)
		})
	}
}

func BenchmarkCaseOpen(b *testing.B) {
	ctx := context.Background()
	for _, mb := range benchSizes {
		b.Run(fmt.Sprintf("size=%dMB/ours", mb), func(b *testing.B) {
			bc := benchSetup(b, mb)
			b.SetBytes(int64(len(bc.image)))
			id := bc.c.ID()
			bc.c.Close()
			runtime.GC() // each side starts clean, not with the garbage of the one before
			cpu0 := benchstat.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c, err := bc.w.OpenCase(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				c.Close()
				b.StartTimer()
			}
			b.StopTimer()
			reportCPU(b, cpu0)
			bc.c, _ = bc.w.OpenCase(ctx, id)
		})
		// Two peers. "age" is the target as the issue states it, and the
		// one the 1.3x is checked against: plain age decryption (the
		// streaming age.Decrypt that `age -d` uses) and Deserialize.
		// "age+schema" adds SQLite reading the schema, which Deserialize
		// leaves for the first statement; any use of the loaded database
		// reads it, and an open must (it checks the case id and
		// generation): about 0.5-0.7 ms CPU for the case schema, most of
		// the fixed cost of a 1 MB open. It is printed to show that cost
		// apart, not to move the target. Ours decrypts a file of 512 KiB
		// or more in parts on every core (readAtParallel) where the peers
		// use one, so the wall-time ratio includes that; cpu-ms/op does
		// not.
		b.Run(fmt.Sprintf("size=%dMB/age", mb), func(b *testing.B) {
			benchOpenPeer(b, mb, false)
		})
		b.Run(fmt.Sprintf("size=%dMB/age+schema", mb), func(b *testing.B) {
			benchOpenPeer(b, mb, true)
		})
	}
}

func benchOpenPeer(b *testing.B, mb int, readSchema bool) {
	ctx := context.Background()
	bc := benchSetup(b, mb)
	b.SetBytes(int64(len(bc.image)))
	path := filepath.Join(bc.c.dir(), "bench-open.age")
	f, _ := os.Create(path)
	aw, _ := age.Encrypt(f, bc.rcpt)
	aw.Write(bc.image)
	aw.Close()
	f.Close()
	runtime.GC()
	cpu0 := benchstat.CPUTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Plain age decryption, then load into SQLite.
		f, _ := os.Open(path)
		r, err := age.Decrypt(f, bc.id)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		buf.Grow(len(bc.image) + bytes.MinRead) // room for the final EOF read
		io.Copy(&buf, r)
		f.Close()
		db, _ := sql.Open("sqlite", ":memory:")
		db.SetMaxOpenConns(1)
		conn, _ := db.Conn(ctx)
		err = conn.Raw(func(dc any) error {
			return dc.(interface{ Deserialize([]byte) error }).Deserialize(buf.Bytes())
		})
		if err != nil {
			b.Fatal(err)
		}
		if readSchema {
			var n int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
		b.StopTimer()
		conn.Close()
		db.Close()
		b.StartTimer()
	}
	b.StopTimer()
	reportCPU(b, cpu0)
}

// reportCPU reports the CPU time (user and system, every goroutine) per
// operation since cpu0: on a shared, loaded machine it separates the work
// a save or an open does from the time it waited for the disk or for a
// core. (The open benchmarks close what they opened with the timer
// stopped: that closing is in their CPU time, on both sides.)
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((benchstat.CPUTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// peakRSS measures the process's peak resident memory above what it held
// when measuring began (Linux: /proc/self/clear_refs resets the peak).
type peakRSS struct{ start int64 }

func newPeakRSS() peakRSS {
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return peakRSS{benchstat.StatusKB("VmRSS")}
}

func (p peakRSS) report(b *testing.B, size int) {
	if p.start <= 0 {
		return
	}
	extra := benchstat.StatusKB("VmHWM") - p.start
	b.ReportMetric(float64(extra*1024)/float64(size), "peak-extra/db-size")
}
