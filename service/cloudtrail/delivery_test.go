package cloudtrail_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/rootkey"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/store"
	"github.com/cairnhq/cairn/store/sqlite"
)

// fakeBucket is an ObjectWriter keeping objects in memory; deny makes
// writes fail with AccessDenied, crash makes the next write succeed and
// then report a failure that is not S3's (a process dying after the PUT).
type fakeBucket struct {
	mu      sync.Mutex
	objects map[string]cloudtrail.Object
	puts    []string
	deny    bool
	crash   bool
}

var errCrash = fmt.Errorf("crashed after the PUT")

func (b *fakeBucket) WriteObject(_ context.Context, o cloudtrail.Object) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.deny {
		return cairn.Errorf(403, "AccessDenied", "Access Denied")
	}
	if b.objects == nil {
		b.objects = map[string]cloudtrail.Object{}
	}
	b.objects[o.Bucket+"/"+o.Key] = o
	b.puts = append(b.puts, o.Key)
	if b.crash {
		b.crash = false
		return errCrash
	}
	return nil
}

func (b *fakeBucket) keys(substr string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for k := range b.objects {
		if strings.Contains(k, substr) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (b *fakeBucket) get(key string) cloudtrail.Object {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.objects[key]
}

type dEnv struct {
	*env
	st     store.Store
	bucket *fakeBucket
	d      *cloudtrail.Deliverer
	seq    int
}

func newDeliveryEnv(t testing.TB, regions ...string) *dEnv {
	t.Helper()
	return newDeliveryEnvWith(t, nil, regions...)
}

func newDeliveryEnvWith(t testing.TB, orgs cloudtrail.Organizations, regions ...string) *dEnv {
	t.Helper()
	return newDeliveryEnvFor(t, deliveryOptions{orgs: orgs, regions: regions})
}

// deliveryOptions shape a delivery test environment.
type deliveryOptions struct {
	orgs     cloudtrail.Organizations
	regions  []string
	checkers bool // the destinations check SNS topics and log groups
	notifier cloudtrail.Notifier
	logs     cloudtrail.LogsWriter
}

func newDeliveryEnvFor(t testing.TB, o deliveryOptions) *dEnv {
	t.Helper()
	orgs, regions := o.orgs, o.regions
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	key, err := rootkey.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clock := cairn.NewManualClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	dest := newDest()
	dest.buckets["logs"] = nil
	var dests cloudtrail.Destinations = dest
	if o.checkers {
		dests = destWithTopics{dest}
	}
	svc := cloudtrail.New(cloudtrail.Config{Store: st, Clock: clock, Destinations: dests, Sealer: key, Organizations: orgs})
	e := &env{t: t, svc: svc, clock: clock, dest: dest, desc: svc.Descriptor()}
	if len(regions) == 0 {
		regions = []string{east, west}
	}
	b := &fakeBucket{}
	d := cloudtrail.NewDeliverer(cloudtrail.DeliveryConfig{
		Service: svc, Store: st, Writer: b, Clock: clock, Interval: time.Second, DigestInterval: time.Hour, Regions: regions,
		Notifier: o.notifier, Logs: o.logs,
	})
	return &dEnv{env: e, st: st, bucket: b, d: d}
}

// record appends an event of account in region at the clock's time.
func (e *dEnv) record(account, region, source, name string, readOnly bool) string {
	e.t.Helper()
	e.seq++
	id := fmt.Sprintf("ev-%04d", e.seq)
	rec := map[string]any{
		"eventVersion": "1.11", "eventTime": e.clock.Now().Format(time.RFC3339), "eventSource": source,
		"eventName": name, "awsRegion": region, "readOnly": readOnly, "eventID": id, "eventType": "AwsApiCall",
		"recipientAccountId": account, "eventCategory": "Management", "managementEvent": true,
		"userIdentity": map[string]any{"type": "Root", "accountId": account},
	}
	b, _ := json.Marshal(rec)
	ev := &store.Event{Account: account, Region: region, ID: id, Time: e.clock.Now(), Name: name, Source: source,
		ReadOnly: readOnly, Management: true, Record: b}
	if err := e.st.AppendEvents(context.Background(), []*store.Event{ev}); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *dEnv) deliver() error {
	e.t.Helper()
	return e.d.Deliver(context.Background())
}

func (e *dEnv) start(name string) {
	e.t.Helper()
	must[cloudtrail.StartLoggingOutput](e.env, "StartLogging", &cloudtrail.StartLoggingInput{Name: name})
}

func (e *dEnv) stop(name string) {
	e.t.Helper()
	must[cloudtrail.StopLoggingOutput](e.env, "StopLogging", &cloudtrail.StopLoggingInput{Name: name})
}

// eventIDs reads the records of the log files whose key contains substr.
func (e *dEnv) eventIDs(substr string) []string {
	e.t.Helper()
	var ids []string
	for _, k := range e.bucket.keys(substr) {
		if !strings.Contains(k, "/CloudTrail/") {
			continue
		}
		var f struct {
			Records []struct {
				EventID string `json:"eventID"`
			}
		}
		if err := json.Unmarshal(gunzip(e.t, e.bucket.get(k).Body), &f); err != nil {
			e.t.Fatal(err)
		}
		for _, r := range f.Records {
			ids = append(ids, r.EventID)
		}
	}
	sort.Strings(ids)
	return ids
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var logKeyRe = regexp.MustCompile(`^logs/AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/01/123456789012_CloudTrail_us-east-1_20250301T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$`)

func TestDeliveryNamesAndContents(t *testing.T) {
	e := newDeliveryEnv(t)
	e.create(home, "trail1", false)
	e.record(acct, east, "iam.amazonaws.com", "Before", false) // before StartLogging: never delivered
	e.clock.Advance(time.Second)
	e.start("trail1")
	e.clock.Advance(time.Second)
	a := e.record(acct, east, "s3.amazonaws.com", "CreateBucket", false)
	b := e.record(acct, east, "s3.amazonaws.com", "ListBuckets", true)
	e.record(acct, west, "s3.amazonaws.com", "CreateBucket", false)  // other region
	e.record(other, east, "s3.amazonaws.com", "CreateBucket", false) // other account
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	keys := e.bucket.keys("")
	if len(keys) != 1 || !logKeyRe.MatchString(keys[0]) {
		t.Fatalf("keys %q", keys)
	}
	if got := e.eventIDs(""); strings.Join(got, ",") != a+","+b {
		t.Fatalf("records %v, want %s,%s", got, a, b)
	}
	o := e.bucket.get(keys[0])
	if o.TrailARN != arnOf(east, acct, "trail1") || o.Account != acct {
		t.Fatalf("source %q %q", o.TrailARN, o.Account)
	}
	body := gunzip(t, o.Body)
	if !bytes.HasPrefix(body, []byte(`{"Records":[{`)) || !bytes.HasSuffix(body, []byte(`}]}`)) {
		t.Fatalf("body %s", body)
	}
	// Nothing new: no file.
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if n := len(e.bucket.keys("")); n != 1 {
		t.Fatalf("%d files after an empty pass", n)
	}
	st := must[cloudtrail.GetTrailStatusOutput](e.env, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "trail1"})
	if st.LatestDeliveryTime == nil || st.LatestDeliveryError != "" {
		t.Fatalf("status %+v", st)
	}
}

func TestUniqueStringDeterministic(t *testing.T) {
	a := cloudtrail.UniqueString("arn", acct, east, 0, 10)
	if a != cloudtrail.UniqueString("arn", acct, east, 0, 10) || len(a) != 16 {
		t.Fatalf("%q", a)
	}
	if a == cloudtrail.UniqueString("arn", acct, east, 0, 11) {
		t.Fatal("different ranges, same name")
	}
	tr := &cloudtrail.Trail{Account: acct, Name: "t", HomeRegion: east, ARN: "arn", S3KeyPrefix: "p/q",
		IsOrganizationTrail: true, OrganizationID: "o-abc"}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if k := cloudtrail.LogFileKey(tr, acct, west, at, 0, 1); !strings.HasPrefix(k, "p/q/AWSLogs/o-abc/123456789012/CloudTrail/eu-west-1/2024/01/02/123456789012_CloudTrail_eu-west-1_20240102T0304Z_") {
		t.Fatal(k)
	}
	want := "p/q/AWSLogs/o-abc/123456789012/CloudTrail-Digest/eu-west-1/2024/01/02/123456789012_CloudTrail-Digest_eu-west-1_t_us-east-1_20240102T030405Z.json.gz"
	if k := cloudtrail.DigestKey(tr, acct, west, at); k != want {
		t.Fatalf("%s\nwant %s", k, want)
	}
}

func TestDeliverySelectorsMultiRegionAndGlobal(t *testing.T) {
	e := newDeliveryEnv(t)
	e.create(home, "multi", true)
	must[cloudtrail.PutEventSelectorsOutput](e.env, "PutEventSelectors", &cloudtrail.PutEventSelectorsInput{
		TrailName: "multi", EventSelectors: []cloudtrail.EventSelector{{ReadWriteType: "WriteOnly", IncludeManagementEvents: bp(true)}}})
	e.start("multi")
	e.clock.Advance(time.Second)
	w1 := e.record(acct, east, "iam.amazonaws.com", "CreateUser", false)
	e.record(acct, east, "iam.amazonaws.com", "ListUsers", true) // read: not selected
	w2 := e.record(acct, west, "s3.amazonaws.com", "CreateBucket", false)
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := e.eventIDs("/CloudTrail/us-east-1/"); len(got) != 1 || got[0] != w1 {
		t.Fatalf("east %v", got)
	}
	if got := e.eventIDs("/CloudTrail/eu-west-1/"); len(got) != 1 || got[0] != w2 {
		t.Fatalf("west %v", got)
	}
}

func TestDeliveryStopStartAndFailures(t *testing.T) {
	e := newDeliveryEnv(t)
	e.create(home, "trail1", false)
	e.start("trail1")
	e.clock.Advance(time.Second)
	a := e.record(acct, east, "s3.amazonaws.com", "A", false)
	e.clock.Advance(time.Second)
	e.stop("trail1")
	e.clock.Advance(time.Second)
	e.record(acct, east, "s3.amazonaws.com", "Stopped", false) // never delivered
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	e.start("trail1")
	e.clock.Advance(time.Second)
	b := e.record(acct, east, "s3.amazonaws.com", "B", false)

	// The bucket refuses: the status says so, nothing is lost.
	e.bucket.deny = true
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	st := must[cloudtrail.GetTrailStatusOutput](e.env, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "trail1"})
	if st.LatestDeliveryError != "AccessDenied" {
		t.Fatalf("LatestDeliveryError %q", st.LatestDeliveryError)
	}
	e.clock.Advance(time.Second)
	c := e.record(acct, east, "s3.amazonaws.com", "C", false)
	e.bucket.deny = false
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.eventIDs(""), ","); got != strings.Join([]string{a, b, c}, ",") {
		t.Fatalf("records %s, want %s,%s,%s", got, a, b, c)
	}
	st = must[cloudtrail.GetTrailStatusOutput](e.env, "GetTrailStatus", &cloudtrail.GetTrailStatusInput{Name: "trail1"})
	if st.LatestDeliveryError != "" {
		t.Fatalf("LatestDeliveryError %q after catching up", st.LatestDeliveryError)
	}
}

