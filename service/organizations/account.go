package organizations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// DefaultRoleName is the role CreateAccount makes in the new account when
// the request names none.
const DefaultRoleName = "OrganizationAccountAccessRole"

// CreateAccountInput describes the account to create. Email and
// AccountName are sensitive in the model and are never recorded in events.
type CreateAccountInput struct {
	Email                  string
	AccountName            string
	RoleName               *string
	IamUserAccessToBilling *string
	Tags                   []Tag
}

// CreateAccountOutput returns the request's status.
type CreateAccountOutput struct {
	CreateAccountStatus *CreateAccountStatus
}

// CreateAccount creates a member account, synchronously: the returned
// status is final (SUCCEEDED, or FAILED with a FailureReason), though it
// keeps AWS's asynchronous shape. The new account gets, through IAM, the
// role RoleName trusting the management account, with AdministratorAccess;
// it joins at the root, with FullAWSAccess attached when SCPs are enabled.
func (s *Service) CreateAccount(ctx context.Context, c *cairn.Call, in *CreateAccountInput) (*CreateAccountOutput, error) {
	if err := validCreateAccount(in); err != nil {
		return nil, err
	}
	if s.cfg.Accounts == nil {
		return nil, errors.New("organizations: CreateAccount: no Accounts configured")
	}
	roleName := DefaultRoleName
	if in.RoleName != nil {
		roleName = *in.RoleName
	}
	mgmt := c.Account()
	now := s.now(c)
	email := strings.ToLower(in.Email)

	// First transaction: record the request, reserve the account ID and
	// the email, or fail the request on a taken email as AWS does.
	var (
		o   *orgRec
		req *statusRec
	)
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = managedOrg(tx, mgmt); err != nil {
			return err
		}
		req = &statusRec{AccountName: in.AccountName, State: stateInProgress, Requested: now}
		for {
			req.ID = s.newRequestID()
			if _, err := tx.Get(tblStatus, orgKey(o.ID, req.ID)); isNotFound(err) {
				break
			} else if err != nil {
				return fmt.Errorf("get create account status: %w", err)
			}
		}
		switch _, err := tx.Get(tblEmails, email); {
		case err == nil:
			req.State, req.Completed, req.FailureReason = stateFailed, now, failEmailExists
			return store.InsertJSON(tx, tblStatus, orgKey(o.ID, req.ID), req)
		case !isNotFound(err):
			return fmt.Errorf("get email: %w", err)
		}
		for {
			req.AccountID = s.newAccountID()
			err := store.InsertJSON(tx, tblMembers, req.AccountID, &memberRec{Org: o.ID})
			if err == nil {
				break
			}
			if !errors.Is(err, cairn.ErrExists) {
				return fmt.Errorf("insert membership: %w", err)
			}
		}
		if err := tx.Put(tblEmails, email, []byte(req.AccountID)); err != nil {
			return fmt.Errorf("put email: %w", err)
		}
		return store.InsertJSON(tx, tblStatus, orgKey(o.ID, req.ID), req)
	})
	if err != nil {
		return nil, err
	}
	if req.State == stateFailed {
		return &CreateAccountOutput{CreateAccountStatus: req.shape()}, nil
	}

	// IAM creates the account and its role in its own transaction.
	created := s.cfg.Accounts.CreateMemberAccount(ctx, req.AccountID, mgmt, roleName)
	if created != nil {
		s.cfg.Log.Error("organizations: create member account", "account", req.AccountID, "request", req.ID, "error", created)
	}

	// Second transaction: the account joins, or the reservation is undone
	// and the request fails.
	err = s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = memberOrg(tx, mgmt); err != nil {
			return err
		}
		req.Completed = now
		if created != nil {
			req.State, req.FailureReason = stateFailed, failInternal
			if err := tx.Delete(tblMembers, req.AccountID); err != nil && !isNotFound(err) {
				return fmt.Errorf("delete membership: %w", err)
			}
			if err := tx.Delete(tblEmails, email); err != nil && !isNotFound(err) {
				return fmt.Errorf("delete email: %w", err)
			}
			failed := *req
			failed.AccountID = ""
			return store.PutJSON(tx, tblStatus, orgKey(o.ID, req.ID), &failed)
		}
		a := &accountRec{
			ID: req.AccountID, Name: in.AccountName, Email: in.Email, Joined: req.Completed,
			Method: joinedCreated, Tags: cloneTags(in.Tags),
		}
		if o.SCPEnabled {
			full, err := loadPolicy(tx, o, fullAccessID)
			if err != nil {
				return err
			}
			attach(full, &target{id: a.ID, policies: &a.Policies})
			if err := savePolicy(tx, o, full); err != nil {
				return err
			}
		}
		if err := store.InsertJSON(tx, tblAccounts, orgKey(o.ID, a.ID), a); err != nil {
			return fmt.Errorf("insert account: %w", err)
		}
		req.State = stateSucceeded
		return store.PutJSON(tx, tblStatus, orgKey(o.ID, req.ID), req)
	})
	if err != nil {
		return nil, err
	}
	if created != nil {
		req.AccountID = ""
	}
	return &CreateAccountOutput{CreateAccountStatus: req.shape()}, nil
}

