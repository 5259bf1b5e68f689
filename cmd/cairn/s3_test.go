package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// s3 returns an S3 client for cfg, path-style (the endpoint is an IP
// address), with the checksum settings config.LoadDefaultConfig gives
// (a hand-built aws.Config leaves them unset): a CRC32 on every upload,
// response checksums validated.
func (s *cairnServer) s3(cfg aws.Config) *s3.Client {
	cfg.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
	cfg.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenSupported
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func md5hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func TestS3Basics(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("basics")}); err != nil {
		t.Fatal(err)
	}
	body := []byte("hello, cairn")
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("basics"), Key: aws.String("a/b.txt"),
		Body: bytes.NewReader(body), ContentType: aws.String("text/plain"), Metadata: map[string]string{"Owner": "me"}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(put.ETag) != `"`+md5hex(body)+`"` {
		t.Fatalf("ETag %s", aws.ToString(put.ETag))
	}
	if put.ServerSideEncryption != s3types.ServerSideEncryptionAes256 {
		t.Fatalf("SSE %q", put.ServerSideEncryption)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("basics"), Key: aws.String("a/b.txt")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, body) || aws.ToString(get.ContentType) != "text/plain" || get.Metadata["owner"] != "me" {
		t.Fatalf("get: %q %s %v", got, aws.ToString(get.ContentType), get.Metadata)
	}
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("basics")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != "a/b.txt" {
		t.Fatalf("list: %+v", list.Contents)
	}
	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("basics"), Key: aws.String("a/b.txt"), Range: aws.String("bytes=7-")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(rng.Body)
	if string(got) != "cairn" || !strings.HasPrefix(aws.ToString(rng.ContentRange), "bytes 7-11/12") {
		t.Fatalf("range: %q %s", got, aws.ToString(rng.ContentRange))
	}
}

func TestS3Objects(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	bucket := aws.String("objects")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
		t.Fatal(err)
	}
	put := func(key, body string) string {
		t.Helper()
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(key), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
		return aws.ToString(out.ETag)
	}
	etag := put("photos/2024/a b+c.jpg", "one")
	put("photos/2024/d.jpg", "two")
	put("photos/2025/e.jpg", "three")
	put("docs/x.txt", "four")
	put("top.txt", "five")

	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("photos/2024/a b+c.jpg")})
	if err != nil || aws.ToInt64(head.ContentLength) != 3 || aws.ToString(head.ETag) != etag || head.ServerSideEncryption != "AES256" {
		t.Fatalf("head: %+v %v", head, err)
	}
	// Conditional reads.
	wantCode(t, err2(c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("top.txt"), IfMatch: aws.String(`"nope"`)})), "PreconditionFailed")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("photos/2024/a b+c.jpg"), IfNoneMatch: aws.String(etag)})
	if err == nil || !strings.Contains(err.Error(), "304") {
		t.Fatalf("If-None-Match: want 304, got %v", err)
	}
	wantCode(t, err2(c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("top.txt"), Range: aws.String("bytes=100-")})), "InvalidRange")
	// response-* overrides.
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("top.txt"),
		ResponseContentType: aws.String("application/x-test"), ResponseContentDisposition: aws.String("attachment")})
	if err != nil || aws.ToString(get.ContentType) != "application/x-test" || aws.ToString(get.ContentDisposition) != "attachment" {
		t.Fatalf("overrides: %+v %v", get, err)
	}
	get.Body.Close()

	// ListObjectsV2 with a delimiter, paging by one.
	var keys, prefixes []string
	var token *string
	for {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bucket, Prefix: aws.String("photos/"), Delimiter: aws.String("/"),
			MaxKeys: aws.Int32(1), ContinuationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		for _, p := range out.CommonPrefixes {
			prefixes = append(prefixes, aws.ToString(p.Prefix))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		token = out.NextContinuationToken
	}
	if len(keys) != 0 || strings.Join(prefixes, ",") != "photos/2024/,photos/2025/" {
		t.Fatalf("V2 delimiter pages: keys %v prefixes %v", keys, prefixes)
	}
	// StartAfter.
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bucket, StartAfter: aws.String("photos/2024/d.jpg")})
	if err != nil || len(out.Contents) != 2 || aws.ToString(out.Contents[0].Key) != "photos/2025/e.jpg" {
		t.Fatalf("StartAfter: %+v %v", out.Contents, err)
	}
	// ListObjects V1 with markers and encoding-type=url.
	v1, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: bucket, Prefix: aws.String("photos/2024/"), EncodingType: s3types.EncodingTypeUrl})
	if err != nil || len(v1.Contents) != 2 || aws.ToString(v1.Contents[0].Key) != "photos/2024/a+b%2Bc.jpg" {
		t.Fatalf("V1 url encoding: %+v %v", v1.Contents, err)
	}
	v1, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: bucket, Marker: aws.String("photos/2024/d.jpg"), MaxKeys: aws.Int32(1)})
	if err != nil || len(v1.Contents) != 1 || aws.ToString(v1.Contents[0].Key) != "photos/2025/e.jpg" || !aws.ToBool(v1.IsTruncated) {
		t.Fatalf("V1 marker: %+v %v", v1, err)
	}

	// CopyObject keeps the metadata, or replaces it.
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("src"), Body: strings.NewReader("copy me"),
		Metadata: map[string]string{"k": "v"}, Tagging: aws.String("env=prod")}); err != nil {
		t.Fatal(err)
	}
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: bucket, Key: aws.String("dst"), CopySource: aws.String("objects/src")})
	if err != nil || aws.ToString(cp.CopyObjectResult.ETag) != `"`+md5hex([]byte("copy me"))+`"` {
		t.Fatalf("copy: %+v %v", cp, err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("dst")})
	if err != nil || h.Metadata["k"] != "v" || aws.ToInt32(h.TagCount) != 1 {
		t.Fatalf("copied head: %+v %v", h, err)
	}
	wantCode(t, err2(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: bucket, Key: aws.String("src"), CopySource: aws.String("objects/src")})), "InvalidRequest")
	wantCode(t, err2(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: bucket, Key: aws.String("x"), CopySource: aws.String("objects/missing")})), "NoSuchKey")

	// Tags.
	tags, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: bucket, Key: aws.String("src")})
	if err != nil || len(tags.TagSet) != 1 || aws.ToString(tags.TagSet[0].Key) != "env" {
		t.Fatalf("tags: %+v %v", tags, err)
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: bucket, Key: aws.String("src"),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: bucket, Key: aws.String("src")})
	if len(tags.TagSet) != 2 {
		t.Fatalf("tags after put: %+v", tags.TagSet)
	}
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: bucket, Key: aws.String("src")}); err != nil {
		t.Fatal(err)
	}

	// DeleteObjects, then DeleteBucket once empty.
	wantCode(t, err2(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bucket})), "BucketNotEmpty")
	all, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bucket})
	if err != nil {
		t.Fatal(err)
	}
	var ids []s3types.ObjectIdentifier
	for _, o := range all.Contents {
		ids = append(ids, s3types.ObjectIdentifier{Key: o.Key})
	}
	del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: bucket, Delete: &s3types.Delete{Objects: ids}})
	if err != nil || len(del.Deleted) != len(ids) || len(del.Errors) != 0 {
		t.Fatalf("delete objects: %+v %v", del, err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: aws.String("never-was")}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("top.txt")})), "NoSuchKey")
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bucket}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bucket})), "NoSuchBucket")
}

