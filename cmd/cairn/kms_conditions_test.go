package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// KMS condition keys, each in a policy that allows (or denies) exactly when
// the condition holds, with calls on both sides of it. The operators and
// the semantics are those of AWS's "AWS KMS condition keys" page.

func userARN(name string) string { return "arn:aws:iam::" + testAccount + ":user/" + name }

// allowStatement is a key policy statement allowing principal the actions
// under condition (a JSON object, "" for none).
func allowStatement(principal, actions, condition string) string {
	st := `{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":` + actions + `,"Resource":"*"`
	if condition != "" {
		st += `,"Condition":` + condition
	}
	return st + "}"
}

// identityPolicy is an IAM policy of the given statements.
func identityPolicy(statements ...string) string { return keyPolicy(statements...) }

func TestKMSConditionEncryptionContextKeys(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	bob := s.kms(s.newUser(t, root, "bob"))
	// ForAnyValue: at least one key of the context is AppName (case
	// sensitive with StringEquals); a request without a context fails.
	anyID, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `["kms:Encrypt","kms:Decrypt"]`, `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"AppName"}}`)))
	ok := map[string]string{"AppName": "Helper", "Project": "Alpha"}
	enc, err := bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(anyID), Plaintext: []byte("x"), EncryptionContext: ok})
	if err != nil {
		t.Fatalf("ForAnyValue with AppName in the context: %v", err)
	}
	if _, err := bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ok}); err != nil {
		t.Fatalf("Decrypt with AppName in the context: %v", err)
	}
	for _, bad := range []map[string]string{{"Project": "Alpha"}, {"appname": "Helper"}, nil} {
		wantCode(t, err2(bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(anyID), Plaintext: []byte("x"), EncryptionContext: bad})), "AccessDeniedException")
	}

	// ForAllValues: every key of the context is AppName or Project; no
	// context at all satisfies it too.
	allID, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:Encrypt"`, `{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["AppName","Project"]}}`)))
	for _, good := range []map[string]string{ok, {"AppName": "Helper"}, nil} {
		if _, err := bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(allID), Plaintext: []byte("x"), EncryptionContext: good}); err != nil {
			t.Fatalf("ForAllValues with context %v: %v", good, err)
		}
	}
	wantCode(t, err2(bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(allID), Plaintext: []byte("x"),
		EncryptionContext: map[string]string{"AppName": "Helper", "Stage": "Restricted"}})), "AccessDeniedException")
}

// kms:GrantIsForAWSResource is true only when an AWS service integrated
// with KMS creates the grant on the caller's behalf; a direct CreateGrant
// carries false. (No Cairn service creates grants, so only the direct side
// can be called.)
func TestKMSConditionGrantIsForAWSResource(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	bob := s.kms(s.newUser(t, root, "bob"))
	s.newUser(t, root, "carol")
	grant := func(keyID string) error {
		return err2(bob.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(keyID), GranteePrincipal: aws.String(userARN("carol")),
			Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationEncrypt}}))
	}
	// AWS's example: grants only for integrated services, never directly.
	serviceOnly, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, `{"Bool":{"kms:GrantIsForAWSResource":"true"}}`)))
	wantCode(t, grant(serviceOnly), "AccessDeniedException")
	direct, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, `{"Bool":{"kms:GrantIsForAWSResource":"false"}}`)))
	if err := grant(direct); err != nil {
		t.Fatalf("direct CreateGrant allowed when the grant is not for an AWS resource: %v", err)
	}
	// A deny of direct grants overrides an unconditional allow.
	denied, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, ""),
		`{"Effect":"Deny","Principal":{"AWS":"`+userARN("bob")+`"},"Action":"kms:CreateGrant","Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"false"}}}`))
	wantCode(t, grant(denied), "AccessDeniedException")
}

func TestKMSConditionGrantOperations(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	bob := s.kms(s.newUser(t, root, "bob"))
	s.newUser(t, root, "carol")
	grant := func(keyID string, ops ...kmstypes.GrantOperation) error {
		return err2(bob.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(keyID), GranteePrincipal: aws.String(userARN("carol")), Operations: ops}))
	}
	// ForAllValues: the grant's operations are limited to these.
	allID, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, `{"ForAllValues:StringEquals":{"kms:GrantOperations":["Encrypt","ReEncryptTo"]}}`)))
	if err := grant(allID, kmstypes.GrantOperationEncrypt); err != nil {
		t.Fatalf("ForAllValues, Encrypt: %v", err)
	}
	if err := grant(allID, kmstypes.GrantOperationEncrypt, kmstypes.GrantOperationReEncryptTo); err != nil {
		t.Fatalf("ForAllValues, Encrypt and ReEncryptTo: %v", err)
	}
	wantCode(t, grant(allID, kmstypes.GrantOperationEncrypt, kmstypes.GrantOperationDecrypt), "AccessDeniedException")

	// ForAnyValue: at least one of them, others permitted.
	anyID, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, `{"ForAnyValue:StringEquals":{"kms:GrantOperations":["Encrypt","ReEncryptTo"]}}`)))
	if err := grant(anyID, kmstypes.GrantOperationEncrypt, kmstypes.GrantOperationDecrypt); err != nil {
		t.Fatalf("ForAnyValue, Encrypt and Decrypt: %v", err)
	}
	wantCode(t, grant(anyID, kmstypes.GrantOperationDecrypt, kmstypes.GrantOperationReEncryptFrom), "AccessDeniedException")
}

