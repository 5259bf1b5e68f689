package main

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// SSE-KMS through S3 (issue 5, sections 3 and 5): S3 calls KMS on the
// caller's behalf in the bucket's region, passes KMS's refusals on as
// KMS.<code>, and records each call with the caller's identity marked as
// made by s3.amazonaws.com.

// inRegion is cfg signing for another region.
func inRegion(cfg aws.Config, region string) aws.Config {
	cfg.Region = region
	return cfg
}

// httpStatus is the HTTP status of a failed call.
func httpStatus(t *testing.T, err error) int {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want an HTTP response error, got %v", err)
	}
	return re.HTTPStatusCode()
}

// wantS3Error checks a failed call's code and HTTP status and returns its
// message.
func wantS3Error(t *testing.T, err error, code string, status int) string {
	t.Helper()
	msg := wantCode(t, err, code)
	if got := httpStatus(t, err); got != status {
		t.Fatalf("%s: HTTP %d, want %d", code, got, status)
	}
	return msg
}

// kmsPolicy allows actions on one key.
func kmsPolicy(keyARN string, actions ...string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["` + strings.Join(actions, `","`) +
		`"],"Resource":"` + keyARN + `"}]}`
}

// kmsRecords returns the recorded KMS calls named name, newest first, as
// LookupEvents in cfg's region shows them.
func kmsRecords(t *testing.T, srv *cairnServer, cfg aws.Config, name string) []record {
	t.Helper()
	var out []record
	for _, r := range lookup(t, srv.cloudtrail(cfg), cttypes.LookupAttributeKeyEventSource, "kms.amazonaws.com") {
		if r.str("eventName") == name {
			out = append(out, r)
		}
	}
	return out
}

// checkOnBehalf checks a KMS record of a call S3 made for the caller
// userARN on objectARN under keyARN.
func checkOnBehalf(t *testing.T, r record, userARN, objectARN, keyARN, region string) {
	t.Helper()
	if r.str("eventSource") != "kms.amazonaws.com" || r.str("awsRegion") != region ||
		r.str("userIdentity.type") != "IAMUser" || r.str("userIdentity.arn") != userARN ||
		r.str("userIdentity.invokedBy") != "s3.amazonaws.com" ||
		r.str("sourceIPAddress") != "s3.amazonaws.com" || r.str("userAgent") != "s3.amazonaws.com" {
		t.Fatalf("%s record: %v", r.str("eventName"), r)
	}
	if r.str("requestParameters.encryptionContext.aws:s3:arn") != objectARN {
		t.Fatalf("%s encryption context: %v", r.str("eventName"), r["requestParameters"])
	}
	if ro, _ := r["readOnly"].(bool); !ro {
		t.Fatalf("%s readOnly: %v", r.str("eventName"), r["readOnly"])
	}
	res, _ := r["resources"].([]any)
	if len(res) != 1 {
		t.Fatalf("%s resources: %v", r.str("eventName"), r["resources"])
	}
	if m, _ := res[0].(map[string]any); m["ARN"] != keyARN || m["type"] != "AWS::KMS::Key" {
		t.Fatalf("%s resources: %v", r.str("eventName"), r["resources"])
	}
}

// The key must be in the bucket's region, whatever region the request was
// signed for; reads decrypt in the bucket's region too, and the KMS calls
// are recorded there.
func TestS3SSEKMSBucketRegion(t *testing.T) {
	srv := startCairn(t)
	east, west := srv.root(), inRegion(srv.root(), "us-west-2")
	if _, err := srv.s3(west).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("west"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintUsWest2}}); err != nil {
		t.Fatal(err)
	}
	eastID, eastARN := srv.newKey(t, east, "")
	_, westARN := srv.newKey(t, west, "")
	c := srv.s3(east) // signs for us-east-1; the bucket is in us-west-2
	put := func(key, kmsKey string) (*s3.PutObjectOutput, error) {
		in := &s3.PutObjectInput{Bucket: aws.String("west"), Key: aws.String(key), Body: strings.NewReader("west data"),
			ServerSideEncryption: s3types.ServerSideEncryptionAwsKms}
		if kmsKey != "" {
			in.SSEKMSKeyId = aws.String(kmsKey)
		}
		return c.PutObject(ctx, in)
	}

	// A key of the signing region but not the bucket's is refused as S3
	// refuses it: KMS.NotFoundException, naming the key's region for an
	// ARN, the key resolved in the bucket's region for a bare key ID.
	_, err := put("east-arn", eastARN)
	if msg := wantS3Error(t, err, "KMS.NotFoundException", 400); msg != "Invalid arn us-east-1" {
		t.Fatalf("key ARN of another region: %q", msg)
	}
	_, err = put("east-id", eastID)
	if msg := wantS3Error(t, err, "KMS.NotFoundException", 400); msg != "Key 'arn:aws:kms:us-west-2:"+testAccount+":key/"+eastID+"' does not exist" {
		t.Fatalf("key ID of another region: %q", msg)
	}

	// The bucket's region's key serves, and is used to read, whatever
	// region the reader signs for.
	out, err := put("west-key", westARN)
	if err != nil || aws.ToString(out.SSEKMSKeyId) != westARN {
		t.Fatalf("put with the bucket region's key: %+v %v", out, err)
	}
	for _, reader := range []aws.Config{east, west} {
		if got, err := readObject(srv.s3(reader), "west", "west-key"); err != nil || got != "west data" {
			t.Fatalf("read signed for %s: %q %v", reader.Region, got, err)
		}
		if _, err := srv.s3(reader).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("west"), Key: aws.String("west-key")}); err != nil {
			t.Fatalf("head signed for %s: %v", reader.Region, err)
		}
	}

	// alias/aws/s3 is the bucket region's.
	out, err = put("managed", "")
	if err != nil || !strings.HasPrefix(aws.ToString(out.SSEKMSKeyId), "arn:aws:kms:us-west-2:"+testAccount+":key/") {
		t.Fatalf("put under aws/s3: %+v %v", out, err)
	}
	if got, err := readObject(c, "west", "managed"); err != nil || got != "west data" {
		t.Fatalf("read under aws/s3: %q %v", got, err)
	}

	// The KMS calls are recorded in the bucket's region only.
	if recs := kmsRecords(t, srv, west, "GenerateDataKey"); len(recs) != 4 {
		t.Fatalf("%d GenerateDataKey events in us-west-2, want 4", len(recs))
	}
	if recs := kmsRecords(t, srv, east, "GenerateDataKey"); len(recs) != 0 {
		t.Fatalf("%d GenerateDataKey events in us-east-1, want 0", len(recs))
	}
	dec := kmsRecords(t, srv, west, "Decrypt")
	if len(dec) == 0 || dec[0].str("awsRegion") != "us-west-2" || dec[0].str("errorCode") != "" {
		t.Fatalf("Decrypt events in us-west-2: %v", dec)
	}
}

