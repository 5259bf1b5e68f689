package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	cairns3 "github.com/cairnhq/cairn/service/s3"
)

// anonGet fetches an object without credentials.
func (s *cairnServer) anonGet(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.endpoint + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func readObject(c *s3.Client, bucket, key string) (string, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

const readAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

// Bucket policies within the account: a grant naming the user needs no
// identity policy; a Deny wins over an administrator's Allow.
func TestS3BucketPolicySameAccount(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := "samea"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("doc"), Body: strings.NewReader("data")}); err != nil {
		t.Fatal(err)
	}
	reader := srv.s3(srv.newUser(t, root, "reader"))
	msg := wantCode(t, err2(readObject(reader, b, "doc")), "AccessDenied")
	if !strings.Contains(msg, "s3:GetObject") {
		t.Fatalf("denial message %q", msg)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:user/reader"},
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::samea/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	if got, err := readObject(reader, b, "doc"); err != nil || got != "data" {
		t.Fatalf("read granted by the bucket policy: %q %v", got, err)
	}
	// The grant is for GetObject only.
	wantCode(t, err2(reader.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("x"), Body: strings.NewReader("x")})), "AccessDenied")
	wantCode(t, err2(reader.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b)})), "AccessDenied")
	// An admin denied by the bucket policy.
	admin := srv.newUser(t, root, "admin")
	srv.attachUser(t, root, "admin", awsPolicy+"AdministratorAccess")
	ac := srv.s3(admin)
	if _, err := readObject(ac, b, "doc"); err != nil {
		t.Fatal(err)
	}
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:user/admin"},
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::samea/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b), Policy: aws.String(deny)}); err != nil {
		t.Fatal(err)
	}
	msg = wantCode(t, err2(readObject(ac, b, "doc")), "AccessDenied")
	if !strings.Contains(msg, "explicit deny in a resource-based policy") {
		t.Fatalf("explicit deny message %q", msg)
	}
	// Condition keys: s3:prefix on ListBucket.
	prefixOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::samea",
		"Condition":{"StringEquals":{"s3:prefix":"public/"}}}]}`
	srv.putUserPolicy(t, root, "reader", "list-public", prefixOnly)
	if _, err := reader.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b), Prefix: aws.String("public/")}); err != nil {
		t.Fatalf("list with the allowed prefix: %v", err)
	}
	wantCode(t, err2(reader.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b), Prefix: aws.String("private/")})), "AccessDenied")
	// s3:x-amz-server-side-encryption and s3:RequestObjectTag on PutObject.
	srv.putUserPolicy(t, root, "reader", "put-encrypted", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject",
		"Resource":"arn:aws:s3:::samea/*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}]}`)
	wantCode(t, err2(reader.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("p"), Body: strings.NewReader("x")})), "AccessDenied")
	if _, err := reader.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("p"), Body: strings.NewReader("x"),
		ServerSideEncryption: s3types.ServerSideEncryptionAes256}); err != nil {
		t.Fatalf("put with the required encryption header: %v", err)
	}
	// s3:ExistingObjectTag on GetObject.
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(b), Key: aws.String("p"),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("class"), Value: aws.String("public")}}}}); err != nil {
		t.Fatal(err)
	}
	srv.putUserPolicy(t, root, "reader", "get-public", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::samea/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/class":"public"}}}]}`)
	if _, err := readObject(reader, b, "p"); err != nil {
		t.Fatalf("read of an object tagged public: %v", err)
	}
}

