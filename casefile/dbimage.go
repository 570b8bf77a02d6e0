package casefile

import (
	"database/sql/driver"
	"reflect"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// dbImage returns the case's database image where SQLite already holds it
// as one buffer: a case opened from its file lives in SQLite's memdb VFS
// (Deserialize), whose store is exactly the bytes sqlite3_serialize
// returns. sqlite3_serialize with SQLITE_SERIALIZE_NOCOPY hands that buffer
// over without a copy, so a save encrypts it where it lies instead of
// copying every page out through sqlite_dbpage (about 6 µs a 4 KiB page in
// this driver, most of a small case's save) and holds no second plaintext
// copy of the database at all.
//
// size is the database size SQLite reports (page_count × page_size); an
// image of another size is not used. ok is false for a database outside
// memdb (openDB puts every case there) and for a driver whose connection
// is not laid out as modernc.org/sqlite v1.62's (TestSaveUsesTheMemdbImage
// fails then, so an upgrade that changes it is noticed); the caller then
// reads the pages from sqlite_dbpage, which is always correct.
//
// The slice is SQLite's own memory: it is valid only while the caller holds
// c.mu and no statement writes to the database (reads may run). It is not
// wiped: it is the open case itself.
func (c *Case) dbImage(size int64) (image []byte, ok bool) {
	if size <= 0 || !useMemdbImage {
		return nil, false
	}
	c.conn.Raw(func(dc any) error {
		image, ok = memdbImage(dc, size)
		return nil
	})
	return image, ok
}

// useMemdbImage is false in tests of the sqlite_dbpage path.
var useMemdbImage = true

// sqliteHandle returns the SQLite connection handle and the libc thread
// state of a modernc.org/sqlite v1.62 driver connection, which the driver
// keeps in unexported fields; ok is false for any other layout.
func sqliteHandle(dc any) (db uintptr, tls *libc.TLS, ok bool) {
	if _, isConn := dc.(driver.Conn); !isConn {
		return 0, nil, false
	}
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct ||
		v.Type().String() != "*sqlite.conn" {
		return 0, nil, false
	}
	fdb, ftls := v.Elem().FieldByName("db"), v.Elem().FieldByName("tls")
	if !fdb.IsValid() || fdb.Kind() != reflect.Uintptr ||
		!ftls.IsValid() || ftls.Type() != reflect.TypeFor[*libc.TLS]() {
		return 0, nil, false
	}
	db, tls = uintptr(fdb.Uint()), (*libc.TLS)(ftls.UnsafePointer())
	return db, tls, db != 0 && tls != nil
}

// memdbLimit is how large a case database may grow in SQLite's memdb: the
// largest database a case bundle may carry (maxDatabaseSize). memdb's own
// default is 1 GiB, past which every write would fail with "database or
// disk is full".
const memdbLimit = maxDatabaseSize

// setMemdbLimit sets (limit >= 0) or, with a negative limit, reads the
// size memdb lets the connection's main database grow to, and returns it.
// ok is false for a database outside memdb and for a driver whose
// connection is laid out otherwise (TestMemdbLimit fails then).
func setMemdbLimit(dc any, limit int64) (int64, bool) {
	db, tls, ok := sqliteHandle(dc)
	if !ok {
		return 0, false
	}
	var rc int32
	got := cInt64(tls, limit, func(p uintptr) {
		rc = sqlite3.Xsqlite3_file_control(tls, db, 0, sqlite3.SQLITE_FCNTL_SIZE_LIMIT, p)
	})
	return got, rc == sqlite3.SQLITE_OK
}

// cInt64 runs call with the address of an int64 holding v, and returns the
// int64 after it, for SQLite to read or write through. The int64 lives in
// the libc thread state's memory, as the driver's own arguments do, not on
// the Go heap: the C code does pointer arithmetic on it, which the race
// detector's pointer checks refuse on a Go pointer.
func cInt64(tls *libc.TLS, v int64, call func(p uintptr)) int64 {
	p := tls.Alloc(8)
	defer tls.Free(8)
	n := (*int64)(unsafe.Add(nil, p))
	*n = v
	call(p)
	return *n
}

func memdbImage(dc any, size int64) ([]byte, bool) {
	db, tls, ok := sqliteHandle(dc)
	if !ok {
		return nil, false
	}
	var p uintptr
	got := cInt64(tls, 0, func(n uintptr) {
		p = sqlite3.Xsqlite3_serialize(tls, db, 0, n, sqlite3.SQLITE_SERIALIZE_NOCOPY)
	})
	if p == 0 || got != size {
		return nil, false
	}
	// p is memory SQLite allocated outside the Go heap; it stays put while
	// the database is not written.
	return unsafe.Slice((*byte)(unsafe.Add(nil, p)), got), true
}