// S3 passes KMS's refusals on as KMS.<code> (400): a disabled key, a key
// pending deletion, an unknown key.
func TestS3SSEKMSKeyStateErrors(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := aws.String("state")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	keyID, keyARN := srv.newKey(t, root, "")
	put := func(key, kmsKey string) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(key), Body: strings.NewReader("secret"),
			ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(kmsKey)})
		return err
	}
	head := func() error {
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("obj")})
		return err
	}
	if err := put("obj", keyARN); err != nil {
		t.Fatal(err)
	}
	lastHead := func() string {
		evs := dataEvents(t, srv, testAccount, "HeadObject")
		return evs[len(evs)-1].str("errorCode")
	}

	unknown := "11111111-2222-3333-4444-555555555555"
	msg := wantS3Error(t, put("other", unknown), "KMS.NotFoundException", 400)
	if msg != "Key 'arn:aws:kms:us-east-1:"+testAccount+":key/"+unknown+"' does not exist" {
		t.Fatalf("unknown key: %q", msg)
	}

	kc := srv.kms(root)
	if _, err := kc.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(keyID)}); err != nil {
		t.Fatal(err)
	}
	_, err := readObject(c, "state", "obj")
	if msg := wantS3Error(t, err, "KMS.DisabledException", 400); msg != keyARN+" is disabled." {
		t.Fatalf("disabled key: %q", msg)
	}
	// HEAD answers without a body: the status, and the code in its event.
	if err := head(); err == nil || httpStatus(t, err) != 400 || lastHead() != "KMS.DisabledException" {
		t.Fatalf("HEAD with the key disabled: %v (event %q)", err, lastHead())
	}
	wantS3Error(t, put("new", keyARN), "KMS.DisabledException", 400)

	if _, err := kc.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(keyID)}); err != nil {
		t.Fatal(err)
	}
	if got, err := readObject(c, "state", "obj"); err != nil || got != "secret" {
		t.Fatalf("read with the key enabled again: %q %v", got, err)
	}
	if _, err := kc.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(keyID), PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	_, err = readObject(c, "state", "obj")
	if msg := wantS3Error(t, err, "KMS.KMSInvalidStateException", 400); msg != keyARN+" is pending deletion." {
		t.Fatalf("key pending deletion: %q", msg)
	}
	if err := head(); err == nil || httpStatus(t, err) != 400 || lastHead() != "KMS.KMSInvalidStateException" {
		t.Fatalf("HEAD with the key pending deletion: %v (event %q)", err, lastHead())
	}
}

