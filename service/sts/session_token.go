package sts

import (
	"context"
	"fmt"
	"time"

	"github.com/cairnhq/cairn"
)

// GetSessionTokenInput asks for temporary credentials of the caller.
type GetSessionTokenInput struct {
	DurationSeconds *int32
	SerialNumber    *string
	TokenCode       *string
}

// GetSessionTokenOutput carries the credentials.
type GetSessionTokenOutput struct {
	Credentials *Credentials
}

// Duration bounds of GetSessionToken, as STS documents them.
const (
	minSessionSeconds     = 900
	maxSessionSeconds     = 129600
	maxRootSessionSeconds = 3600
	defaultSessionSeconds = 43200
)

// GetSessionToken issues temporary credentials that act as the caller.
func (s *Service) GetSessionToken(ctx context.Context, c *cairn.Call, in *GetSessionTokenInput) (*GetSessionTokenOutput, error) {
	p := c.Principal
	if p.Session != nil {
		return nil, cairn.AccessDenied("Cannot call GetSessionToken with session credentials")
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		return nil, cairn.Errorf(403, "AccessDenied", "MultiFactorAuthentication failed: Cairn does not support MFA devices")
	}
	max := int32(maxSessionSeconds)
	if p.Type == cairn.PrincipalRoot {
		max = maxRootSessionSeconds
	}
	d := int32(defaultSessionSeconds)
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		if d < minSessionSeconds || d > maxSessionSeconds {
			return nil, cairn.Errorf(400, "ValidationError",
				"1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value %s",
				d, boundText(d))
		}
	}
	if d > max {
		d = max // root sessions are capped at one hour, as AWS does
	}
	now := c.Time
	expires := now.Add(time.Duration(d) * time.Second).Truncate(time.Second)
	session := p
	session.AccessKeyID = ""
	session.Session = &cairn.Session{
		Issuer:    cairn.Issuer{Type: p.Type, ID: p.ID, ARN: p.ARN, AccountID: p.AccountID, UserName: p.UserName},
		CreatedAt: now.Truncate(time.Second),
		Expires:   expires,
	}
	ak, secret, token, err := s.cfg.Sessions.IssueSessionCredentials(ctx, session, expires)
	if err != nil {
		return nil, fmt.Errorf("issue session credentials: %w", err)
	}
	return &GetSessionTokenOutput{Credentials: &Credentials{
		AccessKeyId: ak, SecretAccessKey: secret, SessionToken: token, Expiration: expires,
	}}, nil
}

func boundText(d int32) string {
	if d < minSessionSeconds {
		return fmt.Sprintf("greater than or equal to %d", minSessionSeconds)
	}
	return fmt.Sprintf("less than or equal to %d", maxSessionSeconds)
}
