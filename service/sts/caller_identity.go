package sts

import (
	"context"

	"github.com/cairnhq/cairn"
)

// GetCallerIdentityInput has no members.
type GetCallerIdentityInput struct{}

// GetCallerIdentityOutput names the caller.
type GetCallerIdentityOutput struct {
	UserId  string
	Account string
	Arn     string
}

// GetCallerIdentity returns the identity whose credentials signed the call;
// AWS never denies it.
func (s *Service) GetCallerIdentity(_ context.Context, c *cairn.Call, _ *GetCallerIdentityInput) (*GetCallerIdentityOutput, error) {
	p := c.Principal
	return &GetCallerIdentityOutput{UserId: p.ID, Account: p.AccountID, Arn: p.ARN}, nil
}
