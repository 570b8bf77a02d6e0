package demo

import (
	"context"
	"encoding/json"
	"fmt"

	"casevault/assets"
	"casevault/casefile"
)

// The register file uses the core's JSON forms plus indexes into the
// case's people list and dates relative to today, so that the demo always
// has something due soon and something overdue.
type demoPerson struct {
	casefile.Person
	CustodyInDays *int `json:"custody_limit_in_days"`
	Protection    *struct {
		casefile.Protection
		ReviewInDays *int `json:"review_in_days"`
	} `json:"protection"`
}

type demoAsset struct {
	casefile.Asset
	OwnerIndex *int                  `json:"owner_index"`
	Events     []casefile.AssetEvent `json:"events"`
}

type demoRequest struct {
	casefile.Request
	DeadlineInDays *int                    `json:"deadline_in_days"`
	PeopleIndex    []int                   `json:"people_index"`
	AssetIndex     []int                   `json:"asset_index"`
	Events         []casefile.RequestEvent `json:"events"`
}

type demoDeadline struct {
	casefile.Deadline
	DueInDays int `json:"due_in_days"`
}

type demoRegister struct {
	People    []demoPerson   `json:"people"`
	Assets    []demoAsset    `json:"assets"`
	Requests  []demoRequest  `json:"requests"`
	Deadlines []demoDeadline `json:"deadlines"`
	Notes     []string       `json:"notes"`
}

func inDays(n *int) casefile.Date {
	if n == nil {
		return casefile.Date{}
	}
	return casefile.Today().AddDays(*n)
}

// fillRegister adds the demo register of one case.
func fillRegister(ctx context.Context, c *casefile.Case, r demoRegister) error {
	var people, assetIDs []string
	for _, dp := range r.People {
		p := dp.Person
		p.CustodyLimit = inDays(dp.CustodyInDays)
		if dp.Protection != nil {
			pr := dp.Protection.Protection
			pr.Review = inDays(dp.Protection.ReviewInDays)
			p.Protection = &pr
		}
		id, err := c.AddPerson(ctx, p)
		if err != nil {
			return fmt.Errorf("person %d: %w", len(people), err)
		}
		people = append(people, id)
	}
	index := func(ids []string, i int) (string, error) {
		if i < 0 || i >= len(ids) {
			return "", fmt.Errorf("index %d out of range", i)
		}
		return ids[i], nil
	}
	for _, da := range r.Assets {
		a := da.Asset
		if da.OwnerIndex != nil {
			id, err := index(people, *da.OwnerIndex)
			if err != nil {
				return err
			}
			a.OwnerID = id
		}
		id, err := c.AddAsset(ctx, a)
		if err != nil {
			return fmt.Errorf("asset %q: %w", a.Description, err)
		}
		for _, e := range da.Events {
			if err := c.AddAssetEvent(ctx, id, e); err != nil {
				return fmt.Errorf("asset %q: %w", a.Description, err)
			}
		}
		assetIDs = append(assetIDs, id)
	}
	for _, dr := range r.Requests {
		req := dr.Request
		req.Deadline = inDays(dr.DeadlineInDays)
		for _, i := range dr.PeopleIndex {
			id, err := index(people, i)
			if err != nil {
				return err
			}
			req.Links = append(req.Links, casefile.Link{Kind: "person", ID: id})
		}
		for _, i := range dr.AssetIndex {
			id, err := index(assetIDs, i)
			if err != nil {
				return err
			}
			req.Links = append(req.Links, casefile.Link{Kind: "asset", ID: id})
		}
		id, err := c.AddRequest(ctx, req)
		if err != nil {
			return fmt.Errorf("request %q: %w", req.Subject, err)
		}
		for _, e := range dr.Events {
			if err := c.AddRequestEvent(ctx, id, e); err != nil {
				return fmt.Errorf("request %q: %w", req.Subject, err)
			}
		}
	}
	for _, dd := range r.Deadlines {
		d := dd.Deadline
		d.Due = casefile.Today().AddDays(dd.DueInDays)
		if _, err := c.AddDeadline(ctx, d); err != nil {
			return err
		}
	}
	for _, n := range r.Notes {
		if _, err := c.AddNote(ctx, "", n); err != nil {
			return err
		}
	}
	return nil
}

func registers() (map[string]demoRegister, error) {
	var m map[string]demoRegister
	if err := json.Unmarshal(assets.DemoRegister, &m); err != nil {
		return nil, fmt.Errorf("demo register data: %w", err)
	}
	return m, nil
}