// DescribeCreateAccountStatusInput names a CreateAccount request.
type DescribeCreateAccountStatusInput struct {
	CreateAccountRequestId string
}

// DescribeCreateAccountStatusOutput returns its status.
type DescribeCreateAccountStatusOutput struct {
	CreateAccountStatus *CreateAccountStatus
}

// DescribeCreateAccountStatus returns the status of a CreateAccount
// request.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, c *cairn.Call, in *DescribeCreateAccountStatusInput) (*DescribeCreateAccountStatusOutput, error) {
	if err := pattern(in.CreateAccountRequestId, requestIDRe); err != nil {
		return nil, err
	}
	var r statusRec
	err := s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		if err := store.GetJSON(tx, tblStatus, orgKey(o.ID, in.CreateAccountRequestId), &r); err != nil {
			if isNotFound(err) {
				return orgError(codeCreateStatusNotFound, msgCreateStatusNotFound)
			}
			return fmt.Errorf("get create account status: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DescribeCreateAccountStatusOutput{CreateAccountStatus: r.shape()}, nil
}

// ListAccountsInput pages the organization's accounts.
type ListAccountsInput struct {
	NextToken  *string
	MaxResults *int32
}

// ListAccountsOutput is one page of accounts, ordered by account ID.
type ListAccountsOutput struct {
	Accounts  []Account
	NextToken *string
}

// ListAccounts lists every account of the organization, the management
// account included.
func (s *Service) ListAccounts(ctx context.Context, c *cairn.Call, in *ListAccountsInput) (*ListAccountsOutput, error) {
	limit, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &ListAccountsOutput{Accounts: []Account{}}
	err = s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		accounts, next, err := scanPage(tx, tblAccounts, o.ID+"/", in.NextToken, limit, func(key string, v []byte) (Account, error) {
			var a accountRec
			if err := jsonDecode(v, &a); err != nil {
				return Account{}, fmt.Errorf("decode account %s: %w", key, err)
			}
			return a.shape(o), nil
		})
		if err != nil {
			return err
		}
		out.Accounts = append(out.Accounts, accounts...)
		out.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DescribeAccountInput names an account.
type DescribeAccountInput struct {
	AccountId string
}

// DescribeAccountOutput describes it.
type DescribeAccountOutput struct {
	Account *Account
}

// DescribeAccount describes an account of the organization.
func (s *Service) DescribeAccount(ctx context.Context, c *cairn.Call, in *DescribeAccountInput) (*DescribeAccountOutput, error) {
	if err := pattern(in.AccountId, accountIDRe); err != nil {
		return nil, err
	}
	var out Account
	err := s.view(ctx, func(tx store.Tx) error {
		o, err := managedOrg(tx, c.Account())
		if err != nil {
			return err
		}
		a, err := loadAccount(tx, o, in.AccountId)
		if err != nil {
			return err
		}
		if a == nil {
			return orgError(codeAccountNotFound, msgAccountNotFound)
		}
		out = a.shape(o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DescribeAccountOutput{Account: &out}, nil
}
