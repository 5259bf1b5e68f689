package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func (s *cairnServer) kms(cfg aws.Config) *kms.Client { return kms.NewFromConfig(cfg) }

// newKey creates a key with the default policy and returns its ID and ARN.
func (s *cairnServer) newKey(t *testing.T, cfg aws.Config, policy string) (string, string) {
	t.Helper()
	in := &kms.CreateKeyInput{Description: aws.String("test key")}
	if policy != "" {
		in.Policy = aws.String(policy)
	}
	out, err := s.kms(cfg).CreateKey(ctx, in)
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	return aws.ToString(out.KeyMetadata.KeyId), aws.ToString(out.KeyMetadata.Arn)
}

func keyPolicy(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

// rootStatement delegates the key to an account's IAM policies.
func rootStatement(account string) string {
	return `{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}`
}

func TestKMSKeyLifecycle(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	created, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("app data"),
		Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("blue")}}})
	if err != nil {
		t.Fatal(err)
	}
	md := created.KeyMetadata
	id, arn := aws.ToString(md.KeyId), aws.ToString(md.Arn)
	if arn != "arn:aws:kms:us-east-1:"+testAccount+":key/"+id || !md.Enabled || md.KeyState != kmstypes.KeyStateEnabled ||
		md.KeySpec != kmstypes.KeySpecSymmetricDefault || md.KeyUsage != kmstypes.KeyUsageTypeEncryptDecrypt ||
		md.KeyManager != kmstypes.KeyManagerTypeCustomer || md.Origin != kmstypes.OriginTypeAwsKms ||
		aws.ToString(md.AWSAccountId) != testAccount || aws.ToString(md.Description) != "app data" ||
		len(md.EncryptionAlgorithms) != 1 || md.CreationDate == nil || aws.ToBool(md.MultiRegion) {
		t.Fatalf("metadata %+v", md)
	}
	// The default key policy, as AWS words it.
	pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(pol.Policy), `"AWS" : "arn:aws:iam::`+testAccount+`:root"`) || aws.ToString(pol.PolicyName) != "default" {
		t.Fatalf("default policy %q", aws.ToString(pol.Policy))
	}
	names, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(id)})
	if err != nil || len(names.PolicyNames) != 1 || names.PolicyNames[0] != "default" {
		t.Fatalf("ListKeyPolicies %v %v", names, err)
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{id, arn, "alias/app", "arn:aws:kms:us-east-1:" + testAccount + ":alias/app"} {
		d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)})
		if err != nil || aws.ToString(d.KeyMetadata.Arn) != arn {
			t.Fatalf("DescribeKey %s: %v %v", ref, d, err)
		}
	}
	msg := wantCode(t, err2(c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("11111111-2222-3333-4444-555555555555")})), "NotFoundException")
	if msg != "Key 'arn:aws:kms:us-east-1:"+testAccount+":key/11111111-2222-3333-4444-555555555555' does not exist" {
		t.Fatalf("NotFound message %q", msg)
	}
	wantCode(t, err2(c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/nope")})), "NotFoundException")

	// Paging.
	id2, _ := s.newKey(t, s.root(), "")
	page, err := c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(1)})
	if err != nil || len(page.Keys) != 1 || !page.Truncated || page.NextMarker == nil {
		t.Fatalf("ListKeys page 1: %+v %v", page, err)
	}
	page2, err := c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(1), Marker: page.NextMarker})
	if err != nil || len(page2.Keys) != 1 || page2.Truncated || aws.ToString(page2.Keys[0].KeyId) == aws.ToString(page.Keys[0].KeyId) {
		t.Fatalf("ListKeys page 2: %+v %v", page2, err)
	}
	if got := map[string]bool{aws.ToString(page.Keys[0].KeyId): true, aws.ToString(page2.Keys[0].KeyId): true}; !got[id] || !got[id2] {
		t.Fatalf("ListKeys saw %v", got)
	}
	wantCode(t, err2(c.ListKeys(ctx, &kms.ListKeysInput{Marker: aws.String("garbage!")})), "InvalidMarkerException")

	if _, err := c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("renamed")}); err != nil {
		t.Fatal(err)
	}
	// Disabled keys refuse cryptography.
	if _, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	msg = wantCode(t, err2(c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")})), "DisabledException")
	if msg != arn+" is disabled." {
		t.Fatalf("DisabledException message %q", msg)
	}
	if _, err := c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	d, _ := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if aws.ToString(d.KeyMetadata.Description) != "renamed" || !d.KeyMetadata.Enabled {
		t.Fatalf("after update/enable: %+v", d.KeyMetadata)
	}

	// Tags.
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []kmstypes.Tag{
		{TagKey: aws.String("env"), TagValue: aws.String("prod")}, {TagKey: aws.String("team"), TagValue: aws.String("red")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &kms.UntagResourceInput{KeyId: aws.String(id), TagKeys: []string{"env"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].TagValue) != "red" {
		t.Fatalf("ListResourceTags %+v %v", tags, err)
	}
	wantCode(t, err2(c.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []kmstypes.Tag{
		{TagKey: aws.String("aws:reserved"), TagValue: aws.String("x")}}})), "TagException")

	// Deletion: 7 to 30 days, unusable meanwhile, cancelled to Disabled.
	msg = wantCode(t, err2(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(5)})), "ValidationException")
	if msg != "PendingWindowInDays must be between 7 and 30" {
		t.Fatalf("validation message %q", msg)
	}
	sched, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	if err != nil || sched.KeyState != kmstypes.KeyStatePendingDeletion || aws.ToInt32(sched.PendingWindowInDays) != 7 ||
		aws.ToString(sched.KeyId) != arn || sched.DeletionDate == nil || sched.DeletionDate.Sub(time.Now()) < 6*24*time.Hour {
		t.Fatalf("ScheduleKeyDeletion %+v %v", sched, err)
	}
	msg = wantCode(t, err2(c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")})), "KMSInvalidStateException")
	if msg != arn+" is pending deletion." {
		t.Fatalf("pending message %q", msg)
	}
	wantCode(t, err2(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id)})), "KMSInvalidStateException")
	wantCode(t, err2(c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})), "KMSInvalidStateException")
	d, _ = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if d.KeyMetadata.DeletionDate == nil || aws.ToInt32(d.KeyMetadata.PendingDeletionWindowInDays) != 7 {
		t.Fatalf("pending metadata %+v", d.KeyMetadata)
	}
	if _, err := c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})), "KMSInvalidStateException")
	d, _ = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if d.KeyMetadata.KeyState != kmstypes.KeyStateDisabled || d.KeyMetadata.DeletionDate != nil {
		t.Fatalf("after cancel %+v", d.KeyMetadata)
	}

	// Unsupported key kinds.
	wantCode(t, err2(c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecRsa2048})), "UnsupportedOperationException")
	wantCode(t, err2(c.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})), "UnsupportedOperationException")
	msg = wantCode(t, err2(c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: "AES_999"})), "ValidationException")
	if !strings.HasPrefix(msg, "1 validation error detected: Value 'AES_999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048") {
		t.Fatalf("enum message %q", msg)
	}
}