func TestS3Buckets(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	west := srv.root()
	west.Region = "us-west-2"
	cw := srv.s3(west)
	wantCode(t, err2(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})), "InvalidBucketName")
	wantCode(t, err2(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("192.168.1.1")})), "InvalidBucketName")
	wantCode(t, err2(cw.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("westy")})), "IllegalLocationConstraintException")
	if _, err := cw.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("westy"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "us-west-2"}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(cw.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("westy"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "us-west-2"}})), "BucketAlreadyOwnedByYou")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("easty")}); err != nil {
		t.Fatal(err)
	}
	// us-east-1 keeps S3's legacy answer: 200 for the owner.
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("easty")}); err != nil {
		t.Fatalf("re-create in us-east-1: %v", err)
	}
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("westy")})
	if err != nil || loc.LocationConstraint != "us-west-2" {
		t.Fatalf("location %+v %v", loc, err)
	}
	loc, err = c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("easty")})
	if err != nil || loc.LocationConstraint != "" {
		t.Fatalf("us-east-1 location %+v %v", loc, err)
	}
	hb, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("westy")})
	if err != nil || aws.ToString(hb.BucketRegion) != "us-west-2" {
		t.Fatalf("head bucket %+v %v", hb, err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("nowhere")}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("head missing bucket: %v", err)
	}
	lb, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(lb.Buckets) != 2 || aws.ToString(lb.Buckets[0].Name) != "easty" || aws.ToString(lb.Owner.ID) == "" {
		t.Fatalf("list buckets %+v %v", lb, err)
	}
	// Another account cannot take the name.
	_, member := srv.memberAccount(t)
	wantCode(t, err2(srv.s3(member).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("easty")})), "BucketAlreadyExists")

	b := aws.String("easty")
	// Defaults of a new bucket: BucketOwnerEnforced, all public access blocked, SSE-S3.
	oc, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	if err != nil || oc.OwnershipControls.Rules[0].ObjectOwnership != s3types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("ownership %+v %v", oc, err)
	}
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) || !aws.ToBool(pab.PublicAccessBlockConfiguration.RestrictPublicBuckets) {
		t.Fatalf("public access block %+v %v", pab, err)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAes256 {
		t.Fatalf("encryption %+v %v", enc, err)
	}
	acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
	if err != nil || len(acl.Grants) != 1 || acl.Grants[0].Permission != s3types.PermissionFullControl ||
		aws.ToString(acl.Grants[0].Grantee.ID) != aws.ToString(acl.Owner.ID) {
		t.Fatalf("acl %+v %v", acl, err)
	}
	wantCode(t, err2(c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: s3types.BucketCannedACLPublicRead})), "AccessControlListNotSupported")
	wantCode(t, err2(c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})), "NoSuchBucketPolicy")
	wantCode(t, err2(c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})), "NoSuchTagSet")

	// Tags, encryption, ownership, public access block: put, get, delete.
	if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("team"), Value: aws.String("audit")}}}}); err != nil {
		t.Fatal(err)
	}
	tg, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	if err != nil || len(tg.TagSet) != 1 || aws.ToString(tg.TagSet[0].Value) != "audit" {
		t.Fatalf("bucket tags %+v %v", tg, err)
	}
	if _, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})), "NoSuchPublicAccessBlockConfiguration")
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b, PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	pab, _ = c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	if !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) || aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Fatalf("public access block after put %+v", pab.PublicAccessBlockConfiguration)
	}
	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b, OwnershipControls: &s3types.OwnershipControls{
		Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipObjectWriter}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: s3types.BucketCannedACLPublicRead}); err != nil {
		t.Fatalf("public-read ACL with ACLs enabled and BlockPublicAcls off: %v", err)
	}
	acl, _ = c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
	if len(acl.Grants) != 2 || acl.Grants[1].Grantee.Type != s3types.TypeGroup {
		t.Fatalf("public-read grants %+v", acl.Grants)
	}
	wantCode(t, err2(c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b, OwnershipControls: &s3types.OwnershipControls{
		Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}}}})), "InvalidBucketAclWithObjectOwnership")
	if _, err := c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})), "OwnershipControlsNotFoundError")
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
		Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	// Bucket policies: validated, stored as given, public or not.
	wantCode(t, err2(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17"}`)})), "MalformedPolicy")
	wantCode(t, err2(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`)})), "MalformedPolicy")
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::easty/*"}]}`
	wantCode(t, err2(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(public)})), "AccessDenied")
	private := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + testAccount + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::easty/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(private)}); err != nil {
		t.Fatal(err)
	}
	gp, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	if err != nil || aws.ToString(gp.Policy) != private {
		t.Fatalf("get policy %v %v", gp, err)
	}
	st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
	if err != nil || aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Fatalf("policy status %+v %v", st, err)
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	// Deleting a bucket aborts its uploads and frees the name.
	if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("pending")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.s3(member).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatalf("the name is free again: %v", err)
	}
}

