package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// tlsFront puts a TLS reverse proxy in front of the server, keeping the
// Host header the client signed, and records the x-amz-content-sha256 of
// every request it forwards. Over TLS the SDK sends uploads aws-chunked
// with a trailing checksum, its default.
type tlsFront struct {
	url    string
	client *http.Client
	mu     sync.Mutex
	hashes []string
}

func (s *cairnServer) tlsFront(t *testing.T) *tlsFront {
	t.Helper()
	target, _ := url.Parse(s.endpoint)
	f := &tlsFront{}
	rp := httputil.NewSingleHostReverseProxy(target)
	direct := rp.Director
	rp.Director = func(r *http.Request) {
		host := r.Host
		f.mu.Lock()
		f.hashes = append(f.hashes, r.Header.Get("X-Amz-Content-Sha256"))
		if os.Getenv("CAIRN_TEST_LOG") != "" {
			fmt.Fprintln(os.Stderr, r.Method, r.URL, r.Header)
		}
		f.mu.Unlock()
		direct(r)
		r.Host = host
	}
	ts := httptest.NewTLSServer(rp)
	t.Cleanup(ts.Close)
	f.url, f.client = ts.URL, ts.Client()
	return f
}

func (f *tlsFront) config(cfg aws.Config) aws.Config {
	cfg.BaseEndpoint = aws.String(f.url)
	cfg.HTTPClient = f.client
	return cfg
}

func (f *tlsFront) sawStreaming() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, h := range f.hashes {
		if strings.HasPrefix(h, "STREAMING-") {
			return true
		}
	}
	return false
}

// The SDK's defaults over TLS: uploads are aws-chunked with a trailing
// CRC32, downloads validate the response checksum.
func TestS3ChunkedUploadsWithTrailingChecksums(t *testing.T) {
	srv := startCairn(t)
	front := srv.tlsFront(t)
	c := srv.s3(front.config(srv.root()))
	b := aws.String("chunked")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 100000) // 1.6 MB
	for _, alg := range []s3types.ChecksumAlgorithm{"", s3types.ChecksumAlgorithmCrc32c, s3types.ChecksumAlgorithmSha256, s3types.ChecksumAlgorithmCrc64nvme} {
		key := aws.String("obj-" + string(alg))
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: key, Body: bytes.NewReader(body), ChecksumAlgorithm: alg})
		if err != nil {
			t.Fatalf("put with %q: %v", alg, err)
		}
		if aws.ToString(out.ETag) != `"`+md5hex(body)+`"` {
			t.Fatalf("ETag %s", aws.ToString(out.ETag))
		}
		get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: key, ChecksumMode: s3types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(get.Body)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("get with %q: %d bytes, %v", alg, len(got), err)
		}
		if aws.ToString(get.ChecksumCRC32) == "" && aws.ToString(get.ChecksumCRC32C) == "" && aws.ToString(get.ChecksumSHA256) == "" &&
			aws.ToString(get.ChecksumCRC64NVME) == "" {
			t.Fatalf("no stored checksum returned for %q", alg)
		}
	}
	if !front.sawStreaming() {
		t.Fatal("the SDK did not send aws-chunked bodies; the test does not test them")
	}
	// Multipart over aws-chunked too.
	mu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("mp"), UploadId: mu.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("mp"), UploadId: mu.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
}

// signedRequest builds a request signed with the root key for s3 in
// us-east-1 with the given payload hash (the x-amz-content-sha256 value).
func (s *cairnServer) signedRequest(t *testing.T, method, path string, body []byte, payloadHash string, header map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.endpoint+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	creds := aws.Credentials{AccessKeyID: testRootKey, SecretAccessKey: testRootSec}
	if err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).SignHTTP(ctx, creds, req, payloadHash, "s3", "us-east-1", srvNow(s)); err != nil {
		t.Fatal(err)
	}
	return req
}

func srvNow(s *cairnServer) time.Time { return s.clock.Now() }

func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// chunk frames data as one unsigned aws-chunked chunk.
func chunk(data []byte) string {
	return fmt.Sprintf("%x\r\n%s\r\n", len(data), data)
}

