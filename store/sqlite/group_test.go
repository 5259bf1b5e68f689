package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

// Concurrent writes share group commits, yet each is all or nothing: the
// failing ones leave nothing, the others all commit, and events appended
// in the same groups get their sequence numbers only when they commit.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	errFail := errors.New("refused")
	var wg sync.WaitGroup
	results := make([]error, 200)
	events := make([]*store.Event, 200)
	for i := range 200 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			results[i] = st.Update(ctx, func(tx store.Tx) error {
				if err := tx.Put("t", fmt.Sprintf("k%03d", i), []byte("v")); err != nil {
					return err
				}
				if err := tx.Put("t", fmt.Sprintf("k%03d-b", i), []byte("v")); err != nil {
					return err
				}
				if i%5 == 0 {
					return errFail
				}
				return nil
			})
		}()
		go func() {
			defer wg.Done()
			events[i] = &store.Event{Account: "111122223333", Region: "us-east-1", ID: fmt.Sprintf("e%03d", i), Name: "X", Record: []byte("{}")}
			if err := st.AppendEvents(ctx, []*store.Event{events[i]}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	err = st.View(ctx, func(tx store.Tx) error {
		for i := range 200 {
			_, err1 := tx.Get("t", fmt.Sprintf("k%03d", i))
			_, err2 := tx.Get("t", fmt.Sprintf("k%03d-b", i))
			if i%5 == 0 {
				if !errors.Is(results[i], errFail) || err1 == nil || err2 == nil {
					return fmt.Errorf("failed write %d: result %v, rows left %v %v", i, results[i], err1, err2)
				}
				continue
			}
			if results[i] != nil || err1 != nil || err2 != nil {
				return fmt.Errorf("write %d: result %v, rows %v %v", i, results[i], err1, err2)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, e := range events {
		if e.Seq <= 0 || seen[e.Seq] {
			t.Fatalf("event %s has sequence %d", e.ID, e.Seq)
		}
		seen[e.Seq] = true
	}
	evs, err := st.EventsAfter(ctx, "111122223333", "us-east-1", 0, 1000)
	if err != nil || len(evs) != 200 {
		t.Fatalf("%d events stored (%v)", len(evs), err)
	}
}

// A write whose context is done before its turn does nothing.
func TestGroupCommitCancelledWrite(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = st.Update(ctx, func(tx store.Tx) error { return tx.Put("t", "k", []byte("v")) })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Update: %v", err)
	}
	if err := st.View(context.Background(), func(tx store.Tx) error { _, err := tx.Get("t", "k"); return err }); err == nil {
		t.Fatal("a cancelled Update wrote")
	}
}

// A write that panics is rolled back alone and panics again in its
// caller, where the server's recovery answers for it; the group goes on.
func TestGroupCommitPanickingWrite(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	recovered := make(chan any, 1)
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer func() { recovered <- recover() }()
		_ = st.Update(ctx, func(tx store.Tx) error {
			if err := tx.Put("t", "doomed", []byte("v")); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	go func() {
		defer wg.Done()
		if err := st.Update(ctx, func(tx store.Tx) error { return tx.Put("t", "kept", []byte("v")) }); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	if p := <-recovered; p != "boom" {
		t.Fatalf("the caller recovered %v", p)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Get("t", "doomed"); err == nil {
			return errors.New("the panicking write was kept")
		}
		_, err := tx.Get("t", "kept")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Events whose append fails hand their sequence numbers back.
func TestGroupCommitFailedAppendResetsSequence(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ok := &store.Event{Account: "111122223333", Region: "us-east-1", ID: "same", Name: "X", Record: []byte("{}")}
	if err := st.AppendEvents(ctx, []*store.Event{ok}); err != nil {
		t.Fatal(err)
	}
	// An event without a record violates the table's NOT NULL: the
	// append fails after its sequence number was reserved.
	bad := []*store.Event{{Account: "111122223333", Region: "us-east-1", ID: "a", Name: "X", Record: nil}}
	if err := st.AppendEvents(ctx, bad); err == nil {
		t.Fatal("an event without a record was appended")
	}
	if bad[0].Seq != 0 {
		t.Fatalf("a failed append kept sequence %d", bad[0].Seq)
	}
}
