package organizations

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn/store"
)

// MemberAccounts returns the IDs of the accounts in organization orgID,
// its management account included, in ID order; none when it does not
// exist. CloudTrail's organization trails deliver these accounts' events.
func (s *Service) MemberAccounts(ctx context.Context, orgID string) ([]string, error) {
	var ids []string
	err := s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblAccounts, orgID+"/", "", 0, func(key string, v []byte) error {
			var a accountRec
			if err := jsonDecode(v, &a); err != nil {
				return fmt.Errorf("decode account %s: %w", key, err)
			}
			ids = append(ids, a.ID)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("organizations: member accounts of %s: %w", orgID, err)
	}
	return ids, nil
}