func TestKMSCryptography(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	id, arn := s.newKey(t, s.root(), "")
	other, _ := s.newKey(t, s.root(), "")
	ec := map[string]string{"purpose": "test", "tenant": "t1"}
	enc, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("attack at dawn"), EncryptionContext: ec})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(enc.KeyId) != arn || enc.EncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecSymmetricDefault ||
		bytes.Contains(enc.CiphertextBlob, []byte("attack at dawn")) {
		t.Fatalf("Encrypt %+v", enc)
	}
	// Decrypt needs no KeyId: the ciphertext names its key.
	dec, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
	if err != nil || string(dec.Plaintext) != "attack at dawn" || aws.ToString(dec.KeyId) != arn {
		t.Fatalf("Decrypt %+v %v", dec, err)
	}
	// The encryption context is bound: wrong, partial or missing fails.
	for _, bad := range []map[string]string{nil, {"purpose": "test"}, {"purpose": "test", "tenant": "t2"}, {"purpose": "test", "tenant": "t1", "x": "y"}} {
		msg := wantCode(t, err2(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: bad})), "InvalidCiphertextException")
		_ = msg
	}
	tampered := bytes.Clone(enc.CiphertextBlob)
	tampered[len(tampered)-1] ^= 1
	wantCode(t, err2(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: tampered, EncryptionContext: ec})), "InvalidCiphertextException")
	wantCode(t, err2(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: []byte("not a ciphertext at all, not at all")})), "InvalidCiphertextException")
	wantCode(t, err2(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec, KeyId: aws.String(other)})), "IncorrectKeyException")
	wantCode(t, err2(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec,
		EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256})), "InvalidKeyUsageException")
	msg := wantCode(t, err2(c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: make([]byte, 4097)})), "ValidationException")
	if msg != "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096" {
		t.Fatalf("plaintext validation %q", msg)
	}

	// Data keys.
	dk, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), KeySpec: kmstypes.DataKeySpecAes256, EncryptionContext: ec})
	if err != nil || len(dk.Plaintext) != 32 || aws.ToString(dk.KeyId) != arn {
		t.Fatalf("GenerateDataKey %+v %v", dk, err)
	}
	back, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob, EncryptionContext: ec})
	if err != nil || !bytes.Equal(back.Plaintext, dk.Plaintext) {
		t.Fatalf("data key round trip: %v", err)
	}
	dk16, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), KeySpec: kmstypes.DataKeySpecAes128})
	if err != nil || len(dk16.Plaintext) != 16 {
		t.Fatalf("AES_128 %v", err)
	}
	dkn, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), NumberOfBytes: aws.Int32(64)})
	if err != nil || len(dkn.Plaintext) != 64 {
		t.Fatalf("NumberOfBytes %v", err)
	}
	msg = wantCode(t, err2(c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), NumberOfBytes: aws.Int32(2000)})), "ValidationException")
	if msg != "1 validation error detected: Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024" {
		t.Fatalf("numberOfBytes %q", msg)
	}
	wantCode(t, err2(c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id)})), "ValidationException")
	wo, err := c.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: aws.String(id), KeySpec: kmstypes.DataKeySpecAes256})
	if err != nil || len(wo.CiphertextBlob) == 0 {
		t.Fatalf("GenerateDataKeyWithoutPlaintext %v", err)
	}
	if back, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: wo.CiphertextBlob}); err != nil || len(back.Plaintext) != 32 {
		t.Fatalf("decrypt data key without plaintext: %v", err)
	}
	rnd, err := c.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(48)})
	if err != nil || len(rnd.Plaintext) != 48 {
		t.Fatalf("GenerateRandom %v", err)
	}
	wantCode(t, err2(c.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(0)})), "ValidationException")

	// ReEncrypt moves a ciphertext to another key and context.
	re, err := c.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ec,
		DestinationKeyId: aws.String(other), DestinationEncryptionContext: map[string]string{"moved": "yes"}})
	if err != nil || aws.ToString(re.SourceKeyId) != arn {
		t.Fatalf("ReEncrypt %+v %v", re, err)
	}
	got, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: map[string]string{"moved": "yes"}})
	if err != nil || string(got.Plaintext) != "attack at dawn" || aws.ToString(got.KeyId) != aws.ToString(re.KeyId) {
		t.Fatalf("decrypt re-encrypted: %+v %v", got, err)
	}
	wantCode(t, err2(c.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: aws.String(other)})), "InvalidCiphertextException")
	// DryRun.
	wantCode(t, err2(c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x"), DryRun: aws.Bool(true)})), "DryRunOperationException")

	// Events: read-only management events with the key, never the data.
	recs := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "Encrypt")
	var ok bool
	for _, r := range recs {
		raw, _ := json.Marshal(r)
		if bytes.Contains(raw, []byte("attack at dawn")) || bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString([]byte("attack at dawn")))) {
			t.Fatalf("plaintext in an event: %s", raw)
		}
		if r.str("errorCode") == "" && r.str("requestParameters.encryptionContext.tenant") == "t1" {
			ok = r.str("eventSource") == "kms.amazonaws.com" && r["readOnly"] == true && r["managementEvent"] == true &&
				r.str("requestParameters.keyId") == id && r.str("requestParameters.encryptionAlgorithm") == "SYMMETRIC_DEFAULT" &&
				r["responseElements"] == nil && strings.Contains(string(raw), `"type":"AWS::KMS::Key"`) && strings.Contains(string(raw), arn)
		}
	}
	if !ok {
		t.Fatalf("no Encrypt event of the expected shape among %v", recs)
	}
	recs = lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "GenerateDataKey")
	if len(recs) == 0 {
		t.Fatal("no GenerateDataKey event")
	}
	for _, r := range recs {
		raw, _ := json.Marshal(r)
		if bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(dk.Plaintext))) || bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(dk.CiphertextBlob))) {
			t.Fatalf("data key in an event: %s", raw)
		}
	}
	decs := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "Decrypt")
	if len(decs) == 0 || decs[len(decs)-1].str("requestParameters.keyId") != arn {
		t.Fatalf("Decrypt event names the key ARN: %v", decs)
	}
	cks := lookup(t, s.cloudtrail(s.root()), cttypes.LookupAttributeKeyEventName, "CreateKey")
	if len(cks) == 0 || cks[0]["readOnly"] != false || cks[0].str("responseElements.keyMetadata.keyId") == "" {
		t.Fatalf("CreateKey event %v", cks)
	}
}

