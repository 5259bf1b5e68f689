package s3_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/authz"
	"github.com/cairnhq/cairn/blob/diskblob"
	"github.com/cairnhq/cairn/rootkey"
	"github.com/cairnhq/cairn/service/s3"
	"github.com/cairnhq/cairn/store/sqlite"
)

const owner = "111122223333"

// noIdentities: the root user needs none, service principals have none.
type noIdentities struct{}

func (noIdentities) PoliciesFor(context.Context, cairn.Principal) ([]string, string, error) {
	return nil, "", nil
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func newService(t testing.TB) *s3.Service {
	t.Helper()
	return newFixture(t, nil).svc
}

// fixture is an S3 service on a real store and blob store in a temporary
// folder, for tests that look at what lies beneath.
type fixture struct {
	svc   *s3.Service
	store *sqlite.Store
	blobs *diskblob.Store
}

// newFixture builds the service; mod, if set, changes its configuration
// (the blob store it writes to, builtin buckets) first.
func newFixture(t testing.TB, mod func(*s3.Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := diskblob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	key, err := rootkey.LoadOrCreate(filepath.Join(dir, "root.key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := s3.Config{Store: st, Blobs: blobs, Sealer: key, Authorizer: authz.New(noIdentities{}, nil),
		Clock: fixedClock{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, IDs: cairn.RandomIDs{}, MinPartSize: 1}
	if mod != nil {
		mod(&cfg)
	}
	return &fixture{svc: s3.New(cfg), store: st, blobs: blobs}
}

func rootCall() *cairn.Call {
	return &cairn.Call{RequestID: "r", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Region: "us-east-1",
		Principal: cairn.Principal{Type: cairn.PrincipalRoot, AccountID: owner, ARN: cairn.RootARN(owner), ID: owner}}
}

func TestCanonicalIDs(t *testing.T) {
	id := s3.CanonicalID(owner)
	if len(id) != 64 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Fatalf("canonical ID %q", id)
	}
	if acct, ok := s3.AccountOfCanonicalID(id); !ok || acct != owner {
		t.Fatalf("round trip %q %v", acct, ok)
	}
	if _, ok := s3.AccountOfCanonicalID(strings.ToUpper(id)); !ok {
		t.Fatal("canonical IDs are case-insensitive hex")
	}
	forged := strings.Repeat("0", 40) + id[40:] // spells the account, wrong hash
	for _, bad := range []string{forged, id[:63], "", strings.Repeat("ab", 32)} {
		if _, ok := s3.AccountOfCanonicalID(bad); ok {
			t.Errorf("%q taken for an account", bad)
		}
	}
}

// CloudTrail's delivery: the same engine decides, as the service
// principal, with the bucket policy.
func TestServicePrincipalDelivery(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	if _, err := s.CreateBucket(ctx, rootCall(), &s3.CreateBucketInput{Bucket: "logs"}); err != nil {
		t.Fatal(err)
	}
	trail := "arn:aws:cloudtrail:us-east-1:" + owner + ":trail/t"
	ct := s3.ServicePrincipal{Service: "cloudtrail.amazonaws.com", SourceARN: trail, SourceAccount: owner}
	if _, err := s.CheckDelivery(ctx, ct, "nope", "", owner); !errors.Is(err, s3.ErrNoSuchBucket) {
		t.Fatalf("missing bucket: %v", err)
	}
	if _, err := s.CheckDelivery(ctx, ct, "logs", "", owner); !errors.Is(err, s3.ErrAccessDenied) {
		t.Fatalf("no policy: %v", err)
	}
	body := "log file"
	d := s3.Delivery{Principal: ct, Bucket: "logs", Key: "AWSLogs/" + owner + "/CloudTrail/x.json.gz", Body: strings.NewReader(body),
		Size: int64(len(body)), ACL: "bucket-owner-full-control", Metadata: map[string]string{"signature": "abc"}}
	if _, err := s.Deliver(ctx, d); !errors.Is(err, s3.ErrAccessDenied) {
		t.Fatalf("delivery without a policy: %v", err)
	}
	policy := `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::logs"},
{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/AWSLogs/` + owner + `/*",
 "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"` + trail + `","aws:SourceAccount":"` + owner + `"}}}]}`
	if _, err := s.PutBucketPolicy(ctx, rootCall(), &s3.PutBucketPolicyInput{Bucket: "logs", Policy: policy}); err != nil {
		t.Fatal(err)
	}
	region, err := s.CheckDelivery(ctx, ct, "logs", "", owner)
	if err != nil || region != "us-east-1" {
		t.Fatalf("check with the policy: %q %v", region, err)
	}
	// Another trail, another account, a prefix outside the grant.
	if _, err := s.CheckDelivery(ctx, s3.ServicePrincipal{Service: ct.Service, SourceARN: trail + "x", SourceAccount: owner}, "logs", "", owner); !errors.Is(err, s3.ErrAccessDenied) {
		t.Fatalf("other trail: %v", err)
	}
	if _, err := s.CheckDelivery(ctx, ct, "logs", "pre", owner); !errors.Is(err, s3.ErrAccessDenied) {
		t.Fatalf("other prefix: %v", err)
	}
	// The ACL condition binds the delivery too.
	d.ACL = ""
	if _, err := s.Deliver(ctx, d); !errors.Is(err, s3.ErrAccessDenied) {
		t.Fatalf("delivery without the ACL: %v", err)
	}
	d.ACL = "bucket-owner-full-control"
	d.Body = strings.NewReader(body)
	etag, err := s.Deliver(ctx, d)
	if err != nil || etag == "" {
		t.Fatalf("delivery: %q %v", etag, err)
	}
	out, err := s.GetObject(ctx, rootCall(), &s3.GetObjectInput{Bucket: "logs", Key: d.Key})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(got) != body || out.Metadata["signature"] != "abc" || out.ServerSideEncryption != "AES256" {
		t.Fatalf("delivered object %q %+v", got, out)
	}
	acl, err := s.GetObjectAcl(ctx, rootCall(), &s3.GetObjectAclInput{Bucket: "logs", Key: d.Key})
	if err != nil || acl.Owner.ID != s3.CanonicalID(owner) {
		t.Fatalf("delivered object's owner %+v %v", acl, err)
	}
}

// Listings, against a reference: every page walk visits each key or
// common prefix once, in order, whatever the page size.
func TestListingPages(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	c := rootCall()
	if _, err := s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "list"}); err != nil {
		t.Fatal(err)
	}
	keys := []string{"a", "a/1", "a/2", "a/b/3", "b", "b/", "b//c", "c/x", "c/y/z", "d", "é", "z/z", "~"}
	for _, k := range keys {
		if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "list", Key: k, Body: strings.NewReader(k)}); err != nil {
			t.Fatal(err)
		}
	}
	reference := func(prefix, delim string) []string {
		var out []string
		for _, k := range keys {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			if delim != "" {
				if i := strings.Index(k[len(prefix):], delim); i >= 0 {
					cp := k[:len(prefix)+i+len(delim)] + "(prefix)"
					if !slices.Contains(out, cp) {
						out = append(out, cp)
					}
					continue
				}
			}
			out = append(out, k)
		}
		sort.Slice(out, func(i, j int) bool {
			return strings.TrimSuffix(out[i], "(prefix)") < strings.TrimSuffix(out[j], "(prefix)")
		})
		return out
	}
	for _, prefix := range []string{"", "a", "a/", "b/", "c"} {
		for _, delim := range []string{"", "/", "//"} {
			want := reference(prefix, delim)
			for page := int32(1); page <= 4; page++ {
				var got []string
				token := ""
				for n := 0; ; n++ {
					if n > 50 {
						t.Fatalf("prefix %q delim %q page %d: no end", prefix, delim, page)
					}
					max := page
					out, err := s.ListObjectsV2(ctx, c, &s3.ListObjectsV2Input{Bucket: "list", Prefix: prefix, Delimiter: delim, MaxKeys: &max, ContinuationToken: token})
					if err != nil {
						t.Fatal(err)
					}
					for _, o := range out.Contents {
						got = append(got, o.Key)
					}
					for _, p := range out.CommonPrefixes {
						got = append(got, p.Prefix+"(prefix)")
					}
					if int(out.KeyCount) != len(out.Contents)+len(out.CommonPrefixes) || out.KeyCount > page {
						t.Fatalf("KeyCount %d of a page of %d", out.KeyCount, page)
					}
					if !out.IsTruncated {
						break
					}
					token = out.NextContinuationToken
				}
				sort.Slice(got, func(i, j int) bool {
					return strings.TrimSuffix(got[i], "(prefix)") < strings.TrimSuffix(got[j], "(prefix)")
				})
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("prefix %q delim %q pages of %d:\n got %v\nwant %v", prefix, delim, page, got, want)
				}
			}
		}
	}
}

