//go:build !linux

package casefile

import "errors"

func syncFS(string) error { return errors.New("syncfs not available") }