func TestKMSRotation(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	id, _ := s.newKey(t, s.root(), "")
	before, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("old"), EncryptionContext: map[string]string{"v": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if err != nil || st.KeyRotationEnabled {
		t.Fatalf("initial rotation status %+v %v", st, err)
	}
	wantCode(t, err2(c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: aws.Int32(30)})), "ValidationException")
	if _, err := c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: aws.Int32(180)}); err != nil {
		t.Fatal(err)
	}
	st, _ = c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if !st.KeyRotationEnabled || aws.ToInt32(st.RotationPeriodInDays) != 180 || st.NextRotationDate == nil {
		t.Fatalf("rotation status %+v", st)
	}
	if _, err := c.RotateKeyOnDemand(ctx, &kms.RotateKeyOnDemandInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	after, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("new")})
	if err != nil {
		t.Fatal(err)
	}
	// Both generations decrypt.
	if p, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: before.CiphertextBlob, EncryptionContext: map[string]string{"v": "1"}}); err != nil || string(p.Plaintext) != "old" {
		t.Fatalf("old ciphertext after rotation: %v", err)
	}
	p, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: after.CiphertextBlob})
	if err != nil || string(p.Plaintext) != "new" {
		t.Fatalf("new ciphertext: %v", err)
	}
	rots, err := c.ListKeyRotations(ctx, &kms.ListKeyRotationsInput{KeyId: aws.String(id)})
	if err != nil || len(rots.Rotations) != 1 || rots.Rotations[0].RotationType != kmstypes.RotationTypeOnDemand ||
		aws.ToString(rots.Rotations[0].KeyMaterialId) != aws.ToString(p.KeyMaterialId) {
		t.Fatalf("ListKeyRotations %+v %v", rots, err)
	}
	all, err := c.ListKeyRotations(ctx, &kms.ListKeyRotationsInput{KeyId: aws.String(id), IncludeKeyMaterial: kmstypes.IncludeKeyMaterialAllKeyMaterial})
	if err != nil || len(all.Rotations) != 2 {
		t.Fatalf("ListKeyRotations ALL_KEY_MATERIAL %+v %v", all, err)
	}
	if _, err := c.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id)})), "DisabledException")
	wantCode(t, err2(c.RotateKeyOnDemand(ctx, &kms.RotateKeyOnDemandInput{KeyId: aws.String(id)})), "DisabledException")
}

