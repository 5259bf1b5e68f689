package sns

import (
	"context"
	"sync"
	"time"

	"github.com/cairnhq/cairn/store"
)

// Delivery. Run takes due deliveries from the queue and hands them to a
// pool of workers. A worker posts one message with the attempt's timeout;
// a 2xx answer deletes it from the queue, anything else moves it to its
// next retry per the retry policy it was queued with, or deletes it when
// the policy is spent (AWS discards such messages; Cairn has no
// dead-letter queues). At most maxPerEndpoint attempts to one endpoint run
// at once, so a slow or failing endpoint holds a few workers at most and
// other subscribers are served by the rest. An attempt cut short by
// shutdown is not counted: the delivery stays queued and is attempted
// again after a restart.

// sweepInterval is how often expired tokens and subscriptions never
// confirmed are removed.
const sweepInterval = time.Hour

// maxPerEndpoint is how many attempts to one endpoint may run at once.
func (s *Service) maxPerEndpoint() int { return max(1, s.cfg.Workers/4) }

// Run delivers queued messages until ctx is done, then waits for the
// attempts in flight to end. The wiring runs it once, in the background,
// and lets it return before the store closes.
func (s *Service) Run(ctx context.Context) {
	jobs := make(chan queued, s.cfg.Workers)
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s.attempt(ctx, j)
				s.release(j)
				s.q.notify()
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	lastSweep := time.Time{}
	for {
		now := s.cfg.Clock.Now().UTC()
		if now.Sub(lastSweep) >= sweepInterval {
			if err := s.sweep(ctx, now); err != nil && ctx.Err() == nil {
				s.cfg.Log.Error("sns sweep", "error", err)
			}
			lastSweep = now
		}
		wait := s.cfg.PollInterval
		if s.cfg.Poster != nil {
			batch, next, err := s.claim(ctx, now)
			if err != nil && ctx.Err() == nil {
				s.cfg.Log.Error("sns delivery queue", "error", err)
			}
			for _, j := range batch {
				jobs <- j // never blocks: claim takes no more than the free workers
			}
			if !next.IsZero() {
				wait = min(wait, max(0, next.Sub(now)))
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.q.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// claim takes the due deliveries free workers can start now and marks
// them in flight.
func (s *Service) claim(ctx context.Context, now time.Time) ([]queued, time.Time, error) {
	s.q.mu.Lock()
	free := s.cfg.Workers - len(s.q.inflight)
	s.q.mu.Unlock()
	if free <= 0 {
		return nil, time.Time{}, nil
	}
	limit := s.maxPerEndpoint()
	return s.scanDue(ctx, now, free, func(d *deliveryRec) bool {
		s.q.mu.Lock()
		defer s.q.mu.Unlock()
		if _, busy := s.q.inflight[d.ID]; busy || s.q.perEP[d.Endpoint] >= limit || now.Before(s.q.nextOK[d.SubscriptionARN]) {
			return false
		}
		s.q.inflight[d.ID] = d.Endpoint
		s.q.perEP[d.Endpoint]++
		if d.MaxPerSecond > 0 {
			s.q.nextOK[d.SubscriptionARN] = now.Add(time.Second / time.Duration(d.MaxPerSecond))
		}
		return true
	})
}

func (s *Service) release(j queued) {
	s.q.mu.Lock()
	defer s.q.mu.Unlock()
	delete(s.q.inflight, j.rec.ID)
	if s.q.perEP[j.rec.Endpoint]--; s.q.perEP[j.rec.Endpoint] <= 0 {
		delete(s.q.perEP, j.rec.Endpoint)
	}
	if t, ok := s.q.nextOK[j.rec.SubscriptionARN]; ok && !s.cfg.Clock.Now().Before(t) {
		delete(s.q.nextOK, j.rec.SubscriptionARN)
	}
}

// attempt makes one delivery attempt and records its outcome in the
// queue. Nothing of the message reaches the log: only IDs, the attempt
// count and the status.
func (s *Service) attempt(ctx context.Context, j queued) {
	d := &j.rec
	log := s.cfg.Log.With("subscription", d.SubscriptionARN, "message_id", d.MessageID, "type", d.Type)
	sealed, err := s.stillWanted(ctx, j.key, d)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("sns delivery", "error", err)
		}
		return
	}
	if sealed == nil {
		if err := s.dequeue(ctx, j.key, d.ID); err != nil && ctx.Err() == nil {
			log.Error("sns delivery: drop", "error", err)
		}
		return
	}
	p, err := s.open(d, sealed)
	if err != nil {
		log.Error("sns delivery", "error", err)
		return
	}
	actx, cancel := context.WithTimeout(ctx, s.cfg.DeliveryTimeout)
	status, perr := s.cfg.Poster.Post(actx, d.Endpoint, p.Header, p.Body)
	cancel()
	if ctx.Err() != nil {
		return // shutting down: not an attempt; it stays queued
	}
	if perr == nil && status >= 200 && status < 300 {
		if err := s.dequeue(ctx, j.key, d.ID); err != nil {
			log.Error("sns delivery: done", "error", err)
		}
		log.Debug("sns delivered", "attempt", d.Attempts+1, "status", status)
		return
	}
	d.Attempts++
	outcome := "status"
	if perr != nil {
		outcome, status = "no response", 0
	}
	delay, again := d.Retry.delay(d.Attempts)
	if !again {
		log.Warn("sns delivery failed; retries exhausted, message discarded", "attempts", d.Attempts, "outcome", outcome, "status", status)
		if err := s.dequeue(ctx, j.key, d.ID); err != nil {
			log.Error("sns delivery: discard", "error", err)
		}
		return
	}
	log.Debug("sns delivery failed; will retry", "attempt", d.Attempts, "outcome", outcome, "status", status, "retry_in", delay)
	if err := s.reschedule(ctx, j, s.cfg.Clock.Now().UTC().Add(delay)); err != nil && !isNotFound(err) {
		log.Error("sns delivery: reschedule", "error", err)
	}
}

// stillWanted returns a delivery's sealed payload if it should still be
// made, nil if not: it must still be queued under its key (a claim made
// from a snapshot older than the last attempt's outcome finds it gone, and
// makes no second attempt), and a notification goes only to a confirmed
// subscription, a confirmation request only to a pending one; an
// UnsubscribeConfirmation always (its subscription is gone by design).
func (s *Service) stillWanted(ctx context.Context, key string, d *deliveryRec) ([]byte, error) {
	var sealed []byte
	err := s.view(ctx, func(tx store.Tx) error {
		if _, err := tx.Get(tableQueue, key); err != nil {
			return err
		}
		if d.Type != typeUnsubscribeConfirmation {
			sub, err := loadSubscription(tx, d.SubscriptionARN)
			if err != nil {
				return err
			}
			if sub.Pending != (d.Type == typeSubscriptionConfirmation) {
				return nil
			}
		}
		var err error
		sealed, err = tx.Get(tablePayloads, d.ID)
		return err
	})
	if isNotFound(err) {
		return nil, nil
	}
	return sealed, err
}

// sweep removes expired tokens and the subscriptions that can no longer be
// confirmed (pending, their last token expired), as AWS deletes
// unconfirmed subscriptions.
func (s *Service) sweep(ctx context.Context, now time.Time) error {
	var expired, stale []string
	err := s.view(ctx, func(tx store.Tx) error {
		err := tx.Scan(tableTokens, "", "", 0, func(key string, v []byte) error {
			var t tokenRec
			if err := decodeJSON(v, &t); err != nil {
				return err
			}
			if !now.Before(t.Expires) {
				expired = append(expired, key)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return scanSubscriptionsPrefix(tx, "", "", 0, func(sub *subRec) error {
			if sub.Pending && !now.Before(sub.TokenIssued.Add(tokenValidity)) {
				stale = append(stale, sub.ARN)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if len(expired) == 0 && len(stale) == 0 {
		return nil
	}
	return s.update(ctx, func(tx store.Tx) error {
		for _, k := range expired {
			if err := tx.Delete(tableTokens, k); err != nil && !isNotFound(err) {
				return err
			}
		}
		for _, arn := range stale {
			sub, err := loadSubscription(tx, arn)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if !sub.Pending || now.Before(sub.TokenIssued.Add(tokenValidity)) {
				continue // confirmed or resent meanwhile
			}
			if err := tx.Delete(tableSubscriptions, arn); err != nil {
				return err
			}
		}
		return nil
	})
}
