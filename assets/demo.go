package assets

import _ "embed"

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