func TestKMSAliases(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	a, _ := s.newKey(t, s.root(), "")
	b, bARN := s.newKey(t, s.root(), "")
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(a)}); err != nil {
		t.Fatal(err)
	}
	msg := wantCode(t, err2(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(b)})), "AlreadyExistsException")
	if msg != "An alias with the name arn:aws:kms:us-east-1:"+testAccount+":alias/app already exists" {
		t.Fatalf("AlreadyExists message %q", msg)
	}
	wantCode(t, err2(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("app"), TargetKeyId: aws.String(a)})), "ValidationException")
	wantCode(t, err2(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/bad name"), TargetKeyId: aws.String(a)})), "ValidationException")
	wantCode(t, err2(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: aws.String(a)})), "NotAuthorizedException")
	wantCode(t, err2(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/x"), TargetKeyId: aws.String("11111111-2222-3333-4444-555555555555")})), "NotFoundException")
	if _, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")})
	if err != nil || aws.ToString(d.KeyMetadata.Arn) != bARN {
		t.Fatalf("alias after UpdateAlias: %v", err)
	}
	list, err := c.ListAliases(ctx, &kms.ListAliasesInput{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, al := range list.Aliases {
		seen[aws.ToString(al.AliasName)] = aws.ToString(al.TargetKeyId)
	}
	if seen["alias/app"] != b || seen["alias/aws/s3"] != "" {
		t.Fatalf("ListAliases %v", seen)
	}
	if _, ok := seen["alias/aws/s3"]; !ok {
		t.Fatalf("ListAliases lacks the AWS managed alias: %v", seen)
	}
	byKey, err := c.ListAliases(ctx, &kms.ListAliasesInput{KeyId: aws.String(a)})
	if err != nil || len(byKey.Aliases) != 0 {
		t.Fatalf("ListAliases by key %+v %v", byKey, err)
	}
	// The AWS managed key is created on first use and is usable only
	// through S3.
	m, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	if err != nil || m.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws {
		t.Fatalf("DescribeKey alias/aws/s3: %+v %v", m, err)
	}
	msg = wantCode(t, err2(c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/aws/s3"), Plaintext: []byte("x")})), "AccessDeniedException")
	if !strings.Contains(msg, "kms:Encrypt") {
		t.Fatalf("direct use of the S3 key: %q", msg)
	}
	wantCode(t, err2(c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/aws/s3")})), "NotAuthorizedException")
	if _, err := c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")})), "NotFoundException")
	wantCode(t, err2(c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")})), "NotFoundException")
}

func TestKMSKeyPolicies(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	alice := s.newUser(t, root, "alice")
	aliceARN := "arn:aws:iam::" + testAccount + ":user/alice"
	s.putUserPolicy(t, root, "alice", "kms", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`)

	// The default policy delegates to the account: alice's IAM policy counts.
	id, arn := s.newKey(t, root, "")
	enc, err := s.kms(alice).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("secret")})
	if err != nil {
		t.Fatalf("Encrypt under the default policy: %v", err)
	}
	// A key policy that denies alice Decrypt wins over her IAM policy.
	deny := keyPolicy(rootStatement(testAccount),
		`{"Sid":"NoDecrypt","Effect":"Deny","Principal":{"AWS":"`+aliceARN+`"},"Action":"kms:Decrypt","Resource":"*"}`)
	if _, err := s.kms(root).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(deny)}); err != nil {
		t.Fatal(err)
	}
	msg := wantCode(t, err2(s.kms(alice).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})), "AccessDeniedException")
	want := "User: " + aliceARN + " is not authorized to perform: kms:Decrypt on resource: " + arn + " with an explicit deny in a resource-based policy"
	if msg != want {
		t.Fatalf("denial\n got %q\nwant %q", msg, want)
	}
	if _, err := s.kms(root).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil {
		t.Fatalf("root Decrypt: %v", err)
	}
	recs := lookup(t, s.cloudtrail(root), cttypes.LookupAttributeKeyUsername, "alice")
	denied := false
	for _, r := range recs {
		denied = denied || r.str("eventName") == "Decrypt" && r.str("errorCode") == "AccessDeniedException" && r.str("errorMessage") == want
	}
	if !denied {
		t.Fatalf("no denied Decrypt event for alice: %v", recs)
	}

	// A key policy that does not name the account: IAM policies do not count.
	own := keyPolicy(`{"Sid":"RootOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"Account"}}}`)
	id2, arn2 := s.newKey(t, root, own)
	msg = wantCode(t, err2(s.kms(alice).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id2), Plaintext: []byte("x")})), "AccessDeniedException")
	if msg != "User: "+aliceARN+" is not authorized to perform: kms:Encrypt on resource: "+arn2+" because no resource-based policy allows the kms:Encrypt action" {
		t.Fatalf("denial %q", msg)
	}
	// A key policy naming alice herself allows without any IAM policy.
	bob := s.newUser(t, root, "bob")
	bobARN := "arn:aws:iam::" + testAccount + ":user/bob"
	direct := keyPolicy(rootStatement(testAccount), `{"Effect":"Allow","Principal":{"AWS":"`+bobARN+`"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}`)
	id3, _ := s.newKey(t, root, direct)
	if _, err := s.kms(bob).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id3), Plaintext: []byte("x")}); err != nil {
		t.Fatalf("bob named by the key policy: %v", err)
	}
	wantCode(t, err2(s.kms(bob).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id3)})), "AccessDeniedException")
	// Encryption context condition keys.
	ctxPolicy := keyPolicy(rootStatement(testAccount), `{"Effect":"Allow","Principal":{"AWS":"`+bobARN+`"},"Action":"kms:Encrypt","Resource":"*",
		"Condition":{"StringEquals":{"kms:EncryptionContext:app":"billing"}}}`)
	id4, _ := s.newKey(t, root, ctxPolicy)
	if _, err := s.kms(bob).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id4), Plaintext: []byte("x"), EncryptionContext: map[string]string{"app": "billing"}}); err != nil {
		t.Fatalf("matching context: %v", err)
	}
	wantCode(t, err2(s.kms(bob).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id4), Plaintext: []byte("x"), EncryptionContext: map[string]string{"app": "hr"}})), "AccessDeniedException")
}

