// Package app is CaseVault's Fyne GUI: the first-run and unlock screens, the
// main window (case list, the open case's tabs), settings, locking and the
// keyboard shortcuts. It holds no business rules: a callback calls one
// function of casefile and shows its result or its error.
//
// It does not import fyne.io/fyne/v2/app, so that its tests run headless
// with Fyne's test driver and without cgo; main.go makes the Fyne app and
// hands it to Run. It sets no theme either: main.go (or a theme.go here)
// can call a.Settings().SetTheme before Run.
package app
