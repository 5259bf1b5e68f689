package cloudtrail

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// DefaultRetention is how long event history is kept, as in AWS.
const DefaultRetention = 90 * 24 * time.Hour

// LookupEventsInput is the LookupEvents request.
type LookupEventsInput struct {
	LookupAttributes []LookupAttribute
	StartTime        *time.Time
	EndTime          *time.Time
	EventCategory    *string
	MaxResults       *int32
	NextToken        *string
}

// LookupAttribute is one filter.
type LookupAttribute struct {
	AttributeKey   string
	AttributeValue string
}

// LookupEventsOutput is one page of events, newest first.
type LookupEventsOutput struct {
	Events    []Event
	NextToken *string
}

// Event is an event as LookupEvents returns it. ReadOnly is a string, as
// in the API.
type Event struct {
	EventId         string
	EventName       string
	ReadOnly        string
	AccessKeyId     string
	EventTime       time.Time
	EventSource     string
	Username        string
	Resources       []Resource
	CloudTrailEvent string
}

// Resource is a resource of an event.
type Resource struct {
	ResourceType string
	ResourceName string
}

var attributeKeys = map[string]bool{
	store.AttrEventID: true, store.AttrEventName: true, store.AttrReadOnly: true, store.AttrUsername: true,
	store.AttrResourceType: true, store.AttrResourceName: true, store.AttrEventSource: true, store.AttrAccessKeyID: true,
}

// LookupEvents returns management events of the caller's account and the
// region of the request, newest first, from the last 90 days.
func (s *Service) LookupEvents(ctx context.Context, c *cairn.Call, in *LookupEventsInput) (*LookupEventsOutput, error) {
	q := store.EventQuery{Account: c.Account(), Region: c.Region, ManagementOnly: true, Limit: 50}
	if len(in.LookupAttributes) > 1 {
		return nil, invalidAttributes("You can only specify one lookup attribute.")
	}
	for _, a := range in.LookupAttributes {
		if !attributeKeys[a.AttributeKey] {
			return nil, cairn.Errorf(400, "InvalidLookupAttributesException",
				"1 validation error detected: Value '%s' at 'lookupAttributes.1.member.attributeKey' failed to satisfy constraint: Member must satisfy enum value set: [EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId]", a.AttributeKey)
		}
		if n := utf8.RuneCountInString(a.AttributeValue); n < 1 || n > 2000 {
			return nil, invalidAttributes("Attribute value length must be between 1 and 2000 characters.")
		}
		if a.AttributeKey == store.AttrReadOnly && a.AttributeValue != "true" && a.AttributeValue != "false" {
			return nil, invalidAttributes("ReadOnly lookup attribute value must be true or false.")
		}
		q.AttrKey, q.AttrValue = a.AttributeKey, a.AttributeValue
	}
	if in.EventCategory != nil && *in.EventCategory != "insight" {
		return nil, cairn.Errorf(400, "InvalidEventCategoryException",
			"1 validation error detected: Value '%s' at 'eventCategory' failed to satisfy constraint: Member must satisfy enum value set: [insight]", *in.EventCategory)
	}
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 50 {
			return nil, cairn.Errorf(400, "InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
		}
		q.Limit = int(*in.MaxResults)
	}
	now := c.Time
	oldest := now.Add(-s.cfg.Retention)
	q.Start, q.End = oldest, now
	if in.StartTime != nil && in.StartTime.After(oldest) {
		q.Start = *in.StartTime
	}
	if in.EndTime != nil {
		q.End = *in.EndTime
	}
	if in.StartTime != nil && in.EndTime != nil && in.StartTime.After(*in.EndTime) {
		return nil, cairn.Errorf(400, "InvalidTimeRangeException", "Start time must be before end time.")
	}
	fingerprint := queryFingerprint(c, in)
	if in.NextToken != nil {
		before, err := parseToken(*in.NextToken, fingerprint)
		if err != nil {
			return nil, cairn.Errorf(400, "InvalidNextTokenException", "Invalid NextToken. Reuse the token with the same parameters it was returned with.")
		}
		q.Before = before
	}
	out := &LookupEventsOutput{Events: []Event{}}
	if in.EventCategory != nil || q.Start.After(q.End) {
		return out, nil // Cairn records no Insights events
	}
	// Ask for one more than a page to know whether another page exists.
	limit := q.Limit
	q.Limit++
	events, err := s.cfg.Store.LookupEvents(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("lookup events: %w", err)
	}
	if len(events) > limit {
		events = events[:limit]
		tok := makeToken(events[len(events)-1].Seq, fingerprint)
		out.NextToken = &tok
	}
	for _, e := range events {
		out.Events = append(out.Events, toEvent(e))
	}
	return out, nil
}

func invalidAttributes(msg string) *cairn.Error {
	return cairn.Errorf(400, "InvalidLookupAttributesException", "%s", msg)
}

func toEvent(e *store.Event) Event {
	ev := Event{
		EventId: e.ID, EventName: e.Name, ReadOnly: strconv.FormatBool(e.ReadOnly), AccessKeyId: e.AccessKeyID,
		EventTime: e.Time, EventSource: e.Source, Username: e.Username, Resources: []Resource{},
		CloudTrailEvent: string(e.Record),
	}
	for _, r := range e.Resources {
		ev.Resources = append(ev.Resources, Resource{ResourceType: r.Type, ResourceName: r.Name})
	}
	return ev
}

// queryFingerprint binds a NextToken to the parameters it was issued for,
// as CloudTrail requires the token to be reused with identical parameters.
func queryFingerprint(c *cairn.Call, in *LookupEventsInput) []byte {
	b, _ := json.Marshal([]any{c.Account(), c.Region, in.LookupAttributes, in.StartTime, in.EndTime, in.EventCategory})
	sum := sha256.Sum256(b)
	return sum[:8]
}

func makeToken(before int64, fingerprint []byte) string {
	buf := make([]byte, 0, 16)
	buf = binary.BigEndian.AppendUint64(buf, uint64(before))
	buf = append(buf, fingerprint...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

func parseToken(tok string, fingerprint []byte) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 16 || string(raw[8:]) != string(fingerprint) {
		return 0, fmt.Errorf("invalid token")
	}
	before := int64(binary.BigEndian.Uint64(raw[:8]))
	if before <= 0 {
		return 0, fmt.Errorf("invalid token")
	}
	return before, nil
}
