package restxml_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/restxml"
	"github.com/cairnhq/cairn/server"
	"github.com/cairnhq/cairn/service/s3"
)

func protocol(t testing.TB, domains ...string) *restxml.Protocol {
	t.Helper()
	p, err := restxml.New(restxml.S3(domains...))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func descriptor() *cairn.Service { return s3.New(s3.Config{}).Descriptor() }

// Every row of S3's table binds to the model: its input type's fields are
// model members of the right kinds.
func TestCheckDescriptor(t *testing.T) {
	if err := protocol(t).Check(descriptor()); err != nil {
		t.Fatal(err)
	}
}

func TestOperationNames(t *testing.T) {
	p := protocol(t, "s3.example.org")
	cases := []struct {
		method, target, host string
		header               map[string]string
		want                 string
	}{
		{"GET", "/", "127.0.0.1:4566", nil, "ListBuckets"},
		{"PUT", "/b", "localhost:4566", nil, "CreateBucket"},
		{"HEAD", "/b", "localhost", nil, "HeadBucket"},
		{"DELETE", "/b/", "localhost", nil, "DeleteBucket"},
		{"GET", "/b?location", "localhost", nil, "GetBucketLocation"},
		{"GET", "/b", "localhost", nil, "ListObjects"},
		{"GET", "/b?list-type=2&prefix=x", "localhost", nil, "ListObjectsV2"},
		{"GET", "/b?list-type=3", "localhost", nil, "ListObjects"},
		{"GET", "/b?acl", "localhost", nil, "GetBucketAcl"},
		{"GET", "/b?policy", "localhost", nil, "GetBucketPolicy"},
		{"GET", "/b?policyStatus", "localhost", nil, "GetBucketPolicyStatus"},
		{"GET", "/b?uploads", "localhost", nil, "ListMultipartUploads"},
		{"POST", "/b?delete", "localhost", nil, "DeleteObjects"},
		{"GET", "/b?versioning", "localhost", nil, "GetBucketVersioning"}, // known, not served
		{"PUT", "/b/k", "localhost", nil, "PutObject"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", "localhost", nil, "UploadPart"},
		{"PUT", "/b/k", "localhost", map[string]string{"X-Amz-Copy-Source": "/a/b"}, "CopyObject"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", "localhost", map[string]string{"X-Amz-Copy-Source": "/a/b"}, "UploadPartCopy"},
		{"POST", "/b/k?uploads", "localhost", nil, "CreateMultipartUpload"},
		{"POST", "/b/k?uploadId=u", "localhost", nil, "CompleteMultipartUpload"},
		{"DELETE", "/b/k?uploadId=u", "localhost", nil, "AbortMultipartUpload"},
		{"DELETE", "/b/k", "localhost", nil, "DeleteObject"},
		{"GET", "/b/k?uploadId=u", "localhost", nil, "ListParts"},
		{"GET", "/b/k", "localhost", nil, "GetObject"},
		{"GET", "/b/k?x-id=GetObject&response-content-type=a", "localhost", nil, "GetObject"},
		{"HEAD", "/b/k", "localhost", nil, "HeadObject"},
		{"GET", "/b/k?acl", "localhost", nil, "GetObjectAcl"},
		{"PUT", "/b/k?tagging", "localhost", nil, "PutObjectTagging"},
		// Virtual-hosted style.
		{"GET", "/", "bucket.localhost:4566", nil, "ListObjects"},
		{"GET", "/key", "bucket.localhost", nil, "GetObject"},
		{"GET", "/?acl", "my.bucket.s3.us-east-1.amazonaws.com", nil, "GetBucketAcl"},
		{"PUT", "/a/b", "logs.s3.example.org", nil, "PutObject"},
		{"GET", "/", "s3.example.org", nil, "ListBuckets"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, "http://"+c.host+c.target, nil)
		r.Host = c.host
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		got, err := p.OperationName(r, nil)
		if err != nil || got != c.want {
			t.Errorf("%s %s (host %s): %q %v, want %s", c.method, c.target, c.host, got, err, c.want)
		}
	}
	r := httptest.NewRequest("POST", "http://localhost/b", nil)
	if _, err := p.OperationName(r, nil); err == nil || cairn.AsError(err).Code != "MethodNotAllowed" {
		t.Fatalf("POST /b: %v", err)
	}
}

func decode(t *testing.T, p *restxml.Protocol, op string, r *http.Request, body []byte) (any, error) {
	t.Helper()
	row := descriptor().Op(op)
	if row == nil {
		t.Fatalf("no row %s", op)
	}
	return p.Decode(r, body, row)
}

func TestDecode(t *testing.T) {
	p := protocol(t)
	r := httptest.NewRequest("PUT", "http://localhost/bkt/dir/a%2Fb%20c.txt?x-id=PutObject", strings.NewReader("body"))
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Set("X-Amz-Meta-Color", "blue")
	r.Header.Set("X-Amz-Acl", "bucket-owner-full-control")
	r.Header.Set("X-Amz-Tagging", "a=1&b=2")
	r.Header.Set("X-Amz-Decoded-Content-Length", "4")
	in, err := decode(t, p, "PutObject", r, nil)
	if err != nil {
		t.Fatal(err)
	}
	put := in.(*s3.PutObjectInput)
	if put.Bucket != "bkt" || put.Key != "dir/a/b c.txt" || put.ContentType != "text/plain" || put.Metadata["color"] != "blue" ||
		put.ACL != "bucket-owner-full-control" || put.Tagging != "a=1&b=2" || put.ContentLength == nil || *put.ContentLength != 4 {
		t.Fatalf("PutObject input %+v", put)
	}
	body, _ := io.ReadAll(put.Body)
	if string(body) != "body" {
		t.Fatalf("body %q", body)
	}
	// Headers of features Cairn does not serve are refused, not ignored.
	r = httptest.NewRequest("PUT", "http://localhost/bkt/k", nil)
	r.Header.Set("X-Amz-Server-Side-Encryption-Customer-Algorithm", "AES256")
	if _, err := decode(t, p, "PutObject", r, nil); err == nil || cairn.AsError(err).Code != "NotImplemented" {
		t.Fatalf("SSE-C: %v", err)
	}
	// Query members, typed.
	r = httptest.NewRequest("GET", "http://localhost/bkt?list-type=2&max-keys=7&fetch-owner=true&prefix=a%2Fb", nil)
	in, err = decode(t, p, "ListObjectsV2", r, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := in.(*s3.ListObjectsV2Input)
	if *l.MaxKeys != 7 || !*l.FetchOwner || l.Prefix != "a/b" {
		t.Fatalf("ListObjectsV2 input %+v", l)
	}
	r = httptest.NewRequest("GET", "http://localhost/bkt?list-type=2&max-keys=many", nil)
	if _, err := decode(t, p, "ListObjectsV2", r, nil); err == nil || cairn.AsError(err).Code != "InvalidArgument" {
		t.Fatalf("bad max-keys: %v", err)
	}
	// Timestamps in headers are HTTP dates.
	r = httptest.NewRequest("GET", "http://localhost/bkt/k", nil)
	r.Header.Set("If-Modified-Since", "Wed, 21 Oct 2015 07:28:00 GMT")
	in, err = decode(t, p, "GetObject", r, nil)
	if err != nil || !in.(*s3.GetObjectInput).IfModifiedSince.Equal(time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)) {
		t.Fatalf("If-Modified-Since: %+v %v", in, err)
	}
	// XML payloads: flattened lists, nested structures, attributes.
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>b&amp;c</Key><VersionId>null</VersionId></Object><Quiet>true</Quiet></Delete>`
	r = httptest.NewRequest("POST", "http://localhost/bkt?delete", nil)
	in, err = decode(t, p, "DeleteObjects", r, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	d := in.(*s3.DeleteObjectsInput).Delete
	if len(d.Objects) != 2 || d.Objects[1].Key != "b&c" || d.Objects[1].VersionId != "null" || !*d.Quiet {
		t.Fatalf("Delete %+v", d)
	}
	acl := `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner><AccessControlList>
<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>
</AccessControlList></AccessControlPolicy>`
	r = httptest.NewRequest("PUT", "http://localhost/bkt?acl", nil)
	in, err = decode(t, p, "PutBucketAcl", r, []byte(acl))
	if err != nil {
		t.Fatal(err)
	}
	g := in.(*s3.PutBucketAclInput).AccessControlPolicy.Grants
	if len(g) != 1 || g[0].Grantee.Type != "Group" || g[0].Permission != "READ" {
		t.Fatalf("grants %+v", g)
	}
	for _, bad := range []string{`<Delete><Object><Key>a</Key></Delete>`, `<Delete>`, `not xml`, `<Delete/><Delete/>`} {
		r = httptest.NewRequest("POST", "http://localhost/bkt?delete", nil)
		if _, err := decode(t, p, "DeleteObjects", r, []byte(bad)); err == nil || cairn.AsError(err).Code != "MalformedXML" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// Content-MD5 of an in-memory body.
	r = httptest.NewRequest("PUT", "http://localhost/bkt?policy", nil)
	r.Header.Set("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==") // MD5 of ""
	if _, err := decode(t, p, "PutBucketPolicy", r, []byte("{}")); err == nil || cairn.AsError(err).Code != "BadDigest" {
		t.Fatalf("Content-MD5 mismatch: %v", err)
	}
}

func TestEncode(t *testing.T) {
	p := protocol(t)
	row := descriptor().Op("ListObjectsV2")
	mod := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	out := &s3.ListObjectsV2Output{Name: "b", KeyCount: 1, MaxKeys: 1000, Contents: []s3.Object{{Key: "a<b", LastModified: mod, ETag: `"e"`, Size: 3, StorageClass: "STANDARD"}},
		CommonPrefixes: []s3.CommonPrefix{{Prefix: "p/"}}}
	resp, err := p.Encode("req-1", row, out)
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated>` +
		`<Contents><Key>a&lt;b</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;e&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>` +
		`<Name>b</Name><MaxKeys>1000</MaxKeys><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes><KeyCount>1</KeyCount></ListBucketResult>`
	if string(resp.Body) != want || resp.Header.Get("X-Amz-Request-Id") != "req-1" || resp.Header.Get("X-Amz-Id-2") == "" {
		t.Fatalf("ListObjectsV2 document:\n%s\nwant\n%s", resp.Body, want)
	}
	// Header members, 206 for a range, the body as a stream.
	n := int64(3)
	get := &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader("abc")), ContentLength: &n, ContentRange: "bytes 0-2/10",
		LastModified: &mod, ETag: `"e"`, Metadata: map[string]string{"k": "v"}, ServerSideEncryption: "AES256"}
	resp, err = p.Encode("r", descriptor().Op("GetObject"), get)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 206 || resp.Header.Get("Content-Length") != "3" || resp.Header.Get("Last-Modified") != "Tue, 02 Jan 2024 03:04:05 GMT" ||
		strings.Join(resp.Header["x-amz-meta-k"], "") != "v" || resp.Header.Get("X-Amz-Server-Side-Encryption") != "AES256" || resp.Stream == nil {
		t.Fatalf("GetObject response %d %v", resp.Status, resp.Header)
	}
	// DeleteObject's model status.
	resp, _ = p.Encode("r", descriptor().Op("DeleteObject"), &s3.DeleteObjectOutput{})
	if resp.Status != 204 || len(resp.Body) != 0 {
		t.Fatalf("DeleteObject %d %q", resp.Status, resp.Body)
	}
	// GetBucketLocation's bare document.
	resp, _ = p.Encode("r", descriptor().Op("GetBucketLocation"), &s3.GetBucketLocationOutput{LocationConstraint: "eu-west-1"})
	if !bytes.HasSuffix(resp.Body, []byte(`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`)) {
		t.Fatalf("location %s", resp.Body)
	}
}

func TestErrorDocument(t *testing.T) {
	p := protocol(t)
	r := httptest.NewRequest("GET", "http://localhost/bkt/some/key", nil)
	var re server.RequestErrors = p
	resp := re.EncodeRequestError(r, "req-9", &cairn.Error{Code: "NoSuchKey", Message: "The specified key does not exist.", Status: 404})
	body := string(resp.Body)
	for _, want := range []string{"<Error><Code>NoSuchKey</Code>", "<Message>The specified key does not exist.</Message>",
		"<Key>some/key</Key>", "<Resource>/bkt/some/key</Resource>", "<RequestId>req-9</RequestId>", "<HostId>" + resp.Header.Get("X-Amz-Id-2") + "</HostId>"} {
		if !strings.Contains(body, want) {
			t.Fatalf("error document lacks %s:\n%s", want, body)
		}
	}
	if resp.Status != 404 || resp.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("status %d %v", resp.Status, resp.Header)
	}
	if resp := p.EncodeError("r", &cairn.Error{Code: "NotModified", Status: 304}); len(resp.Body) != 0 {
		t.Fatalf("304 with a body: %s", resp.Body)
	}
	if e := p.AuthError(server.AuthUnknownKey, "x"); e.Code != "InvalidAccessKeyId" || e.Status != 403 {
		t.Fatalf("unknown key: %+v", e)
	}
	if e := p.AuthError(server.AuthContentMismatch, ""); e.Code != "XAmzContentSHA256Mismatch" || e.Status != 400 {
		t.Fatalf("content hash: %+v", e)
	}
}

// The extracted model is what model/s3.py extracts from the botocore
// installed on the machine (when there is one): the model is the source of
// truth for names, members and locations, and it must not drift silently.
func TestModelMatchesBotocore(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import botocore").Run() != nil {
		if os.Getenv("CAIRN_REQUIRE_INTEROP") == "1" {
			t.Fatal("python3 with botocore is required (CAIRN_REQUIRE_INTEROP=1)")
		}
		t.Skip("python3 with botocore not installed")
	}
	out, err := exec.Command(py, "model/s3.py").Output()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("model/s3.json")
	if err != nil {
		t.Fatal(err)
	}
	strip := func(b []byte) []byte { // the source line names the botocore version
		i := bytes.IndexByte(b, '\n')
		j := bytes.IndexByte(b[i+1:], '\n')
		return b[i+1+j:]
	}
	if !bytes.Equal(strip(out), strip(have)) {
		t.Fatal("model/s3.json differs from what model/s3.py extracts from the installed botocore; regenerate it and review the diff")
	}
}
