package main

import (
	"context"
	"fmt"

	"casevault/casefile"
)

// seedRegister gives a case fictional people (one protected witness),
// assets in several currencies and states, requests to two countries,
// deadlines and a note, so that every tab of the GUI has something to
// show. Every name is invented.
func seedRegister(ctx context.Context, c *casefile.Case) error {
	today := casefile.Today()
	money := func(a, cur string) casefile.Money {
		m, err := casefile.ParseMoney(a, cur)
		if err != nil {
			panic(err)
		}
		return m
	}
	people := []casefile.Person{
		{Roles: []casefile.Role{casefile.RoleVictim, casefile.RoleWitness}, FullName: "Sokha Chan (fictional)", Aliases: []string{"Kha"},
			Sex: "male", AgeMin: 16, AgeMax: 17, Nationality: "KH", Languages: []string{"Khmer"}, InterpreterNeeded: true,
			Exploitation: []casefile.Exploitation{casefile.ExploitationLabour}, Services: []string{"shelter", "legal-aid", "interpreter"},
			NonPunishment: "applied", Repatriation: "planned", CompClaimed: money("450000", "THB")},
		{Roles: []casefile.Role{casefile.RoleWitness}, FullName: "Dara Pich (fictional, protected)", Aliases: []string{"Captain's cook"},
			Birth: casefile.MustDate("1990-02-11"), Sex: "female", Nationality: "KH", Languages: []string{"Khmer", "Thai"},
			Documents: []casefile.Document{{Type: "passport", Number: "N0000000", Country: "KH"}}, Contact: "Via shelter staff only",
			Protection: &casefile.Protection{Pseudonym: "W-1", Measures: []string{"identity-withheld", "closed-hearing", "video-link"},
				RiskLevel: "high", OrderRef: "PO-2026-0031 (fictional)", Start: today.AddDays(-40), Review: today.AddDays(9)}},
		{Roles: []casefile.Role{casefile.RoleSuspect, casefile.RoleDefendant}, FullName: "Somchai Example (fictional)", Sex: "male",
			Nationality: "TH", Charges: []casefile.Charge{
				{Offence: "Trafficking in persons (forced labour)", Law: "Anti-Trafficking Act s.6 (fictional)"},
				{Offence: "Laundering the proceeds", Law: "AML Act s.5 (fictional)", Related: "money-laundering"}},
			CustodyStatus: "in-custody", CustodyLimit: today.AddDays(5)},
		{Roles: []casefile.Role{casefile.RoleLegalPerson}, FullName: "Blue Horizon Fishing Co. (fictional)", RegNumber: "0105-5599-0000", RegCountry: "TH"},
		{Roles: []casefile.Role{casefile.RoleOfficial, casefile.RoleSuspect}, FullName: "Officer R. Sample (fictional)", Nationality: "MY",
			Agency: "Port immigration post (fictional)", Position: "Shift supervisor", CustodyStatus: "bail"},
	}
	ids := make([]string, len(people))
	for i, p := range people {
		id, err := c.AddPerson(ctx, p)
		if err != nil {
			return fmt.Errorf("person %d: %w", i, err)
		}
		ids[i] = id
	}
	// Events are dated today: an asset's history starts on the day it is
	// recorded, and no event may come before the one it follows.
	type step struct {
		status casefile.AssetStatus
		order  string
	}
	assets := []struct {
		a     casefile.Asset
		steps []step
	}{
		{casefile.Asset{Type: "bank-account", Description: "Company operating account", Identifier: "000-0-00000-0 (fictional)",
			OwnerID: ids[3], Jurisdiction: "TH", Value: money("3250000.00", "THB")},
			[]step{{"frozen", "AMLO freeze 12/2026"}, {"seized", "Court order 88/2026"}}},
		{casefile.Asset{Type: "vehicle", Description: "Fishing vessel", Identifier: "Reg. PK-0000 (fictional)", OwnerID: ids[3],
			Location: "Pattani harbour", Jurisdiction: "TH", Value: money("8900000", "THB")},
			[]step{{"seized", "Seizure order 91/2026"}, {"confiscated", "Judgment 7/2026"}}},
		{casefile.Asset{Type: "cash", Description: "Cash found on arrest", OwnerID: ids[2], Jurisdiction: "TH", Value: money("12500", "USD")},
			[]step{{"seized", "Arrest report 4/2026"}}},
		{casefile.Asset{Type: "bank-account", Description: "Personal savings account", OwnerID: ids[2], Jurisdiction: "MY", Value: money("84210.55", "MYR")},
			[]step{{"frozen", "MLA execution, MY (fictional)"}}},
		{casefile.Asset{Type: "cryptocurrency", Description: "USDT wallet", Identifier: "T0000…0000 (fictional)", OwnerID: ids[2], Value: money("4100.00", "USD")}, nil},
		{casefile.Asset{Type: "real-estate", Description: "Town house", Location: "Koh Kong (fictional)", OwnerID: ids[4], Jurisdiction: "KH",
			Value: money("180000000", "KHR")}, nil},
	}
	var assetIDs []string
	for _, x := range assets {
		id, err := c.AddAsset(ctx, x.a)
		if err != nil {
			return fmt.Errorf("asset %q: %w", x.a.Description, err)
		}
		assetIDs = append(assetIDs, id)
		for _, s := range x.steps {
			e := casefile.AssetEvent{Status: s.status, OrderRef: s.order, Authority: "Criminal Court (fictional)"}
			if err := c.AddAssetEvent(ctx, id, e); err != nil {
				return fmt.Errorf("asset %q to %s: %w", x.a.Description, s.status, err)
			}
		}
	}
	requests := []casefile.Request{
		{Kind: "mla-outgoing", Country: "MY", Authority: "Attorney General's Chambers (fictional)", FocalPoint: "Central authority desk",
			LegalBasis: "ASEAN MLAT (2004)", OurRef: "MLA-OUT-2026-07", Subject: "Bank records of the personal savings account",
			Deadline: today.AddDays(-2), Links: []casefile.Link{{Kind: "person", ID: ids[2]}, {Kind: "asset", ID: assetIDs[3]}}},
		{Kind: "extradition", Country: "MY", Authority: "Ministry of Home Affairs (fictional)", OurRef: "EXT-2026-02",
			Subject: "Surrender of the port officer", Deadline: today.AddDays(12), Links: []casefile.Link{{Kind: "person", ID: ids[4]}}},
		{Kind: "mla-incoming", Country: "KH", Authority: "General Prosecutor's Office (fictional)", TheirRef: "KH-MLA-118",
			Subject: "Statement of the protected witness by video link", Deadline: today.AddDays(25), Links: []casefile.Link{{Kind: "person", ID: ids[1]}}},
	}
	reqIDs := []string{}
	for _, r := range requests {
		id, err := c.AddRequest(ctx, r)
		if err != nil {
			return fmt.Errorf("request %s: %w", r.OurRef, err)
		}
		reqIDs = append(reqIDs, id)
	}
	for i, st := range [][]casefile.RequestStatus{{"sent", "acknowledged"}, {"sent"}, {"sent", "partially-executed"}} {
		for _, s := range st {
			if err := c.AddRequestEvent(ctx, reqIDs[i], casefile.RequestEvent{Status: s}); err != nil {
				return fmt.Errorf("request event %s: %w", s, err)
			}
		}
	}
	deadlines := []casefile.Deadline{
		{Kind: "hearing", Title: "Preliminary hearing, Criminal Court room 3 (fictional)", Due: today.AddDays(3), TargetID: ids[2]},
		{Kind: "task", Title: "Victim impact statement with interpreter", Due: today.AddDays(-1), TargetID: ids[0]},
		{Kind: "limitation", Title: "Limitation date for the 2019 recruitment offences", Due: today.AddDays(200)},
	}
	for _, d := range deadlines {
		if _, err := c.AddDeadline(ctx, d); err != nil {
			return fmt.Errorf("deadline %q: %w", d.Title, err)
		}
	}
	_, err := c.AddNote(ctx, "", "Focal point in Kuala Lumpur confirmed by phone that the bank records are being collected (fictional).")
	return err
}
