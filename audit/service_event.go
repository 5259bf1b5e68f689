package audit

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/store"
)

// ServiceEvent is something an AWS service did on its own in an account,
// not an API call: KMS deleting a key when its waiting period ends,
// rotating key material. CloudTrail records it with eventType
// AwsServiceEvent, a userIdentity of only the account and the service,
// and no request or response.
type ServiceEvent struct {
	Source    string // the service's event source, e.g. kms.amazonaws.com
	Name      string
	Account   string
	Region    string
	Time      time.Time
	EventID   string
	RequestID string
	// AdditionalEventData and Resources are as the service documents them.
	AdditionalEventData map[string]any
	Resources           []Resource
}

// BuildServiceEvent renders e as a CloudTrail record.
func BuildServiceEvent(e *ServiceEvent) (*store.Event, error) {
	source := e.Source
	rec := Record{
		EventVersion: EventVersion, UserIdentity: Identity{AccountID: e.Account, InvokedBy: source},
		EventTime: e.Time.UTC().Format(time.RFC3339), EventSource: source, EventName: e.Name, AWSRegion: e.Region,
		SourceIPAddress: source, UserAgent: source, RequestParameters: nullJSON, ResponseElements: nullJSON,
		AdditionalEventData: e.AdditionalEventData, RequestID: e.RequestID, EventID: e.EventID, Resources: e.Resources,
		EventType: "AwsServiceEvent", ManagementEvent: true, RecipientAccountID: e.Account, EventCategory: "Management",
	}
	body, err := json.Marshal(&rec)
	if err != nil {
		return nil, fmt.Errorf("marshal service event: %w", err)
	}
	var resources []store.EventResource
	for _, r := range e.Resources {
		resources = append(resources, store.EventResource{Type: r.Type, Name: r.ARN})
	}
	return &store.Event{
		Account: e.Account, Region: e.Region, ID: e.EventID, Time: e.Time.UTC().Truncate(time.Second),
		Name: e.Name, Source: source, Management: true, Resources: resources, Record: body,
	}, nil
}