// A crash between the PUT and the cursor commit: the next pass writes the
// same events under the same key; later events go to a new file.
func TestDeliveryExactlyOnceAfterCrash(t *testing.T) {
	e := newDeliveryEnv(t)
	e.create(home, "trail1", false)
	e.start("trail1")
	e.clock.Advance(time.Second)
	a := e.record(acct, east, "s3.amazonaws.com", "A", false)
	e.bucket.crash = true
	if err := e.deliver(); err == nil {
		t.Fatal("want the crash reported")
	}
	e.clock.Advance(3 * time.Minute) // the restart is minutes later
	b := e.record(acct, east, "s3.amazonaws.com", "B", false)
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if len(e.bucket.puts) != 3 || e.bucket.puts[0] != e.bucket.puts[1] || e.bucket.puts[2] == e.bucket.puts[0] {
		t.Fatalf("puts %q: want the same key twice, then another", e.bucket.puts)
	}
	if got := strings.Join(e.eventIDs(""), ","); got != a+","+b {
		t.Fatalf("records %s", got)
	}
}

func TestDeliveryBatchesBySize(t *testing.T) {
	e := newDeliveryEnv(t)
	e.d = cloudtrail.NewDeliverer(cloudtrail.DeliveryConfig{Service: e.svc, Store: e.st, Writer: e.bucket, Clock: e.clock,
		Regions: []string{east}, MaxFileBytes: 2000})
	e.create(home, "trail1", false)
	e.start("trail1")
	e.clock.Advance(time.Second)
	var want []string
	for range 30 {
		want = append(want, e.record(acct, east, "s3.amazonaws.com", "A", false))
	}
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if n := len(e.bucket.keys("")); n < 5 {
		t.Fatalf("%d files for 30 events of ~400 bytes in 2000-byte files", n)
	}
	for _, k := range e.bucket.keys("") {
		if n := len(gunzip(t, e.bucket.get(k).Body)); n > 2000+20 {
			t.Fatalf("%s: %d bytes", k, n)
		}
	}
	sort.Strings(want)
	if got := e.eventIDs(""); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("records %v", got)
	}
}

