package sns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// The delivery queue. Every message for every subscriber is one small JSON
// value in sns_queue, keyed by <due time in Unix nanoseconds, 20
// digits>|<ID>, so that the deliveries that are due are the first keys of
// one scan, and its payload (headers and body: customer data, and a token
// for confirmations) is a value of sns_payloads under the delivery ID,
// sealed under the root key with the ID as additional data; scans never
// read payloads. Both are written in the transaction of the call that
// sends the message (Publish, Subscribe, Unsubscribe), so a message the
// caller was told about is never lost; an attempt that fails moves the
// queue value to its retry's key, one that succeeds or runs out of
// retries deletes both.

const (
	tableQueue    = "sns_queue"
	tablePayloads = "sns_payloads"
	// maxScan bounds the queue entries one pass looks at. Entries for
	// endpoints at their limit of attempts in flight are passed over, so
	// a backlog larger than this for such endpoints delays the entries
	// behind it until it shrinks.
	maxScan = 10000
)

// deliveryRec is one queued delivery.
type deliveryRec struct {
	ID              string
	Type            string // Notification, SubscriptionConfirmation, UnsubscribeConfirmation
	TopicARN        string
	SubscriptionARN string
	Endpoint        string
	MessageID       string
	Queued          time.Time
	Attempts        int // attempts made so far
	Retry           retryPolicy
	MaxPerSecond    int // throttle policy; 0: none
}

func queueKey(due time.Time, id string) string {
	return fmt.Sprintf("%020d|%s", due.UnixNano(), id)
}

// dueOf reads the due time of a queue key.
func dueOf(key string) (time.Time, bool) {
	ns, _, ok := strings.Cut(key, "|")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, n).UTC(), true
}

func deliveryAAD(id string) []byte { return []byte("sns-delivery|" + id) }

// enqueue seals p and queues d, due now, in tx. Call s.q.notify after the
// transaction commits.
func (s *Service) enqueue(tx store.Tx, d *deliveryRec, p payload, now time.Time) error {
	plain, err := json.Marshal(p)
	if err != nil {
		return errorf("encode a delivery: %w", err)
	}
	sealed, err := s.cfg.Sealer.Seal(plain, deliveryAAD(d.ID))
	if err != nil {
		return errorf("seal a delivery: %w", err)
	}
	if err := tx.Insert(tablePayloads, d.ID, sealed); err != nil {
		return errorf("queue a delivery: %w", err)
	}
	d.Queued = now
	return store.InsertJSON(tx, tableQueue, queueKey(now, d.ID), d)
}

// open unseals a delivery's payload.
func (s *Service) open(d *deliveryRec, sealed []byte) (payload, error) {
	plain, err := s.cfg.Sealer.Open(sealed, deliveryAAD(d.ID))
	if err != nil {
		return payload{}, errorf("open delivery %s: %w", d.ID, err)
	}
	var p payload
	if err := json.Unmarshal(plain, &p); err != nil {
		return payload{}, errorf("decode delivery %s: %w", d.ID, err)
	}
	return p, nil
}

// queued is a delivery read from the queue, with its key.
type queued struct {
	key string
	rec deliveryRec
}

// scanDue reads deliveries due at now, oldest first, for which take says
// yes (at most limit of them, and at most maxScan looked at); next is the
// due time of the first delivery not yet due (zero when none or not seen).
func (s *Service) scanDue(ctx context.Context, now time.Time, limit int, take func(*deliveryRec) bool) (out []queued, next time.Time, err error) {
	seen := 0
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tableQueue, "", "", 0, func(key string, v []byte) error {
			seen++
			due, ok := dueOf(key)
			if !ok {
				return errorf("queue key %q", key)
			}
			if due.After(now) {
				next = due
				return store.ErrStop
			}
			if len(out) >= limit || seen > maxScan {
				// Run is woken when a worker is free again.
				return store.ErrStop
			}
			var d deliveryRec
			if err := json.Unmarshal(v, &d); err != nil {
				return errorf("decode queued delivery %q: %w", key, err)
			}
			if !take(&d) {
				return nil // in flight, or its endpoint is busy: Run is woken when that changes
			}
			out = append(out, queued{key: key, rec: d})
			return nil
		})
	})
	return out, next, err
}

// reschedule moves a delivery to its next attempt's key.
func (s *Service) reschedule(ctx context.Context, q queued, due time.Time) error {
	return s.update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(tableQueue, q.key); err != nil {
			return err // gone already: nothing to move
		}
		return store.InsertJSON(tx, tableQueue, queueKey(due, q.rec.ID), &q.rec)
	})
}

// dequeue deletes a delivery that is done with, and its payload; one
// already gone is fine.
func (s *Service) dequeue(ctx context.Context, key, id string) error {
	return s.update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(tableQueue, key); err != nil && !isNotFound(err) {
			return err
		}
		if err := tx.Delete(tablePayloads, id); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
}

func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

func decodeJSON(v []byte, into any) error {
	if err := json.Unmarshal(v, into); err != nil {
		return errorf("decode: %w", err)
	}
	return nil
}