// HEAD of an SSE-KMS object decrypts its data key on the caller's behalf
// like GET: without kms:Decrypt it is S3's AccessDenied (403), and the
// Decrypt is recorded either way.
func TestS3SSEKMSHeadObjectNeedsDecrypt(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := aws.String("head")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, keyARN := srv.newKey(t, root, "")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("obj"), Body: strings.NewReader("x"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	reader := srv.newUser(t, root, "reader")
	srv.putUserPolicy(t, root, "reader", "s3", readAll)
	rc := srv.s3(reader)
	headIn := &s3.HeadObjectInput{Bucket: b, Key: aws.String("obj")}
	_, err := rc.HeadObject(ctx, headIn)
	if err == nil || httpStatus(t, err) != 403 {
		t.Fatalf("HEAD without kms:Decrypt: %v", err)
	}
	readerARN := "arn:aws:iam::" + testAccount + ":user/reader"
	dec := kmsRecords(t, srv, root, "Decrypt")
	if len(dec) != 1 || dec[0].str("errorCode") != "AccessDenied" {
		t.Fatalf("denied Decrypt events: %v", dec)
	}
	checkOnBehalf(t, dec[0], readerARN, "arn:aws:s3:::head/obj", keyARN, "us-east-1")

	srv.putUserPolicy(t, root, "reader", "kms", kmsPolicy(keyARN, "kms:Decrypt"))
	h, err := rc.HeadObject(ctx, headIn)
	if err != nil || h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN {
		t.Fatalf("HEAD with kms:Decrypt: %+v %v", h, err)
	}
	dec = kmsRecords(t, srv, root, "Decrypt")
	if len(dec) != 2 || dec[0].str("errorCode") != "" {
		t.Fatalf("Decrypt events: %v", dec)
	}
	checkOnBehalf(t, dec[0], readerARN, "arn:aws:s3:::head/obj", keyARN, "us-east-1")

	// No KMS call where S3 answers first: a caller S3 refuses, a
	// conditional HEAD (304, 412), and an SSE-S3 object.
	nobody := srv.newUser(t, root, "nobody")
	srv.putUserPolicy(t, root, "nobody", "kms", kmsPolicy(keyARN, "kms:Decrypt"))
	if _, err := srv.s3(nobody).HeadObject(ctx, headIn); err == nil || httpStatus(t, err) != 403 {
		t.Fatalf("HEAD without s3:GetObject: %v", err)
	}
	if _, err := rc.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("obj"), IfNoneMatch: h.ETag}); err == nil || httpStatus(t, err) != 304 {
		t.Fatalf("HEAD If-None-Match: %v", err)
	}
	if _, err := rc.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("obj"), IfMatch: aws.String(`"other"`)}); err == nil || httpStatus(t, err) != 412 {
		t.Fatalf("HEAD If-Match: %v", err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("plain"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("plain")}); err != nil {
		t.Fatal(err)
	}
	if dec := kmsRecords(t, srv, root, "Decrypt"); len(dec) != 2 {
		t.Fatalf("Decrypt events after HEADs S3 answered alone: %d, want 2", len(dec))
	}
}

