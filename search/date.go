package search

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A document's date (UTC) is indexed as four keywords instead of a bleve
// date field, whose sixteen prefix-coded terms per document cost about as
// much to index as the document's text:
//
//	date   "2024-03-15T08:30:00Z" stored, doc values (sort by date), one term
//	year   "2024"                 doc values (the year facet)
//	month  "2024-03"
//	day    "2024-03-15"
//
// from: and to: take whole days, so a range is the days at its ragged ends,
// the months next to them and the years between (dateRange): each a term
// range over its field, which only ever visits terms that exist.
const (
	dateLayout  = "2006-01-02T15:04:05Z" // RFC 3339 in UTC: sorts as it reads
	monthLayout = "2006-01"
	dayLayout   = "2006-01-02"
)

func yearTerm(t time.Time) string { return fmt.Sprintf("%04d", t.Year()) }

// dateFields are the fields of a document dated d.
func dateFields(d time.Time) []*analysedField {
	d = d.UTC()
	return []*analysedField{
		keywordField(fDate, []byte(d.Format(dateLayout)), index.IndexField|index.StoreField|index.DocValues),
		keywordField(fYear, []byte(yearTerm(d)), index.IndexField|index.DocValues),
		keywordField(fMonth, []byte(d.Format(monthLayout)), optIndexOnly),
		keywordField(fDay, []byte(d.Format(dayLayout)), optIndexOnly),
	}
}

// dateRange matches documents dated from the first instant of from's day
// up to the last instant of to's day; a nil bound is open.
func dateRange(from, to *time.Time) query.Query {
	var lo, hi time.Time // whole days, [lo, hi); zero: open
	if from != nil {
		lo = dayOf(*from)
	}
	if to != nil {
		hi = dayOf(*to).AddDate(0, 0, 1)
		if hi.Year() > 9999 { // "10000" would sort before "9999": open instead
			hi = time.Time{}
		}
	}
	var parts []query.Query
	add := func(field, layout string, a, b time.Time) {
		q := bleve.NewTermRangeQuery(a.Format(layout), b.Format(layout))
		q.SetField(field)
		parts = append(parts, q)
	}
	open := func() bool { return lo.IsZero() || hi.IsZero() || lo.Before(hi) }
	// Days up to the first whole month, and after the last.
	if !lo.IsZero() && lo.Day() != 1 {
		end := lo.AddDate(0, 1, 1-lo.Day())
		if !hi.IsZero() && hi.Before(end) {
			end = hi
		}
		add(fDay, dayLayout, lo, end)
		lo = end
	}
	if !hi.IsZero() && hi.Day() != 1 && open() {
		start := hi.AddDate(0, 0, 1-hi.Day())
		if !lo.IsZero() && lo.After(start) {
			start = lo
		}
		add(fDay, dayLayout, start, hi)
		hi = start
	}
	// Months up to the first whole year, and after the last.
	if !lo.IsZero() && lo.Month() != time.January && open() {
		end := time.Date(lo.Year()+1, time.January, 1, 0, 0, 0, 0, time.UTC)
		if !hi.IsZero() && hi.Before(end) {
			end = hi
		}
		add(fMonth, monthLayout, lo, end)
		lo = end
	}
	if !hi.IsZero() && hi.Month() != time.January && open() {
		start := time.Date(hi.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
		if !lo.IsZero() && lo.After(start) {
			start = lo
		}
		add(fMonth, monthLayout, start, hi)
		hi = start
	}
	if open() {
		q := bleve.NewTermRangeQuery(yearOrOpen(lo), yearOrOpen(hi))
		q.SetField(fYear)
		parts = append(parts, q)
	}
	switch len(parts) {
	case 0:
		return bleve.NewMatchNoneQuery()
	case 1:
		return parts[0]
	}
	return bleve.NewDisjunctionQuery(parts...)
}

func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func yearOrOpen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return yearTerm(t)
}
