package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// validate-logs: checking one digest or one log file (spec §5.4).

// digestDoc is what validation reads of a digest.
type digestDoc struct {
	DigestStartTime            string  `json:"digestStartTime"`
	DigestEndTime              string  `json:"digestEndTime"`
	DigestS3Bucket             string  `json:"digestS3Bucket"`
	DigestS3Object             string  `json:"digestS3Object"`
	DigestPublicKeyFingerprint string  `json:"digestPublicKeyFingerprint"`
	PreviousDigestS3Bucket     *string `json:"previousDigestS3Bucket"`
	PreviousDigestS3Object     *string `json:"previousDigestS3Object"`
	PreviousDigestHashValue    *string `json:"previousDigestHashValue"`
	PreviousDigestSignature    *string `json:"previousDigestSignature"`
	LogFiles                   []struct {
		S3Bucket  string `json:"s3Bucket"`
		S3Object  string `json:"s3Object"`
		HashValue string `json:"hashValue"`
	} `json:"logFiles"`
}

// fetchDigest reads and verifies one digest; reason is "" when it is
// valid.
func fetchDigest(ctx context.Context, c *s3.Client, bucket, key string, pubs map[string]*rsa.PublicKey) (*digestDoc, []byte, string, string) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *s3types.NoSuchKey
		if errors.As(err, &nsk) {
			return nil, nil, "", "not found"
		}
		return nil, nil, "", "cannot read: " + err.Error()
	}
	defer out.Body.Close()
	raw, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, nil, "", "cannot read: " + err.Error()
	}
	body, err := gunzipFirst(raw)
	if err != nil {
		return nil, nil, "", "invalid format"
	}
	var doc digestDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, nil, "", "invalid format"
	}
	if doc.DigestS3Bucket != bucket || doc.DigestS3Object != key {
		return nil, nil, "", "has been moved from its original location"
	}
	pub := pubs[doc.DigestPublicKeyFingerprint]
	if pub == nil {
		return nil, nil, "", "public key not found for fingerprint " + doc.DigestPublicKeyFingerprint
	}
	sigHex := out.Metadata["signature"]
	sig, err := hex.DecodeString(sigHex)
	if err != nil || sigHex == "" || out.Metadata["signature-algorithm"] != "SHA256withRSA" {
		return nil, nil, "", "signature verification failed"
	}
	sum := sha256.Sum256(body)
	prev := "null"
	if doc.PreviousDigestSignature != nil {
		prev = *doc.PreviousDigestSignature
	}
	h := sha256.Sum256([]byte(doc.DigestEndTime + "\n" + bucket + "/" + key + "\n" + hex.EncodeToString(sum[:]) + "\n" + prev))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) != nil {
		return nil, nil, "", "signature verification failed"
	}
	return &doc, body, strings.ToLower(sigHex), ""
}

func checkLogFile(ctx context.Context, c *s3.Client, bucket, key, want string) string {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *s3types.NoSuchKey
		if errors.As(err, &nsk) {
			return "not found"
		}
		return "cannot read: " + err.Error()
	}
	defer out.Body.Close()
	zr, err := gzip.NewReader(out.Body)
	if err != nil {
		return "invalid format"
	}
	zr.Multistream(false)
	hsh := sha256.New()
	if _, err := io.Copy(hsh, zr); err != nil {
		return "invalid format"
	}
	if rest, _ := io.ReadAll(out.Body); len(bytes.TrimSpace(rest)) > 0 {
		return "unexpected data after end of compressed stream"
	}
	if hex.EncodeToString(hsh.Sum(nil)) != want {
		return "hash value doesn't match"
	}
	return ""
}

func gunzipFirst(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	return io.ReadAll(zr)
}