func TestS3Multipart(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	b := aws.String("multi")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	k := aws.String("big/object.bin")
	mu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k, ContentType: aws.String("application/x-big"),
		Metadata: map[string]string{"purpose": "test"}})
	if err != nil {
		t.Fatal(err)
	}
	id := mu.UploadId
	part1 := bytes.Repeat([]byte("a"), 5<<20)
	part2 := []byte("the tail")
	var sums []byte
	var completed []s3types.CompletedPart
	for i, p := range [][]byte{part1, part2} {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: id, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		sum := md5.Sum(p)
		sums = append(sums, sum[:]...)
		completed = append(completed, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: k, UploadId: id})
	if err != nil || len(lp.Parts) != 2 || aws.ToInt64(lp.Parts[0].Size) != 5<<20 {
		t.Fatalf("list parts %+v %v", lp, err)
	}
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: b})
	if err != nil || len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].UploadId) != aws.ToString(id) {
		t.Fatalf("list uploads %+v %v", lu, err)
	}
	wantCode(t, err2(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: id,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{completed[1], completed[0]}}})), "InvalidPartOrder")
	wantCode(t, err2(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: id,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{ETag: aws.String(`"00"`), PartNumber: aws.Int32(1)}}}})), "InvalidPart")
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: id,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: completed}})
	if err != nil {
		t.Fatal(err)
	}
	want := `"` + md5hex(sums) + `-2"`
	if aws.ToString(done.ETag) != want {
		t.Fatalf("multipart ETag %s, want %s", aws.ToString(done.ETag), want)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, Range: aws.String("bytes=5242878-5242882")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	if string(got) != "aathe" {
		t.Fatalf("range across parts: %q", got)
	}
	full, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := io.ReadAll(full.Body)
	if !bytes.Equal(all, append(append([]byte{}, part1...), part2...)) || aws.ToString(full.ContentType) != "application/x-big" || full.Metadata["purpose"] != "test" {
		t.Fatalf("assembled object: %d bytes, type %s", len(all), aws.ToString(full.ContentType))
	}
	p2, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, PartNumber: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(p2.Body)
	if string(got) != "the tail" || aws.ToInt32(p2.PartsCount) != 2 {
		t.Fatalf("part 2: %q parts %d", got, aws.ToInt32(p2.PartsCount))
	}
	wantCode(t, err2(c.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: k, UploadId: id})), "NoSuchUpload")
	// Too-small parts and aborts.
	mu2, _ := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k})
	var small []s3types.CompletedPart
	for i := 1; i <= 2; i++ {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: mu2.UploadId, PartNumber: aws.Int32(int32(i)), Body: strings.NewReader("x")})
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i))})
	}
	wantCode(t, err2(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: mu2.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: small}})), "EntityTooSmall")
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: b, Key: k, UploadId: mu2.UploadId}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: b, Key: k, UploadId: mu2.UploadId})), "NoSuchUpload")
	// UploadPartCopy from the assembled object.
	mu3, _ := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("copy")})
	pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: b, Key: aws.String("copy"), UploadId: mu3.UploadId, PartNumber: aws.Int32(1),
		CopySource: aws.String("multi/big/object.bin"), CopySourceRange: aws.String("bytes=5242880-5242887")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("copy"), UploadId: mu3.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{ETag: pc.CopyPartResult.ETag, PartNumber: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
	cg, _ := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("copy")})
	got, _ = io.ReadAll(cg.Body)
	if string(got) != "the tail" {
		t.Fatalf("part copy: %q", got)
	}
}