// Objects written with a key that would be a path outside the store are
// stored like any other: blob keys are opaque.
func TestHostileKeys(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	c := rootCall()
	if _, err := s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "keys"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"../../etc/passwd", "/abs", "a\\b", "dot/./dot", strings.Repeat("k", 1024), "ünï"} {
		if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "keys", Key: k, Body: strings.NewReader(k)}); err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		out, err := s.GetObject(ctx, c, &s3.GetObjectInput{Bucket: "keys", Key: k})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if string(b) != k {
			t.Fatalf("%q read back as %q", k, b)
		}
	}
	if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "keys", Key: strings.Repeat("k", 1025), Body: bytes.NewReader(nil)}); cairn.AsError(err) == nil || cairn.AsError(err).Code != "KeyTooLongError" {
		t.Fatalf("1025-byte key: %v", err)
	}
}

// Every row decides authorization and auditing: an s3 action, resources,
// event parameters; object-level rows are data events.
func TestDescriptorRows(t *testing.T) {
	d := newService(t).Descriptor()
	if d.Name != "s3" || d.EventSource != "s3.amazonaws.com" || d.Global {
		t.Fatalf("service %+v", d)
	}
	data := map[string]bool{}
	for _, n := range []string{"PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects", "CopyObject", "ListObjects", "ListObjectsV2",
		"CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts",
		"ListMultipartUploads", "PutObjectAcl", "GetObjectAcl", "PutObjectTagging", "GetObjectTagging", "DeleteObjectTagging"} {
		data[n] = true
	}
	for _, op := range d.Operations {
		if !strings.HasPrefix(op.Action, "s3:") || op.New == nil || op.Invoke == nil || op.Parameters == nil || op.Resources == nil {
			t.Errorf("%s: incomplete row", op.Name)
		}
		if op.Data != data[op.Name] {
			t.Errorf("%s: data event %v", op.Name, op.Data)
		}
		ro := strings.HasPrefix(op.Name, "Get") || strings.HasPrefix(op.Name, "List") || strings.HasPrefix(op.Name, "Head")
		if op.ReadOnly != ro {
			t.Errorf("%s: read-only %v", op.Name, op.ReadOnly)
		}
	}
	// An object call is decided on the object; its bucket is recorded too.
	op := d.Op("GetObject")
	in := &s3.GetObjectInput{Bucket: "b", Key: "k"}
	rs := op.Resources(&cairn.Call{}, in)
	if len(rs) != 2 || rs[0].ARN != "arn:aws:s3:::b/k" || rs[0].RecordOnly || rs[1].ARN != "arn:aws:s3:::b" || !rs[1].RecordOnly {
		t.Fatalf("GetObject resources %+v", rs)
	}
	params := op.Parameters(&cairn.Call{Host: "h"}, in)
	if params["bucketName"] != "b" || params["key"] != "k" || params["Host"] != "h" {
		t.Fatalf("GetObject parameters %v", params)
	}
	put := d.Op("PutObject").Parameters(&cairn.Call{}, &s3.PutObjectInput{Bucket: "b", Key: "k", Body: strings.NewReader("secret"), ACL: "private"})
	for k, v := range put {
		if strings.Contains(fmt.Sprint(v), "secret") {
			t.Fatalf("PutObject parameter %s records the body", k)
		}
	}
	conds := d.Op("ListObjectsV2").Conditions(&cairn.Call{AuthType: cairn.AuthHeader}, &s3.ListObjectsV2Input{Bucket: "b", Prefix: "p/", Delimiter: "/"})
	if conds["s3:prefix"][0] != "p/" || conds["s3:delimiter"][0] != "/" || conds["s3:authtype"][0] != "REST-HEADER" || conds["s3:signatureversion"][0] != "AWS4-HMAC-SHA256" {
		t.Fatalf("ListObjectsV2 condition keys %v", conds)
	}
}

