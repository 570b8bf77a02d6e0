// Package extract turns an evidence file's bytes into searchable text chunks
// with metadata: pages, messages, e-mails, document parts, EXIF fields.
//
// Each format sits behind the small Extractor interface; a Registry picks one
// by sniffing the content first and the file name second, runs it with a time
// and memory bound, and reports what it used (tool and version, for the
// court) and what it could not do (Warnings, or an error that matches
// ErrUnsupported, ErrCorrupt, ErrTooLarge or ErrTimeout with errors.Is).
//
// Nothing here writes to disk: evidence is read through an io.ReaderAt that
// the caller decrypts on the fly, and every intermediate stays in memory under
// the caps of Limits. Embedded items (e-mail attachments, media in a chat
// export) come back as Embedded values for the caller to store and extract as
// linked items, one nesting level deeper (Options.Depth).
package extract
