package main

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/iam"
	"github.com/cairnhq/cairn/service/sts"
)

// stsRoles lets STS read roles from IAM, which owns them.
type stsRoles struct{ iam *iam.Service }

func (r stsRoles) Role(ctx context.Context, accountID, name string) (*sts.Role, error) {
	info, err := r.iam.Role(ctx, accountID, name)
	if e := cairn.AsError(err); e != nil && e.Code == "NoSuchEntity" {
		return nil, fmt.Errorf("role %s in %s: %w", name, accountID, cairn.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &sts.Role{
		ARN: info.ARN, ID: info.RoleId, Name: info.Name, Path: info.Path,
		TrustPolicy: info.TrustPolicy, MaxSessionDuration: info.MaxSessionDuration, Tags: info.Tags,
	}, nil
}

func (r stsRoles) ManagedPolicyDocuments(ctx context.Context, accountID string, arns []string) ([]string, error) {
	return r.iam.ManagedPolicyDocuments(ctx, accountID, arns)
}

func (r stsRoles) AccountOfAccessKey(ctx context.Context, accessKeyID string) (string, error) {
	return r.iam.AccountOfAccessKey(ctx, accessKeyID)
}