// CopyObject to another key needs kms:Decrypt on the source's key and
// kms:GenerateDataKey on the destination's.
func TestS3SSEKMSCopyObject(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := aws.String("copies")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, srcKey := srv.newKey(t, root, "")
	_, dstKey := srv.newKey(t, root, "")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("src"), Body: strings.NewReader("copied bytes"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(srcKey)}); err != nil {
		t.Fatal(err)
	}
	copier := srv.newUser(t, root, "copier")
	srv.putUserPolicy(t, root, "copier", "s3", readAll)
	cc := srv.s3(copier)
	cp := func() (*s3.CopyObjectOutput, error) {
		return cc.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("dst"), CopySource: aws.String("copies/src"),
			ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(dstKey)})
	}
	copierARN := "arn:aws:iam::" + testAccount + ":user/copier"
	// deniedLast checks that the newest KMS call named name is the copier's,
	// on keyARN, refused.
	deniedLast := func(name, keyARN, objectARN string) {
		t.Helper()
		recs := kmsRecords(t, srv, root, name)
		if len(recs) == 0 || recs[0].str("errorCode") != "AccessDenied" {
			t.Fatalf("newest %s: %v", name, recs)
		}
		checkOnBehalf(t, recs[0], copierARN, objectARN, keyARN, "us-east-1")
	}
	srv.putUserPolicy(t, root, "copier", "kms", kmsPolicy(dstKey, "kms:GenerateDataKey"))
	if _, err := cp(); err == nil {
		t.Fatal("copy without kms:Decrypt on the source's key")
	} else {
		wantS3Error(t, err, "AccessDenied", 403)
	}
	deniedLast("Decrypt", srcKey, "arn:aws:s3:::copies/src")
	srv.putUserPolicy(t, root, "copier", "kms", kmsPolicy(srcKey, "kms:Decrypt"))
	if _, err := cp(); err == nil {
		t.Fatal("copy without kms:GenerateDataKey on the destination's key")
	} else {
		wantS3Error(t, err, "AccessDenied", 403)
	}
	deniedLast("GenerateDataKey", dstKey, "arn:aws:s3:::copies/dst")
	srv.putUserPolicy(t, root, "copier", "kms", `{"Version":"2012-10-17","Statement":[`+
		`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"`+srcKey+`"},`+
		`{"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"`+dstKey+`"}]}`)
	out, err := cp()
	if err != nil || out.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) != dstKey {
		t.Fatalf("copy: %+v %v", out, err)
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("dst")})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	if got.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(got.SSEKMSKeyId) != dstKey {
		t.Fatalf("the copy's encryption: %s %s", got.ServerSideEncryption, aws.ToString(got.SSEKMSKeyId))
	}
	if body, err := readObject(c, "copies", "dst"); err != nil || body != "copied bytes" {
		t.Fatalf("the copy's bytes: %q %v", body, err)
	}
	// The copy's data key was drawn under the destination's key, for the copier.
	gen := kmsRecords(t, srv, root, "GenerateDataKey")
	checkOnBehalf(t, gen[0], copierARN, "arn:aws:s3:::copies/dst", dstKey, "us-east-1")
}

