package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// The waiting period is 7 to 30 days. The model allows 1 to 365, so a value
// inside the model's range but outside KMS's is refused by KMS's own check
// (its sentence, as an AWS SDK log shows it for 1), and one outside the
// model's range by input validation (Coral's "1 validation error detected").
func TestKMSScheduleKeyDeletionWindow(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	id, _ := s.newKey(t, s.root(), "")
	schedule := func(days int32) error {
		return err2(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(days)}))
	}
	for _, days := range []int32{31, 6} {
		if msg := wantCode(t, schedule(days), "ValidationException"); msg != "PendingWindowInDays must be between 7 and 30" {
			t.Fatalf("%d days: message %q", days, msg)
		}
	}
	for days, want := range map[int32]string{
		0:   "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1",
		366: "1 validation error detected: Value '366' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 365",
	} {
		if msg := wantCode(t, schedule(days), "ValidationException"); msg != want {
			t.Fatalf("%d days: message %q", days, msg)
		}
	}
	// Refused windows leave the key as it was; 30 is the longest allowed.
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if err != nil || d.KeyMetadata.KeyState != kmstypes.KeyStateEnabled {
		t.Fatalf("key after refused windows: %+v %v", d, err)
	}
	out, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(30)})
	if err != nil || aws.ToInt32(out.PendingWindowInDays) != 30 {
		t.Fatalf("30 days: %+v %v", out, err)
	}
}

// With BypassPolicyLockoutSafetyCheck, CreateKey takes a policy that locks
// the caller out; without it, the same policy is refused.
func TestKMSCreateKeyBypassLockoutSafetyCheck(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	carol := s.kms(s.newUser(t, root, "carol"))
	onlyCarol := keyPolicy(allowStatement(userARN("carol"), `"kms:*"`, ""))
	msg := wantCode(t, err2(s.kms(root).CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(onlyCarol)})), "MalformedPolicyDocumentException")
	if msg != "The new key policy will not allow you to update the key policy in the future." {
		t.Fatalf("lockout message %q", msg)
	}
	out, err := s.kms(root).CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(onlyCarol), BypassPolicyLockoutSafetyCheck: true})
	if err != nil {
		t.Fatalf("CreateKey bypassing the check: %v", err)
	}
	id := out.KeyMetadata.KeyId
	// The policy applies as given: carol manages the key, the root user
	// that created it is locked out.
	pol, err := carol.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), userARN("carol")) {
		t.Fatalf("carol's GetKeyPolicy: %+v %v", pol, err)
	}
	wantCode(t, err2(s.kms(root).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})), "AccessDeniedException")
}

// ReEncrypt needs kms:ReEncryptFrom on the source key and, checked by KMS
// itself, kms:ReEncryptTo on the destination key.
func TestKMSReEncryptNeedsReEncryptTo(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	frank := s.kms(s.newUser(t, root, "frank")) // no IAM policy: only key policies count
	src, srcARN := s.newKey(t, root, keyPolicy(rootStatement(testAccount), allowStatement(userARN("frank"), `"kms:ReEncryptFrom"`, "")))
	dst, dstARN := s.newKey(t, root, keyPolicy(rootStatement(testAccount)))
	enc, err := s.kms(root).Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(src), Plaintext: []byte("move me")})
	if err != nil {
		t.Fatal(err)
	}
	reEncrypt := func() (*kms.ReEncryptOutput, error) {
		return frank.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: aws.String(dst)})
	}
	msg := wantCode(t, err2(reEncrypt()), "AccessDeniedException")
	if !strings.Contains(msg, "kms:ReEncryptTo on resource: "+dstARN) {
		t.Fatalf("denial %q", msg)
	}
	withTo := keyPolicy(rootStatement(testAccount), allowStatement(userARN("frank"), `"kms:ReEncryptTo"`, ""))
	if _, err := s.kms(root).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(dst), Policy: aws.String(withTo)}); err != nil {
		t.Fatal(err)
	}
	out, err := reEncrypt()
	if err != nil || aws.ToString(out.KeyId) != dstARN || aws.ToString(out.SourceKeyId) != srcARN {
		t.Fatalf("ReEncrypt with both permissions: %+v %v", out, err)
	}
	dec, err := s.kms(root).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
	if err != nil || string(dec.Plaintext) != "move me" || aws.ToString(dec.KeyId) != dstARN {
		t.Fatalf("Decrypt of the re-encrypted blob: %+v %v", dec, err)
	}
}