// kms:KeySpec is the request's KeySpec for CreateKey (its default when the
// request has none) and the key's KeySpec for operations on a key.
func TestKMSConditionKeySpec(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	dana := s.kms(s.newUser(t, root, "dana"))
	s.putUserPolicy(t, root, "dana", "spec", identityPolicy(
		`{"Effect":"Allow","Action":["kms:CreateKey","kms:Encrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:KeySpec":"SYMMETRIC_DEFAULT"}}}`,
		`{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*","Condition":{"StringEquals":{"kms:KeySpec":"HMAC_256"}}}`))
	created, err := dana.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("CreateKey with the default KeySpec: %v", err)
	}
	if _, err := dana.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecSymmetricDefault}); err != nil {
		t.Fatalf("CreateKey with KeySpec SYMMETRIC_DEFAULT: %v", err)
	}
	wantCode(t, err2(dana.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecRsa2048})), "AccessDeniedException")
	id := created.KeyMetadata.KeyId
	if _, err := dana.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("x")}); err != nil {
		t.Fatalf("Encrypt with a SYMMETRIC_DEFAULT key: %v", err)
	}
	wantCode(t, err2(dana.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})), "AccessDeniedException")
}

// kms:KeyUsage, like kms:KeySpec, is the request's for CreateKey and the
// key's for operations on a key.
func TestKMSConditionKeyUsage(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	dana := s.kms(s.newUser(t, root, "dana"))
	s.putUserPolicy(t, root, "dana", "usage", identityPolicy(
		`{"Effect":"Allow","Action":["kms:CreateKey","kms:Encrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:KeyUsage":"ENCRYPT_DECRYPT"}}}`,
		`{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*","Condition":{"StringEquals":{"kms:KeyUsage":"SIGN_VERIFY"}}}`))
	created, err := dana.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("CreateKey with the default KeyUsage: %v", err)
	}
	wantCode(t, err2(dana.CreateKey(ctx, &kms.CreateKeyInput{KeyUsage: kmstypes.KeyUsageTypeSignVerify, KeySpec: kmstypes.KeySpecEccNistP256})), "AccessDeniedException")
	id := created.KeyMetadata.KeyId
	if _, err := dana.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("x")}); err != nil {
		t.Fatalf("Encrypt with an ENCRYPT_DECRYPT key: %v", err)
	}
	wantCode(t, err2(dana.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})), "AccessDeniedException")
}

// kms:RequestAlias holds when the request's KeyId is the alias name or an
// alias ARN with that name, not when it names the same key otherwise.
func TestKMSConditionRequestAlias(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	bob := s.kms(s.newUser(t, root, "bob"))
	id, arn := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `["kms:Encrypt","kms:DescribeKey"]`, `{"StringEquals":{"kms:RequestAlias":"alias/finance"}}`)))
	for _, name := range []string{"alias/finance", "alias/other"} {
		if _, err := s.kms(root).CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: aws.String(id)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, ref := range []string{"alias/finance", "arn:aws:kms:us-east-1:" + testAccount + ":alias/finance"} {
		if _, err := bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(ref), Plaintext: []byte("x")}); err != nil {
			t.Fatalf("Encrypt with %s: %v", ref, err)
		}
	}
	if _, err := bob.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/finance")}); err != nil {
		t.Fatalf("DescribeKey with the alias: %v", err)
	}
	for _, ref := range []string{id, arn, "alias/other"} {
		wantCode(t, err2(bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(ref), Plaintext: []byte("x")})), "AccessDeniedException")
	}
}

// kms:ResourceAliases (IAM policies only) is the set of the key's aliases,
// however the request names the key; changing an alias changes access.
func TestKMSConditionResourceAliases(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	erin := s.kms(s.newUser(t, root, "erin"))
	s.putUserPolicy(t, root, "erin", "aliases", identityPolicy(
		`{"Effect":"Allow","Action":"kms:Encrypt","Resource":"arn:aws:kms:*:`+testAccount+`:key/*","Condition":{"ForAnyValue:StringEquals":{"kms:ResourceAliases":"alias/finance"}}}`,
		`{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"arn:aws:kms:*:`+testAccount+`:key/*","Condition":{"ForAllValues:StringLike":{"kms:ResourceAliases":"alias/*finance*"}}}`))
	c := s.kms(root)
	finance, _ := s.newKey(t, root, "")
	other, _ := s.newKey(t, root, "")
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/finance"), TargetKeyId: aws.String(finance)}); err != nil {
		t.Fatal(err)
	}
	encrypt := func(id string) error {
		return err2(erin.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")}))
	}
	describe := func(id string) error {
		return err2(erin.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)}))
	}
	// ForAnyValue: the key has the alias, named here by its ID.
	if err := encrypt(finance); err != nil {
		t.Fatalf("Encrypt with a key that has alias/finance: %v", err)
	}
	wantCode(t, encrypt(other), "AccessDeniedException") // no alias at all
	// ForAllValues: every alias matches; a key without aliases matches too.
	if err := describe(finance); err != nil {
		t.Fatalf("DescribeKey, all aliases match: %v", err)
	}
	if err := describe(other); err != nil {
		t.Fatalf("DescribeKey, no aliases: %v", err)
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/payroll"), TargetKeyId: aws.String(finance)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, describe(finance), "AccessDeniedException")
	if err := encrypt(finance); err != nil {
		t.Fatalf("ForAnyValue with a second alias: %v", err)
	}
	// Moving the alias moves the access.
	if _, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/finance"), TargetKeyId: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	if err := encrypt(other); err != nil {
		t.Fatalf("Encrypt after alias/finance moved to the key: %v", err)
	}
	wantCode(t, encrypt(finance), "AccessDeniedException")
}

