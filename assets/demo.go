package assets

import "embed"

// DemoCases is the demo workspace's cases, as a JSON list of case records.
// Everything in it is invented: names, places, references.
//
//go:embed demo/cases.json
var DemoCases []byte

// DemoRegister holds the demo cases' people, assets, requests, deadlines
// and notes, keyed by case reference. Invented too.
//
//go:embed demo/register.json
var DemoRegister []byte

// DemoEvidence holds fictional evidence files, in one folder per demo
// case reference (demo/evidence/<ref>/...).
//
//go:embed all:demo/evidence
var DemoEvidence embed.FS