// Across accounts both sides must allow: the bucket policy of A granting
// account B, and B's identity policy.
func TestS3CrossAccountRead(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	member, memberAdmin := srv.memberAccount(t)
	b := "shared-a"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("report"), Body: strings.NewReader("numbers")}); err != nil {
		t.Fatal(err)
	}
	admin := srv.s3(memberAdmin)
	wantCode(t, err2(readObject(admin, b, "report")), "AccessDenied")
	grant := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + member + `"},
		"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::shared-a","arn:aws:s3:::shared-a/*"]}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b), Policy: aws.String(grant)}); err != nil {
		t.Fatal(err)
	}
	if got, err := readObject(admin, b, "report"); err != nil || got != "numbers" {
		t.Fatalf("cross-account read with both sides allowing: %q %v", got, err)
	}
	// A user of B without an identity policy: B has not allowed it.
	iamB := srv.iam(memberAdmin)
	if _, err := iamB.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	key, err := iamB.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	bob := srv.s3(srv.config(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), ""))
	msg := wantCode(t, err2(readObject(bob, b, "report")), "AccessDenied")
	if !strings.Contains(msg, "identity-based policy") {
		t.Fatalf("denial of bob %q", msg)
	}
	if _, err := iamB.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(readAll)}); err != nil {
		t.Fatal(err)
	}
	if _, err := readObject(bob, b, "report"); err != nil {
		t.Fatalf("bob with an identity policy: %v", err)
	}
	// B cannot write: A's policy does not grant it.
	wantCode(t, err2(admin.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("x"), Body: strings.NewReader("x")})), "AccessDenied")
	// The read is recorded in both accounts, as a data event.
	mine := dataEvents(t, srv, testAccount, "GetObject")
	theirs := dataEvents(t, srv, member, "GetObject")
	if len(mine) == 0 || len(theirs) == 0 {
		t.Fatalf("GetObject events: %d in the bucket owner's account, %d in the caller's", len(mine), len(theirs))
	}
	last := theirs[len(theirs)-1]
	if last.str("eventCategory") != "Data" || last["managementEvent"] != false || last.str("requestParameters.bucketName") != b ||
		last.str("requestParameters.key") != "report" || last.str("requestParameters.Host") == "" {
		t.Fatalf("data event %v", last)
	}
}

// Anonymous access: only where a policy grants everyone and Block Public
// Access lets it.
func TestS3AnonymousAccess(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	b := aws.String("public-site")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("index.html"), Body: strings.NewReader("<h1>hi</h1>")}); err != nil {
		t.Fatal(err)
	}
	if code, body := srv.anonGet(t, "/public-site/index.html"); code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code><Message>Access Denied</Message>") {
		t.Fatalf("anonymous read of a private object: %d %s", code, body)
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-site/*"}]}`
	// BlockPublicPolicy (on by default) refuses the policy.
	wantCode(t, err2(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(public)})), "AccessDenied")
	// RestrictPublicBuckets keeps a public policy from outsiders.
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b, PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
		RestrictPublicBuckets: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(public)}); err != nil {
		t.Fatal(err)
	}
	st, _ := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
	if !aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Fatal("a Principal * policy is not reported public")
	}
	if code, _ := srv.anonGet(t, "/public-site/index.html"); code != 403 {
		t.Fatalf("anonymous read with RestrictPublicBuckets: %d", code)
	}
	_, memberAdmin := srv.memberAccount(t)
	wantCode(t, err2(readObject(srv.s3(memberAdmin), "public-site", "index.html")), "AccessDenied")
	// Within the account the public policy still grants.
	noPolicy := srv.s3(srv.newUser(t, root, "insider"))
	if _, err := readObject(noPolicy, "public-site", "index.html"); err != nil {
		t.Fatalf("same-account read through a restricted public policy: %v", err)
	}
	// Public once nothing blocks it.
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	code, body := srv.anonGet(t, "/public-site/index.html")
	if code != 200 || body != "<h1>hi</h1>" {
		t.Fatalf("anonymous read of a public object: %d %s", code, body)
	}
	if _, err := readObject(srv.s3(memberAdmin), "public-site", "index.html"); err != nil {
		t.Fatalf("cross-account read of a public object: %v", err)
	}
	// Only what the policy grants: no listing, no writes.
	if code, _ := srv.anonGet(t, "/public-site"); code != 403 {
		t.Fatalf("anonymous listing: %d", code)
	}
	req, _ := http.NewRequest("PUT", srv.endpoint+"/public-site/evil", strings.NewReader("x"))
	if code, _ := send(t, req); code != 403 {
		t.Fatalf("anonymous write: %d", code)
	}
	// Anonymous calls are recorded in the bucket owner's account.
	evs := dataEvents(t, srv, testAccount, "GetObject")
	anon := 0
	for _, e := range evs {
		if e.str("userIdentity.accountId") == "ANONYMOUS_PRINCIPAL" {
			anon++
			if e.str("recipientAccountId") != testAccount || e.str("awsRegion") != "us-east-1" {
				t.Fatalf("anonymous event %v", e)
			}
		}
	}
	if anon != 3 {
		t.Fatalf("%d anonymous GetObject events, want 3 (two denied, one allowed)", anon)
	}
}

