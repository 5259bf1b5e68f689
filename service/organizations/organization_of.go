package organizations

import "context"

// OrganizationOf returns the organization accountID belongs to and that
// organization's management account; both are "" when it belongs to none.
// CloudTrail uses it for organization trails.
func (s *Service) OrganizationOf(ctx context.Context, accountID string) (orgID, management string, err error) {
	snap, err := s.snapshot(ctx, accountID)
	if err != nil {
		return "", "", err
	}
	return snap.orgID, snap.mgmt, nil
}
