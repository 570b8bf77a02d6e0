//go:build unix

package casefile

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as the child process of the crash and
// lock tests.
func TestMain(m *testing.M) {
	switch os.Getenv("CASEVAULT_TEST_CHILD") {
	case "saveloop":
		childSaveLoop(os.Getenv("CASEVAULT_TEST_DIR"), os.Getenv("CASEVAULT_TEST_CASE"))
		return
	case "fsize":
		childFileSizeLimit(os.Getenv("CASEVAULT_TEST_DIR"), os.Getenv("CASEVAULT_TEST_CASE"))
		return
	case "holdlock":
		if _, err := Open(os.Getenv("CASEVAULT_TEST_DIR")); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		time.Sleep(time.Hour)
		return
	}
	code := m.Run()
	benchTempCleanup()
	os.Exit(code)
}

func childSaveLoop(dir, id string) {
	ctx := context.Background()
	die := func(err error) {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	w, err := Open(dir)
	if err != nil {
		die(err)
	}
	if err := w.Unlock(testPass); err != nil {
		die(err)
	}
	c, err := w.OpenCase(ctx, id)
	if err != nil {
		die(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		die(err)
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(info.Title, "state-"))
	fmt.Println("ready")
	for {
		n++
		info.Title = fmt.Sprintf("state-%d", n)
		info.Summary = strings.Repeat(fmt.Sprintf("summary of state %d. ", n), 200+n%300)
		if err := c.Update(ctx, info); err != nil {
			die(err)
		}
		if err := c.Save(); err != nil {
			die(err)
		}
		fmt.Println(n)
	}
}

func childCmd(t *testing.T, mode, dir, id string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CASEVAULT_TEST_CHILD="+mode, "CASEVAULT_TEST_DIR="+dir, "CASEVAULT_TEST_CASE="+id)
	return cmd
}

// TestCrashDuringSave kills a process that saves in a loop at random
// moments; after every kill the case must open, verify, and hold either the
// last state the child reported saved or the one after it.
func TestCrashDuringSave(t *testing.T) {
	kills := 200
	if testing.Short() {
		kills = 20
	}
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	info := sampleInfo()
	info.Title = "state-0"
	info.Summary = "summary of state 0."
	c := mustCreateCase(t, w, info)
	id, dir := c.ID(), w.Dir()
	w.Close()

	acked := 0
	midSave := 0
	for k := 0; k < kills; k++ {
		cmd := childCmd(t, "saveloop", dir, id)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1000)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		if l := <-lines; l != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child says %q", k, l)
		}
		// Let the child report 0 to 2 saves, then kill it at a random
		// moment of the next ones: progress whatever the machine's load.
		for wait := rand.IntN(3); wait > 0; wait-- {
			select {
			case l, ok := <-lines:
				if ok {
					if n, err := strconv.Atoi(l); err == nil {
						acked = n
					}
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("kill %d: the child saved nothing for 10 s", k)
			}
		}
		time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		for l := range lines {
			if n, err := strconv.Atoi(l); err == nil {
				acked = n
			} else {
				t.Fatalf("kill %d: child says %q", k, l)
			}
		}

		w, err := Open(dir) // the child's lock is stale now
		if err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		if err := w.Unlock(testPass); err != nil {
			t.Fatalf("kill %d: unlock: %v", k, err)
		}
		c, err := w.OpenCase(ctx, id)
		if err != nil {
			t.Fatalf("kill %d: open case: %v", k, err)
		}
		got, _ := c.Info(ctx)
		n, _ := strconv.Atoi(strings.TrimPrefix(got.Title, "state-"))
		switch n {
		case acked:
		case acked + 1:
			midSave++ // killed after the save, before it was reported
			acked = n
		default:
			t.Fatalf("kill %d: case holds %q, want state-%d or state-%d", k, got.Title, acked, acked+1)
		}
		if !strings.HasPrefix(got.Summary, fmt.Sprintf("summary of state %d.", n)) {
			t.Fatalf("kill %d: title and summary are from different saves", k)
		}
		if _, rep, _ := c.Audit(ctx); !rep.OK {
			t.Fatalf("kill %d: audit chain: %+v", k, rep)
		}
		rep, err := w.Verify(ctx)
		if err != nil || !rep.OK {
			t.Fatalf("kill %d: verify: %+v %v", k, rep, err)
		}
		w.Close()
	}
	t.Logf("%d kills, final state %d, %d kills landed between a save and its report", kills, acked, midSave)
	if acked < kills/4 {
		t.Fatalf("only %d saves in %d runs: the children did not get to save", acked, kills)
	}
}

// TestStaleLockRecovered kills a process holding the workspace: the next
// Open takes the lock over.
func TestStaleLockRecovered(t *testing.T) {
	w, _ := newTestWorkspace(t)
	dir := w.Dir()
	w.Close()
	cmd := childCmd(t, "holdlock", dir, "")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "locked" {
		t.Fatalf("child: %q", sc.Text())
	}
	_, err := Open(dir)
	want := fmt.Sprintf("workspace is open in another CaseVault (pid %d)", cmd.Process.Pid)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	cmd.Process.Kill()
	cmd.Wait()
	w2, err := Open(dir)
	if err != nil {
		t.Fatalf("stale lock not recovered: %v", err)
	}
	w2.Close()
}

// childFileSizeLimit opens the case, grows it, and saves with the file size
// limit below what the save needs: the kernel refuses the write part-way,
// as a full disk would.
func childFileSizeLimit(dir, id string) {
	ctx := context.Background()
	w, err := Open(dir)
	if err == nil {
		err = w.Unlock(testPass)
	}
	var c *Case
	if err == nil {
		c, err = w.OpenCase(ctx, id)
	}
	if err != nil {
		fmt.Println("setup:", err)
		os.Exit(1)
	}
	info, _ := c.Info(ctx)
	info.Title = "grown"
	info.Summary = strings.Repeat("grown summary ", 7000)
	if err := c.Update(ctx, info); err != nil {
		fmt.Println("setup:", err)
		os.Exit(1)
	}
	signal.Ignore(syscall.SIGXFSZ)
	syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 60_000, Max: 60_000})
	err = c.Save()
	fmt.Println("save:", err)
	os.Exit(0) // no close: the case stays unsaved, as after a failed save
}

func TestDiskFullKeepsOldFile(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	id, dir := c.ID(), w.Dir()
	w.Close()
	out, err := childCmd(t, "fsize", dir, id).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "save: could not save case") || !strings.Contains(string(out), "file too large") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if err := w2.Unlock(testPass); err != nil {
		t.Fatal(err)
	}
	c2, err := w2.OpenCase(ctx, id)
	if err != nil {
		t.Fatalf("the old file did not survive: %v", err)
	}
	if got, _ := c2.Info(ctx); got.Title != sampleInfo().Title {
		t.Fatalf("title %q: want the last saved state", got.Title)
	}
	if rep, err := w2.Verify(ctx); err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}