// ACLs count where Object Ownership lets them: bucket-owner-enforced
// buckets ignore and refuse them; ObjectWriter buckets let writers own
// their objects; BucketOwnerPreferred gives the bucket owner objects
// written with bucket-owner-full-control.
func TestS3ACLsAndOwnership(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	member, memberAdmin := srv.memberAccount(t)
	mc := srv.s3(memberAdmin)
	b := aws.String("acl-bucket")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b, ObjectOwnership: s3types.ObjectOwnershipObjectWriter}); err != nil {
		t.Fatal(err)
	}
	// Grant account B WRITE on the bucket by canonical user ID.
	memberID := cairns3.CanonicalID(member)
	ownerID := cairns3.CanonicalID(testAccount)
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, GrantWrite: aws.String(`id="` + memberID + `"`),
		GrantFullControl: aws.String(`id="` + ownerID + `"`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("from-b"), Body: strings.NewReader("b's data")}); err != nil {
		t.Fatalf("write granted by the bucket ACL: %v", err)
	}
	acl, err := mc.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("from-b")})
	if err != nil || aws.ToString(acl.Owner.ID) != memberID {
		t.Fatalf("object owner %+v %v", acl, err)
	}
	// The bucket owner does not own B's object and was granted nothing.
	wantCode(t, err2(readObject(c, "acl-bucket", "from-b")), "AccessDenied")
	// B grants it.
	if _, err := mc.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: aws.String("from-b"), ACL: s3types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatal(err)
	}
	if got, err := readObject(c, "acl-bucket", "from-b"); err != nil || got != "b's data" {
		t.Fatalf("bucket owner read after bucket-owner-full-control: %q %v", got, err)
	}
	// The bucket policy cannot grant on objects its owner does not own.
	srv.newUser(t, root, "auditor")
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:user/auditor"},
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::acl-bucket/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	key, _ := srv.iam(root).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("auditor")})
	auditor := srv.s3(srv.config(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), ""))
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("from-a"), Body: strings.NewReader("a's data")}); err != nil {
		t.Fatal(err)
	}
	if _, err := readObject(auditor, "acl-bucket", "from-a"); err != nil {
		t.Fatalf("bucket policy grant on the owner's object: %v", err)
	}
	wantCode(t, err2(readObject(auditor, "acl-bucket", "from-b")), "AccessDenied")
	// Public ACLs are blocked by default.
	wantCode(t, err2(c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: aws.String("from-a"), ACL: s3types.ObjectCannedACLPublicRead})), "AccessDenied")

	// BucketOwnerPreferred: bucket-owner-full-control hands the object over.
	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b, OwnershipControls: &s3types.OwnershipControls{
		Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("handed"), Body: strings.NewReader("x"),
		ACL: s3types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatal(err)
	}
	acl, err = c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("handed")})
	if err != nil || aws.ToString(acl.Owner.ID) != ownerID {
		t.Fatalf("BucketOwnerPreferred owner %+v %v", acl, err)
	}
	// BucketOwnerEnforced: ACLs refused; the bucket owner owns everything.
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: s3types.BucketCannedACLPrivate}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b, OwnershipControls: &s3types.OwnershipControls{
		Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}}}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("acl"), Body: strings.NewReader("x"),
		ACL: s3types.ObjectCannedACLAuthenticatedRead})), "AccessControlListNotSupported")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("acl"), Body: strings.NewReader("x"),
		ACL: s3types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatalf("bucket-owner-full-control on an enforced bucket: %v", err)
	}
	// With ACLs disabled, B's earlier WRITE grant is gone.
	wantCode(t, err2(mc.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("late"), Body: strings.NewReader("x")})), "AccessDenied")
	// Grants naming an unknown canonical ID are refused.
	wantCode(t, err2(c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: aws.String("acl"), GrantRead: aws.String(`id="` + strings.Repeat("ab", 32) + `"`)})), "InvalidArgument")
}

// A missing key is NoSuchKey only for callers who may list the bucket;
// for the others it is AccessDenied, as in S3.
func TestS3MissingKeyNeedsListBucket(t *testing.T) {
	srv := startCairn(t)
	root := srv.root()
	c := srv.s3(root)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("hidden")}); err != nil {
		t.Fatal(err)
	}
	u := srv.s3(srv.newUser(t, root, "getter"))
	srv.putUserPolicy(t, root, "getter", "get", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::hidden/*"}]}`)
	wantCode(t, err2(readObject(u, "hidden", "nope")), "AccessDenied")
	srv.putUserPolicy(t, root, "getter", "list", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::hidden"}]}`)
	wantCode(t, err2(readObject(u, "hidden", "nope")), "NoSuchKey")
}

// DeleteObjects decides each key as its own s3:DeleteObject: a user
// allowed to delete under tmp/ only gets the others back as AccessDenied
// entries, and they stay.
func TestS3DeleteObjectsPerKey(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	c := s.s3(root)
	b := aws.String("per-key")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tmp/a", "keep/b"} {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
			t.Fatal(err)
		}
	}
	carol := s.newUser(t, root, "carol")
	s.putUserPolicy(t, root, "carol", "tmp", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::per-key/tmp/*"}]}`)
	out, err := s.s3(carol).DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &s3types.Delete{
		Objects: []s3types.ObjectIdentifier{{Key: aws.String("tmp/a")}, {Key: aws.String("keep/b")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 1 || aws.ToString(out.Deleted[0].Key) != "tmp/a" || len(out.Errors) != 1 ||
		aws.ToString(out.Errors[0].Key) != "keep/b" || aws.ToString(out.Errors[0].Code) != "AccessDenied" {
		t.Fatalf("DeleteObjects: deleted %+v, errors %+v", out.Deleted, out.Errors)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("keep/b")}); err != nil {
		t.Fatalf("the denied key was deleted: %v", err)
	}
	wantCode(t, err2(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("tmp/a")})), "NotFound")
}