// kms:GrantIsForAWSResource is also in ListGrants and RevokeGrant requests
// (AWS lists CreateGrant, ListGrants and RevokeGrant), false for a direct
// call: a policy allowing them only for AWS resources refuses bob, one
// allowing them only directly lets him through.
func TestKMSConditionGrantIsForAWSResourceListRevoke(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	bob := s.kms(s.newUser(t, root, "bob"))
	s.newUser(t, root, "carol")
	owner := s.kms(root)
	for _, tc := range []struct {
		value string
		want  string // "" for allowed
	}{{"true", "AccessDeniedException"}, {"false", ""}} {
		id, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
			allowStatement(userARN("bob"), `["kms:ListGrants","kms:RevokeGrant"]`, `{"Bool":{"kms:GrantIsForAWSResource":"`+tc.value+`"}}`)))
		g, err := owner.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(id), GranteePrincipal: aws.String(userARN("carol")),
			Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationEncrypt}})
		if err != nil {
			t.Fatal(err)
		}
		listErr := err2(bob.ListGrants(ctx, &kms.ListGrantsInput{KeyId: aws.String(id)}))
		revokeErr := err2(bob.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(id), GrantId: g.GrantId}))
		if tc.want != "" {
			wantCode(t, listErr, tc.want)
			wantCode(t, revokeErr, tc.want)
			continue
		}
		if listErr != nil || revokeErr != nil {
			t.Fatalf("GrantIsForAWSResource=%s, direct call: ListGrants %v, RevokeGrant %v", tc.value, listErr, revokeErr)
		}
	}
}

// In a CreateGrant request kms:EncryptionContext:<key> and
// kms:EncryptionContextKeys are the pairs of the grant's constraint,
// EncryptionContextEquals or EncryptionContextSubset (AWS lists CreateGrant
// for both keys); a grant without a constraint has no encryption context.
func TestKMSConditionEncryptionContextCreateGrant(t *testing.T) {
	s := startCairn(t)
	root := s.root()
	bob := s.kms(s.newUser(t, root, "bob"))
	s.newUser(t, root, "carol")
	grant := func(keyID string, gc *kmstypes.GrantConstraints) error {
		return err2(bob.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(keyID), GranteePrincipal: aws.String(userARN("carol")),
			Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationDecrypt}, Constraints: gc}))
	}
	equals := func(ec map[string]string) *kmstypes.GrantConstraints {
		return &kmstypes.GrantConstraints{EncryptionContextEquals: ec}
	}
	subset := func(ec map[string]string) *kmstypes.GrantConstraints {
		return &kmstypes.GrantConstraints{EncryptionContextSubset: ec}
	}
	pairID, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, `{"StringEquals":{"kms:EncryptionContext:AppName":"ExampleApp"}}`)))
	keysID, _ := s.newKey(t, root, keyPolicy(rootStatement(testAccount),
		allowStatement(userARN("bob"), `"kms:CreateGrant"`, `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"AppName"}}`)))
	for _, tc := range []struct {
		key  string
		gc   *kmstypes.GrantConstraints
		want string // "" for allowed
	}{
		{pairID, equals(map[string]string{"AppName": "ExampleApp"}), ""},
		{pairID, subset(map[string]string{"AppName": "ExampleApp", "Project": "Alpha"}), ""},
		{pairID, subset(map[string]string{"AppName": "Other"}), "AccessDeniedException"},
		{pairID, nil, "AccessDeniedException"},
		{keysID, subset(map[string]string{"AppName": "Helper"}), ""},
		{keysID, equals(map[string]string{"AppName": "Helper", "Project": "Alpha"}), ""},
		{keysID, equals(map[string]string{"Project": "Alpha"}), "AccessDeniedException"},
		{keysID, nil, "AccessDeniedException"},
	} {
		err := grant(tc.key, tc.gc)
		if tc.want != "" {
			wantCode(t, err, tc.want)
		} else if err != nil {
			t.Fatalf("CreateGrant with constraints %+v: %v", tc.gc, err)
		}
	}
}
