// Package cloudtrail is the CloudTrail control plane: event history
// (LookupEvents) now; trails, delivery and digests build on it.
package cloudtrail

import (
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Config is what the service is built from.
type Config struct {
	Store store.Store
	Clock cairn.Clock
	// Retention is how long LookupEvents returns events (90 days).
	Retention time.Duration
}

// Service serves CloudTrail.
type Service struct {
	cfg Config
}

// New builds the CloudTrail service.
func New(cfg Config) *Service {
	if cfg.Retention == 0 {
		cfg.Retention = DefaultRetention
	}
	return &Service{cfg: cfg}
}

// Descriptor is CloudTrail's operation table.
func (s *Service) Descriptor() *cairn.Service {
	return &cairn.Service{
		Name:        "cloudtrail",
		EventSource: "cloudtrail.amazonaws.com",
		APIVersion:  "",
		Operations: []cairn.Operation{
			cairn.Define(cairn.Operation{
				Name: "LookupEvents", Action: "cloudtrail:LookupEvents", ReadOnly: true,
				Request: []string{"LookupAttributes", "StartTime", "EndTime", "MaxResults", "EventCategory"},
			}, s.LookupEvents),
		},
	}
}
