package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Methods other services call: Organizations creates member accounts, STS
// reads roles, resolves session policy ARNs and answers GetAccessKeyInfo.

// adminPolicyARN is the AWS managed AdministratorAccess policy.
const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// CreateMemberAccount creates the record of a new member account (it has
// no root access keys) and in it the role roleName, path "/", which the
// management account's principals may assume (its trust policy allows
// sts:AssumeRole to arn:aws:iam::<managementAccountID>:root) and which has
// the AWS managed AdministratorAccess policy attached, as Organizations'
// CreateAccount does with OrganizationAccountAccessRole. It fails, changing
// nothing, when the account exists already (the error wraps
// cairn.ErrExists) or an argument is malformed.
func (s *Service) CreateMemberAccount(ctx context.Context, accountID, managementAccountID, roleName string) error {
	if !accountIDRe.MatchString(accountID) {
		return fmt.Errorf("create member account: account ID %q is not 12 digits", accountID)
	}
	if !accountIDRe.MatchString(managementAccountID) || managementAccountID == accountID {
		return fmt.Errorf("create member account: management account ID %q is not another 12-digit account", managementAccountID)
	}
	if len(roleName) == 0 || len(roleName) > maxRoleName || !nameRe.MatchString(roleName) {
		return fmt.Errorf("create member account: role name %q is not valid", roleName)
	}
	now := s.cfg.Clock.Now().UTC().Truncate(1e9)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` +
		cairn.RootARN(managementAccountID) + `"},"Action":"sts:AssumeRole"}]}`
	r := &roleRec{
		Name: roleName, ID: cairn.NewAWSID(s.cfg.IDs, cairn.PrefixRole, cairn.IDLength), Path: "/",
		Created: now, Trust: trust, MaxSessionDuration: defaultRoleSession,
		Attached: []string{adminPolicyARN},
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := store.InsertJSON(tx, tblAccounts, accountID, &accountRec{ID: accountID, Created: now}); err != nil {
			if errors.Is(err, cairn.ErrExists) {
				return fmt.Errorf("create member account: account %s: %w", accountID, cairn.ErrExists)
			}
			return fmt.Errorf("create member account: insert account: %w", err)
		}
		if err := store.InsertJSON(tx, tblRoles, entityKey(accountID, r.Name), r); err != nil {
			return fmt.Errorf("create member account: insert role %s: %w", r.Name, err)
		}
		p, err := loadPolicy(tx, accountID, adminPolicyARN)
		if err != nil {
			return fmt.Errorf("create member account: AdministratorAccess: %w", err)
		}
		if p == nil {
			return errors.New("create member account: the AWS managed AdministratorAccess policy is missing")
		}
		p.Attachments++
		return savePolicy(tx, accountID, p)
	})
	return err
}

// AccountExists reports whether the deployment hosts the account: one
// created by Bootstrap or CreateMemberAccount.
func (s *Service) AccountExists(ctx context.Context, accountID string) (bool, error) {
	if !accountIDRe.MatchString(accountID) {
		return false, nil
	}
	err := s.view(ctx, func(tx store.Tx) error {
		_, err := tx.Get(tblAccounts, accountID)
		return err
	})
	switch {
	case err == nil:
		return true, nil
	case isNotFound(err):
		return false, nil
	}
	return false, fmt.Errorf("get account %s: %w", accountID, err)
}

// AccountOfAccessKey returns the account that owns an access key: a
// long-term (AKIA…) key of a user or root user, or a temporary (ASIA…)
// session key, expired or not. An unknown key is cairn.ErrNotFound.
func (s *Service) AccountOfAccessKey(ctx context.Context, accessKeyID string) (string, error) {
	if accessKeyID == "" || len(accessKeyID) > 128 {
		return "", cairn.ErrNotFound
	}
	var account string
	err := s.view(ctx, func(tx store.Tx) error {
		if strings.HasPrefix(accessKeyID, cairn.PrefixTemporaryKey) {
			var sess sessionRec
			if err := store.GetJSON(tx, tblSessions, accessKeyID, &sess); err != nil {
				return err
			}
			account = sess.Principal.AccountID
			return nil
		}
		var k keyRec
		if err := store.GetJSON(tx, tblKeys, accessKeyID, &k); err != nil {
			return err
		}
		account = k.Account
		return nil
	})
	if err != nil {
		if isNotFound(err) {
			return "", cairn.ErrNotFound
		}
		return "", fmt.Errorf("account of access key: %w", err)
	}
	return account, nil
}

// RoleInfo is what STS needs to know about a role to assume it.
type RoleInfo struct {
	ARN                 string
	RoleId              string
	Path                string
	Name                string // as created
	AccountID           string
	TrustPolicy         string // the document as stored: JSON, not URL-encoded
	MaxSessionDuration  int32  // seconds
	Tags                map[string]string
	PermissionsBoundary string // policy ARN; "" when none
}

// Role returns the role name (matched case-insensitively, as IAM names
// are) of account. A missing role, or a name no role can have, is an error
// that is both the *cairn.Error NoSuchEntity ("The role with name X cannot
// be found.", for cairn.AsError) and cairn.ErrNotFound (for errors.Is);
// any other error is a store failure.
func (s *Service) Role(ctx context.Context, accountID, name string) (*RoleInfo, error) {
	missing := func() error { return fmt.Errorf("%w (%w)", noSuchRole(name), cairn.ErrNotFound) }
	if len(name) == 0 || len(name) > maxRoleName || !nameRe.MatchString(name) || !accountIDRe.MatchString(accountID) {
		return nil, missing()
	}
	var r *roleRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		r, err = loadRole(tx, accountID, name)
		return err
	})
	if err != nil {
		if cairn.AsError(err) != nil {
			return nil, missing()
		}
		return nil, err
	}
	info := &RoleInfo{
		ARN: roleARN(accountID, r.Path, r.Name), RoleId: r.ID, Path: r.Path, Name: r.Name, AccountID: accountID,
		TrustPolicy: r.Trust, MaxSessionDuration: r.MaxSessionDuration, PermissionsBoundary: r.Boundary,
	}
	if len(r.Tags) > 0 {
		info.Tags = make(map[string]string, len(r.Tags))
		for _, t := range r.Tags {
			info.Tags[t.Key] = t.Value
		}
	}
	return info, nil
}

// ManagedPolicyDocuments returns the default-version documents of managed
// policies, in the order of arns, as accountID sees them: its own customer
// managed policies and AWS managed ones (STS resolves a session's PolicyArns
// with it). A malformed ARN is the *cairn.Error InvalidInput; a policy that
// does not exist or belongs to another account is NoSuchEntity.
func (s *Service) ManagedPolicyDocuments(ctx context.Context, accountID string, arns []string) ([]string, error) {
	docs := make([]string, 0, len(arns))
	for _, arn := range arns {
		if _, err := parsePolicyARN(arn); err != nil {
			return nil, err
		}
	}
	err := s.view(ctx, func(tx store.Tx) error {
		for _, arn := range arns {
			p, err := loadPolicy(tx, accountID, arn)
			if err != nil {
				return err
			}
			if p == nil {
				return noSuchPolicy(arn)
			}
			docs = append(docs, p.defaultDocument())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}
