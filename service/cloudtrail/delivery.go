package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Log file delivery. Each trail has a cursor per event stream (account and
// region) it covers. A delivery reads the events after the cursor, keeps
// those the trail matches and that were recorded while it was logging,
// and writes them as one gzip log file. Before the write, the file to be
// written (its key and the last sequence number it covers) is pinned in
// the cursor; after the write, the cursor moves past the range in the same
// transaction that records the delivered file. A crash in between leaves
// the pin, and the next delivery writes the same events under the same key
// again: no gap, no duplicate. A refused write is retried every pass for
// up to RedeliveryWindow (30 days); events older than that are skipped
// (delivery_expiry.go).

// Store tables of delivery.
const (
	tblCursors  = "cloudtrail_cursors"   // <trail ARN>|<account>|<region>
	tblLogFiles = "cloudtrail_log_files" // <trail ARN>|<region>|<delivered, unix nanos, 20 digits>|<key>
)

// Delivery defaults.
const (
	DefaultDeliveryInterval = 5 * time.Minute
	DefaultDigestInterval   = time.Hour
	// MaxLogFileBytes bounds a log file (AWS: 50 MB compressed); Cairn
	// bounds the uncompressed records, which is stricter.
	MaxLogFileBytes = 50 << 20
	// readBatch is how many events one store read returns.
	readBatch = 1000
)

// Object is a file CloudTrail writes to a trail's bucket.
type Object struct {
	// TrailARN and Account are aws:SourceArn and aws:SourceAccount of the
	// write, which is made as cloudtrail.amazonaws.com.
	TrailARN, Account string
	Region            string // the trail's home region
	Bucket, Key       string
	Body              []byte
	Metadata          map[string]string
	// KMSKeyARN selects SSE-KMS with that key and the encryption context
	// aws:cloudtrail:arn = TrailARN; "" uses the bucket's default
	// encryption.
	KMSKeyARN string
	// Digest marks a digest file (else a log file).
	Digest bool
}

// ObjectWriter writes CloudTrail's files into S3 as the service principal
// cloudtrail.amazonaws.com, through S3's normal authorization, with the
// canned ACL bucket-owner-full-control, and records the write as an event.
// An error that is a *cairn.Error (AccessDenied, NoSuchBucket, …) is shown
// by its code in GetTrailStatus.
type ObjectWriter interface {
	WriteObject(ctx context.Context, o Object) error
}

// DeliveryConfig is what a Deliverer is built from.
type DeliveryConfig struct {
	Service *Service
	Store   store.Store
	Writer  ObjectWriter
	// Clock paces deliveries and stamps file names. No IDs are drawn:
	// names derive from the event range, so that a repeated delivery
	// overwrites the same key.
	Clock          cairn.Clock
	Interval       time.Duration // between log deliveries (5 min)
	DigestInterval time.Duration // between digests of a trail and region (1 h)
	// Regions are the regions a multi-region trail covers.
	Regions []string
	// MaxFileBytes bounds the records of one log file (MaxLogFileBytes).
	MaxFileBytes int
	Log          *slog.Logger
	// Notifier, if set, tells trails' SNS topics of delivered log files.
	Notifier Notifier
	// Logs, if set, streams trails' events into their CloudWatch Logs log
	// groups every LogsInterval (DefaultLogsInterval).
	Logs         LogsWriter
	LogsInterval time.Duration
}

// Deliverer delivers every trail's log files and digests.
type Deliverer struct {
	cfg DeliveryConfig
}

// NewDeliverer builds a Deliverer.
func NewDeliverer(cfg DeliveryConfig) *Deliverer {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultDeliveryInterval
	}
	if cfg.DigestInterval <= 0 {
		cfg.DigestInterval = DefaultDigestInterval
	}
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if len(cfg.Regions) == 0 {
		cfg.Regions = DefaultRegions()
	}
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = MaxLogFileBytes
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Deliverer{cfg: cfg}
}

// DefaultRegions are the regions a multi-region trail covers.
func DefaultRegions() []string {
	return []string{
		"us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1", "ap-northeast-2",
		"ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
		"eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1",
		"sa-east-1",
	}
}

// Run delivers log files every Interval and digests every DigestInterval
// until ctx is done; a pass in progress finishes first.
func (d *Deliverer) Run(ctx context.Context) {
	tick := min(d.cfg.Interval, d.cfg.DigestInterval)
	t := time.NewTicker(tick)
	defer t.Stop()
	var lastDelivery time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A pass is not cut short by shutdown: it ends with its writes
		// committed, or is redone identically after a restart.
		pass := context.WithoutCancel(ctx)
		if now := d.cfg.Clock.Now(); now.Sub(lastDelivery) >= d.cfg.Interval-tick/2 {
			lastDelivery = now
			if err := d.Deliver(pass); err != nil {
				d.cfg.Log.Error("cloudtrail delivery", "error", err)
			}
		}
		if err := d.Digest(pass); err != nil {
			d.cfg.Log.Error("cloudtrail digests", "error", err)
		}
	}
}

