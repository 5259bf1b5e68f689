package iam

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

var _ cairn.Credentials = (*Service)(nil)

// The credential cache: LookupAccessKey runs on every request, so resolved
// credentials (decrypted secret included) are kept in memory, bounded in
// number and age. This process's writes to a key, its user or the user's
// tags invalidate the entries concerned; the age bound limits how long a
// change made by another process sharing the store can go unseen.
const (
	defaultCacheSize = 10000
	defaultCacheTTL  = time.Minute
)

type cacheEntry struct {
	cred   cairn.Credential
	loaded time.Time
}

type credCache struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	// gen counts invalidations. A lookup that read the store while an
	// invalidation happened may hold stale data and must not fill the
	// cache with it.
	gen uint64
	m   map[string]cacheEntry
}

func newCredCache(max int, ttl time.Duration) *credCache {
	return &credCache{max: max, ttl: ttl, m: make(map[string]cacheEntry)}
}

func (c *credCache) get(id string, now time.Time) (cairn.Credential, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if ok && now.Sub(e.loaded) < c.ttl && !now.Before(e.loaded) {
		return e.cred, c.gen, true
	}
	if ok {
		delete(c.m, id)
	}
	return cairn.Credential{}, c.gen, false
}

func (c *credCache) put(id string, cred cairn.Credential, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.m[id]; !ok && len(c.m) >= c.max {
		for k := range c.m { // evict an arbitrary entry
			delete(c.m, k)
			break
		}
	}
	c.m[id] = cacheEntry{cred: cred, loaded: now}
}

func (c *credCache) invalidate(ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, id := range ids {
		delete(c.m, id)
	}
}