func TestKMSLockoutSafetyCheck(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	s.newUser(t, root, "carol")
	carolARN := "arn:aws:iam::" + testAccount + ":user/carol"
	id, _ := s.newKey(t, root, "")
	onlyCarol := keyPolicy(`{"Effect":"Allow","Principal":{"AWS":"` + carolARN + `"},"Action":"kms:*","Resource":"*"}`)
	msg := wantCode(t, err2(s.kms(root).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(onlyCarol)})), "MalformedPolicyDocumentException")
	if msg != "The new key policy will not allow you to update the key policy in the future." {
		t.Fatalf("lockout message %q", msg)
	}
	wantCode(t, err2(s.kms(root).CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(onlyCarol)})), "MalformedPolicyDocumentException")
	wantCode(t, err2(s.kms(root).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(`{"Version":"2012-10-17",`)})), "MalformedPolicyDocumentException")
	// Bypassed, the policy applies and locks the root user out too.
	if _, err := s.kms(root).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(onlyCarol), BypassPolicyLockoutSafetyCheck: true}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(s.kms(root).GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)})), "AccessDeniedException")
	// A policy that keeps the caller in passes.
	if _, err := s.kms(root).CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(keyPolicy(rootStatement(testAccount)))}); err != nil {
		t.Fatalf("CreateKey with a safe policy: %v", err)
	}
}

