package iam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

var accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)

// Bootstrap creates the account record and the root user's access key. It
// is idempotent: calling it again with the same key and secret changes
// nothing. It fails when the key ID belongs to another identity, when the
// key exists with a different secret, or when the root user already has two
// other keys.
func (s *Service) Bootstrap(ctx context.Context, accountID, rootAccessKeyID, rootSecret string) error {
	if !accountIDRe.MatchString(accountID) {
		return fmt.Errorf("bootstrap: account ID %q is not 12 digits", accountID)
	}
	if !accessKeyIDRe.MatchString(rootAccessKeyID) {
		return fmt.Errorf("bootstrap: access key ID %q is not 16 to 128 letters and digits", rootAccessKeyID)
	}
	if rootSecret == "" {
		return errors.New("bootstrap: empty root secret")
	}
	now := s.cfg.Clock.Now().UTC().Truncate(1e9)
	err := s.updateQuiet(ctx, func(tx store.Tx) error {
		var a accountRec
		if err := store.GetJSON(tx, tblAccounts, accountID, &a); err != nil {
			if !isNotFound(err) {
				return fmt.Errorf("get account: %w", err)
			}
			a = accountRec{ID: accountID, Created: now}
		}
		if a.Created.IsZero() {
			a.Created = now
		}
		var k keyRec
		switch err := store.GetJSON(tx, tblKeys, rootAccessKeyID, &k); {
		case err == nil:
			if k.Account != accountID || k.User != "" {
				return fmt.Errorf("bootstrap: access key %s belongs to another identity", rootAccessKeyID)
			}
			secret, err := s.cfg.Sealer.Open(k.Secret, []byte(k.ID))
			if err != nil {
				return fmt.Errorf("bootstrap: open stored root secret: %w", err)
			}
			if !bytes.Equal(secret, []byte(rootSecret)) {
				return fmt.Errorf("bootstrap: access key %s exists with a different secret", rootAccessKeyID)
			}
			if !containsString(a.RootKeys, k.ID) {
				a.RootKeys = append(a.RootKeys, k.ID)
			}
			return store.PutJSON(tx, tblAccounts, accountID, &a)
		case !isNotFound(err):
			return fmt.Errorf("get access key: %w", err)
		}
		if len(a.RootKeys) >= maxKeysPerUser {
			return fmt.Errorf("bootstrap: the root user of %s already has %d access keys", accountID, len(a.RootKeys))
		}
		sealed, err := s.cfg.Sealer.Seal([]byte(rootSecret), []byte(rootAccessKeyID))
		if err != nil {
			return fmt.Errorf("bootstrap: seal root secret: %w", err)
		}
		k = keyRec{ID: rootAccessKeyID, Account: accountID, Status: statusActive, Created: now, Secret: sealed}
		if err := store.InsertJSON(tx, tblKeys, k.ID, &k); err != nil {
			return fmt.Errorf("bootstrap: insert root key: %w", err)
		}
		a.RootKeys = append(a.RootKeys, k.ID)
		return store.PutJSON(tx, tblAccounts, accountID, &a)
	})
	s.cache.invalidate(rootAccessKeyID)
	return err
}

// RootPrincipal is the principal of an account's root user.
func RootPrincipal(accountID string) cairn.Principal {
	return cairn.Principal{Type: cairn.PrincipalRoot, AccountID: accountID, ARN: cairn.RootARN(accountID), ID: accountID}
}
