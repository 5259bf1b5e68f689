package iam

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// FirstAccount returns the ID of the deployment's first account (the one
// Bootstrap created earliest), or cairn.ErrNotFound on an empty store.
func (s *Service) FirstAccount(ctx context.Context) (string, error) {
	var first accountRec
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tblAccounts, "", "", 0, func(_ string, v []byte) error {
			var a accountRec
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("decode account: %w", err)
			}
			if first.ID == "" || a.Created.Before(first.Created) {
				first = a
			}
			return nil
		})
	})
	if err != nil {
		return "", fmt.Errorf("scan accounts: %w", err)
	}
	if first.ID == "" {
		return "", cairn.ErrNotFound
	}
	return first.ID, nil
}
