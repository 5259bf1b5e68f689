package cloudtrail

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// ReadWriteType values.
const (
	ReadWriteAll       = "All"
	ReadWriteReadOnly  = "ReadOnly"
	ReadWriteWriteOnly = "WriteOnly"
)

// Event categories.
const (
	CategoryManagement = "Management"
	CategoryData       = "Data"
	CategoryInsight    = "Insight"
)

// Basic data resource types and their "all resources" values.
const (
	S3Object       = "AWS::S3::Object"
	LambdaFunction = "AWS::Lambda::Function"
	DynamoDBTable  = "AWS::DynamoDB::Table"
)

// Advanced selector fields.
const (
	fieldEventCategory = "eventCategory"
	fieldEventName     = "eventName"
	fieldEventSource   = "eventSource"
	fieldReadOnly      = "readOnly"
	fieldResourcesType = "resources.type"
	fieldResourcesARN  = "resources.ARN"
)

// excludableSources are the only management event sources a basic
// selector can exclude.
var excludableSources = map[string]bool{"kms.amazonaws.com": true, "rdsdata.amazonaws.com": true}

var (
	lambdaARNRe   = regexp.MustCompile(`^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9$_-]{1,128})?$`)
	dynamoARNRe   = regexp.MustCompile(`^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]{3,255}$`)
	fieldRe       = regexp.MustCompile(`^[\w|\d|\.|_]+$`)
	resourceTypRe = regexp.MustCompile(`^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$`)
)

// allResources reports whether v is a data resource value that selects
// every resource of type typ (arn:aws:s3 for every object of every bucket).
func allResources(typ, v string) bool {
	switch typ {
	case S3Object:
		return v == "arn:aws:s3" || v == "arn:aws:s3:::"
	case LambdaFunction:
		return v == "arn:aws:lambda"
	case DynamoDBTable:
		return v == "arn:aws:dynamodb"
	}
	return false
}

// validDataValue checks one DataResources value: arn:aws:s3:::bucket/ and
// arn:aws:s3:::bucket/prefix for objects (a bucket ARN without the slash is
// refused, as AWS refuses it), exact function and table ARNs.
func validDataValue(typ, v string) bool {
	if allResources(typ, v) {
		return true
	}
	switch typ {
	case S3Object:
		rest, ok := strings.CutPrefix(v, "arn:aws:s3:::")
		if !ok {
			return false
		}
		bucket, _, ok := strings.Cut(rest, "/")
		return ok && validateBucketName(bucket) == nil
	case LambdaFunction:
		return lambdaARNRe.MatchString(v)
	case DynamoDBTable:
		return dynamoARNRe.MatchString(v)
	}
	return false
}

// normalizeBasic validates basic selectors and fills in AWS's defaults
// (ReadWriteType All, management events included, empty lists), as
// GetEventSelectors shows them.
func normalizeBasic(sels []EventSelector) ([]EventSelector, error) {
	if len(sels) > MaxEventSelectors {
		return nil, invalidSelectors("You can specify at most %d event selectors for a trail. Specified: %d.", MaxEventSelectors, len(sels))
	}
	out := make([]EventSelector, 0, len(sels))
	values := 0
	for _, sel := range sels {
		n := EventSelector{
			ReadWriteType:                 sel.ReadWriteType,
			IncludeManagementEvents:       ptr(boolOr(sel.IncludeManagementEvents, true)),
			DataResources:                 []DataResource{},
			ExcludeManagementEventSources: []string{},
		}
		switch n.ReadWriteType {
		case "":
			n.ReadWriteType = ReadWriteAll
		case ReadWriteAll, ReadWriteReadOnly, ReadWriteWriteOnly:
		default:
			return nil, invalidSelectorValue(sel.ReadWriteType, "ReadWriteType")
		}
		for _, dr := range sel.DataResources {
			switch dr.Type {
			case S3Object, LambdaFunction, DynamoDBTable:
			default:
				return nil, invalidSelectorValue(dr.Type, "DataResources.Type")
			}
			vs := append([]string{}, dr.Values...)
			for _, v := range vs {
				if !validDataValue(dr.Type, v) {
					return nil, invalidSelectorValue(v, "DataResources.Values")
				}
				if !allResources(dr.Type, v) {
					values++
				}
			}
			n.DataResources = append(n.DataResources, DataResource{Type: dr.Type, Values: vs})
		}
		for _, src := range sel.ExcludeManagementEventSources {
			if !excludableSources[src] {
				return nil, invalidSelectorValue(src, "ExcludeManagementEventSources")
			}
			n.ExcludeManagementEventSources = append(n.ExcludeManagementEventSources, src)
		}
		out = append(out, n)
	}
	if values > MaxDataResources {
		return nil, invalidSelectors("Specify a valid number of DataResources.Values (0 to %d) for all your selectors", MaxDataResources)
	}
	return out, nil
}