// digests returns the digest files under substr, oldest first.
func (e *dEnv) digests(substr string) []cloudtrail.Object {
	var out []cloudtrail.Object
	for _, k := range e.bucket.keys(substr) {
		if strings.Contains(k, "/CloudTrail-Digest/") {
			out = append(out, e.bucket.get(k))
		}
	}
	return out
}

func TestDigestChainAndSignatures(t *testing.T) {
	e := newDeliveryEnv(t, east)
	e.d = cloudtrail.NewDeliverer(cloudtrail.DeliveryConfig{Service: e.svc, Store: e.st, Writer: e.bucket, Clock: e.clock,
		Regions: []string{east}, Interval: time.Second, DigestInterval: time.Hour})
	must[cloudtrail.CreateTrailOutput](e.env, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "trail1", S3BucketName: "logs", S3KeyPrefix: sp("pre"), EnableLogFileValidation: bp(true)})
	e.start("trail1")
	ctx := context.Background()
	e.clock.Advance(time.Minute)
	e.record(acct, east, "s3.amazonaws.com", "A", false)
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if err := e.d.Digest(ctx); err != nil { // not due yet
		t.Fatal(err)
	}
	if n := len(e.digests("")); n != 0 {
		t.Fatalf("%d digests before the interval", n)
	}
	e.clock.Advance(time.Hour)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour) // an empty window
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.record(acct, east, "s3.amazonaws.com", "B", false)
	e.stop("trail1") // the final digest lists B's file
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if err := e.d.Digest(ctx); err != nil { // stopped: nothing more
		t.Fatal(err)
	}
	ds := e.digests("")
	if len(ds) != 3 {
		t.Fatalf("%d digests, want 3", len(ds))
	}
	keys := map[string]*rsa.PublicKey{}
	out := must[cloudtrail.ListPublicKeysOutput](e.env, "ListPublicKeys", &cloudtrail.ListPublicKeysInput{
		StartTime: ptrTime(e.clock.Now().Add(-5 * time.Hour)), EndTime: ptrTime(e.clock.Now().Add(2 * time.Hour))})
	for _, k := range out.PublicKeyList {
		pub, err := x509.ParsePKCS1PublicKey(k.Value)
		if err != nil {
			t.Fatal(err)
		}
		if sum := md5hex(k.Value); sum != k.Fingerprint {
			t.Fatalf("fingerprint %s, md5 %s", k.Fingerprint, sum)
		}
		keys[k.Fingerprint] = pub
	}
	var prev *cloudtrail.DigestFile
	var prevHash, prevSig string
	for i, o := range ds {
		body := gunzip(t, o.Body)
		var df cloudtrail.DigestFile
		if err := json.Unmarshal(body, &df); err != nil {
			t.Fatal(err)
		}
		if df.DigestS3Object != o.Key || df.DigestS3Bucket != "logs" || !strings.HasPrefix(o.Key, "pre/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/") {
			t.Fatalf("digest %d at %s says %s/%s", i, o.Key, df.DigestS3Bucket, df.DigestS3Object)
		}
		if o.Metadata["signature-algorithm"] != "SHA256withRSA" {
			t.Fatalf("metadata %v", o.Metadata)
		}
		pub := keys[df.DigestPublicKeyFingerprint]
		if pub == nil {
			t.Fatalf("no public key %s", df.DigestPublicKeyFingerprint)
		}
		sig, _ := hex.DecodeString(o.Metadata["signature"])
		h := sha256.Sum256([]byte(cloudtrail.StringToSign(&df, body)))
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			t.Fatalf("digest %d: %v", i, err)
		}
		if prev == nil {
			if df.PreviousDigestS3Object != nil || df.PreviousDigestSignature != nil || df.PreviousDigestHashValue != nil {
				t.Fatalf("starting digest has previous fields: %s", body)
			}
			if !bytes.Contains(body, []byte(`"previousDigestSignature":null`)) {
				t.Fatalf("starting digest: %s", body)
			}
		} else {
			if *df.PreviousDigestS3Object != prev.DigestS3Object || *df.PreviousDigestHashValue != prevHash || *df.PreviousDigestSignature != prevSig {
				t.Fatalf("digest %d does not chain: %s", i, body)
			}
			if df.DigestStartTime != prev.DigestEndTime {
				t.Fatalf("windows not contiguous: %s then %s", prev.DigestEndTime, df.DigestStartTime)
			}
		}
		for _, f := range df.LogFiles {
			lb := gunzip(t, e.bucket.get("logs/"+f.S3Object).Body)
			s := sha256.Sum256(lb)
			if hex.EncodeToString(s[:]) != f.HashValue {
				t.Fatalf("hash of %s", f.S3Object)
			}
		}
		wantFiles := []int{1, 0, 1}[i]
		if len(df.LogFiles) != wantFiles || (wantFiles == 0 && (df.NewestEventTime != nil || !bytes.Contains(body, []byte(`"logFiles":[]`)))) {
			t.Fatalf("digest %d: %s", i, body)
		}
		bh := sha256.Sum256(body)
		prev, prevHash, prevSig = &df, hex.EncodeToString(bh[:]), o.Metadata["signature"]
	}

	// StartLogging begins a new chain.
	e.start("trail1")
	e.clock.Advance(time.Hour)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	ds = e.digests("")
	var last cloudtrail.DigestFile
	if err := json.Unmarshal(gunzip(t, ds[len(ds)-1].Body), &last); err != nil {
		t.Fatal(err)
	}
	if len(ds) != 4 || last.PreviousDigestS3Object != nil {
		t.Fatalf("%d digests; new chain's first: %+v", len(ds), last)
	}
}