// A multipart upload under SSE-KMS: CreateMultipartUpload draws the data
// key (kms:GenerateDataKey), and every UploadPart decrypts it, so it needs
// kms:Decrypt as AWS requires.
func TestS3SSEKMSMultipart(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	b := aws.String("parts")
	if _, err := srv.s3(root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, keyARN := srv.newKey(t, root, "")
	up := srv.newUser(t, root, "uploader")
	srv.putUserPolicy(t, root, "uploader", "s3", readAll)
	srv.putUserPolicy(t, root, "uploader", "kms", kmsPolicy(keyARN, "kms:GenerateDataKey"))
	c := srv.s3(up)
	k := aws.String("big")
	created, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k,
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
	if err != nil || created.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(created.SSEKMSKeyId) != keyARN {
		t.Fatalf("CreateMultipartUpload: %+v %v", created, err)
	}
	part := func() (*s3.UploadPartOutput, error) {
		return c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: created.UploadId, PartNumber: aws.Int32(1),
			Body: strings.NewReader("the only part")})
	}
	_, err = part()
	wantS3Error(t, err, "AccessDenied", 403)
	srv.putUserPolicy(t, root, "uploader", "kms", kmsPolicy(keyARN, "kms:GenerateDataKey", "kms:Decrypt"))
	p, err := part()
	if err != nil || p.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(p.SSEKMSKeyId) != keyARN {
		t.Fatalf("UploadPart with kms:Decrypt: %+v %v", p, err)
	}
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: created.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p.ETag}}}})
	if err != nil || done.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(done.SSEKMSKeyId) != keyARN {
		t.Fatalf("CompleteMultipartUpload: %+v %v", done, err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
	if err != nil || h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN {
		t.Fatalf("HEAD of the upload: %+v %v", h, err)
	}
	if got, err := readObject(c, "parts", "big"); err != nil || got != "the only part" {
		t.Fatalf("read of the upload: %q %v", got, err)
	}
	uploader := "arn:aws:iam::" + testAccount + ":user/uploader"
	gen := kmsRecords(t, srv, root, "GenerateDataKey")
	if len(gen) != 1 {
		t.Fatalf("%d GenerateDataKey events, want 1", len(gen))
	}
	checkOnBehalf(t, gen[0], uploader, "arn:aws:s3:::parts/big", keyARN, "us-east-1")
	dec := kmsRecords(t, srv, root, "Decrypt")
	if n := len(dec); n < 2 || dec[n-1].str("errorCode") != "AccessDenied" || dec[n-2].str("errorCode") != "" {
		t.Fatalf("Decrypt events: %v", dec)
	}
}

// x-amz-server-side-encryption-context joins aws:s3:arn in the context S3
// gives KMS; PutObject answers with it, and reads use it again. (GetObject
// and HeadObject have no such member in S3's model.)
func TestS3SSEKMSEncryptionContext(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := aws.String("contexts")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, keyARN := srv.newKey(t, root, "")
	ec := base64.StdEncoding.EncodeToString([]byte(`{"project":"alpha"}`))
	out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("doc"), Body: strings.NewReader("with context"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN), SSEKMSEncryptionContext: aws.String(ec)})
	if err != nil || aws.ToString(out.SSEKMSEncryptionContext) != ec {
		t.Fatalf("put with a context: %+v %v", out, err)
	}
	if got, err := readObject(c, "contexts", "doc"); err != nil || got != "with context" {
		t.Fatalf("read: %q %v", got, err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("doc")}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"GenerateDataKey", "Decrypt"} {
		recs := kmsRecords(t, srv, root, name)
		if len(recs) == 0 {
			t.Fatalf("no %s event", name)
		}
		r := recs[0]
		if r.str("requestParameters.encryptionContext.aws:s3:arn") != "arn:aws:s3:::contexts/doc" ||
			r.str("requestParameters.encryptionContext.project") != "alpha" {
			t.Fatalf("%s context: %v", name, r["requestParameters"])
		}
	}
	// A caller's aws:s3:arn is not what KMS is asked with: the answer says
	// what it was asked with, the object's own ARN.
	spoof := base64.StdEncoding.EncodeToString([]byte(`{"aws:s3:arn":"arn:aws:s3:::other/x"}`))
	out, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("spoof"), Body: strings.NewReader("x"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN), SSEKMSEncryptionContext: aws.String(spoof)})
	if want := base64.StdEncoding.EncodeToString([]byte(`{"aws:s3:arn":"arn:aws:s3:::contexts/spoof"}`)); err != nil || aws.ToString(out.SSEKMSEncryptionContext) != want {
		t.Fatalf("put with aws:s3:arn in the context: %q %v", aws.ToString(out.SSEKMSEncryptionContext), err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("bad"), Body: strings.NewReader("x"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSEncryptionContext: aws.String("not base64 json")})
	wantS3Error(t, err, "InvalidArgument", 400)
}

