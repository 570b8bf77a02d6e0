package extract

import (
	"context"
	"errors"
	"fmt"
)

// Errors returned by Extract, matched with errors.Is. The returned error
// wraps one of them together with the details.
var (
	// ErrUnsupported means no extractor reads this kind of file.
	ErrUnsupported = errors.New("unsupported format")
	// ErrCorrupt means the file is malformed, truncated or not what it claims.
	ErrCorrupt = errors.New("corrupt file")
	// ErrTooLarge means a limit was reached: decompressed size, text size,
	// number of parts or nesting depth. The Result may hold what was read
	// before the limit.
	ErrTooLarge = errors.New("limit exceeded")
	// ErrTimeout means the run took longer than Limits.Timeout or the
	// caller's context was cancelled.
	ErrTimeout = errors.New("extraction timed out")
	// ErrEncrypted means the file is password protected.
	ErrEncrypted = errors.New("file is encrypted")
	// ErrOCRUnavailable means OCR was asked for but the tesseract command
	// (or the language pack) is not installed.
	ErrOCRUnavailable = errors.New("OCR not available")
)

// Reason returns a short, stable label for err, fit for a per-file result
// list: "unsupported", "corrupt", "too large", "timed out", "encrypted",
// "OCR not available", or "failed".
func Reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "timed out"
	case errors.Is(err, ErrTooLarge):
		return "too large"
	case errors.Is(err, ErrEncrypted):
		return "encrypted"
	case errors.Is(err, ErrCorrupt):
		return "corrupt"
	case errors.Is(err, ErrUnsupported):
		return "unsupported"
	case errors.Is(err, ErrOCRUnavailable):
		return "OCR not available"
	}
	return "failed"
}

func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

func tooLargef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrTooLarge, fmt.Sprintf(format, args...))
}

// ctxErr turns a done context into ErrTimeout, keeping the cause.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return nil
}

// classify makes sure err matches one of the package's sentinels; an
// unknown error from a parser is treated as a corrupt file.
func classify(err error) error {
	if err == nil {
		return nil
	}
	for _, s := range []error{ErrUnsupported, ErrCorrupt, ErrTooLarge, ErrTimeout, ErrEncrypted, ErrOCRUnavailable} {
		if errors.Is(err, s) {
			return err
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}