// A trailing checksum that does not match fails the upload with BadDigest
// and stores nothing; so does a Content-MD5 or a checksum header that does
// not match, and a body that does not hash to x-amz-content-sha256.
func TestS3IntegrityFailuresStoreNothing(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	b := aws.String("integrity")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	data := []byte("the payload that must not be stored")
	good := crc32.ChecksumIEEE(data)
	sum := func(v uint32) string {
		return base64.StdEncoding.EncodeToString([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	trailed := func(crc string) []byte {
		return []byte(chunk(data) + "0\r\nx-amz-checksum-crc32:" + crc + "\r\n\r\n")
	}
	hdr := map[string]string{"Content-Encoding": "aws-chunked", "X-Amz-Trailer": "x-amz-checksum-crc32",
		"X-Amz-Decoded-Content-Length": fmt.Sprint(len(data))}
	code, body := send(t, srv.signedRequest(t, "PUT", "/integrity/trailer", trailed(sum(good+1)), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", hdr))
	if code != 400 || !strings.Contains(body, "<Code>BadDigest</Code>") {
		t.Fatalf("bad trailer: %d %s", code, body)
	}
	wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("trailer")})), "NotFound")
	code, body = send(t, srv.signedRequest(t, "PUT", "/integrity/trailer", trailed(sum(good)), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", hdr))
	if code != 200 {
		t.Fatalf("good trailer: %d %s", code, body)
	}
	// Cut short: fewer bytes than x-amz-decoded-content-length.
	short := []byte(chunk(data[:10]) + "0\r\nx-amz-checksum-crc32:" + sum(good) + "\r\n\r\n")
	code, body = send(t, srv.signedRequest(t, "PUT", "/integrity/short", short, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", hdr))
	if code != 400 || !strings.Contains(body, "IncompleteBody") && !strings.Contains(body, "BadDigest") {
		t.Fatalf("short body: %d %s", code, body)
	}
	wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("short")})), "NotFound")
	// A signed payload hash that the body does not match.
	wrong := sha256.Sum256([]byte("something else"))
	code, body = send(t, srv.signedRequest(t, "PUT", "/integrity/hash", data, hex.EncodeToString(wrong[:]), nil))
	if code != 400 || !strings.Contains(body, "XAmzContentSHA256Mismatch") {
		t.Fatalf("content hash: %d %s", code, body)
	}
	wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("hash")})), "NotFound")
	// Content-MD5 and checksum headers through the SDK.
	badMD5 := md5.Sum([]byte("other"))
	wantCode(t, err2(c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("md5"), Body: bytes.NewReader(data),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(badMD5[:]))})), "BadDigest")
	wantCode(t, err2(c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("md5"), Body: bytes.NewReader(data),
		ContentMD5: aws.String("not-base64")})), "InvalidDigest")
	wantCode(t, err2(c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("crc"), Body: bytes.NewReader(data),
		ChecksumCRC32: aws.String(sum(good + 1))})), "BadDigest")
	for _, k := range []string{"md5", "crc"} {
		wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String(k)})), "NotFound")
	}
	goodMD5 := md5.Sum(data)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("md5"), Body: bytes.NewReader(data),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(goodMD5[:]))}); err != nil {
		t.Fatal(err)
	}
}

func TestS3PresignedURLs(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("presign")}); err != nil {
		t.Fatal(err)
	}
	ps := s3.NewPresignClient(c)
	put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("presign"), Key: aws.String("up.txt")},
		s3.WithPresignExpires(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(put.Method, put.URL, strings.NewReader("uploaded by URL"))
	for k, vs := range put.SignedHeader {
		req.Header[k] = vs
	}
	if code, body := send(t, req); code != 200 {
		t.Fatalf("presigned PUT: %d %s", code, body)
	}
	get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presign"), Key: aws.String("up.txt")}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != "uploaded by URL" {
		t.Fatalf("presigned GET: %d %q", resp.StatusCode, got)
	}
	// Tampered, then expired.
	tampered := strings.Replace(get.URL, "up.txt", "other.txt", 1)
	resp, _ = http.Get(tampered)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(b), "SignatureDoesNotMatch") {
		t.Fatalf("tampered URL: %d %s", resp.StatusCode, b)
	}
	srv.clock.Advance(2 * time.Hour)
	defer srv.clock.Advance(-2 * time.Hour)
	resp, _ = http.Get(get.URL)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(b), "<Code>AccessDenied</Code><Message>Request has expired</Message>") {
		t.Fatalf("expired URL: %d %s", resp.StatusCode, b)
	}
}