// Default encryption with a KMS key and BucketKeyEnabled: accepted,
// returned by GetBucketEncryption and on the objects written by default.
func TestS3SSEKMSBucketKeyEnabled(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := aws.String("bucketkey")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, keyARN := srv.newKey(t, root, "")
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
		Rules: []s3types.ServerSideEncryptionRule{{BucketKeyEnabled: aws.Bool(true), ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
			SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)}}}}}); err != nil {
		t.Fatal(err)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	if err != nil || len(enc.ServerSideEncryptionConfiguration.Rules) != 1 {
		t.Fatalf("GetBucketEncryption: %+v %v", enc, err)
	}
	rule := enc.ServerSideEncryptionConfiguration.Rules[0]
	if !aws.ToBool(rule.BucketKeyEnabled) || rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAwsKms ||
		aws.ToString(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != keyARN {
		t.Fatalf("the bucket's default encryption: %+v %+v", rule, rule.ApplyServerSideEncryptionByDefault)
	}
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("obj"), Body: strings.NewReader("by default")})
	if err != nil || put.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(put.SSEKMSKeyId) != keyARN ||
		!aws.ToBool(put.BucketKeyEnabled) {
		t.Fatalf("put under the default: %+v %v", put, err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("obj")})
	if err != nil || h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN ||
		!aws.ToBool(h.BucketKeyEnabled) {
		t.Fatalf("head: %+v %v", h, err)
	}
	g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("obj")})
	if err != nil {
		t.Fatal(err)
	}
	g.Body.Close()
	if g.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(g.SSEKMSKeyId) != keyARN || !aws.ToBool(g.BucketKeyEnabled) {
		t.Fatalf("get: %s %s %v", g.ServerSideEncryption, aws.ToString(g.SSEKMSKeyId), g.BucketKeyEnabled)
	}
}

// The GenerateDataKey of a PUT and the Decrypt of a GET are recorded with
// the caller's identity, invokedBy s3.amazonaws.com, and the object's ARN
// as aws:s3:arn.
func TestS3SSEKMSRecordedCalls(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	b := aws.String("recorded")
	if _, err := srv.s3(root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, keyARN := srv.newKey(t, root, "")
	alice := srv.newUser(t, root, "alice")
	srv.putUserPolicy(t, root, "alice", "s3", readAll)
	srv.putUserPolicy(t, root, "alice", "kms", kmsPolicy(keyARN, "kms:GenerateDataKey", "kms:Decrypt"))
	c := srv.s3(alice)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("dir/report.csv"), Body: strings.NewReader("a,b"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	if got, err := readObject(c, "recorded", "dir/report.csv"); err != nil || got != "a,b" {
		t.Fatalf("read: %q %v", got, err)
	}
	aliceARN := "arn:aws:iam::" + testAccount + ":user/alice"
	objectARN := "arn:aws:s3:::recorded/dir/report.csv"
	for _, name := range []string{"GenerateDataKey", "Decrypt"} {
		recs := kmsRecords(t, srv, root, name)
		if len(recs) != 1 || recs[0].str("errorCode") != "" {
			t.Fatalf("%s events: %v", name, recs)
		}
		checkOnBehalf(t, recs[0], aliceARN, objectARN, keyARN, "us-east-1")
		if recs[0].str("requestParameters.keyId") == "" {
			t.Fatalf("%s requestParameters: %v", name, recs[0]["requestParameters"])
		}
	}
}