// Virtual-hosted-style addressing: bucket.localhost names the bucket.
func TestS3VirtualHostedStyle(t *testing.T) {
	srv := startCairn(t)
	addr := strings.TrimPrefix(srv.endpoint, "http://")
	_, port, _ := net.SplitHostPort(addr)
	cfg := srv.root()
	cfg.BaseEndpoint = aws.String("http://localhost:" + port)
	dialer := &net.Dialer{}
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr) // every name is this server
	}}}
	c := s3.NewFromConfig(cfg) // virtual-hosted style, the SDK's default
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/file"), Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	if got, err := readObject(c, "vhost", "dir/file"); err != nil || got != "v" {
		t.Fatalf("virtual-hosted read: %q %v", got, err)
	}
	if got, err := readObject(srv.s3(srv.root()), "vhost", "dir/file"); err != nil || got != "v" {
		t.Fatalf("path-style read of the same object: %q %v", got, err)
	}
	l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost")})
	if err != nil || len(l.Contents) != 1 {
		t.Fatalf("virtual-hosted list %+v %v", l, err)
	}
}

// SSE-KMS: the data key comes from KMS (the AWS managed alias/aws/s3
// key, or a customer key), under the encryption context aws:s3:arn.
func TestS3SSEKMS(t *testing.T) {
	srv := startCairn(t)
	c := srv.s3(srv.root())
	b := aws.String("kms-bucket")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: strings.NewReader("kms data"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms})
	if err != nil {
		t.Fatal(err)
	}
	if put.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || !strings.HasPrefix(aws.ToString(put.SSEKMSKeyId), "arn:aws:kms:us-east-1:"+testAccount+":key/") {
		t.Fatalf("SSE-KMS put: %s %s", put.ServerSideEncryption, aws.ToString(put.SSEKMSKeyId))
	}
	if got, err := readObject(c, "kms-bucket", "k"); err != nil || got != "kms data" {
		t.Fatalf("SSE-KMS read: %q %v", got, err)
	}
	// The bucket default, with a customer managed key.
	key, err := srv.kms(srv.root()).CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	keyARN := aws.ToString(key.KeyMetadata.Arn)
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
		Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
			SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("default"), Body: strings.NewReader("by default")}); err != nil {
		t.Fatal(err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("default")})
	if err != nil || h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN {
		t.Fatalf("default SSE-KMS head: %+v %v", h, err)
	}
	// Without kms:Decrypt on the key, the object cannot be read: a user
	// with S3 rights only.
	srv.newUser(t, srv.root(), "s3only")
	srv.putUserPolicy(t, srv.root(), "s3only", "s3", readAll)
	keyOut, _ := srv.iam(srv.root()).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("s3only")})
	s3only := srv.s3(srv.config(aws.ToString(keyOut.AccessKey.AccessKeyId), aws.ToString(keyOut.AccessKey.SecretAccessKey), ""))
	if _, err := readObject(s3only, "kms-bucket", "default"); err == nil {
		t.Fatal("read of an SSE-KMS object without kms:Decrypt")
	}
	if got, err := readObject(c, "kms-bucket", "default"); err != nil || got != "by default" {
		t.Fatalf("root read: %q %v", got, err)
	}
}
