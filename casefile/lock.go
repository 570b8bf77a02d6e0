package casefile

import (
	"errors"
	"fmt"
)

// ErrInUse is returned when another process has the workspace open.
var ErrInUse = errors.New("workspace is open in another CaseVault")

// InUseError says which process holds the workspace.
type InUseError struct{ PID int }

func (e *InUseError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("workspace is open in another CaseVault (pid %d): close it there first", e.PID)
	}
	return "workspace is open in another CaseVault: close it there first"
}

func (e *InUseError) Is(target error) bool { return target == ErrInUse }
