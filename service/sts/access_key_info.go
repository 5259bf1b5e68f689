package sts

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
)

// GetAccessKeyInfoInput names an access key.
type GetAccessKeyInfoInput struct {
	AccessKeyId string
}

// GetAccessKeyInfoOutput names the account that owns it.
type GetAccessKeyInfoOutput struct {
	Account string
}

// GetAccessKeyInfo returns the account that owns an access key.
func (s *Service) GetAccessKeyInfo(ctx context.Context, _ *cairn.Call, in *GetAccessKeyInfoInput) (*GetAccessKeyInfoOutput, error) {
	if l := len(in.AccessKeyId); l < 16 || l > 128 {
		return nil, validation("accessKeyId", in.AccessKeyId, "Member must have length between 16 and 128")
	}
	acct, err := s.cfg.Roles.AccountOfAccessKey(ctx, in.AccessKeyId)
	if errors.Is(err, cairn.ErrNotFound) {
		return nil, cairn.Errorf(400, "InvalidParameterValue", "The access key ID %s is not known to this deployment.", in.AccessKeyId)
	}
	if err != nil {
		return nil, fmt.Errorf("account of access key: %w", err)
	}
	return &GetAccessKeyInfoOutput{Account: acct}, nil
}
