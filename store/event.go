package store

import "time"

// Event is one recorded CloudTrail event: the indexed attributes that
// LookupEvents filters on, and the record itself as CloudTrail JSON.
type Event struct {
	Account     string
	Region      string
	Seq         int64 // assigned by AppendEvents
	ID          string
	Time        time.Time
	Name        string
	Source      string
	ReadOnly    bool
	Management  bool
	Username    string
	AccessKeyID string
	// Resources are kept for management events only (they serve lookups);
	// a data event's resources are in its record.
	Resources []EventResource
	Record    []byte // the CloudTrail record, JSON
}

// EventResource is one entry of a record's resources list.
type EventResource struct {
	Type string
	Name string
}

// Lookup attribute keys, as CloudTrail's LookupEvents names them.
const (
	AttrEventID      = "EventId"
	AttrEventName    = "EventName"
	AttrReadOnly     = "ReadOnly"
	AttrUsername     = "Username"
	AttrResourceType = "ResourceType"
	AttrResourceName = "ResourceName"
	AttrEventSource  = "EventSource"
	AttrAccessKeyID  = "AccessKeyId"
)

// EventQuery selects events of one (account, region) stream.
type EventQuery struct {
	Account, Region string
	// Start and End bound Time, inclusive; zero means unbounded.
	Start, End time.Time
	// AttrKey and AttrValue filter on one lookup attribute (AttrKey "" =
	// none). ReadOnly takes "true" or "false". An attribute filter finds
	// management events only, as CloudTrail's LookupEvents does; data
	// events are read in stream order (EventsAfter) and by time.
	AttrKey, AttrValue string
	// ManagementOnly keeps management events only.
	ManagementOnly bool
	// Before keeps events with Seq < Before (0 = from the newest).
	Before int64
	Limit  int
}