func TestPublicKeysRotateAndOverlap(t *testing.T) {
	e := newDeliveryEnv(t)
	start := e.clock.Now()
	first := must[cloudtrail.ListPublicKeysOutput](e.env, "ListPublicKeys", &cloudtrail.ListPublicKeysInput{})
	if len(first.PublicKeyList) != 1 || !bytes.HasPrefix(first.PublicKeyList[0].Value, []byte{0x30, 0x82, 0x01, 0x0a}) {
		t.Fatalf("keys %+v", first.PublicKeyList)
	}
	k := first.PublicKeyList[0]
	if k.ValidityEndTime.Sub(k.ValidityStartTime) != 30*24*time.Hour {
		t.Fatalf("validity %v", k.ValidityEndTime.Sub(k.ValidityStartTime))
	}
	e.clock.Advance(16 * 24 * time.Hour)
	now := must[cloudtrail.ListPublicKeysOutput](e.env, "ListPublicKeys", &cloudtrail.ListPublicKeysInput{
		StartTime: ptrTime(start), EndTime: ptrTime(e.clock.Now().Add(2 * time.Hour))})
	if len(now.PublicKeyList) != 2 || now.PublicKeyList[0].Fingerprint != k.Fingerprint {
		t.Fatalf("after 16 days: %d keys", len(now.PublicKeyList))
	}
	// Keys are per region.
	other := mustIn[cloudtrail.ListPublicKeysOutput](e.env, call{acct, west}, "ListPublicKeys", &cloudtrail.ListPublicKeysInput{})
	if len(other.PublicKeyList) != 1 || other.PublicKeyList[0].Fingerprint == k.Fingerprint {
		t.Fatal("regions share a key")
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func md5hex(b []byte) string { return cloudtrail.Fingerprint(b) }

// DeleteTrail delivers what the trail recorded and its final digest, then
// forgets it; its files stay.
func TestDeleteTrailDeliversFinalDigest(t *testing.T) {
	e := newDeliveryEnv(t, east)
	must[cloudtrail.CreateTrailOutput](e.env, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "trail1", S3BucketName: "logs", EnableLogFileValidation: bp(true)})
	e.start("trail1")
	ctx := context.Background()
	e.clock.Advance(time.Hour)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	a := e.record(acct, east, "s3.amazonaws.com", "A", false)
	must[cloudtrail.DeleteTrailOutput](e.env, "DeleteTrail", &cloudtrail.DeleteTrailInput{Name: "trail1"})
	e.clock.Advance(5 * time.Second)
	e.record(acct, east, "s3.amazonaws.com", "After", false) // after the deletion: not the trail's
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.eventIDs(""); len(got) != 1 || got[0] != a {
		t.Fatalf("records %v, want %s", got, a)
	}
	ds := e.digests("")
	if len(ds) != 2 {
		t.Fatalf("%d digests, want 2", len(ds))
	}
	var last cloudtrail.DigestFile
	if err := json.Unmarshal(gunzip(t, ds[1].Body), &last); err != nil {
		t.Fatal(err)
	}
	if len(last.LogFiles) != 1 || last.PreviousDigestS3Object == nil {
		t.Fatalf("final digest %+v", last)
	}
	retired, err := e.svc.RetiredTrails(ctx)
	if err != nil || len(retired) != 0 {
		t.Fatalf("retired trails %v %v", retired, err)
	}
	e.clock.Advance(2 * time.Hour)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if n := len(e.digests("")); n != 2 {
		t.Fatalf("%d digests after the trail was forgotten", n)
	}
	// A trail created again under the name starts afresh: a new chain.
	must[cloudtrail.CreateTrailOutput](e.env, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "trail1", S3BucketName: "logs", EnableLogFileValidation: bp(true)})
	e.start("trail1")
	e.clock.Advance(time.Second)
	c := e.record(acct, east, "s3.amazonaws.com", "Again", false)
	e.clock.Advance(time.Hour)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := e.eventIDs(""); len(got) != 2 || got[1] != c {
		t.Fatalf("records %v", got)
	}
	ds = e.digests("")
	var again cloudtrail.DigestFile
	if err := json.Unmarshal(gunzip(t, ds[len(ds)-1].Body), &again); err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || again.PreviousDigestS3Object != nil {
		t.Fatalf("%d digests; the new trail's first: %+v", len(ds), again)
	}
}

