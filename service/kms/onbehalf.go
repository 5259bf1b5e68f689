package kms

import (
	"context"
	"errors"
	"slices"

	"github.com/cairnhq/cairn"
)

// Calls that AWS services make to KMS on a caller's behalf: S3 asks for a
// data key when it stores an SSE-KMS object and for its plaintext when it
// reads one. AWS authorizes such a call as the original caller, with
// kms:ViaService naming the service's regional endpoint and aws:CalledVia
// the service, and records it in CloudTrail with the caller's identity
// marked invokedBy the service, whose name also stands in the event's
// sourceIPAddress and userAgent.

// GenerateDataKeyFor generates a 256-bit data key under keyID for a call
// that viaService (a service principal, s3.amazonaws.com) makes on behalf
// of caller, in region: the region of the resource the service serves (an
// S3 bucket's), which is where that service calls KMS whatever region the
// caller signed for. keyID is a key ID, key ARN, alias name or alias ARN,
// resolved in region (a key ARN of another region is not found); an AWS
// managed alias (alias/aws/s3) gets its key there on first use. The call
// is authorized as the caller (kms:GenerateDataKey with kms:ViaService =
// s3.<region>.amazonaws.com, aws:CalledVia, the encryption context's
// condition keys) and recorded in region before it returns. Errors are
// *cairn.Error with KMS's codes (AccessDenied, NotFoundException,
// DisabledException, KMSInvalidStateException, …) or internal failures.
func (s *Service) GenerateDataKeyFor(ctx context.Context, caller *cairn.Call, region, keyID string, encryptionContext map[string]string, viaService string) (plaintext, ciphertextBlob []byte, keyARN string, err error) {
	spec := "AES_256"
	in := &GenerateDataKeyInput{KeyId: keyID, EncryptionContext: encryptionContext, KeySpec: &spec}
	out, err := s.invokeFor(ctx, caller, region, "GenerateDataKey", in, viaService)
	if err != nil {
		return nil, nil, "", err
	}
	o := out.(*GenerateDataKeyOutput)
	return o.Plaintext, o.CiphertextBlob, o.KeyId, nil
}

// DecryptFor decrypts a ciphertext blob (a data key GenerateDataKeyFor
// made) for a call that viaService makes on behalf of caller in region,
// authorized and recorded as GenerateDataKeyFor is. keyID may be "" (the
// ciphertext names its key); when given it must name that key.
func (s *Service) DecryptFor(ctx context.Context, caller *cairn.Call, region, keyID string, ciphertextBlob []byte, encryptionContext map[string]string, viaService string) (plaintext []byte, keyARN string, err error) {
	in := &DecryptInput{CiphertextBlob: ciphertextBlob, EncryptionContext: encryptionContext}
	if keyID != "" {
		in.KeyId = &keyID
	}
	out, err := s.invokeFor(ctx, caller, region, "Decrypt", in, viaService)
	if err != nil {
		return nil, "", err
	}
	o := out.(*DecryptOutput)
	return o.Plaintext, o.KeyId, nil
}

// behalfCall is the KMS call a service makes for caller in region: the
// caller's identity and transport, its own request ID and time, the
// service appended to aws:CalledVia, and no source IP or user agent of the
// caller (the service is the one calling; the event shows its name there).
// The region is the service's, not the one the caller signed for: key
// resolution, kms:ViaService and the event's awsRegion all follow it.
func (s *Service) behalfCall(caller *cairn.Call, region, op, via string) *cairn.Call {
	if region == "" {
		region = caller.Region
	}
	return &cairn.Call{
		RequestID: s.cfg.IDs.UUID(), Time: s.cfg.Clock.Now().UTC(), Region: region,
		Service: "kms", Operation: op, Principal: caller.Principal,
		SecureTransport: caller.SecureTransport, Host: "kms." + region + ".amazonaws.com",
		CalledVia: append(slices.Clone(caller.CalledVia), via),
	}
}

// invokeFor authorizes, runs and records one operation for a call made on
// a caller's behalf. The event is durable before the result is returned;
// if it cannot be recorded, the result is dropped (fail closed).
func (s *Service) invokeFor(ctx context.Context, caller *cairn.Call, region, name string, in any, via string) (any, error) {
	if caller == nil {
		return nil, errorf("%s on behalf of nobody", name)
	}
	c := s.behalfCall(caller, region, name, via)
	op := s.desc.Op(name)
	var out any
	var err error
	if s.cfg.Authorizer != nil {
		err = s.cfg.Authorizer.Authorize(ctx, c, op, in)
	}
	if err == nil {
		out, err = op.Invoke(ctx, c, in)
	}
	ce := cairn.AsError(err)
	if err != nil && ce == nil {
		ce = cairn.InternalFailure()
	}
	if s.cfg.Recorder != nil {
		ev := &Event{Call: c, Service: s.desc, Op: op, Input: in, Output: out, Err: ce, InvokedBy: via}
		if rerr := s.cfg.Recorder.RecordEvent(ctx, ev); rerr != nil {
			return nil, errorf("record %s on behalf of %s: %w", name, caller.Principal.ARN, rerr)
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Errors of CheckKey; the wiring maps them to the CloudTrail errors.
var (
	// ErrKeyNotFound: the key does not exist in the bucket's region.
	ErrKeyNotFound = errors.New("kms: key not found in the region")
	// ErrKeyPolicy: the key policy does not let CloudTrail use the key.
	ErrKeyPolicy = errors.New("kms: key policy does not allow CloudTrail to encrypt")
	// ErrKeyUnusable: the key is disabled or pending deletion.
	ErrKeyUnusable = errors.New("kms: key is disabled or pending deletion")
)

// CloudTrailPrincipal is the service principal trails deliver as.
const CloudTrailPrincipal = "cloudtrail.amazonaws.com"

// CheckKey answers CloudTrail's question before it accepts a trail that
// encrypts its log files: it resolves keyID (key ID, key ARN, alias name or
// alias ARN, names relative to account) in bucketRegion and checks, with
// the same Authorizer as every call, that cloudtrail.amazonaws.com may
// kms:GenerateDataKey with kms:EncryptionContext:aws:cloudtrail:arn =
// trailARN (aws:SourceArn = trailARN, aws:SourceAccount = account) and
// kms:DescribeKey. It returns the key ARN, or an error wrapping
// ErrKeyNotFound, ErrKeyPolicy or ErrKeyUnusable; any other error is an
// internal failure.
func (s *Service) CheckKey(ctx context.Context, keyID, bucketRegion, trailARN, account string) (string, error) {
	c := &cairn.Call{
		RequestID: s.cfg.IDs.UUID(), Time: s.cfg.Clock.Now().UTC(), Region: bucketRegion, Service: "kms",
		Principal: cairn.Principal{Type: cairn.PrincipalAWSService, Service: CloudTrailPrincipal, AccountID: account},
		SourceARN: trailARN, SourceAccount: account,
	}
	e, _, err := s.resolve(ctx, c, "keyId", keyID, resolveOpts{})
	if err != nil {
		if cairn.AsError(err) != nil {
			return "", errors.Join(ErrKeyNotFound, err)
		}
		return "", err
	}
	if e.rec.State != stateEnabled {
		return e.arn, errors.Join(ErrKeyUnusable, usable(e))
	}
	if s.cfg.Authorizer == nil {
		return e.arn, nil
	}
	spec := "AES_256"
	checks := []struct {
		name string
		in   any
	}{
		{"GenerateDataKey", &GenerateDataKeyInput{KeyId: e.arn, KeySpec: &spec,
			EncryptionContext: map[string]string{"aws:cloudtrail:arn": trailARN}}},
		{"DescribeKey", &DescribeKeyInput{KeyId: e.arn}},
	}
	for _, ck := range checks {
		cc := *c
		cc.Operation = ck.name
		err := s.cfg.Authorizer.Authorize(ctx, &cc, s.desc.Op(ck.name), ck.in)
		if ce := cairn.AsError(err); ce != nil && (ce.Code == "AccessDenied" || ce.Code == "AccessDeniedException") {
			return e.arn, errors.Join(ErrKeyPolicy, err)
		}
		if err != nil {
			return e.arn, errorf("check key %s for %s: %w", e.arn, ck.name, err)
		}
	}
	return e.arn, nil
}