// operators returns a field selector's operators by name, in model order.
func operators(fs *AdvancedFieldSelector) []struct {
	name   string
	values []string
} {
	return []struct {
		name   string
		values []string
	}{
		{"Equals", fs.Equals}, {"StartsWith", fs.StartsWith}, {"EndsWith", fs.EndsWith},
		{"NotEquals", fs.NotEquals}, {"NotStartsWith", fs.NotStartsWith}, {"NotEndsWith", fs.NotEndsWith},
	}
}

// onlyEquals reports whether Equals is the field selector's one operator.
func onlyEquals(fs *AdvancedFieldSelector) bool {
	return len(fs.StartsWith) == 0 && len(fs.EndsWith) == 0 && len(fs.NotEquals) == 0 &&
		len(fs.NotStartsWith) == 0 && len(fs.NotEndsWith) == 0 && len(fs.Equals) > 0
}

// validateAdvanced applies the rules of advanced event selectors for
// trails: eventCategory Equals Management or Data in every selector;
// management selectors filter on readOnly and eventSource (NotEquals
// kms.amazonaws.com or rdsdata.amazonaws.com) only; data selectors need
// one resources.type and may filter on readOnly, eventName, eventSource
// and resources.ARN; readOnly, eventCategory and resources.type take
// Equals only; no field twice; at most 500 values in all.
func validateAdvanced(sels []AdvancedEventSelector) error {
	total := 0
	for i := range sels {
		sel := &sels[i]
		if sel.Name != nil && utf8.RuneCountInString(*sel.Name) > maxSelectorNameLen {
			return invalidSelectors("Advanced event selector names can be at most %d characters long.", maxSelectorNameLen)
		}
		if len(sel.FieldSelectors) == 0 {
			return invalidSelectors("Each advanced event selector must have at least one field selector.")
		}
		fields := map[string]*AdvancedFieldSelector{}
		for j := range sel.FieldSelectors {
			fs := &sel.FieldSelectors[j]
			if fs.Field == "" || len(fs.Field) > maxFieldLen || !fieldRe.MatchString(fs.Field) {
				return invalidSelectorValue(fs.Field, "Field")
			}
			switch fs.Field {
			case fieldEventCategory, fieldEventName, fieldEventSource, fieldReadOnly, fieldResourcesType, fieldResourcesARN:
			default:
				return invalidSelectorValue(fs.Field, "Field")
			}
			if fields[fs.Field] != nil {
				return invalidSelectors("Field %s can appear only once in an advanced event selector.", fs.Field)
			}
			fields[fs.Field] = fs
			hasValue := false
			for _, op := range operators(fs) {
				for _, v := range op.values {
					if n := utf8.RuneCountInString(v); n < 1 || n > maxFieldValueLen {
						return invalidSelectors("Values of %s must be between 1 and %d characters long.", fs.Field, maxFieldValueLen)
					}
					total++
					hasValue = true
				}
			}
			if !hasValue {
				return invalidSelectors("Field selector %s must specify at least one operator with a value.", fs.Field)
			}
		}
		cat := fields[fieldEventCategory]
		if cat == nil {
			return invalidSelectors("Each advanced event selector must have an eventCategory field selector.")
		}
		if !onlyEquals(cat) || len(cat.Equals) != 1 {
			return invalidSelectors("eventCategory must use the Equals operator with one value: Management or Data.")
		}
		if ro := fields[fieldReadOnly]; ro != nil {
			if !onlyEquals(ro) {
				return invalidSelectors("readOnly must use the Equals operator.")
			}
			for _, v := range ro.Equals {
				if v != "true" && v != "false" {
					return invalidSelectorValue(v, fieldReadOnly)
				}
			}
		}
		switch cat.Equals[0] {
		case CategoryManagement:
			for f, fs := range fields {
				switch f {
				case fieldEventCategory, fieldReadOnly:
				case fieldEventSource:
					if len(fs.NotEquals) == 0 || len(fs.Equals)+len(fs.StartsWith)+len(fs.EndsWith)+len(fs.NotStartsWith)+len(fs.NotEndsWith) > 0 {
						return invalidSelectors("For management events, eventSource can only use the NotEquals operator.")
					}
					for _, v := range fs.NotEquals {
						if !excludableSources[v] {
							return invalidSelectorValue(v, fieldEventSource)
						}
					}
				default:
					return invalidSelectors("Field %s is not supported for management events.", f)
				}
			}
		case CategoryData:
			rt := fields[fieldResourcesType]
			if rt == nil {
				return invalidSelectors("Advanced event selectors for data events must have a resources.type field selector.")
			}
			if !onlyEquals(rt) || len(rt.Equals) != 1 {
				return invalidSelectors("resources.type must use the Equals operator with one value.")
			}
			if !resourceTypRe.MatchString(rt.Equals[0]) {
				return invalidSelectorValue(rt.Equals[0], fieldResourcesType)
			}
		default:
			return invalidSelectorValue(cat.Equals[0], fieldEventCategory)
		}
	}
	if total > MaxAdvancedValues {
		return invalidSelectors("A trail can have at most %d values in all conditions of its advanced event selectors. Specified: %d.", MaxAdvancedValues, total)
	}
	return nil
}

