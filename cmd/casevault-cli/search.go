package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"casevault/casefile"
	"casevault/internal/caseindex"
	"casevault/search"
)

// cmdSearch searches every case of the workspace (or one) at once.
func cmdSearch(e *env, args []string) (err error) {
	fs := newFlagSet(e, "search")
	caseKey := fs.String("case", "", "only this case")
	limit := fs.Int("limit", 20, "hits to show")
	offset := fs.Int("offset", 0, "hits to skip (paging)")
	byDate := fs.Bool("by-date", false, "newest first instead of most relevant first")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("search needs a QUERY\n%s", search.QueryHelp)
	}
	query := strings.Join(pos, " ")
	if _, err := search.ParseQuery(query); err != nil {
		return usagef("%v", err)
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	opts := search.SearchOptions{Limit: *limit, Offset: *offset, SortByDate: *byDate}
	if *caseKey != "" {
		id, err := w.ResolveCase(*caseKey)
		if err != nil {
			return err
		}
		opts.Cases = []string{id}
	}
	ix, err := openIndex(e, w)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), query, opts)
	if err != nil {
		return err
	}
	refs := map[string]string{}
	if list, err := w.Cases(); err == nil {
		for _, s := range list {
			refs[s.ID] = s.Ref
		}
	}
	if *asJSON {
		type hit struct {
			CaseID  string  `json:"case_id"`
			CaseRef string  `json:"case_ref"`
			ItemID  string  `json:"item_id"`
			Kind    string  `json:"kind"`
			Chunk   int     `json:"chunk"`
			Title   string  `json:"title"`
			Date    string  `json:"date,omitempty"`
			Type    string  `json:"type,omitempty"`
			Lang    string  `json:"lang,omitempty"`
			Score   float64 `json:"score"`
			Snippet string  `json:"snippet"`
		}
		out := struct {
			Total int   `json:"total"`
			Hits  []hit `json:"hits"`
		}{Total: int(res.Total), Hits: []hit{}}
		for _, h := range res.Hits {
			d := ""
			if !h.Date.IsZero() {
				d = h.Date.Format("2006-01-02")
			}
			out.Hits = append(out.Hits, hit{h.CaseID, refs[h.CaseID], h.ItemID, string(h.Kind), h.Chunk, h.Title, d, h.Type, h.Lang, h.Score, h.Snippet.Marked("«", "»")})
		}
		return writeJSON(e, out)
	}
	for _, h := range res.Hits {
		fmt.Fprintf(e.stdout, "%s  %-8s %s  %s\n    %s\n", refs[h.CaseID], h.Kind, h.ItemID, h.Title, strings.ReplaceAll(h.Snippet.Marked("«", "»"), "\n", " "))
	}
	fmt.Fprintf(e.stderr, "%d hit(s) in %s.\n", res.Total, res.Took.Round(1e6))
	return nil
}

// openIndex opens the workspace's index, rebuilding it from the case
// files (with progress on stderr) when it is missing or damaged.
func openIndex(e *env, w *casefile.Workspace) (*search.Index, error) {
	ix, rebuilt, err := caseindex.Open(context.Background(), w, func(n int) {
		fmt.Fprintf(e.stderr, "\rrebuilding the search index: %d documents", n)
	})
	if rebuilt {
		fmt.Fprintln(e.stderr)
	}
	return ix, err
}

// reindex brings the index up to date with a case that changed. A
// failure does not undo the change: it says how to repair the index.
func reindex(e *env, w *casefile.Workspace, c *casefile.Case) {
	ix, err := openIndex(e, w)
	if err == nil {
		err = caseindex.ReindexCase(context.Background(), ix, c)
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "warning: the change is saved, but the search index was not updated (%v): run 'casevault-cli index rebuild'\n", err)
	}
}

func cmdIndex(e *env, args []string) error {
	return subcommand("index", args, map[string]func([]string) error{
		"rebuild": func(a []string) error { return indexRebuild(e, a) },
		"verify":  func(a []string) error { return indexVerify(e, a) },
	})
}

func indexRebuild(e *env, args []string) (err error) {
	if len(args) > 0 {
		return usagef("index rebuild takes no arguments")
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ix, err := caseindex.Rebuild(ctx, w, func(n int) { fmt.Fprintf(e.stderr, "\r%d documents indexed", n) })
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	n, _ := ix.DocCount()
	fmt.Fprintf(e.stderr, "The search index was rebuilt: %d documents.\n", n)
	return ix.Close()
}

func indexVerify(e *env, args []string) (err error) {
	if len(args) > 0 {
		return usagef("index verify takes no arguments")
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	ix, err := openIndex(e, w)
	if err != nil {
		return err
	}
	defer ix.Close()
	if err := ix.Verify(context.Background()); err != nil {
		return fmt.Errorf("the search index does not verify (%v): run 'casevault-cli index rebuild'; the case files are not affected", err)
	}
	n, _ := ix.DocCount()
	fmt.Fprintf(e.stderr, "The search index verifies: %d documents.\n", n)
	return nil
}