func (c *credCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// LookupAccessKey resolves an access key ID to its secret and principal
// (cairn.Credentials). It returns cairn.ErrNotFound for an unknown or
// deleted key. Active is false for an inactive key; temporary keys carry
// their session token and expiry, and are returned after they expire so
// that the caller can answer ExpiredToken.
func (s *Service) LookupAccessKey(accessKeyID string) (*cairn.Credential, error) {
	if accessKeyID == "" || len(accessKeyID) > 128 {
		return nil, cairn.ErrNotFound
	}
	now := s.cfg.Clock.Now()
	cached, gen, ok := s.cache.get(accessKeyID, now)
	if ok {
		return copyCredential(cached), nil
	}
	cred, err := s.loadCredential(context.Background(), accessKeyID)
	if err != nil {
		return nil, err
	}
	s.cache.put(accessKeyID, *cred, gen, now)
	return copyCredential(*cred), nil
}

// copyCredential returns a copy whose Tags map and Session the caller may
// not alias into the cache.
func copyCredential(c cairn.Credential) *cairn.Credential {
	if c.Principal.Tags != nil {
		tags := make(map[string]string, len(c.Principal.Tags))
		for k, v := range c.Principal.Tags {
			tags[k] = v
		}
		c.Principal.Tags = tags
	}
	if c.Principal.Session != nil {
		sess := *c.Principal.Session
		sess.Policies = append([]string(nil), sess.Policies...)
		sess.PolicyARNs = append([]string(nil), sess.PolicyARNs...)
		c.Principal.Session = &sess
	}
	return &c
}

func (s *Service) loadCredential(ctx context.Context, id string) (*cairn.Credential, error) {
	var cred *cairn.Credential
	err := s.view(ctx, func(tx store.Tx) error {
		if strings.HasPrefix(id, cairn.PrefixTemporaryKey) {
			var sess sessionRec
			if err := store.GetJSON(tx, tblSessions, id, &sess); err != nil {
				return err
			}
			secret, err := s.cfg.Sealer.Open(sess.Secret, []byte(id))
			if err != nil {
				return fmt.Errorf("open session secret %s: %w", id, err)
			}
			token, err := s.cfg.Sealer.Open(sess.Token, tokenAD(id))
			if err != nil {
				return fmt.Errorf("open session token %s: %w", id, err)
			}
			cred = &cairn.Credential{
				AccessKeyID: id, Secret: string(secret), SessionToken: string(token),
				Active: true, Expires: sess.Expires, Principal: sess.Principal,
			}
			return nil
		}
		var k keyRec
		if err := store.GetJSON(tx, tblKeys, id, &k); err != nil {
			return err
		}
		secret, err := s.cfg.Sealer.Open(k.Secret, []byte(id))
		if err != nil {
			return fmt.Errorf("open secret of %s: %w", id, err)
		}
		p := RootPrincipal(k.Account)
		if k.User != "" {
			u, err := loadUser(tx, k.Account, k.User)
			if err != nil {
				if cairn.AsError(err) != nil {
					return cairn.ErrNotFound // the owner is gone: so is the key
				}
				return err
			}
			p = userPrincipal(k.Account, u)
		}
		cred = &cairn.Credential{AccessKeyID: id, Secret: string(secret), Active: k.Status == statusActive, Principal: p}
		return nil
	})
	if err != nil {
		if isNotFound(err) {
			return nil, cairn.ErrNotFound
		}
		return nil, fmt.Errorf("lookup access key: %w", err)
	}
	return cred, nil
}

func userPrincipal(account string, u *userRec) cairn.Principal {
	p := cairn.Principal{
		Type: cairn.PrincipalIAMUser, AccountID: account, ARN: userARN(account, u.Path, u.Name),
		ID: u.ID, UserName: u.Name,
	}
	if len(u.Tags) > 0 {
		p.Tags = make(map[string]string, len(u.Tags))
		for _, t := range u.Tags {
			p.Tags[t.Key] = t.Value
		}
	}
	return p
}

// tokenAD is the additional data a session token is sealed with: bound to
// its key and distinct from the secret's, so neither ciphertext can stand
// in for the other.
func tokenAD(id string) []byte { return []byte(id + "/session-token") }

// sessionTokenBytes is the entropy of a session token (its base64 form is
// 172 characters).
const sessionTokenBytes = 128

// expiredSessionGrace is how long an expired session key is kept so that
// its use is still answered ExpiredToken rather than as an unknown key.
const expiredSessionGrace = 24 * time.Hour

// purgeBatch bounds the expired sessions one IssueSessionCredentials call
// removes.
const purgeBatch = 50

// IssueSessionCredentials stores a temporary (ASIA…) access key that acts
// as p (the session's principal, Session set) until expires, and returns
// its ID, secret and session token. Secret and token are sealed at rest;
// LookupAccessKey returns the token in plaintext so that the server can
// compare it in constant time with the request's X-Amz-Security-Token.
// Sessions expired for more than a day are purged along the way.
func (s *Service) IssueSessionCredentials(ctx context.Context, p cairn.Principal, expires time.Time) (accessKeyID, secret, token string, err error) {
	if p.AccountID == "" {
		return "", "", "", errors.New("issue session credentials: principal has no account")
	}
	id := cairn.NewAWSID(s.cfg.IDs, cairn.PrefixTemporaryKey, cairn.AccessKeyIDLength)
	secret = cairn.NewSecretAccessKey(s.cfg.IDs)
	token = base64.StdEncoding.EncodeToString(s.cfg.IDs.Token(sessionTokenBytes))
	sealedSecret, err := s.cfg.Sealer.Seal([]byte(secret), []byte(id))
	if err != nil {
		return "", "", "", fmt.Errorf("seal session secret: %w", err)
	}
	sealedToken, err := s.cfg.Sealer.Seal([]byte(token), tokenAD(id))
	if err != nil {
		return "", "", "", fmt.Errorf("seal session token: %w", err)
	}
	now := s.cfg.Clock.Now().UTC()
	p.AccessKeyID = ""
	rec := &sessionRec{ID: id, Principal: p, Secret: sealedSecret, Token: sealedToken, Created: now, Expires: expires.UTC()}
	var purged []string
	err = s.updateQuiet(ctx, func(tx store.Tx) error {
		var err error
		if purged, err = purgeSessions(tx, now.Add(-expiredSessionGrace), purgeBatch); err != nil {
			return err
		}
		if err := store.InsertJSON(tx, tblSessions, id, rec); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return tx.Put(tblSessionExp, expiryKey(rec.Expires, id), []byte{})
	})
	s.cache.invalidate(purged...)
	if err != nil {
		return "", "", "", err
	}
	return id, secret, token, nil
}

// expiryKey orders sessions by expiry: zero-padded Unix seconds, then the
// key ID.
func expiryKey(t time.Time, id string) string {
	return fmt.Sprintf("%020d/%s", t.Unix(), id)
}

// purgeSessions deletes up to limit sessions that expired before cutoff.
func purgeSessions(tx store.Tx, cutoff time.Time, limit int) ([]string, error) {
	var keys []string
	end := fmt.Sprintf("%020d/", cutoff.Unix())
	err := tx.Scan(tblSessionExp, "", "", limit, func(key string, _ []byte) error {
		if key >= end {
			return store.ErrStop
		}
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan session expiry: %w", err)
	}
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		id := k[strings.IndexByte(k, '/')+1:]
		if err := tx.Delete(tblSessionExp, k); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("delete session expiry: %w", err)
		}
		if err := tx.Delete(tblSessions, id); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("delete session: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