// PutEventSelectors replaces a trail's selectors, from its home region:
// basic or advanced, never both; applying one kind removes the other.
func (s *Service) PutEventSelectors(ctx context.Context, c *cairn.Call, in *PutEventSelectorsInput) (*PutEventSelectorsOutput, error) {
	ref, err := parseRef(in.TrailName)
	if err != nil {
		return nil, err
	}
	var basic []EventSelector
	switch {
	case len(in.EventSelectors) > 0 && len(in.AdvancedEventSelectors) > 0:
		return nil, invalidSelectors("You can use EventSelectors or AdvancedEventSelectors, but not both.")
	case len(in.EventSelectors) == 0 && len(in.AdvancedEventSelectors) == 0:
		return nil, invalidSelectors("Specify EventSelectors or AdvancedEventSelectors.")
	case len(in.EventSelectors) > 0:
		if basic, err = normalizeBasic(in.EventSelectors); err != nil {
			return nil, err
		}
	default:
		if err := validateAdvanced(in.AdvancedEventSelectors); err != nil {
			return nil, err
		}
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	var arn string
	err = s.update(ctx, func(tx store.Tx) error {
		r, err := resolve(tx, cl, ref, write, notFoundAs(ref, cl.account))
		if err != nil {
			return err
		}
		r.Selectors, r.Advanced, r.Custom = basic, in.AdvancedEventSelectors, true
		arn = r.arn()
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
	if err != nil {
		return nil, err
	}
	return &PutEventSelectorsOutput{TrailARN: arn, EventSelectors: basic, AdvancedEventSelectors: in.AdvancedEventSelectors}, nil
}

// GetEventSelectors returns a trail's selectors: the default selector for
// a trail never given any.
func (s *Service) GetEventSelectors(ctx context.Context, c *cairn.Call, in *GetEventSelectorsInput) (*GetEventSelectorsOutput, error) {
	r, _, err := s.lookup(ctx, c, in.TrailName, read, true)
	if err != nil {
		return nil, err
	}
	return &GetEventSelectorsOutput{TrailARN: r.arn(), EventSelectors: r.basic(), AdvancedEventSelectors: r.Advanced}, nil
}

// Insights types and the event categories they analyze.
const (
	InsightAPICallRate  = "ApiCallRateInsight"
	InsightAPIErrorRate = "ApiErrorRateInsight"
)

// PutInsightSelectors sets (or, with an empty list, clears) a trail's
// Insights selectors, from its home region. They are stored and returned;
// Insights analysis is not run yet.
func (s *Service) PutInsightSelectors(ctx context.Context, c *cairn.Call, in *PutInsightSelectorsInput) (*PutInsightSelectorsOutput, error) {
	if err := lakeParams(in.TrailName, in.EventDataStore); err != nil {
		return nil, err
	}
	if in.InsightsDestination != nil {
		return nil, invalidCombination("InsightsDestination can only be specified with EventDataStore.")
	}
	ref, err := parseRef(*in.TrailName)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	sels := make([]InsightSelector, 0, len(in.InsightSelectors))
	for _, sel := range in.InsightSelectors {
		if sel.InsightType != InsightAPICallRate && sel.InsightType != InsightAPIErrorRate {
			return nil, invalidInsights("Value %s for InsightType is invalid. Valid values: ApiCallRateInsight, ApiErrorRateInsight.", sel.InsightType)
		}
		if seen[sel.InsightType] {
			return nil, invalidInsights("InsightType %s is specified more than once.", sel.InsightType)
		}
		seen[sel.InsightType] = true
		for _, cat := range sel.EventCategories {
			if cat != CategoryManagement && cat != CategoryData {
				return nil, invalidInsights("Value %s for EventCategories is invalid. Valid values: Management, Data.", cat)
			}
		}
		sels = append(sels, sel)
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	var cur *trailRec
	err = s.view(ctx, func(tx store.Tx) error {
		cur, err = resolve(tx, cl, ref, write, notFoundAs(ref, cl.account))
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := insightsSupported(cur, sels); err != nil {
		return nil, err
	}
	if len(sels) > 0 {
		// Insights events are delivered to the trail's bucket: AWS checks
		// it again.
		check := *cur
		if err := s.checkDestinations(ctx, &check, "", destinationChange{bucket: true}); err != nil {
			return nil, err
		}
	}
	var arn string
	err = s.update(ctx, func(tx store.Tx) error {
		r, err := resolve(tx, cl, ref, write, notFoundAs(ref, cl.account))
		if err != nil {
			return err
		}
		if err := insightsSupported(r, sels); err != nil {
			return err
		}
		r.Insights = sels
		if len(sels) == 0 {
			r.Insights = nil
		}
		arn = r.arn()
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
	if err != nil {
		return nil, err
	}
	return &PutInsightSelectorsOutput{TrailARN: arn, InsightSelectors: sels}, nil
}

// lakeParams refuses the event data store parameters: CloudTrail Lake is
// not served, and they never combine with TrailName.
func lakeParams(trail, eventDataStore *string) error {
	switch {
	case trail != nil && eventDataStore != nil:
		return invalidCombination("You cannot specify both TrailName and EventDataStore.")
	case eventDataStore != nil:
		return ctErr("UnsupportedOperationException", "CloudTrail Lake event data stores are not supported.")
	case trail == nil:
		return invalidCombination("Specify TrailName or EventDataStore.")
	}
	return nil
}

// insightsSupported checks that the trail logs what each Insights type
// analyzes: write management events for API call rate, read or write
// management events for API error rate, data events for the Data
// category.
func insightsSupported(r *trailRec, sels []InsightSelector) error {
	for _, sel := range sels {
		cats := sel.EventCategories
		if len(cats) == 0 {
			cats = []string{CategoryManagement}
		}
		for _, cat := range cats {
			var ok bool
			switch {
			case cat == CategoryData:
				ok = logsData(r)
			case sel.InsightType == InsightAPICallRate:
				ok = logsManagement(r, false)
			default:
				ok = logsManagement(r, true)
			}
			if !ok {
				what := "write management events"
				if cat == CategoryData {
					what = "data events"
				} else if sel.InsightType == InsightAPIErrorRate {
					what = "read or write management events"
				}
				return invalidInsights("%s for %s events requires the trail to log %s.", sel.InsightType, cat, what)
			}
		}
	}
	return nil
}

// logsManagement reports whether a trail logs write management events
// (or, with reads, any management events).
func logsManagement(r *trailRec, reads bool) bool {
	for _, sel := range r.basic() {
		if boolOr(sel.IncludeManagementEvents, true) && (sel.ReadWriteType != ReadWriteReadOnly || reads) {
			return true
		}
	}
	for _, sel := range r.Advanced {
		cat, ro := "", []string(nil)
		for _, fs := range sel.FieldSelectors {
			switch fs.Field {
			case fieldEventCategory:
				if len(fs.Equals) > 0 {
					cat = fs.Equals[0]
				}
			case fieldReadOnly:
				ro = fs.Equals
			}
		}
		if cat == CategoryManagement && (reads || len(ro) == 0 || contains(ro, "false")) {
			return true
		}
	}
	return false
}

func logsData(r *trailRec) bool {
	for _, sel := range r.basic() {
		if len(sel.DataResources) > 0 {
			return true
		}
	}
	for _, sel := range r.Advanced {
		for _, fs := range sel.FieldSelectors {
			if fs.Field == fieldEventCategory && contains(fs.Equals, CategoryData) {
				return true
			}
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// GetInsightSelectors returns a trail's Insights selectors, or
// InsightNotEnabledException when it has none.
func (s *Service) GetInsightSelectors(ctx context.Context, c *cairn.Call, in *GetInsightSelectorsInput) (*GetInsightSelectorsOutput, error) {
	if err := lakeParams(in.TrailName, in.EventDataStore); err != nil {
		return nil, err
	}
	r, _, err := s.lookup(ctx, c, *in.TrailName, read, false)
	if err != nil {
		return nil, err
	}
	if len(r.Insights) == 0 {
		return nil, insightsNotEnabled(r.arn())
	}
	return &GetInsightSelectorsOutput{TrailARN: r.arn(), InsightSelectors: r.Insights}, nil
}