// A read racing overwrites returns one whole object, old or new, never a
// mix or an error: blobs a read has opened stay readable when the object
// is replaced and they are deleted.
func TestReadsRacingOverwrites(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	c := rootCall()
	if _, err := s.CreateBucket(ctx, c, &s3.CreateBucketInput{Bucket: "race"}); err != nil {
		t.Fatal(err)
	}
	a := bytes.Repeat([]byte("A"), 200<<10)
	b := bytes.Repeat([]byte("B"), 300<<10)
	putMultipart := func(body []byte) {
		mu, err := s.CreateMultipartUpload(ctx, c, &s3.CreateMultipartUploadInput{Bucket: "race", Key: "k"})
		if err != nil {
			t.Error(err)
			return
		}
		var parts []s3.CompletedPart
		for i, off := int32(1), 0; off < len(body); i, off = i+1, off+100<<10 {
			out, err := s.UploadPart(ctx, c, &s3.UploadPartInput{Bucket: "race", Key: "k", UploadId: mu.UploadId, PartNumber: i,
				Body: bytes.NewReader(body[off:min(off+100<<10, len(body))])})
			if err != nil {
				t.Error(err)
				return
			}
			n := i
			parts = append(parts, s3.CompletedPart{ETag: out.ETag, PartNumber: &n})
		}
		if _, err := s.CompleteMultipartUpload(ctx, c, &s3.CompleteMultipartUploadInput{Bucket: "race", Key: "k", UploadId: mu.UploadId,
			MultipartUpload: &s3.CompletedMultipartUpload{Parts: parts}}); err != nil {
			t.Error(err)
		}
	}
	if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "race", Key: "k", Body: bytes.NewReader(a)}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				putMultipart(b)
			} else if _, err := s.PutObject(ctx, c, &s3.PutObjectInput{Bucket: "race", Key: "k", Body: bytes.NewReader(a)}); err != nil {
				t.Error(err)
			}
		}
	}()
	deadline := time.Now().Add(1500 * time.Millisecond)
	reads := 0
	var failure string
	for time.Now().Before(deadline) && failure == "" {
		out, err := s.GetObject(ctx, rootCall(), &s3.GetObjectInput{Bucket: "race", Key: "k"})
		if err != nil {
			failure = fmt.Sprintf("read %d: %v", reads, err)
			break
		}
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil || !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			failure = fmt.Sprintf("read %d: %d bytes, %v", reads, len(got), err)
		}
		reads++
	}
	close(stop)
	<-done
	if failure != "" {
		t.Fatal(failure)
	}
	if reads < 10 {
		t.Fatalf("only %d reads", reads)
	}
}