// Authentication failures in S3's words.
func TestS3AuthenticationErrors(t *testing.T) {
	srv := startCairn(t)
	bad := srv.config("AKIAUNKNOWNKEY000000", "secretsecretsecretsecretsecretsecretsecr", "")
	wantCode(t, err2(srv.s3(bad).ListBuckets(ctx, &s3.ListBucketsInput{})), "InvalidAccessKeyId")
	wrong := srv.config(testRootKey, "wrongwrongwrongwrongwrongwrongwrongwrong", "")
	wantCode(t, err2(srv.s3(wrong).ListBuckets(ctx, &s3.ListBucketsInput{})), "SignatureDoesNotMatch")
	srv.clock.Advance(time.Hour)
	wantCode(t, err2(srv.s3(srv.root()).ListBuckets(ctx, &s3.ListBucketsInput{})), "RequestTimeTooSkewed")
	srv.clock.Advance(-time.Hour)
	req, _ := http.NewRequest("GET", srv.endpoint+"/", nil)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=garbage")
	code, body := send(t, req)
	if code != 400 || !strings.Contains(body, "AuthorizationHeaderMalformed") {
		t.Fatalf("malformed authorization: %d %s", code, body)
	}
	req, _ = http.NewRequest("GET", srv.endpoint+"/", nil)
	code, body = send(t, req)
	if code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") || !strings.Contains(body, "<RequestId>") ||
		!strings.Contains(body, "<HostId>") {
		t.Fatalf("anonymous ListBuckets: %d %s", code, body)
	}
}

// dataEvents reads the recorded events of one account and name straight
// from the store: data events are not returned by LookupEvents.
func dataEvents(t *testing.T, s *cairnServer, account, name string) []record {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.data, "cairn.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT record FROM events WHERE account = ? AND name = ? ORDER BY seq`, account, name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []record
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var r record
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// Object bytes at rest are ciphertext only.
func TestS3NoPlaintextAtRest(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("secret")}); err != nil {
		t.Fatal(err)
	}
	marker := "CAIRN-PLAINTEXT-MARKER-7f3a9c"
	body := strings.Repeat(marker+" ", 20000) // 600 KB: several segments
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("secret"), Key: aws.String("doc.txt"), Body: strings.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	mu, _ := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("secret"), Key: aws.String("mp.txt")})
	if _, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("secret"), Key: aws.String("mp.txt"), UploadId: mu.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	srv.stop() // flush everything to disk
	found := 0
	blobs := 0
	err := filepath.WalkDir(srv.data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(path, string(filepath.Separator)+"objects"+string(filepath.Separator)) {
			blobs++
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(marker)) || bytes.Contains(b, []byte(base64.StdEncoding.EncodeToString([]byte(marker+" "+marker)))) {
			t.Errorf("plaintext found in %s", path)
			found++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if blobs < 2 {
		t.Fatalf("found %d blobs; the test did not look at the object bytes", blobs)
	}
}

// An upload cut off mid-body leaves nothing visible: not the new object,
// and the previous object, if any, whole.
func TestS3InterruptedUploadLeavesNothing(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	b := aws.String("crash")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	// Large enough to live in the blob store rather than inline.
	previous := strings.Repeat("previous", 2048)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("kept"), Body: strings.NewReader(previous)}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"new", "kept"} {
		full := bytes.Repeat([]byte("x"), 4<<20)
		req := srv.signedRequest(t, "PUT", "/crash/"+key, full, "UNSIGNED-PAYLOAD", nil)
		// Send the headers and half the body, then hang up.
		u, _ := url.Parse(srv.endpoint)
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		var head bytes.Buffer
		fmt.Fprintf(&head, "PUT %s HTTP/1.1\r\nHost: %s\r\n", req.URL.RequestURI(), req.Host)
		for k, vs := range req.Header {
			for _, v := range vs {
				fmt.Fprintf(&head, "%s: %s\r\n", k, v)
			}
		}
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", len(full))
		conn.Write(head.Bytes())
		conn.Write(full[:len(full)/2])
		conn.Close()
	}
	time.Sleep(200 * time.Millisecond) // let the server see the hang-ups
	wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("new")})), "NotFound")
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("kept")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	if string(got) != previous {
		t.Fatalf("the previous object became %d bytes", len(got))
	}
	// Nothing but the one object's blob remains in the blob store.
	srv.stop()
	n := 0
	root := filepath.Join(srv.data, "blobs")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		switch first, _, _ := strings.Cut(filepath.ToSlash(rel), "/"); first {
		case "objects":
			n++
		case "tmp":
			t.Errorf("a temporary file survived: %s", rel)
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("%d blobs in the store, want 1", n)
	}
}

