package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInteropAWSCLIKMS drives KMS with the real AWS CLI: create-key,
// create-alias, encrypt and decrypt with fileb:// blobs, as the AWS CLI
// user guide shows them.
func TestInteropAWSCLIKMS(t *testing.T) {
	requireTool(t, "aws")
	b := startBinary(t)
	run := func(args ...string) map[string]any { t.Helper(); return b.rootJSON(t, args...) }
	md := run("kms", "create-key", "--description", "cli key")["KeyMetadata"].(map[string]any)
	keyID, arn := md["KeyId"].(string), md["Arn"].(string)
	if md["KeyState"] != "Enabled" || md["KeySpec"] != "SYMMETRIC_DEFAULT" || !strings.HasSuffix(arn, ":key/"+keyID) {
		t.Fatalf("create-key: %v", md)
	}
	run("kms", "create-alias", "--alias-name", "alias/cli", "--target-key-id", keyID)
	dir := t.TempDir()
	plain := filepath.Join(dir, "secret.txt")
	payload := []byte("the CLI's secret\x00\xff with binary bytes")
	if err := os.WriteFile(plain, payload, 0o600); err != nil {
		t.Fatal(err)
	}
	// encrypt --query CiphertextBlob --output text gives base64; decode it to
	// a binary file, as the AWS docs do.
	out, errOut, err := b.aws(t, testRootKey, testRootSec, "kms", "encrypt", "--key-id", "alias/cli",
		"--plaintext", "fileb://"+plain, "--encryption-context", "purpose=cli")
	if err != nil {
		t.Fatalf("encrypt: %v\n%s", err, errOut)
	}
	var enc struct{ CiphertextBlob, KeyId string }
	if err := json.Unmarshal([]byte(out), &enc); err != nil || enc.KeyId != arn {
		t.Fatalf("encrypt output %s: %v", out, err)
	}
	blob := filepath.Join(dir, "secret.enc")
	raw, err := decodeBase64(enc.CiphertextBlob)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blob, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	dec := run("kms", "decrypt", "--ciphertext-blob", "fileb://"+blob, "--encryption-context", "purpose=cli")
	got, err := decodeBase64(dec["Plaintext"].(string))
	if err != nil || string(got) != string(payload) || dec["KeyId"] != arn {
		t.Fatalf("decrypt: %v %q", dec, got)
	}
	_, errOut, err = b.aws(t, testRootKey, testRootSec, "kms", "decrypt", "--ciphertext-blob", "fileb://"+blob)
	if err == nil || !strings.Contains(errOut, "InvalidCiphertextException") {
		t.Fatalf("decrypt without the context: err=%v stderr=%s", err, errOut)
	}
	aliases := run("kms", "list-aliases")["Aliases"].([]any)
	found := false
	for _, a := range aliases {
		m := a.(map[string]any)
		found = found || m["AliasName"] == "alias/cli" && m["TargetKeyId"] == keyID
	}
	if !found {
		t.Fatalf("list-aliases: %v", aliases)
	}
}

func decodeBase64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
