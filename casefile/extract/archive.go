package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// zipArchive reads members of a ZIP container (OOXML, ODF, chat exports)
// under the run's limits: a cap on members and on the total bytes
// inflated, so that a zip bomb stops early.
type zipArchive struct {
	ctx   context.Context
	zr    *zip.Reader
	lim   Limits
	used  int64
	files map[string]*zip.File
}

func openZip(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*zipArchive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, corruptf("zip: %v", err)
	}
	if len(zr.File) > lim.MaxParts {
		return nil, tooLargef("zip archive has %d members, more than %d", len(zr.File), lim.MaxParts)
	}
	z := &zipArchive{ctx: ctx, zr: zr, lim: lim, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		if _, dup := z.files[f.Name]; !dup {
			z.files[f.Name] = f
		}
	}
	return z, nil
}

// open returns a reader of one member that counts against the archive's
// decompression budget.
func (z *zipArchive) open(name string) (io.ReadCloser, error) {
	f := z.files[name]
	if f == nil {
		return nil, fmt.Errorf("%w: zip member %q missing", ErrCorrupt, name)
	}
	return z.openFile(f)
}

func (z *zipArchive) openFile(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, corruptf("zip member %q: %v", f.Name, err)
	}
	return &budgetReader{z: z, r: rc, name: f.Name}, nil
}

// readAll reads a whole member, at most max bytes.
func (z *zipArchive) readAll(name string, max int64) ([]byte, error) {
	rc, err := z.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, tooLargef("zip member %q is larger than %d bytes", name, max)
	}
	return buf.Bytes(), nil
}

// matching returns member names with the prefix and suffix, in natural
// order (slide2 before slide10).
func (z *zipArchive) matching(prefix, suffix string) []string {
	var names []string
	for _, f := range z.zr.File {
		if strings.HasPrefix(f.Name, prefix) && strings.HasSuffix(f.Name, suffix) && !strings.Contains(f.Name[len(prefix):], "/") {
			names = append(names, f.Name)
		}
	}
	sort.Slice(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	return names
}

// naturalLess compares strings with embedded numbers by value.
func naturalLess(a, b string) bool {
	na, sa := trailingNumber(a)
	nb, sb := trailingNumber(b)
	if sa == sb {
		return na < nb
	}
	return a < b
}

func trailingNumber(s string) (int, string) {
	s = strings.TrimSuffix(s, ".xml")
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(s[i:])
	return n, s[:i]
}

type budgetReader struct {
	z    *zipArchive
	r    io.ReadCloser
	name string
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if err := ctxErr(b.z.ctx); err != nil {
		return 0, err
	}
	n, err := b.r.Read(p)
	b.z.used += int64(n)
	if b.z.used > b.z.lim.MaxDecompressed {
		return n, tooLargef("more than %d bytes decompressed (zip bomb?) at %q", b.z.lim.MaxDecompressed, b.name)
	}
	if err != nil && err != io.EOF {
		err = corruptf("zip member %q: %v", b.name, err)
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.r.Close() }
