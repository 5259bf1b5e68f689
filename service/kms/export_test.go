package kms

import "context"

// MaterialForTest unseals every version of a key's material, for the test
// that greps the data folder for it.
func (s *Service) MaterialForTest(ctx context.Context, account, region, id string) ([][]byte, error) {
	e, err := s.loadKey(ctx, account, region, id)
	if err != nil || e == nil {
		return nil, err
	}
	var out [][]byte
	for _, v := range e.rec.Versions {
		m, err := s.cfg.Sealer.Open(v.Sealed, materialAD(e.arn, v.ID))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
