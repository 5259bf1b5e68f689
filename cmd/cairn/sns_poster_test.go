package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSNSPosterRefusesLinkLocal(t *testing.T) {
	p := newSNSPoster()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, url := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:80/", "http://0.0.0.0:80/"} {
		if _, err := p.Post(ctx, url, nil, []byte("{}")); !errors.Is(err, errForbiddenEndpoint) {
			t.Errorf("POST %s: %v, want the endpoint refused", url, err)
		}
	}
}
