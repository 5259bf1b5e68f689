package kms

import (
	"context"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/store"
)

// What KMS does on its own (deleting a key when its waiting period ends,
// rotating it automatically) is recorded as an AwsServiceEvent. The
// change and the event must not part: the sweep's transaction also writes
// the event into an outbox (tblServiceEvents), and the events are handed
// to the Recorder from there after the commit, each removed once it is
// durable. A crash between the two leaves the event in the outbox for the
// next sweep: at least once, never lost.

const tblServiceEvents = "kms_service_events" // <unix nanos, 20 digits>|<key ARN>|<name> -> serviceEventRec

type serviceEventRec struct {
	Name    string    `json:"name"`
	Account string    `json:"account"`
	Region  string    `json:"region"`
	KeyARN  string    `json:"keyArn"`
	At      time.Time `json:"at"`
}

// queueServiceEvent writes the event of what tx does to k into the
// outbox, when the Recorder records service events.
func (s *Service) queueServiceEvent(tx store.Tx, name string, k *keyRec, at time.Time) error {
	if _, ok := s.cfg.Recorder.(ServiceEventRecorder); !ok {
		return nil
	}
	rec := serviceEventRec{Name: name, Account: k.Account, Region: k.Region, KeyARN: k.arn(), At: at.UTC()}
	key := fmt.Sprintf("%020d|%s|%s", at.UnixNano(), rec.KeyARN, name)
	return store.PutJSON(tx, tblServiceEvents, key, &rec)
}

// flushServiceEvents hands the outbox's events to the Recorder, oldest
// first, removing each once recorded; it stops at the first failure, which
// the next sweep retries.
func (s *Service) flushServiceEvents(ctx context.Context) error {
	r, ok := s.cfg.Recorder.(ServiceEventRecorder)
	if !ok {
		return nil
	}
	type queued struct {
		key string
		rec serviceEventRec
	}
	var pending []queued
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblServiceEvents, "", "", 0, func(k string, v []byte) error {
			var rec serviceEventRec
			if err := decodeJSON(v, &rec); err != nil {
				return err
			}
			pending = append(pending, queued{k, rec})
			return nil
		})
	})
	if err != nil {
		return errorf("read service events: %w", err)
	}
	for _, q := range pending {
		e := q.rec
		if err := r.RecordServiceEvent(ctx, e.Name, e.Account, e.Region, e.KeyARN, e.At); err != nil {
			return errorf("record %s of %s: %w", e.Name, e.KeyARN, err)
		}
		err := s.update(ctx, func(tx store.Tx) error {
			if err := tx.Delete(tblServiceEvents, q.key); err != nil && !isNotFound(err) {
				return err
			}
			return nil
		})
		if err != nil {
			return errorf("drop recorded service event: %w", err)
		}
	}
	return nil
}
