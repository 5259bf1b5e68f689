// Package iam is AWS Identity and Access Management: users, access keys,
// groups, roles, managed and inline policies (AWS managed ones included,
// from the data files of managed/), permissions boundaries, tags and the
// policy simulator, plus the account bootstrap, the credential resolution
// and the policy lookup (PoliciesFor) every request depends on, and the
// account and role lookups Organizations and STS call.
//
// Every operation runs in one store transaction. Each aggregate (a user
// with its inline policies, memberships and key IDs; a group; a role; a
// managed policy with its versions; an access key) is one JSON value in the
// store's KV tables, keyed by account and lower-cased name, because IAM
// names are unique case-insensitively; names are kept and returned as given.
//
// Secrets never rest in plaintext: secret access keys and session tokens are
// sealed with the injected Sealer, bound to their key ID. Decrypted secrets
// live only in the bounded in-memory credential cache behind
// LookupAccessKey.
package iam

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Config is what the service is built from.
type Config struct {
	Store  store.Store
	Sealer cairn.Sealer
	Clock  cairn.Clock
	IDs    cairn.IDs
	// SCPs supplies the service control policies the simulator evaluates;
	// nil means no organizations. It can also be set after New with
	// SetSCPSource, for the Organizations service that is built on IAM.
	SCPs SCPSource
}

// SCPSource resolves the service control policies that bind an account:
// the documents attached at each level from the organization root down to
// the account (levels[0] is the root), the organization ID, and whether the
// account is the organization's management account (which SCPs never
// restrict). An account in no organization has no levels and orgID "".
type SCPSource interface {
	SCPsFor(ctx context.Context, accountID string) (levels [][]string, orgID string, management bool, err error)
}

// Service serves IAM and resolves credentials.
type Service struct {
	cfg      Config
	cache    *credCache
	policies *policyCache
	usage    *usageRecorder
	scps     atomic.Pointer[scpHolder]

	closeOnce sync.Once
}

type scpHolder struct{ src SCPSource }

// New builds the IAM service. It starts one background goroutine that
// writes access-key last-used records; Close stops it.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = cairn.SystemClock{}
	}
	if cfg.IDs == nil {
		cfg.IDs = cairn.RandomIDs{}
	}
	s := &Service{
		cfg:      cfg,
		cache:    newCredCache(defaultCacheSize, defaultCacheTTL),
		policies: newPolicyCache(defaultPolicyCacheSize, defaultCacheTTL),
	}
	s.SetSCPSource(cfg.SCPs)
	s.usage = newUsageRecorder(s)
	return s
}

// SetSCPSource sets (or, with nil, removes) the source of service control
// policies the simulator evaluates. It is safe to call at any time.
func (s *Service) SetSCPSource(src SCPSource) {
	s.scps.Store(&scpHolder{src: src})
}

func (s *Service) scpSource() SCPSource {
	if h := s.scps.Load(); h != nil {
		return h.src
	}
	return nil
}

// Close flushes pending last-used records and stops the background writer.
// Call it before closing the store. It is safe to call more than once.
func (s *Service) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.usage.close() })
	return err
}

// Store tables. Keys are "<account>/<lower-case name>" unless noted.
const (
	tblAccounts   = "iam_accounts"       // <account>
	tblUsers      = "iam_users"          // <account>/<user>
	tblGroups     = "iam_groups"         // <account>/<group>
	tblRoles      = "iam_roles"          // <account>/<role>
	tblPolicies   = "iam_policies"       // <account>/<policy>
	tblKeys       = "iam_access_keys"    // <access key ID>
	tblKeyUsage   = "iam_key_last_used"  // <access key ID>
	tblSessions   = "iam_sessions"       // <ASIA… key ID>
	tblSessionExp = "iam_session_expiry" // <unix seconds, 20 digits>/<key ID>
	// tblAWSPolicyUsage counts an account's attachments and boundary uses
	// of an AWS managed policy: <account>/<lower-case policy name>.
	tblAWSPolicyUsage = "iam_aws_policy_usage"
)

func entityKey(account, name string) string { return account + "/" + lower(name) }

// getJSON loads the value under key into v; it returns cairn.ErrNotFound
// unchanged.
func isNotFound(err error) bool { return errors.Is(err, cairn.ErrNotFound) }

// now is the call's time, truncated to the second as IAM reports dates.
func (s *Service) now(c *cairn.Call) time.Time {
	t := c.Time
	if t.IsZero() {
		t = s.cfg.Clock.Now()
	}
	return t.UTC().Truncate(time.Second)
}

// update runs fn in a read-write transaction. A committed write may change
// what PoliciesFor returns (users, groups, roles, policies, attachments,
// boundaries), so it empties the policy cache; writes known not to
// (access keys, sessions, last-used records) use updateQuiet.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	err := s.cfg.Store.Update(ctx, fn)
	if err == nil {
		s.policies.invalidate()
	}
	return err
}

// updateQuiet is update for writes that no policy evaluation depends on.
func (s *Service) updateQuiet(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.Update(ctx, fn)
}

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
