package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	kmsapi "github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/kms"
	"github.com/cairnhq/cairn/store"
)

// kmsRecorder records the calls KMS serves on a caller's behalf (SSE-KMS
// data keys for S3) the way the funnel records its own: the same record
// builder, the same group-committing recorder, a copy in the key owner's
// account for a cross-account call that succeeded.
type kmsRecorder struct {
	recorder *audit.Recorder
	ids      cairn.IDs
}

// RecordServiceEvent records what KMS did on its own (kms.ServiceEventRecorder).
func (r kmsRecorder) RecordServiceEvent(ctx context.Context, name, account, region, keyARN string, at time.Time) error {
	ev, err := audit.BuildServiceEvent(&audit.ServiceEvent{
		Source: "kms.amazonaws.com", Name: name, Account: account, Region: region, Time: at,
		EventID: cairn.NewEventID(r.ids, at), RequestID: r.ids.UUID(),
		AdditionalEventData: map[string]any{"keyId": keyARN},
		Resources:           []audit.Resource{{ARN: keyARN, AccountID: account, Type: "AWS::KMS::Key"}},
	})
	if err != nil {
		return fmt.Errorf("build %s event: %w", name, err)
	}
	return r.recorder.Record(ctx, ev)
}

func (r kmsRecorder) RecordEvent(ctx context.Context, e *kms.Event) error {
	entry := &audit.Entry{
		Call: e.Call, Service: e.Service, Op: e.Op, OpName: e.Op.Name,
		Input: e.Input, Output: e.Output, Err: e.Err,
		EventID: cairn.NewEventID(r.ids, e.Call.Time), Region: e.Call.Region, InvokedBy: e.InvokedBy,
	}
	entries := []*audit.Entry{entry}
	if e.Err == nil && e.Op.Recipients != nil {
		for _, acct := range e.Op.Recipients(e.Call, e.Input) {
			if acct == "" || acct == e.Call.Principal.AccountID {
				continue
			}
			if entry.SharedEventID == "" {
				entry.SharedEventID = r.ids.UUID()
			}
			cp := *entry
			cp.EventID, cp.Recipient = r.ids.UUID(), acct
			entries = append(entries, &cp)
		}
	}
	events := make([]*store.Event, 0, len(entries))
	for _, en := range entries {
		ev, err := audit.Build(en)
		if err != nil {
			return fmt.Errorf("build %s event: %w", en.OpName, err)
		}
		events = append(events, ev)
	}
	// Inside a call to Cairn (S3 serving an SSE-KMS object), the events go
	// out with that call's own, in its commit, before its response.
	if d := audit.DeferredFrom(ctx); d != nil {
		d.Add(events...)
		return nil
	}
	return r.recorder.Record(ctx, events...)
}

// kmsKeys answers CloudTrail's key check (cloudtrail.Destinations.CheckKey)
// with KMS, mapping KMS's errors to the ones CloudTrail turns into its
// exceptions. The trail wiring composes it with S3's bucket check.
type kmsKeys struct{ svc *kms.Service }

func (k kmsKeys) CheckKey(ctx context.Context, keyID, bucketRegion, trailARN, account string) (string, error) {
	arn, err := k.svc.CheckKey(ctx, keyID, bucketRegion, trailARN, account)
	switch {
	case errors.Is(err, kms.ErrKeyNotFound):
		return arn, fmt.Errorf("%w: %w", cloudtrail.ErrKeyNotFound, err)
	case errors.Is(err, kms.ErrKeyPolicy):
		return arn, fmt.Errorf("%w: %w", cloudtrail.ErrKeyPolicy, err)
	case errors.Is(err, kms.ErrKeyUnusable):
		return arn, fmt.Errorf("%w: %w", cloudtrail.ErrKeyUnusable, err)
	}
	return arn, err
}

// kmsRoundTrip is `cairn bench --op kms:EncryptDecrypt`: it creates a key,
// then each call encrypts a fresh 1 KiB plaintext with an encryption
// context and decrypts it, checking the round trip, and reports the
// Decrypt's request ID.
func kmsRoundTrip(cfg aws.Config, endpoint *string) (callFunc, error) {
	c := kmsapi.NewFromConfig(cfg, func(o *kmsapi.Options) { o.BaseEndpoint = endpoint })
	key, err := c.CreateKey(context.Background(), &kmsapi.CreateKeyInput{Description: aws.String("cairn bench")})
	if err != nil {
		return nil, fmt.Errorf("create the bench key: %w", err)
	}
	if key.KeyMetadata == nil {
		return nil, errors.New("create the bench key: the endpoint returned no key")
	}
	keyID := key.KeyMetadata.KeyId
	ec := map[string]string{"purpose": "cairn-bench"}
	return func(ctx context.Context) (string, error) {
		plaintext := make([]byte, 1024)
		if _, err := rand.Read(plaintext); err != nil {
			return "", err
		}
		enc, err := c.Encrypt(ctx, &kmsapi.EncryptInput{KeyId: keyID, Plaintext: plaintext, EncryptionContext: ec})
		if err != nil {
			return "", err
		}
		dec, err := c.Decrypt(ctx, &kmsapi.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
		if err != nil {
			return "", err
		}
		if !bytes.Equal(dec.Plaintext, plaintext) {
			return "", errors.New("decrypt returned another plaintext")
		}
		return requestID(dec.ResultMetadata), nil
	}, nil
}
