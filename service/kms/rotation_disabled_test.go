package kms_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/service/kms"
)

// AWS does not rotate a disabled key; once the key is enabled again after
// its rotation date passed, KMS rotates it immediately and every period
// from then ("Disabled KMS keys", How automatic key rotation works).
func TestDisabledKeyIsNotRotated(t *testing.T) {
	e := newEnv(t)
	root := rootOf(acct)
	key := e.createKey("")
	must[kms.Empty](e, root, "EnableKeyRotation", &kms.EnableKeyRotationInput{KeyId: key.KeyId, RotationPeriodInDays: ptr(int32(90))})
	must[kms.Empty](e, root, "DisableKey", &kms.DisableKeyInput{KeyId: key.KeyId})

	e.clock.Advance(91 * 24 * time.Hour)
	res, err := e.svc.Sweep(context.Background())
	if err != nil || len(res.Rotated) != 0 {
		t.Fatalf("sweep rotated a disabled key: %+v %v", res, err)
	}
	if len(e.events.service) != 0 {
		t.Fatalf("service events for a disabled key: %v", e.events.service)
	}
	// Disabling the key leaves its rotation status as it was.
	st := must[kms.GetKeyRotationStatusOutput](e, root, "GetKeyRotationStatus", &kms.GetKeyRotationStatusInput{KeyId: key.KeyId})
	if !st.KeyRotationEnabled {
		t.Fatalf("rotation status of the disabled key %+v", st)
	}

	// Enabled again past its date: rotated by the next sweep.
	must[kms.Empty](e, root, "EnableKey", &kms.EnableKeyInput{KeyId: key.KeyId})
	enabledAt := e.clock.Now()
	res, err = e.svc.Sweep(context.Background())
	if err != nil || len(res.Rotated) != 1 || res.Rotated[0] != key.Arn {
		t.Fatalf("sweep after EnableKey: %+v %v", res, err)
	}
	if got := strings.Join(e.events.service, ","); got != "RotateKey "+key.Arn {
		t.Fatalf("service events %q", got)
	}
	rots := must[kms.ListKeyRotationsOutput](e, root, "ListKeyRotations", &kms.ListKeyRotationsInput{KeyId: key.KeyId})
	if len(rots.Rotations) != 1 || rots.Rotations[0].RotationType != "AUTOMATIC" {
		t.Fatalf("rotations %+v", rots.Rotations)
	}
	// Every period from that rotation, not on the schedule it missed.
	st = must[kms.GetKeyRotationStatusOutput](e, root, "GetKeyRotationStatus", &kms.GetKeyRotationStatusInput{KeyId: key.KeyId})
	if want := enabledAt.Truncate(time.Second).AddDate(0, 0, 90); st.NextRotationDate == nil || !st.NextRotationDate.Equal(want) {
		t.Fatalf("next rotation %v, want %v", st.NextRotationDate, want)
	}
	e.clock.Advance(89 * 24 * time.Hour)
	if res, _ := e.svc.Sweep(context.Background()); len(res.Rotated) != 0 {
		t.Fatalf("rotated before its new date: %+v", res)
	}
	e.clock.Advance(24 * time.Hour)
	if res, err := e.svc.Sweep(context.Background()); err != nil || len(res.Rotated) != 1 {
		t.Fatalf("not rotated on its new date: %+v %v", res, err)
	}
}
