// Package extract turns an evidence file's bytes into searchable text chunks
// with metadata: pages, messages, e-mails, document parts, EXIF fields.
//
// Each format sits behind the small Extractor interface; a Registry picks one
// by sniffing the content first and the file name second (a file that is not
// what its extension says is read for what it is, with a warning), runs it
// under a time and memory bound (Limits), and reports what did the work
// (Result.Tool and ToolVersion, for the court) and what it could not do
// (Result.Warnings, or an error matching ErrUnsupported, ErrCorrupt,
// ErrTooLarge, ErrTimeout, ErrEncrypted or ErrOCRUnavailable with errors.Is;
// Reason gives a short label for a per-file result list). A parser that
// panics is reported as ErrCorrupt. On ErrTooLarge the Result, when not nil,
// holds the text read before the limit.
//
// Nothing here writes to disk: evidence is read through an io.ReaderAt that
// the caller decrypts on the fly (age.DecryptReaderAt), and every
// intermediate stays in memory under the caps of Limits. The only files
// touched are PDFium's compiled WebAssembly code, cached under the user
// cache directory, and the tesseract command, fed over a pipe.
//
// Formats: plain text (UTF-8, UTF-16, TIS-620/windows-874, windows-1258,
// GB18030, Big5, detected), HTML, PDF (PDFium), DOCX, XLSX, PPTX, ODT, ODS,
// ODP, e-mail (.eml) and mbox, WhatsApp exports (.txt and .zip), CSV and JSON
// chat logs, photos (EXIF of JPEG, HEIC, TIFF, raw) and, when asked, OCR of
// images and scanned pages.
//
// Embedded items (e-mail attachments, attached messages, media in a chat
// export) come back as Embedded values: the caller stores each as its own
// evidence blob, linked to its parent, and extracts it with Options.Depth one
// higher; the Registry refuses items nested deeper than Limits.MaxDepth.
package extract