// UpdateAlias needs kms:UpdateAlias on the alias, on the key it points to
// and, checked by KMS itself, on the new key.
func TestKMSUpdateAliasNeedsNewKey(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	gina := s.kms(s.newUser(t, root, "gina"))
	s.putUserPolicy(t, root, "gina", "alias", identityPolicy(`{"Effect":"Allow","Action":"kms:UpdateAlias","Resource":"*"}`))
	oldID, _ := s.newKey(t, root, "") // delegates to the account: gina's IAM policy counts
	// Not delegated to the account: only a statement naming gina counts.
	rootOnly := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"Account"}}}`
	newID, newARN := s.newKey(t, root, keyPolicy(rootOnly))
	if _, err := s.kms(root).CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(oldID)}); err != nil {
		t.Fatal(err)
	}
	update := func() error {
		return err2(gina.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(newID)}))
	}
	msg := wantCode(t, update(), "AccessDeniedException")
	if !strings.Contains(msg, "kms:UpdateAlias on resource: "+newARN) {
		t.Fatalf("denial %q", msg)
	}
	d, err := s.kms(root).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")})
	if err != nil || aws.ToString(d.KeyMetadata.KeyId) != oldID {
		t.Fatalf("alias moved despite the denial: %+v %v", d, err)
	}
	withGina := keyPolicy(rootOnly, allowStatement(userARN("gina"), `"kms:UpdateAlias"`, ""))
	if _, err := s.kms(root).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(newID), Policy: aws.String(withGina)}); err != nil {
		t.Fatal(err)
	}
	if err := update(); err != nil {
		t.Fatalf("UpdateAlias allowed on both keys: %v", err)
	}
	d, err = s.kms(root).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")})
	if err != nil || aws.ToString(d.KeyMetadata.Arn) != newARN {
		t.Fatalf("alias after UpdateAlias: %+v %v", d, err)
	}
}

func TestKMSDisableKeyRotationStatus(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	id, _ := s.newKey(t, s.root(), "")
	if _, err := c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	st, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if err != nil || !st.KeyRotationEnabled || aws.ToInt32(st.RotationPeriodInDays) != 365 {
		t.Fatalf("status after EnableKeyRotation: %+v %v", st, err)
	}
	if _, err := c.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	st, err = c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if st.KeyRotationEnabled || st.NextRotationDate != nil || st.RotationPeriodInDays != nil {
		t.Fatalf("status after DisableKeyRotation: enabled %v, period %v, next %v", st.KeyRotationEnabled, st.RotationPeriodInDays, st.NextRotationDate)
	}
}

// While a key is pending deletion GetKeyRotationStatus answers false, not
// KMSInvalidStateException, and CancelKeyDeletion restores the original
// status (API reference, GetKeyRotationStatus: "Pending deletion").
func TestKMSRotationStatusPendingDeletion(t *testing.T) {
	s := startCairn(t)
	c := s.kms(s.root())
	id, _ := s.newKey(t, s.root(), "")
	if _, err := c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	st, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if err != nil {
		t.Fatalf("GetKeyRotationStatus on a key pending deletion: %v", err)
	}
	if st.KeyRotationEnabled || st.RotationPeriodInDays != nil || st.NextRotationDate != nil {
		t.Fatalf("pending deletion: enabled %v, period %v, next %v", st.KeyRotationEnabled, st.RotationPeriodInDays, st.NextRotationDate)
	}
	if _, err := c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	st, err = c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if err != nil || !st.KeyRotationEnabled || aws.ToInt32(st.RotationPeriodInDays) != 365 || st.NextRotationDate == nil {
		t.Fatalf("after CancelKeyDeletion: %+v %v", st, err)
	}
}