func TestKMSGrants(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	dave := s.newUser(t, root, "dave") // no policy at all
	daveARN := "arn:aws:iam::" + testAccount + ":user/dave"
	retirerCfg := s.newUser(t, root, "retirer")
	retirerARN := "arn:aws:iam::" + testAccount + ":user/retirer"
	id, arn := s.newKey(t, root, "")
	c := s.kms(root)
	wantCode(t, err2(s.kms(dave).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")})), "AccessDeniedException")
	g, err := c.CreateGrant(ctx, &kms.CreateGrantInput{
		KeyId: aws.String(id), GranteePrincipal: aws.String(daveARN), RetiringPrincipal: aws.String(retirerARN), Name: aws.String("dave-app"),
		Operations:  []kmstypes.GrantOperation{kmstypes.GrantOperationEncrypt, kmstypes.GrantOperationDecrypt},
		Constraints: &kmstypes.GrantConstraints{EncryptionContextSubset: map[string]string{"app": "dave"}},
	})
	if err != nil || aws.ToString(g.GrantId) == "" || aws.ToString(g.GrantToken) == "" {
		t.Fatalf("CreateGrant %+v %v", g, err)
	}
	// Same name, same parameters: the same grant.
	again, err := c.CreateGrant(ctx, &kms.CreateGrantInput{
		KeyId: aws.String(id), GranteePrincipal: aws.String(daveARN), RetiringPrincipal: aws.String(retirerARN), Name: aws.String("dave-app"),
		Operations:  []kmstypes.GrantOperation{kmstypes.GrantOperationEncrypt, kmstypes.GrantOperationDecrypt},
		Constraints: &kmstypes.GrantConstraints{EncryptionContextSubset: map[string]string{"app": "dave"}},
	})
	if err != nil || aws.ToString(again.GrantId) != aws.ToString(g.GrantId) {
		t.Fatalf("idempotent CreateGrant %v %v", again, err)
	}
	enc, err := s.kms(dave).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("granted"), EncryptionContext: map[string]string{"app": "dave", "x": "y"}})
	if err != nil {
		t.Fatalf("Encrypt through the grant: %v", err)
	}
	if _, err := s.kms(dave).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"app": "dave", "x": "y"}}); err != nil {
		t.Fatalf("Decrypt through the grant: %v", err)
	}
	// The constraint holds; operations not granted are denied.
	wantCode(t, err2(s.kms(dave).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x"), EncryptionContext: map[string]string{"app": "eve"}})), "AccessDeniedException")
	wantCode(t, err2(s.kms(dave).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")})), "AccessDeniedException")
	wantCode(t, err2(s.kms(dave).GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), KeySpec: kmstypes.DataKeySpecAes256,
		EncryptionContext: map[string]string{"app": "dave"}})), "AccessDeniedException")

	list, err := c.ListGrants(ctx, &kms.ListGrantsInput{KeyId: aws.String(id)})
	if err != nil || len(list.Grants) != 1 || aws.ToString(list.Grants[0].GranteePrincipal) != daveARN ||
		aws.ToString(list.Grants[0].IssuingAccount) != "arn:aws:iam::"+testAccount+":root" || list.Grants[0].Constraints == nil {
		t.Fatalf("ListGrants %+v %v", list, err)
	}
	retirable, err := c.ListRetirableGrants(ctx, &kms.ListRetirableGrantsInput{RetiringPrincipal: aws.String(retirerARN)})
	if err != nil || len(retirable.Grants) != 1 {
		t.Fatalf("ListRetirableGrants %+v %v", retirable, err)
	}
	// Dave may not retire it; the retiring principal may, by token.
	wantCode(t, err2(s.kms(dave).RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g.GrantToken})), "AccessDeniedException")
	forged := aws.ToString(g.GrantToken)[:strings.LastIndexByte(aws.ToString(g.GrantToken), '.')] + ".00"
	wantCode(t, err2(s.kms(retirerCfg).RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: aws.String(forged)})), "InvalidGrantTokenException")
	if _, err := s.kms(retirerCfg).RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g.GrantToken}); err != nil {
		t.Fatalf("RetireGrant: %v", err)
	}
	wantCode(t, err2(s.kms(dave).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x"), EncryptionContext: map[string]string{"app": "dave"}})), "AccessDeniedException")

	// RevokeGrant.
	g2, err := c.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(id), GranteePrincipal: aws.String(daveARN),
		Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationDescribeKey}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.kms(dave).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)}); err != nil {
		t.Fatalf("DescribeKey through a grant: %v", err)
	}
	if _, err := c.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(id), GrantId: g2.GrantId}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(s.kms(dave).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})), "AccessDeniedException")
	wantCode(t, err2(c.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(id), GrantId: g2.GrantId})), "NotFoundException")
	wantCode(t, err2(c.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(id), GranteePrincipal: aws.String(daveARN),
		Operations:  []kmstypes.GrantOperation{kmstypes.GrantOperationDescribeKey},
		Constraints: &kmstypes.GrantConstraints{EncryptionContextEquals: map[string]string{"a": "b"}}})), "ValidationException")
	// Grants never lift an explicit deny of the key policy.
	denyDave := keyPolicy(rootStatement(testAccount), `{"Effect":"Deny","Principal":{"AWS":"`+daveARN+`"},"Action":"kms:Encrypt","Resource":"*"}`)
	if _, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(denyDave)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(id), GranteePrincipal: aws.String(daveARN),
		Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationEncrypt}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, err2(s.kms(dave).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")})), "AccessDeniedException")
}

