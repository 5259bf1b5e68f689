package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The AWS CLI's SSE-KMS round trip: an object uploaded with
// `aws s3 cp --sse aws:kms --sse-kms-key-id`, read by a user whom only the
// key policy (then only a grant) lets decrypt; once that permission is
// removed the same read is AccessDenied.
func TestInteropAWSCLISSEKMS(t *testing.T) {
	requireTool(t, "aws")
	b := startBinary(t)
	as := func(keyID, secret string, args ...string) (string, string, error) {
		return b.aws(t, keyID, secret, args...)
	}
	root := func(args ...string) string { t.Helper(); return b.mustAWS(t, args...) }
	var key struct{ KeyMetadata struct{ Arn string } }
	if err := json.Unmarshal([]byte(root("kms", "create-key")), &key); err != nil {
		t.Fatal(err)
	}
	keyARN := key.KeyMetadata.Arn
	root("s3", "mb", "s3://sse-kms-cli")
	root("iam", "create-user", "--user-name", "reader")
	root("iam", "put-user-policy", "--user-name", "reader", "--policy-name", "read",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::sse-kms-cli/*"}]}`)
	var ak struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	if err := json.Unmarshal([]byte(root("iam", "create-access-key", "--user-name", "reader")), &ak); err != nil {
		t.Fatal(err)
	}
	readerARN := "arn:aws:iam::" + testAccount + ":user/reader"
	rootStmt := `{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"kms:*","Resource":"*"}`
	readerStmt := `{"Sid":"Reader","Effect":"Allow","Principal":{"AWS":"` + readerARN + `"},"Action":"kms:Decrypt","Resource":"*"}`
	root("kms", "put-key-policy", "--key-id", keyARN, "--policy-name", "default",
		"--policy", `{"Version":"2012-10-17","Statement":[`+rootStmt+`,`+readerStmt+`]}`)

	dir := t.TempDir()
	src := filepath.Join(dir, "report.csv")
	payload := strings.Repeat("account,event,time\n", 1000)
	if err := os.WriteFile(src, []byte(payload), 0o600); err != nil {
		t.Fatal(err)
	}
	root("s3", "cp", src, "s3://sse-kms-cli/report.csv", "--sse", "aws:kms", "--sse-kms-key-id", keyARN)
	var head struct{ ServerSideEncryption, SSEKMSKeyId string }
	if err := json.Unmarshal([]byte(root("s3api", "head-object", "--bucket", "sse-kms-cli", "--key", "report.csv")), &head); err != nil {
		t.Fatal(err)
	}
	if head.ServerSideEncryption != "aws:kms" || head.SSEKMSKeyId != keyARN {
		t.Fatalf("head-object: %+v", head)
	}
	read := func() (string, error) {
		dst := filepath.Join(dir, "back.csv")
		_ = os.Remove(dst)
		_, errOut, err := as(ak.AccessKey.AccessKeyId, ak.AccessKey.SecretAccessKey, "s3", "cp", "s3://sse-kms-cli/report.csv", dst)
		if err != nil {
			return errOut, err
		}
		got, rerr := os.ReadFile(dst)
		if rerr != nil || string(got) != payload {
			t.Fatalf("the reader got %d bytes back (%v)", len(got), rerr)
		}
		return "", nil
	}
	if out, err := read(); err != nil {
		t.Fatalf("the reader, allowed by the key policy: %v\n%s", err, out)
	}
	// Without the key policy statement the reader cannot decrypt. `s3 cp`
	// learns it from its first request, a HEAD, which decrypts the data key
	// too and so answers a bodiless 403; a GET says AccessDenied.
	denied := func() string {
		if out, err := read(); err == nil || !strings.Contains(out, "(403) when calling the HeadObject operation") {
			return fmt.Sprintf("s3 cp: %v\n%s", err, out)
		}
		_, out, err := as(ak.AccessKey.AccessKeyId, ak.AccessKey.SecretAccessKey, "s3api", "get-object",
			"--bucket", "sse-kms-cli", "--key", "report.csv", filepath.Join(dir, "get.csv"))
		if err == nil || !strings.Contains(out, "(AccessDenied) when calling the GetObject operation") {
			return fmt.Sprintf("s3api get-object: %v\n%s", err, out)
		}
		return ""
	}
	root("kms", "put-key-policy", "--key-id", keyARN, "--policy-name", "default", "--policy", `{"Version":"2012-10-17","Statement":[`+rootStmt+`]}`)
	if msg := denied(); msg != "" {
		t.Fatalf("the reader read without the key policy statement: %s", msg)
	}
	// A grant lets the reader decrypt again; revoking it takes that back.
	var grant struct{ GrantId string }
	if err := json.Unmarshal([]byte(root("kms", "create-grant", "--key-id", keyARN, "--grantee-principal", readerARN,
		"--operations", "Decrypt")), &grant); err != nil {
		t.Fatal(err)
	}
	if out, err := read(); err != nil {
		t.Fatalf("the reader, allowed by a grant: %v\n%s", err, out)
	}
	root("kms", "revoke-grant", "--key-id", keyARN, "--grant-id", grant.GrantId)
	if msg := denied(); msg != "" {
		t.Fatalf("the reader read after the grant was revoked: %s", msg)
	}
}
