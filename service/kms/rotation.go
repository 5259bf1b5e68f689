package kms

import (
	"context"
	"strconv"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const (
	defaultRotationDays = 365
	minRotationDays     = 90
	maxRotationDays     = 2560
	maxOnDemand         = 25
)

// EnableKeyRotation turns on automatic rotation (every 365 days unless
// RotationPeriodInDays says otherwise).
func (s *Service) EnableKeyRotation(ctx context.Context, c *cairn.Call, in *EnableKeyRotationInput) (*Empty, error) {
	days := int32(defaultRotationDays)
	if in.RotationPeriodInDays != nil {
		days = *in.RotationPeriodInDays
		v := strconv.Itoa(int(days))
		switch {
		case days < minRotationDays:
			return nil, validation("rotationPeriodInDays", v, "Member must have value greater than or equal to 90")
		case days > maxRotationDays:
			return nil, validation("rotationPeriodInDays", v, "Member must have value less than or equal to 2560")
		}
	}
	now := s.now(c)
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if err := rotatable(k); err != nil {
			return err
		}
		next := now.Truncate(time.Second).AddDate(0, 0, int(days))
		k.Rotation, k.RotationPeriod, k.NextRotation = true, days, &next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// rotatable refuses keys that are disabled or pending deletion.
func rotatable(k *keyRec) error {
	switch k.State {
	case stateDisabled:
		return disabled(k.arn())
	case statePendingDeletion:
		return pendingDeletion(k.arn())
	}
	return nil
}

// DisableKeyRotation turns off automatic rotation.
func (s *Service) DisableKeyRotation(ctx context.Context, c *cairn.Call, in *DisableKeyRotationInput) (*Empty, error) {
	_, err := s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if err := rotatable(k); err != nil {
			return err
		}
		k.Rotation, k.RotationPeriod, k.NextRotation = false, 0, nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// GetKeyRotationStatus says whether automatic rotation is on, and when the
// next rotation is due. A key pending deletion answers false, as AWS
// documents ("While a KMS key is pending deletion, its key rotation status
// is false"); the stored setting is kept, so CancelKeyDeletion brings the
// original status back.
func (s *Service) GetKeyRotationStatus(ctx context.Context, c *cairn.Call, in *GetKeyRotationStatusInput) (*GetKeyRotationStatusOutput, error) {
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	on := e.rec.Rotation && e.rec.State != statePendingDeletion
	out := &GetKeyRotationStatusOutput{KeyRotationEnabled: on, KeyId: e.arn}
	if on {
		days := e.rec.RotationPeriod
		out.RotationPeriodInDays = &days
		if e.rec.NextRotation != nil {
			t := *e.rec.NextRotation
			out.NextRotationDate = &t
		}
	}
	return out, nil
}

// RotateKeyOnDemand adds new key material now; earlier versions keep
// decrypting what they encrypted.
func (s *Service) RotateKeyOnDemand(ctx context.Context, c *cairn.Call, in *RotateKeyOnDemandInput) (*RotateKeyOnDemandOutput, error) {
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	if err := rotatable(e.rec); err != nil {
		return nil, err
	}
	if e.rec.Manager == managerAWS {
		return nil, unsupported("%s is an AWS managed key: AWS rotates it.", e.arn)
	}
	n := 0
	for _, v := range e.rec.Versions {
		if v.Type == rotationOnDemand {
			n++
		}
	}
	if n >= maxOnDemand {
		return nil, limitExceeded("The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: %s", e.arn)
	}
	if _, err := s.rotate(ctx, e.rec.Account, e.rec.Region, e.rec.ID, rotationOnDemand, s.now(c)); err != nil {
		return nil, err
	}
	done(in)
	return &RotateKeyOnDemandOutput{KeyId: e.rec.ID}, nil
}

// rotate adds a version to a key that is still enabled.
func (s *Service) rotate(ctx context.Context, account, region, id, kind string, now time.Time) (bool, error) {
	arn := KeyARN(region, account, id)
	m, err := s.newMaterial(arn)
	if err != nil {
		return false, err
	}
	m.Created, m.Type = now.UTC().Truncate(time.Millisecond), kind
	rotated := false
	err = s.update(ctx, func(tx store.Tx) error {
		var k keyRec
		if err := store.GetJSON(tx, tblKeys, scopeKey(account, region, id), &k); err != nil {
			return err
		}
		// Disabled or pending deletion since it was read: neither kind of
		// rotation applies to such a key.
		if k.State != stateEnabled {
			return nil
		}
		if kind == rotationAutomatic {
			if !k.Rotation || k.NextRotation == nil || now.Before(*k.NextRotation) {
				return nil
			}
			period := int(k.RotationPeriod)
			if period <= 0 {
				period = defaultRotationDays
			}
			// The next date counts from this rotation: a key enabled again
			// after its date passed is rotated "immediately and every
			// period thereafter" (AWS), not on the old schedule.
			next := now.Truncate(time.Second).AddDate(0, 0, period)
			k.NextRotation = &next
		}
		k.Versions = append(k.Versions, m)
		rotated = true
		if kind == rotationAutomatic {
			if err := s.queueServiceEvent(tx, "RotateKey", &k, now); err != nil {
				return err
			}
		}
		return store.PutJSON(tx, tblKeys, k.key(), &k)
	})
	if err != nil {
		return false, errorf("rotate %s: %w", arn, err)
	}
	return rotated, nil
}

// ListKeyRotations lists a key's rotations, oldest first; with
// IncludeKeyMaterial ALL_KEY_MATERIAL the original material too.
func (s *Service) ListKeyRotations(ctx context.Context, c *cairn.Call, in *ListKeyRotationsInput) (*ListKeyRotationsOutput, error) {
	limit, err := limitOf(in.Limit)
	if err != nil {
		return nil, err
	}
	all := false
	if in.IncludeKeyMaterial != nil {
		switch *in.IncludeKeyMaterial {
		case "ALL_KEY_MATERIAL":
			all = true
		case "ROTATIONS_ONLY":
		default:
			return nil, enumError("includeKeyMaterial", *in.IncludeKeyMaterial, []string{"ALL_KEY_MATERIAL", "ROTATIONS_ONLY"})
		}
	}
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	if err := notPending(e); err != nil {
		return nil, err
	}
	start := 0
	if in.Marker != nil {
		n, err := strconv.Atoi(*in.Marker)
		if err != nil || n < 1 || n > len(e.rec.Versions) {
			return nil, invalidMarker()
		}
		start = n
	}
	out := &ListKeyRotationsOutput{Rotations: []RotationsListEntry{}}
	last := len(e.rec.Versions) - 1
	for i := start; i <= last; i++ {
		v := e.rec.Versions[i]
		if i == 0 && !all {
			continue
		}
		if len(out.Rotations) == limit {
			out.Truncated = true
			m := strconv.Itoa(i)
			out.NextMarker = &m
			break
		}
		state := "NON_CURRENT"
		if i == last {
			state = "CURRENT"
		}
		out.Rotations = append(out.Rotations, RotationsListEntry{
			KeyId: e.rec.ID, KeyMaterialId: v.ID, KeyMaterialState: state,
			ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE", RotationDate: v.Created, RotationType: v.Type,
		})
	}
	return out, nil
}