// newUserKey gives an existing user an access key.
func (s *cairnServer) newUserKey(t *testing.T, admin aws.Config, name string) aws.Config {
	t.Helper()
	key, err := s.iam(admin).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return s.config(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
}

func TestKMSCrossAccount(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	member, memberAdmin := s.memberAccount(t)
	// The key policy names the other account; that account's IAM policies
	// must allow as well.
	pol := keyPolicy(rootStatement(testAccount),
		`{"Sid":"Member","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+member+`:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey"],"Resource":"*"}`)
	_, arn := s.newKey(t, root, pol)
	enc, err := s.kms(memberAdmin).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("shared")})
	if err != nil {
		t.Fatalf("member Encrypt with the key ARN: %v", err)
	}
	if p, err := s.kms(root).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil || string(p.Plaintext) != "shared" {
		t.Fatalf("owner Decrypt: %v", err)
	}
	if _, err := s.kms(memberAdmin).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil {
		t.Fatalf("member Decrypt without KeyId: %v", err)
	}
	// Not granted by the key policy: denied whatever the member's IAM says.
	wantCode(t, err2(s.kms(memberAdmin).GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(arn), KeySpec: kmstypes.DataKeySpecAes256})), "AccessDeniedException")
	// Management calls reach keys of the caller's own account only.
	wantCode(t, err2(s.kms(memberAdmin).DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(arn)})), "NotFoundException")
	// A member user without an IAM policy is denied though its account is named.
	if _, err := s.iam(memberAdmin).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("plain")}); err != nil {
		t.Fatal(err)
	}
	plain := s.newUserKey(t, memberAdmin, "plain")
	msg := wantCode(t, err2(s.kms(plain).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("x")})), "AccessDeniedException")
	if !strings.Contains(msg, "because no identity-based policy allows the kms:Encrypt action") {
		t.Fatalf("member user denial %q", msg)
	}
	// A key policy without the member: its admin is denied.
	_, arn2 := s.newKey(t, root, "")
	wantCode(t, err2(s.kms(memberAdmin).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn2), Plaintext: []byte("x")})), "AccessDeniedException")
	// The successful cross-account call is recorded in both accounts.
	ownerRecs := lookup(t, s.cloudtrail(root), cttypes.LookupAttributeKeyEventName, "Encrypt")
	found := false
	for _, r := range ownerRecs {
		found = found || r.str("userIdentity.accountId") == member && r.str("recipientAccountId") == testAccount && r.str("errorCode") == ""
	}
	if !found {
		t.Fatalf("owner account has no copy of the member's Encrypt: %v", ownerRecs)
	}
}

// TestKMSNoSecretsInDataFolder greps every file of the data folder for a
// plaintext and a data key that went through KMS.
func TestKMSNoSecretsInDataFolder(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	id, _ := s.newKey(t, s.root(), "")
	plaintext := []byte("the-plaintext-that-must-never-be-at-rest-4f1c")
	if _, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: plaintext}); err != nil {
		t.Fatal(err)
	}
	dk, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), KeySpec: kmstypes.DataKeySpecAes256})
	if err != nil {
		t.Fatal(err)
	}
	s.stop()
	needles := map[string][]byte{
		"plaintext": plaintext, "plaintext base64": []byte(base64.StdEncoding.EncodeToString(plaintext)),
		"data key": dk.Plaintext, "data key base64": []byte(base64.StdEncoding.EncodeToString(dk.Plaintext)),
	}
	err = filepath.Walk(s.data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for name, n := range needles {
			if bytes.Contains(b, n) {
				t.Errorf("%s found in %s", name, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
