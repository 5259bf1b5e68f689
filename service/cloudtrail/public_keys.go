package cloudtrail

import (
	"context"
	"time"

	"github.com/cairnhq/cairn"
)

// ListPublicKeysInput is ListPublicKeys' request.
type ListPublicKeysInput struct {
	StartTime *time.Time
	EndTime   *time.Time
	NextToken *string
}

// PublicKey is one digest signing key: PKCS#1 DER (base64 on the wire),
// its validity and fingerprint.
type PublicKey struct {
	Value             []byte
	ValidityStartTime time.Time
	ValidityEndTime   time.Time
	Fingerprint       string
}

// ListPublicKeysOutput is ListPublicKeys' response.
type ListPublicKeysOutput struct {
	PublicKeyList []PublicKey
	NextToken     *string
}

// ListPublicKeys returns the called region's digest signing keys valid at
// any time in [StartTime, EndTime] (each defaults to now). It never
// returns an empty list for a window that reaches now: the region's
// current key is made on first use.
func (s *Service) ListPublicKeys(ctx context.Context, c *cairn.Call, in *ListPublicKeysInput) (*ListPublicKeysOutput, error) {
	now := s.now(c)
	start, end := now, now
	if in.StartTime != nil {
		start = *in.StartTime
	}
	if in.EndTime != nil {
		end = *in.EndTime
	}
	if in.StartTime != nil && in.EndTime == nil && start.After(end) {
		end = start
	}
	if start.After(end) {
		return nil, ctErr("InvalidTimeRangeException", "Start time must be before end time.")
	}
	if in.NextToken != nil && *in.NextToken != "" {
		return nil, ctErr("InvalidTokenException", "Invalid token.")
	}
	keys, err := s.publicKeys(ctx, c.Region, start, end, now)
	if err != nil {
		return nil, err
	}
	out := &ListPublicKeysOutput{PublicKeyList: []PublicKey{}}
	for _, k := range keys {
		out.PublicKeyList = append(out.PublicKeyList, PublicKey{
			Value: k.Public, ValidityStartTime: k.Start, ValidityEndTime: k.End, Fingerprint: k.Fingerprint,
		})
	}
	return out, nil
}
