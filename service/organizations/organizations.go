// Package organizations is AWS Organizations for Cairn: one organization
// per management account, its root, the accounts it creates, and service
// control policies (SCPs) attached to the root or to accounts.
//
// Every operation runs in one store transaction, except CreateAccount,
// which records the request, asks IAM (through the Accounts seam) to
// create the member account and its access role, and records the outcome
// in a second transaction, so that the store is never written inside
// another service's transaction.
//
// The authorizer reads SCPs on every request through SCPsFor (or
// SCPPolicies, its parsed form), which is served from an in-memory
// snapshot per account; every write of this service invalidates all
// snapshots after it commits, and a lookup that read the store before an
// invalidation never fills the cache with what it read. Writes made by
// another process sharing the store are not seen until this process writes
// or restarts.
package organizations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Accounts creates member accounts; the IAM service implements it.
//
// CreateMemberAccount creates the account record of accountID and, in it,
// the role roleName trusting arn:aws:iam::<managementAccountID>:root with
// the AWS managed policy AdministratorAccess attached. It fails when the
// account already exists.
type Accounts interface {
	CreateMemberAccount(ctx context.Context, accountID, managementAccountID, roleName string) error
}

// Config is what the service is built from.
type Config struct {
	Store    store.Store
	Accounts Accounts
	Clock    cairn.Clock
	IDs      cairn.IDs
	// Log receives failures that callers see only as a FAILED
	// CreateAccountStatus; nil discards them.
	Log *slog.Logger
}

// Service serves AWS Organizations and answers the authorizer's SCP and
// organization lookups.
type Service struct {
	cfg   Config
	cache *memberCache
}

// New builds the Organizations service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if cfg.IDs == nil {
		cfg.IDs = cairn.RandomIDs{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, cache: newMemberCache(defaultCacheSize)}
}

// Store tables. Every value is one JSON record.
const (
	tblOrgs     = "org_organizations"  // <org ID> → orgRec
	tblMembers  = "org_members"        // <account ID> → memberRec (which organization)
	tblAccounts = "org_accounts"       // <org ID>/<account ID> → accountRec
	tblPolicies = "org_policies"       // <org ID>/<policy ID> → policyRec
	tblStatus   = "org_create_status"  // <org ID>/<car-…> → statusRec
	tblEmails   = "org_account_emails" // <lower-case email> → account ID
)

func orgKey(org, id string) string { return org + "/" + id }

// getJSON loads the value under key into v; it returns cairn.ErrNotFound
// unchanged.
func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

// update runs fn in a write transaction and then drops every cached
// snapshot, whether or not fn committed: a snapshot filled by a lookup
// that started before the invalidation is refused (see memberCache).
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	defer s.cache.invalidate()
	return s.cfg.Store.Update(ctx, fn)
}

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

// now is the call's time (Organizations reports milliseconds).
func (s *Service) now(c *cairn.Call) time.Time {
	t := c.Time
	if t.IsZero() {
		t = s.cfg.Clock.Now()
	}
	return t.UTC().Truncate(time.Millisecond)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// scanAll decodes every record of table under prefix. Callers write only
// after it returns: no statement runs while the scan's rows are open.
func scanAll[T any](tx store.Tx, table, prefix string) ([]T, error) {
	var out []T
	err := tx.Scan(table, prefix, "", 0, func(key string, value []byte) error {
		var v T
		if err := json.Unmarshal(value, &v); err != nil {
			return fmt.Errorf("decode %s %s: %w", table, key, err)
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", table, err)
	}
	return out, nil
}

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }
