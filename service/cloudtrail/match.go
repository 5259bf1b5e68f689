package cloudtrail

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// EventAttributes is what a trail's scope and selectors look at in an
// event record.
type EventAttributes struct {
	Account string // recipientAccountId: the account the event is recorded in
	// OrganizationID is the organization Account belongs to ("" when none).
	// The delivery engine fills it in; organization trails match on it.
	OrganizationID string
	Region         string // awsRegion
	Source         string // eventSource
	Name           string // eventName
	ReadOnly       bool
	Category       string // eventCategory: Management, Data, Insight, …
	Resources      []EventResource
}

// EventResource is one entry of an event's resources.
type EventResource struct {
	Type string // AWS::S3::Object
	ARN  string // arn:aws:s3:::bucket/key
}

// globalSources are the services whose events CloudTrail records in
// us-east-1 as global service events (IAM, STS, Organizations, sign-in,
// CloudFront).
var globalSources = map[string]bool{
	"iam.amazonaws.com": true, "sts.amazonaws.com": true, "organizations.amazonaws.com": true,
	"signin.amazonaws.com": true, "cloudfront.amazonaws.com": true,
}

// IsGlobalEventSource reports whether events of source are global service
// events.
func IsGlobalEventSource(source string) bool { return globalSources[source] }

// Matches reports whether the trail logs the event: the event is in the
// trail's account (or, for an organization trail, in an account of its
// organization); it happened in a region the trail covers (its home
// region, or any for a multi-region trail); it is not a global service
// event unless the trail includes them; and one of the trail's selectors
// selects it.
//
// Global service events are recorded in us-east-1 (since November 2021),
// so only trails that cover us-east-1 — homed there, or multi-region —
// and include global service events receive them; a single-region trail
// elsewhere never does.
//
// Matches does not look at the logging state: which events were recorded
// while the trail was logging is the delivery engine's to decide. Insights
// events are never matched here.
func (t *Trail) Matches(e EventAttributes) bool {
	if e.Account != t.Account && !(t.IsOrganizationTrail && t.OrganizationID != "" && e.OrganizationID == t.OrganizationID) {
		return false
	}
	if e.Region != t.HomeRegion && !t.IsMultiRegionTrail {
		return false
	}
	if IsGlobalEventSource(e.Source) && !t.IncludeGlobalServiceEvents {
		return false
	}
	if e.Category != CategoryManagement && e.Category != CategoryData {
		return false
	}
	if len(t.AdvancedEventSelectors) > 0 {
		for i := range t.AdvancedEventSelectors {
			if advancedMatches(&t.AdvancedEventSelectors[i], &e) {
				return true
			}
		}
		return false
	}
	sels := t.EventSelectors
	if len(sels) == 0 {
		sels = defaultSelectors()
	}
	for i := range sels {
		if basicMatches(&sels[i], &e) {
			return true
		}
	}
	return false
}

func readWriteMatches(rw string, readOnly bool) bool {
	switch rw {
	case ReadWriteReadOnly:
		return readOnly
	case ReadWriteWriteOnly:
		return !readOnly
	}
	return true // All, or unset
}

// basicMatches: a management event when the selector includes management
// events of its read/write type and does not exclude its source; a data
// event when one of the selector's data resources names one of the
// event's resources (S3 objects by bucket/prefix, functions and tables
// exactly, or all of a type).
func basicMatches(sel *EventSelector, e *EventAttributes) bool {
	if !readWriteMatches(sel.ReadWriteType, e.ReadOnly) {
		return false
	}
	switch e.Category {
	case CategoryManagement:
		return boolOr(sel.IncludeManagementEvents, true) && !contains(sel.ExcludeManagementEventSources, e.Source)
	case CategoryData:
		for _, dr := range sel.DataResources {
			for _, r := range e.Resources {
				if r.Type != dr.Type {
					continue
				}
				for _, v := range dr.Values {
					if dataValueMatches(dr.Type, v, r.ARN) {
						return true
					}
				}
			}
		}
	}
	return false
}

func dataValueMatches(typ, value, arn string) bool {
	if allResources(typ, value) {
		return true
	}
	if typ == S3Object {
		return strings.HasPrefix(arn, value)
	}
	return arn == value
}

// advancedMatches: every field selector holds. A field selector holds when
// the field's values satisfy its positive operators (Equals, StartsWith,
// EndsWith: any value matches any operand) and none of them matches any
// operand of its negative operators (NotEquals, NotStartsWith,
// NotEndsWith). resources.ARN looks at the resources of the selector's
// resources.type.
func advancedMatches(sel *AdvancedEventSelector, e *EventAttributes) bool {
	var types []string
	for _, fs := range sel.FieldSelectors {
		if fs.Field == fieldResourcesType {
			types = fs.Equals
		}
	}
	for i := range sel.FieldSelectors {
		fs := &sel.FieldSelectors[i]
		if !fieldMatches(fs, fieldValues(fs.Field, e, types)) {
			return false
		}
	}
	return true
}

func fieldValues(field string, e *EventAttributes, types []string) []string {
	switch field {
	case fieldEventCategory:
		return []string{e.Category}
	case fieldEventName:
		return []string{e.Name}
	case fieldEventSource:
		return []string{e.Source}
	case fieldReadOnly:
		return []string{strconv.FormatBool(e.ReadOnly)}
	case fieldResourcesType:
		var vs []string
		for _, r := range e.Resources {
			vs = append(vs, r.Type)
		}
		return vs
	case fieldResourcesARN:
		var vs []string
		for _, r := range e.Resources {
			if len(types) == 0 || contains(types, r.Type) {
				vs = append(vs, r.ARN)
			}
		}
		return vs
	}
	return nil
}

func fieldMatches(fs *AdvancedFieldSelector, values []string) bool {
	positive := len(fs.Equals)+len(fs.StartsWith)+len(fs.EndsWith) > 0
	if positive {
		hit := false
		for _, v := range values {
			if anyOf(fs.Equals, func(o string) bool { return v == o }) ||
				anyOf(fs.StartsWith, func(o string) bool { return strings.HasPrefix(v, o) }) ||
				anyOf(fs.EndsWith, func(o string) bool { return strings.HasSuffix(v, o) }) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	for _, v := range values {
		if anyOf(fs.NotEquals, func(o string) bool { return v == o }) ||
			anyOf(fs.NotStartsWith, func(o string) bool { return strings.HasPrefix(v, o) }) ||
			anyOf(fs.NotEndsWith, func(o string) bool { return strings.HasSuffix(v, o) }) {
			return false
		}
	}
	return true
}

func anyOf(operands []string, f func(string) bool) bool {
	for _, o := range operands {
		if f(o) {
			return true
		}
	}
	return false
}

// AttributesFromRecord reads the attributes a trail matches on from a
// CloudTrail record (the JSON of store.Event.Record). OrganizationID is
// left for the caller.
func AttributesFromRecord(record []byte) (EventAttributes, error) {
	var r struct {
		RecipientAccountID string `json:"recipientAccountId"`
		AWSRegion          string `json:"awsRegion"`
		EventSource        string `json:"eventSource"`
		EventName          string `json:"eventName"`
		ReadOnly           *bool  `json:"readOnly"`
		EventCategory      string `json:"eventCategory"`
		UserIdentity       struct {
			AccountID string `json:"accountId"`
		} `json:"userIdentity"`
		Resources []struct {
			ARN  string `json:"ARN"`
			Type string `json:"type"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		return EventAttributes{}, fmt.Errorf("cloudtrail: event record: %w", err)
	}
	e := EventAttributes{
		Account: r.RecipientAccountID, Region: r.AWSRegion, Source: r.EventSource, Name: r.EventName,
		ReadOnly: r.ReadOnly != nil && *r.ReadOnly, Category: r.EventCategory,
	}
	if e.Account == "" {
		e.Account = r.UserIdentity.AccountID
	}
	if e.Category == "" {
		e.Category = CategoryManagement
	}
	for _, res := range r.Resources {
		e.Resources = append(e.Resources, EventResource{Type: res.Type, ARN: res.ARN})
	}
	return e, nil
}
