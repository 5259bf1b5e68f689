package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// fileHash is the SHA-256 of a file.
func fileHash(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return string(h.Sum(nil))
}

// The AWS CLI's high-level S3 commands (multipart uploads and ranged
// parallel downloads of a 100 MB file, sync, ls) and s3api against the
// built binary, and a cross-account read the bucket policy does not allow.
func TestInteropS3AWSCLI(t *testing.T) {
	requireTool(t, "aws")
	if testing.Short() {
		t.Skip("moves 200 MB through the AWS CLI")
	}
	b := startBinary(t)
	run := func(keyID, secret string, args ...string) string {
		t.Helper()
		out, errOut, err := b.aws(t, keyID, secret, args...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
		return out
	}
	root := func(args ...string) string { t.Helper(); return run(testRootKey, testRootSec, args...) }
	dir := t.TempDir()
	root("s3", "mb", "s3://cli-bucket")
	// botocore parses GetBucketLocation's document itself: us-east-1 is
	// an empty element, never an empty body.
	if loc := root("s3api", "get-bucket-location", "--bucket", "cli-bucket"); !strings.Contains(loc, `"LocationConstraint": null`) {
		t.Fatalf("get-bucket-location: %s", loc)
	}

	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, 100<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	root("s3", "cp", big, "s3://cli-bucket/data/big.bin")
	back := filepath.Join(dir, "back.bin")
	root("s3", "cp", "s3://cli-bucket/data/big.bin", back)
	if fileHash(t, big) != fileHash(t, back) {
		t.Fatal("the 100 MB file came back different")
	}

	// sync a small tree up, change it, sync again, and back down.
	tree := filepath.Join(dir, "tree")
	for name, body := range map[string]string{"a.txt": "alpha", "sub/b.txt": "beta", "sub/deep/c.txt": "gamma"} {
		p := filepath.Join(tree, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
		// Older than the upload by more than S3's one-second precision,
		// so that sync sees the copies as current.
		old := time.Now().Add(-time.Hour)
		os.Chtimes(p, old, old)
	}
	out := root("s3", "sync", tree, "s3://cli-bucket/tree")
	if strings.Count(out, "upload:") != 3 {
		t.Fatalf("first sync: %s", out)
	}
	os.WriteFile(filepath.Join(tree, "a.txt"), []byte("alpha, changed"), 0o644)
	out = root("s3", "sync", tree, "s3://cli-bucket/tree")
	if strings.Count(out, "upload:") != 1 {
		t.Fatalf("second sync uploaded more than the changed file: %s", out)
	}
	down := filepath.Join(dir, "down")
	root("s3", "sync", "s3://cli-bucket/tree", down)
	if got, _ := os.ReadFile(filepath.Join(down, "sub", "deep", "c.txt")); string(got) != "gamma" {
		t.Fatalf("synced down: %q", got)
	}
	ls := root("s3", "ls", "s3://cli-bucket/tree/")
	if !strings.Contains(ls, "PRE sub/") || !strings.Contains(ls, "a.txt") {
		t.Fatalf("ls: %s", ls)
	}
	if ls := root("s3", "ls"); !strings.Contains(ls, "cli-bucket") {
		t.Fatalf("ls buckets: %s", ls)
	}
	if ls := root("s3", "ls", "--recursive", "s3://cli-bucket"); strings.Count(ls, "\n") != 4 {
		t.Fatalf("recursive ls: %s", ls)
	}

	// A cross-account read, refused, then allowed by a bucket policy.
	run2 := func(args ...string) map[string]any {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal([]byte(root(args...)), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	run2("organizations", "create-organization", "--feature-set", "ALL")
	acct := run2("organizations", "create-account", "--email", "m@example.com", "--account-name", "M")
	member := acct["CreateAccountStatus"].(map[string]any)["AccountId"].(string)
	creds := run2("sts", "assume-role", "--role-arn", "arn:aws:iam::"+member+":role/OrganizationAccountAccessRole",
		"--role-session-name", "cli")["Credentials"].(map[string]any)
	other := func(args ...string) (string, string, error) {
		cmd := append([]string{}, args...)
		return b.awsSession(t, creds["AccessKeyId"].(string), creds["SecretAccessKey"].(string), creds["SessionToken"].(string), cmd...)
	}
	_, errOut, err := other("s3", "cp", "s3://cli-bucket/tree/a.txt", filepath.Join(dir, "stolen.txt"))
	if err == nil || !strings.Contains(errOut, "403") && !strings.Contains(errOut, "Forbidden") && !strings.Contains(errOut, "AccessDenied") {
		t.Fatalf("cross-account read without a grant: err=%v %s", err, errOut)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + member + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::cli-bucket/tree/*"}]}`
	root("s3api", "put-bucket-policy", "--bucket", "cli-bucket", "--policy", policy)
	got := run2("s3api", "get-bucket-policy", "--bucket", "cli-bucket")
	if got["Policy"] != policy {
		t.Fatalf("get-bucket-policy: %v", got)
	}
	if _, errOut, err := other("s3", "cp", "s3://cli-bucket/tree/a.txt", filepath.Join(dir, "shared.txt")); err != nil {
		t.Fatalf("cross-account read with a grant: %v %s", err, errOut)
	}
	if _, errOut, err := other("s3", "cp", "s3://cli-bucket/data/big.bin", filepath.Join(dir, "nope.bin")); err == nil {
		t.Fatalf("read outside the grant succeeded: %s", errOut)
	}
}

// A crash in the middle of a PUT (the server killed while the body is
// arriving) leaves no object, whole or partial, and no temporary file
// once the server is back.
func TestS3CrashDuringUpload(t *testing.T) {
	b := startBinary(t)
	srv := &cairnServer{endpoint: b.endpoint, data: b.data, clock: &testClock{}}
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("crashy")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crashy"), Key: aws.String("kept"), Body: strings.NewReader("before")}); err != nil {
		t.Fatal(err)
	}
	full := bytes.Repeat([]byte("y"), 8<<20)
	for _, key := range []string{"new", "kept"} {
		req := srv.signedRequest(t, "PUT", "/crashy/"+key, full, "UNSIGNED-PAYLOAD", nil)
		u, _ := url.Parse(b.endpoint)
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var head bytes.Buffer
		fmt.Fprintf(&head, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.URL.RequestURI(), req.Host, len(full))
		for k, vs := range req.Header {
			for _, v := range vs {
				fmt.Fprintf(&head, "%s: %s\r\n", k, v)
			}
		}
		head.WriteString("\r\n")
		conn.Write(head.Bytes())
		conn.Write(full[:len(full)/2]) // the server is now writing a temporary blob
	}
	inFlight := 0
	for deadline := time.Now().Add(5 * time.Second); inFlight < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		tmp, _ := os.ReadDir(filepath.Join(b.data, "blobs", "tmp"))
		inFlight = len(tmp)
	}
	if inFlight < 2 {
		t.Fatalf("%d uploads in progress; the test does not crash mid-upload", inFlight)
	}
	if err := b.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	b.cmd.Wait()
	b2 := startBinaryIn(t, b.data)
	srv.endpoint = b2.endpoint
	c = srv.s3(srv.root())
	wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("crashy"), Key: aws.String("new")})), "NotFound")
	if got, err := readObject(c, "crashy", "kept"); err != nil || got != "before" {
		t.Fatalf("the previous object after the crash: %q %v", got, err)
	}
	tmp, _ := os.ReadDir(filepath.Join(b.data, "blobs", "tmp"))
	if len(tmp) != 0 {
		t.Fatalf("%d temporary blobs survived the restart", len(tmp))
	}
}