// Deliver runs one delivery pass over every trail: each stream's events
// after its cursor are delivered in files of at most MaxFileBytes. A
// failure is reported in the trail's status and the events stay for the
// next pass.
func (d *Deliverer) Deliver(ctx context.Context) error {
	trails, retired, err := d.trails(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i := range trails {
		t := &trails[i]
		if t.StartLoggingTime.IsZero() {
			continue // never logged
		}
		if err := d.deliverTrail(ctx, t); err != nil {
			errs = append(errs, fmt.Errorf("trail %s: %w", t.ARN, err))
			continue
		}
		// A deleted trail without digests is done once its last events
		// are surely recorded and delivered.
		if retired[t.ARN] && !t.LogFileValidationEnabled && d.pastFinal(t) {
			if err := d.deliverTrail(ctx, t); err != nil {
				errs = append(errs, fmt.Errorf("trail %s: %w", t.ARN, err))
			} else if err := d.forget(ctx, t.ARN); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// trails returns the trails to deliver for: the current ones, then the
// retired (deleted) ones, which are named in the set.
func (d *Deliverer) trails(ctx context.Context) ([]Trail, map[string]bool, error) {
	trails, err := d.cfg.Service.Trails(ctx)
	if err != nil {
		return nil, nil, err
	}
	old, err := d.cfg.Service.RetiredTrails(ctx)
	if err != nil {
		return nil, nil, err
	}
	// A trail created under a retired trail's ARN takes its cursors and
	// chains over: the retired one is forgotten without its last digest.
	current := map[string]bool{}
	for _, t := range trails {
		current[t.ARN] = true
	}
	retired := map[string]bool{}
	for _, t := range old {
		if current[t.ARN] {
			if err := d.cfg.Service.ForgetRetired(ctx, t.ARN); err != nil {
				return nil, nil, err
			}
			continue
		}
		retired[t.ARN] = true
		trails = append(trails, t)
	}
	return trails, retired, nil
}

// forget drops a retired trail and its cursors, digest chains and
// delivered-file records, once its last deliveries are done.
func (d *Deliverer) forget(ctx context.Context, trailARN string) error {
	if err := d.cfg.Service.ForgetRetired(ctx, trailARN); err != nil {
		return err
	}
	err := d.cfg.Store.Update(ctx, func(tx store.Tx) error {
		for _, table := range []string{tblCursors, tblLogsCursors, tblDigests, tblLogFiles} {
			var keys []string
			err := tx.Scan(table, trailARN+"|", "", 0, func(k string, _ []byte) error {
				keys = append(keys, k)
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range keys {
				if err := tx.Delete(table, k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return errorf("forget delivery state of %s: %w", trailARN, err)
	}
	return nil
}

// pastFinal reports whether the calls of the second a stopped trail
// stopped in have surely been recorded.
func (d *Deliverer) pastFinal(t *Trail) bool {
	return !d.cfg.Clock.Now().Before(t.StopLoggingTime.Truncate(time.Second).Add(finalDigestDelay))
}

// regionsOf returns the regions whose events t receives.
func (d *Deliverer) regionsOf(t *Trail) []string {
	if !t.IsMultiRegionTrail {
		return []string{t.HomeRegion}
	}
	rs := d.cfg.Regions
	for _, r := range rs {
		if r == t.HomeRegion {
			return rs
		}
	}
	return append([]string{t.HomeRegion}, rs...)
}

// stream is one account's events in one region.
type stream struct{ account, region string }

// OrganizationMembers lists the accounts of an organization. The delivery
// engine uses it, when the service's Organizations implements it, for
// organization trails; without it an organization trail delivers its own
// account's events only.
type OrganizationMembers interface {
	MemberAccounts(ctx context.Context, orgID string) ([]string, error)
}

// streamsOf returns the event streams t receives: its account's (and, for
// an organization trail, every member account's) in each region it covers.
func (d *Deliverer) streamsOf(ctx context.Context, t *Trail) ([]stream, error) {
	accounts := []string{t.Account}
	if om, ok := d.cfg.Service.cfg.Organizations.(OrganizationMembers); ok && t.IsOrganizationTrail && t.OrganizationID != "" {
		members, err := om.MemberAccounts(ctx, t.OrganizationID)
		if err != nil {
			return nil, errorf("members of %s: %w", t.OrganizationID, err)
		}
		for _, a := range members {
			if a != t.Account {
				accounts = append(accounts, a)
			}
		}
	}
	var out []stream
	for _, a := range accounts {
		for _, r := range d.regionsOf(t) {
			out = append(out, stream{a, r})
		}
	}
	return out, nil
}

func (d *Deliverer) deliverTrail(ctx context.Context, t *Trail) error {
	streams, err := d.streamsOf(ctx, t)
	if err != nil {
		return err
	}
	var failed error
	for _, st := range streams {
		for {
			more, err := d.deliverStream(ctx, t, st.account, st.region)
			if err != nil {
				failed = err
				break
			}
			if !more {
				break
			}
		}
		if failed != nil {
			break
		}
	}
	if failed != nil && cairn.AsError(failed) == nil {
		return failed // an internal failure, not a delivery refused by S3
	}
	return nil
}

// cursorRec is a trail's position in one event stream.
type cursorRec struct {
	Seq int64 `json:"seq"` // the last event delivered or passed over
	// Pending is the file being written, pinned before the write so that
	// a repeated delivery writes the same events under the same key.
	Pending *pendingFile `json:"pending,omitempty"`
}

type pendingFile struct {
	Key   string    `json:"key"`
	Last  int64     `json:"last"` // the last sequence number it covers
	Stamp time.Time `json:"stamp"`
}

// logFileRec is a delivered log file, as a digest lists it.
type logFileRec struct {
	Bucket    string    `json:"bucket"`
	Key       string    `json:"key"`
	Hash      string    `json:"hash"` // hex SHA-256 of the uncompressed file
	Oldest    time.Time `json:"oldest"`
	Newest    time.Time `json:"newest"`
	Delivered time.Time `json:"delivered"`
}

func cursorKey(trailARN, account, region string) string {
	return trailARN + "|" + account + "|" + region
}

func logFilePrefix(trailARN, account, region string) string {
	return trailARN + "|" + account + "|" + region + "|"
}

func logFileKey(trailARN, account, region string, delivered time.Time, key string) string {
	return fmt.Sprintf("%s%020d|%s", logFilePrefix(trailARN, account, region), delivered.UnixNano(), key)
}

// batch is the events of one log file, compressed as they are read (one
// gzip member) and hashed uncompressed, so that a 50 MB file never sits in
// memory uncompressed.
type batch struct {
	last           int64 // the last sequence number read (delivered or passed over)
	full           bool  // it ended at the size bound, not at the end of the stream
	records        int
	size           int // uncompressed bytes so far
	oldest, newest time.Time
	// expired counts the events at the head of the range that the trail
	// delivers but that are past RedeliveryWindow; skipTo is the last
	// sequence number of that head.
	expired                      int
	skipTo                       int64
	expiredOldest, expiredNewest time.Time
	gz                           bytes.Buffer
	zw                           *gzip.Writer
	hash                         hash.Hash
}

// add appends one record to the file.
func (b *batch) add(record []byte) error {
	sep := []byte(",")
	if b.records == 0 {
		b.zw = gzip.NewWriter(&b.gz)
		b.hash = sha256.New()
		sep = []byte(`{"Records":[`)
	}
	for _, p := range [][]byte{sep, record} {
		b.hash.Write(p)
		if _, err := b.zw.Write(p); err != nil {
			return errorf("gzip: %w", err)
		}
	}
	b.records++
	b.size += len(sep) + len(record)
	return nil
}

// finish ends the file and returns it compressed and the hex SHA-256 of
// its uncompressed bytes.
func (b *batch) finish() ([]byte, string, error) {
	end := []byte("]}")
	b.hash.Write(end)
	if _, err := b.zw.Write(end); err != nil {
		return nil, "", errorf("gzip: %w", err)
	}
	if err := b.zw.Close(); err != nil {
		return nil, "", errorf("gzip: %w", err)
	}
	return b.gz.Bytes(), hex.EncodeToString(b.hash.Sum(nil)), nil
}

// deliverStream delivers at most one log file of one stream and reports
// whether more is waiting: the file was full, or the events read were
// passed over. Events recorded while the file was written wait for the
// next pass, so that a busy stream gets one file per interval.
func (d *Deliverer) deliverStream(ctx context.Context, t *Trail, account, region string) (bool, error) {
	ck := cursorKey(t.ARN, account, region)
	cur, err := d.cursor(ctx, tblCursors, ck, t, account, region)
	if err != nil {
		return false, err
	}
	limit := int64(-1)
	if cur.Pending != nil {
		limit = cur.Pending.Last
	}
	cutoff := d.cfg.Clock.Now().Add(-RedeliveryWindow)
	b, err := d.collect(ctx, t, account, region, cur.Seq, limit, cutoff)
	if err != nil {
		return false, err
	}
	if b.expired > 0 {
		// Skipped in a commit of its own, so that it holds even while the
		// bucket still refuses what follows; then what follows.
		return true, d.skipExpired(ctx, ck, cur, t, b)
	}
	if b.last == cur.Seq {
		return false, nil
	}
	if b.records == 0 { // nothing for this trail: pass over
		return cur.Pending != nil, d.commit(ctx, ck, cur.Seq, b.last, t, account, region, nil)
	}
	p := cur.Pending
	if p == nil {
		now := d.cfg.Clock.Now().UTC()
		p = &pendingFile{Key: LogFileKey(t, account, region, now, cur.Seq, b.last), Last: b.last, Stamp: now}
		pinned := cursorRec{Seq: cur.Seq, Pending: p}
		err := d.cfg.Store.Update(ctx, func(tx store.Tx) error {
			var now cursorRec
			if err := store.GetJSON(tx, tblCursors, ck, &now); err != nil && !isNotFound(err) {
				return err
			}
			if now.Seq != cur.Seq || now.Pending != nil {
				return errConcurrent
			}
			return store.PutJSON(tx, tblCursors, ck, &pinned)
		})
		if err != nil {
			return false, errorf("pin log file %s: %w", p.Key, err)
		}
	}
	gz, sum, err := b.finish()
	if err != nil {
		return false, err
	}
	obj := Object{
		TrailARN: t.ARN, Account: t.Account, Region: t.HomeRegion, Bucket: t.S3BucketName, Key: p.Key, Body: gz,
		KMSKeyARN: t.KmsKeyArn,
	}
	werr := d.cfg.Writer.WriteObject(ctx, obj)
	at := d.cfg.Clock.Now().UTC()
	if rerr := d.cfg.Service.RecordDelivery(ctx, t.ARN, at, werr); rerr != nil && !isNotFound(rerr) {
		d.cfg.Log.Warn("record delivery status", "trail", t.ARN, "error", rerr)
	}
	if werr != nil {
		return false, fmt.Errorf("deliver %s: %w", p.Key, werr)
	}
	f := &logFileRec{Bucket: t.S3BucketName, Key: p.Key, Hash: sum, Oldest: b.oldest, Newest: b.newest, Delivered: at}
	if err := d.commit(ctx, ck, cur.Seq, b.last, t, account, region, f); err != nil {
		return false, err
	}
	d.notify(ctx, t, p.Key)
	return b.full || cur.Pending != nil, nil
}

// cursor reads a trail's cursor in one stream from table, starting a new
// stream's near the trail's StartLogging rather than at the beginning of
// the history, which it would only pass over.
func (d *Deliverer) cursor(ctx context.Context, table, ck string, t *Trail, account, region string) (cursorRec, error) {
	var cur cursorRec
	err := d.cfg.Store.View(ctx, func(tx store.Tx) error { return store.GetJSON(tx, table, ck, &cur) })
	if !isNotFound(err) {
		if err != nil {
			return cur, errorf("read cursor %s: %w", ck, err)
		}
		return cur, nil
	}
	if cur.Seq, err = d.startSeq(ctx, t, account, region); err != nil {
		return cur, err
	}
	if err := d.cfg.Store.Update(ctx, func(tx store.Tx) error { return store.InsertJSON(tx, table, ck, &cur) }); err != nil {
		return cur, errorf("start cursor %s: %w", ck, err)
	}
	return cur, nil
}

var errConcurrent = errors.New("the cursor moved under this delivery")

// startMargin is how much earlier than StartLogging a new cursor starts:
// an event is sequenced when its call ends, so a call that started before
// StartLogging may be sequenced after one that started later.
const startMargin = time.Minute

// startSeq is where a trail's new cursor in a stream starts: at the newest
// event recorded well before the trail started logging.
func (d *Deliverer) startSeq(ctx context.Context, t *Trail, account, region string) (int64, error) {
	evs, err := d.cfg.Store.LookupEvents(ctx, store.EventQuery{Account: account, Region: region,
		End: t.StartLoggingTime.Add(-startMargin), Limit: 1})
	if err != nil {
		return 0, errorf("start of %s/%s: %w", account, region, err)
	}
	if len(evs) == 0 {
		return 0, nil
	}
	return evs[0].Seq, nil
}

// commit moves the cursor from `from` past `last` and records the file,
// in one transaction.
func (d *Deliverer) commit(ctx context.Context, ck string, from, last int64, t *Trail, account, region string, f *logFileRec) error {
	err := d.cfg.Store.Update(ctx, func(tx store.Tx) error {
		var now cursorRec
		if err := store.GetJSON(tx, tblCursors, ck, &now); err != nil && !isNotFound(err) {
			return err
		}
		if now.Seq != from {
			return errConcurrent
		}
		if err := store.PutJSON(tx, tblCursors, ck, &cursorRec{Seq: last}); err != nil {
			return err
		}
		if f == nil || !t.LogFileValidationEnabled {
			return nil // only digests need the delivered files
		}
		return store.PutJSON(tx, tblLogFiles, logFileKey(t.ARN, account, region, f.Delivered, f.Key), f)
	})
	if err != nil {
		return errorf("commit cursor %s: %w", ck, err)
	}
	return nil
}

// collect reads the events of one stream after seq (up to and including
// limit when limit >= 0) and keeps those the trail delivers, until the
// file would exceed MaxFileBytes. Those at the head recorded before cutoff
// are counted as expired instead (see skipExpired).
func (d *Deliverer) collect(ctx context.Context, t *Trail, account, region string, seq, limit int64, cutoff time.Time) (*batch, error) {
	b := &batch{last: seq}
	head := true // no event kept yet
	for {
		n := readBatch
		evs, err := d.cfg.Store.EventsAfter(ctx, account, region, b.last, n)
		if err != nil {
			return nil, errorf("read events of %s/%s: %w", account, region, err)
		}
		for _, e := range evs {
			if limit >= 0 && e.Seq > limit {
				// Events of the pinned range that are gone (purged) are
				// passed over with it.
				b.last = limit
				return b, nil
			}
			keep, stop, err := d.delivers(t, e)
			if err != nil {
				return nil, err
			}
			if stop {
				return b, nil
			}
			if head && keep && e.Time.Before(cutoff) {
				b.expire(e)
				keep = false
			}
			if head && !keep {
				b.skipTo = e.Seq
			}
			if keep {
				head = false
				if b.records > 0 && b.size+len(e.Record)+3 > d.cfg.MaxFileBytes && limit < 0 {
					b.full = true
					return b, nil
				}
				if err := b.add(e.Record); err != nil {
					return nil, err
				}
				if b.oldest.IsZero() || e.Time.Before(b.oldest) {
					b.oldest = e.Time
				}
				if e.Time.After(b.newest) {
					b.newest = e.Time
				}
			}
			b.last = e.Seq
		}
		if len(evs) < n || (limit >= 0 && b.last >= limit) {
			if limit >= 0 {
				b.last = limit
			}
			return b, nil
		}
	}
}

// delivers decides one event: keep it (the trail logged it), pass over
// it, or stop before it (the trail is stopped and the event came after;
// it stays for a later StartLogging to pass over). Event times have a
// second's precision, as eventTime: an event in the second StartLogging
// or StopLogging was called in counts as logged.
func (d *Deliverer) delivers(t *Trail, e *store.Event) (keep, stop bool, err error) {
	if e.Time.Before(t.StartLoggingTime.Truncate(time.Second)) {
		return false, false, nil // recorded before the trail (last) started logging
	}
	if !t.IsLogging && e.Time.After(t.StopLoggingTime) {
		return false, true, nil
	}
	attrs, err := attributesOf(t, e)
	if err != nil {
		return false, false, err
	}
	if t.IsOrganizationTrail { // the streams of its organization's accounts
		attrs.OrganizationID = t.OrganizationID
	}
	return t.Matches(attrs), false, nil
}

// gzipBytes compresses b as one gzip member.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// attributesOf reads what t matches on from e: for a management event
// from the stored event's indexed columns (the stream is its recipient
// account and region), unless t's advanced selectors look at resources;
// else from the record.
func attributesOf(t *Trail, e *store.Event) (EventAttributes, error) {
	if e.Management && !selectsResources(t) {
		return EventAttributes{Account: e.Account, Region: e.Region, Source: e.Source, Name: e.Name,
			ReadOnly: e.ReadOnly, Category: CategoryManagement}, nil
	}
	return AttributesFromRecord(e.Record)
}

func selectsResources(t *Trail) bool {
	for _, sel := range t.AdvancedEventSelectors {
		for _, fs := range sel.FieldSelectors {
			if fs.Field == fieldResourcesType || fs.Field == fieldResourcesARN {
				return true
			}
		}
	}
	return false
}
