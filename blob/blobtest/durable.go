package blobtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairnhq/cairn/blob"
)

// RunDurable runs the tests that reopen a store: persistence, hostile keys
// checked against the filesystem, and a crash in the middle of Puts. open
// must open (creating when needed) the store kept under the folder dir; the
// suite closes every store it opens.
//
// The crash test runs the calling test binary again in a child process
// (selected with -test.run and the environment variable CrashEnv), lets it
// start two Puts, kills it with SIGKILL in the middle of them, and reopens
// the folder.
func RunDurable(t *testing.T, open func(t *testing.T, dir string) blob.Store) {
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
	t.Run("HostileKeysStayInside", func(t *testing.T) { testContained(t, open) })
	t.Run("CrashMidPut", func(t *testing.T) { testCrash(t, open) })
}

func testReopen(t *testing.T, open func(t *testing.T, dir string) blob.Store) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "kept", content(1, 300<<10))
	put(t, s, "replaced", content(2, 10))
	put(t, s, "replaced", content(3, 20))
	put(t, s, "deleted", content(4, 10))
	put(t, s, "empty", nil)
	if err := s.Delete(context.Background(), "deleted"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer s.Close()
	mustGet(t, s, "kept", content(1, 300<<10))
	mustGet(t, s, "replaced", content(3, 20))
	mustGet(t, s, "empty", []byte{})
	mustBeAbsent(t, s, "deleted")
	mustWalk(t, s, map[string]bool{"kept": true, "replaced": true, "empty": true})
}

// testContained puts every hostile key into a store in root/store and
// checks that nothing appeared anywhere else: not in root, not where the
// key names a path relative to the store's folders, not at an absolute
// path.
func testContained(t *testing.T, open func(t *testing.T, dir string) blob.Store) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	token := randomToken()
	keys := HostileKeys(token)
	s := open(t, dir)
	// Check containment even when a Put fails: an escape is the worse news.
	defer checkContained(t, root, dir, token, keys)
	for i, k := range keys {
		if _, err := s.Put(context.Background(), k, bytes.NewReader(content(uint64(i), 10+i))); err != nil {
			t.Errorf("Put(%q): %v", short(k), err)
		}
	}
	for i, k := range keys {
		mustGet(t, s, k, content(uint64(i), 10+i))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkContained reports (and removes) files the keys created outside dir.
func checkContained(t *testing.T, root, dir, token string, keys []string) {
	inside := func(p string) bool {
		rel, err := filepath.Rel(dir, p)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && p != dir && !inside(p) {
			t.Errorf("%s was created outside the store's folder", p)
			if p != dir {
				os.RemoveAll(p)
			}
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var bases []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			bases = append(bases, p)
		}
		return nil
	})
	bases = append(bases, root, os.TempDir(), "/")
	for _, k := range keys {
		cands := []string{k}
		for _, b := range bases {
			cands = append(cands, filepath.Join(b, k), filepath.Join(b, strings.ReplaceAll(k, `\`, "/")))
		}
		for _, c := range cands {
			if !strings.Contains(c, token) || inside(c) {
				continue
			}
			if _, err := os.Lstat(c); err == nil {
				t.Errorf("key %q created %s", short(k), c)
				os.Remove(c)
			}
		}
	}
}

func randomToken() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CrashEnv is the environment variable that makes the crash test, run in a
// child process, start its Puts and wait to be killed; it holds the store's
// folder.
const CrashEnv = "CAIRN_BLOBTEST_CRASH_DIR"

const crashReady = "BLOBTEST-CRASH-READY"

// crashStall is how many bytes each Put in the child has consumed before
// the child reports that it is ready to be killed.
const crashStall = 8 << 20

func testCrash(t *testing.T, open func(t *testing.T, dir string) blob.Store) {
	if dir := os.Getenv(CrashEnv); dir != "" {
		crashChild(t, open, dir)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process; skipped in -short mode")
	}
	dir := t.TempDir()
	old := content(11, 100<<10)
	kept := content(12, 5000)
	s := open(t, dir)
	put(t, s, "crash/replaced", old)
	put(t, s, "crash/kept", kept)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run="+runPattern(t.Name()), "-test.count=1", "-test.timeout=3m")
	cmd.Env = append(os.Environ(), CrashEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	var out bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stdout)
		found := false
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if sc.Text() == crashReady && !found {
				found = true
				ready <- true
			}
		}
		if !found {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Wait()
			t.Fatalf("the child exited before its Puts were under way:\nstdout:\n%s\nstderr:\n%s", out.String(), stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("the child did not get ready:\nstderr:\n%s", stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
		t.Fatal(err)
	}
	cmd.Wait()

	s = open(t, dir)
	defer s.Close()
	mustBeAbsent(t, s, "crash/new")
	mustGet(t, s, "crash/replaced", old)
	mustGet(t, s, "crash/kept", kept)
	// What the interrupted Puts wrote is gone, not just invisible.
	if used := diskUsage(t, dir); used > int64(len(old)+len(kept))+1<<20 {
		t.Errorf("the folder holds %d bytes after reopening, for %d bytes of blobs: the crashed Puts left garbage", used, len(old)+len(kept))
	}
	put(t, s, "crash/new", content(13, 1000))
	mustGet(t, s, "crash/new", content(13, 1000))
	put(t, s, "crash/replaced", content(14, 1000))
	mustGet(t, s, "crash/replaced", content(14, 1000))
}

// runPattern returns a -test.run pattern that selects exactly the test
// named name (as testing.T.Name returns it).
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// stallReader yields the stream for seed; after crashStall bytes it
// reports on ready and blocks forever.
type stallReader struct {
	g     genReader
	ready chan<- struct{}
	told  atomic.Bool
}

func (r *stallReader) Read(p []byte) (int, error) {
	if r.g.off >= crashStall {
		if !r.told.Swap(true) {
			r.ready <- struct{}{}
		}
		select {} // until the process is killed
	}
	if rem := crashStall - r.g.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	return r.g.Read(p)
}

func crashChild(t *testing.T, open func(t *testing.T, dir string) blob.Store, dir string) {
	s := open(t, dir)
	ready := make(chan struct{}, 2)
	errc := make(chan error, 2)
	for i, key := range []string{"crash/new", "crash/replaced"} {
		go func() {
			_, err := s.Put(context.Background(), key, &stallReader{g: genReader{seed: uint64(20 + i), size: 1 << 40}, ready: ready})
			errc <- fmt.Errorf("Put(%s) returned: %v", key, err)
		}()
	}
	for range 2 {
		select {
		case <-ready:
		case err := <-errc:
			t.Fatal(err)
		}
	}
	fmt.Println(crashReady)
	os.Stdout.Sync()
	time.Sleep(time.Hour) // until the parent kills this process
}

func diskUsage(t *testing.T, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return total
}