// orgMembers is fakeOrgs that can also list an organization's accounts.
type orgMembers struct{ fakeOrgs }

func (o orgMembers) MemberAccounts(_ context.Context, orgID string) ([]string, error) {
	var ids []string
	for a, v := range o.fakeOrgs {
		if v[0] == orgID {
			ids = append(ids, a)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// An organization trail delivers its member accounts' events under
// AWSLogs/<o-id>/<account>/ and digests them per account.
func TestOrganizationTrailDelivery(t *testing.T) {
	const mgmt, member, outsider = "111111111111", "222222222222", "333333333333"
	e := newDeliveryEnvWith(t, orgMembers{fakeOrgs{mgmt: {"o-abc", mgmt}, member: {"o-abc", mgmt}}}, east)
	m := call{mgmt, east}
	mustIn[cloudtrail.CreateTrailOutput](e.env, m, "CreateTrail", &cloudtrail.CreateTrailInput{Name: "org", S3BucketName: "logs",
		IsOrganizationTrail: bp(true), EnableLogFileValidation: bp(true)})
	mustIn[cloudtrail.StartLoggingOutput](e.env, m, "StartLogging", &cloudtrail.StartLoggingInput{Name: "org"})
	e.clock.Advance(time.Second)
	a := e.record(mgmt, east, "s3.amazonaws.com", "A", false)
	b := e.record(member, east, "s3.amazonaws.com", "B", false)
	e.record(outsider, east, "s3.amazonaws.com", "C", false)
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := e.eventIDs("logs/AWSLogs/o-abc/" + mgmt + "/CloudTrail/us-east-1/"); len(got) != 1 || got[0] != a {
		t.Fatalf("management account's files: %v", got)
	}
	if got := e.eventIDs("logs/AWSLogs/o-abc/" + member + "/CloudTrail/us-east-1/"); len(got) != 1 || got[0] != b {
		t.Fatalf("member account's files: %v", got)
	}
	if n := len(e.bucket.keys(outsider)); n != 0 {
		t.Fatalf("%d files for an account outside the organization", n)
	}
	e.clock.Advance(time.Hour)
	if err := e.d.Digest(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, acc := range []string{mgmt, member} {
		ds := e.digests("logs/AWSLogs/o-abc/" + acc + "/CloudTrail-Digest/us-east-1/")
		if len(ds) != 1 {
			t.Fatalf("%s: %d digests", acc, len(ds))
		}
		var df cloudtrail.DigestFile
		if err := json.Unmarshal(gunzip(t, ds[0].Body), &df); err != nil {
			t.Fatal(err)
		}
		if df.AWSAccountID != acc || len(df.LogFiles) != 1 || !strings.Contains(df.DigestS3Object, acc+"_CloudTrail-Digest_us-east-1_org_us-east-1_") {
			t.Fatalf("%s: digest %+v", acc, df)
		}
	}
}

// Disabling log file validation breaks the chain; enabling it again starts
// a new one.
func TestDigestChainRestartsAfterValidationIsReEnabled(t *testing.T) {
	e := newDeliveryEnv(t, east)
	must[cloudtrail.CreateTrailOutput](e.env, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "trail1", S3BucketName: "logs", EnableLogFileValidation: bp(true)})
	e.start("trail1")
	ctx := context.Background()
	for range 2 {
		e.clock.Advance(time.Hour)
		if err := e.d.Digest(ctx); err != nil {
			t.Fatal(err)
		}
	}
	set := func(on bool) {
		must[cloudtrail.UpdateTrailOutput](e.env, "UpdateTrail", &cloudtrail.UpdateTrailInput{Name: "trail1", EnableLogFileValidation: bp(on)})
		e.clock.Advance(time.Hour)
		if err := e.d.Digest(ctx); err != nil {
			t.Fatal(err)
		}
	}
	set(false)
	set(true)
	ds := e.digests("")
	if len(ds) != 3 {
		t.Fatalf("%d digests, want 3", len(ds))
	}
	var second, third cloudtrail.DigestFile
	_ = json.Unmarshal(gunzip(t, ds[1].Body), &second)
	_ = json.Unmarshal(gunzip(t, ds[2].Body), &third)
	if second.PreviousDigestS3Object == nil || third.PreviousDigestS3Object != nil {
		t.Fatalf("chain: second %v, third %v", second.PreviousDigestS3Object, third.PreviousDigestS3Object)
	}
}

// A trail started after a long history starts near its StartLogging.
func TestDeliveryNewCursorSkipsHistory(t *testing.T) {
	e := newDeliveryEnv(t, east)
	for range 5 {
		e.record(acct, east, "s3.amazonaws.com", "Old", false)
	}
	e.clock.Advance(time.Hour)
	e.create(home, "trail1", false)
	e.start("trail1")
	e.clock.Advance(time.Second)
	a := e.record(acct, east, "s3.amazonaws.com", "A", false)
	if err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	if got := e.eventIDs(""); len(got) != 1 || got[0] != a {
		t.Fatalf("records %v", got)
	}
	// The file covers (5, 6]: its name is that range's.
	keys := e.bucket.keys("")
	if want := cloudtrail.UniqueString(arnOf(east, acct, "trail1"), acct, east, 5, 6); !strings.Contains(keys[0], want) {
		t.Fatalf("key %s, want the range (5, 6]: %s", keys[0], want)
	}
}

// A crash after a digest's PUT: the digest is written again under the
// same key, and the chain goes on from it.
func TestDigestRewrittenAfterCrash(t *testing.T) {
	e := newDeliveryEnv(t, east)
	must[cloudtrail.CreateTrailOutput](e.env, "CreateTrail", &cloudtrail.CreateTrailInput{
		Name: "trail1", S3BucketName: "logs", EnableLogFileValidation: bp(true)})
	e.start("trail1")
	ctx := context.Background()
	e.clock.Advance(time.Hour)
	e.bucket.crash = true
	if err := e.d.Digest(ctx); err == nil {
		t.Fatal("want the crash reported")
	}
	e.clock.Advance(10 * time.Minute)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.bucket.puts) != 2 || e.bucket.puts[0] != e.bucket.puts[1] {
		t.Fatalf("puts %q: want the same key twice", e.bucket.puts)
	}
	e.clock.Advance(time.Hour)
	if err := e.d.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	ds := e.digests("")
	var next cloudtrail.DigestFile
	if err := json.Unmarshal(gunzip(t, ds[1].Body), &next); err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || next.PreviousDigestS3Object == nil || *next.PreviousDigestS3Object != e.bucket.puts[0] {
		t.Fatalf("%d digests, next points at %v", len(ds), next.PreviousDigestS3Object)
	}
}