// signedChunks frames data as STREAMING-AWS4-HMAC-SHA256-PAYLOAD chunks of
// size bytes, each signed and chained from the seed signature.
func signedChunks(data []byte, size int, seed string, key []byte, amzDate, scope string, corrupt int) []byte {
	hmacHex := func(s string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		return hex.EncodeToString(m.Sum(nil))
	}
	emptyHash := hex.EncodeToString(func() []byte { h := sha256.Sum256(nil); return h[:] }())
	var out bytes.Buffer
	prev := seed
	for i := 0; ; i++ {
		n := min(size, len(data))
		c := data[:n]
		data = data[n:]
		h := sha256.Sum256(c)
		sig := hmacHex("AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + prev + "\n" + emptyHash + "\n" + hex.EncodeToString(h[:]))
		if i == corrupt {
			sig = strings.Repeat("0", 64)
		}
		fmt.Fprintf(&out, "%x;chunk-signature=%s\r\n%s\r\n", n, sig, c)
		prev = sig
		if n == 0 {
			return out.Bytes()
		}
	}
}

func signingKey(secret, date, region, service string) []byte {
	k := []byte("AWS4" + secret)
	for _, p := range []string{date, region, service, "aws4_request"} {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(p))
		k = m.Sum(nil)
	}
	return k
}

// STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk's signature is checked;
// one wrong signature fails the upload, which stores nothing.
func TestS3SignedChunkedUpload(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("signed")}); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("signed chunk data "), 10000) // 180 KB: three 64 KiB chunks and a tail
	for _, corrupt := range []int{-1, 2} {
		key := fmt.Sprintf("obj%d", corrupt)
		now := srv.clock.Now()
		req, _ := http.NewRequest("PUT", srv.endpoint+"/signed/"+key, nil)
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(len(data)))
		// Sign with a placeholder length, then learn the seed signature.
		creds := aws.Credentials{AccessKeyID: testRootKey, SecretAccessKey: testRootSec}
		amzDate, date := now.UTC().Format("20060102T150405Z"), now.UTC().Format("20060102")
		body := signedChunks(data, 64<<10, strings.Repeat("0", 64), nil, amzDate, "", corrupt) // for its length only
		req.ContentLength = int64(len(body))
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "s3", "us-east-1", now); err != nil {
			t.Fatal(err)
		}
		auth := req.Header.Get("Authorization")
		seed := auth[strings.LastIndex(auth, "Signature=")+len("Signature="):]
		scope := date + "/us-east-1/s3/aws4_request"
		body = signedChunks(data, 64<<10, seed, signingKey(testRootSec, date, "us-east-1", "s3"), amzDate, scope, corrupt)
		req.Body = io.NopCloser(bytes.NewReader(body))
		code, resp := send(t, req)
		if corrupt < 0 {
			if code != 200 {
				t.Fatalf("signed chunks: %d %s", code, resp)
			}
			if got, err := readObject(c, "signed", key); err != nil || got != string(data) {
				t.Fatalf("read back: %d bytes, %v", len(got), err)
			}
			continue
		}
		if code != 403 || !strings.Contains(resp, "SignatureDoesNotMatch") {
			t.Fatalf("a bad chunk signature: %d %s", code, resp)
		}
		wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("signed"), Key: aws.String(key)})), "NotFound")
	}
}

// s3:authType in a bucket policy: presigned URLs refused, headers allowed.
func TestS3AuthTypeCondition(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	b := aws.String("authtype")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::authtype/*",
		"Condition":{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := readObject(c, "authtype", "k"); err != nil {
		t.Fatalf("header-signed read: %v", err)
	}
	url, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("presigned read under a REST-QUERY-STRING deny: %d", resp.StatusCode)
	}
}
