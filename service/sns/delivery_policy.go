package sns

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"mime"
	"slices"
	"strings"
	"time"
)

// HTTP/HTTPS delivery policies, as the SNS developer guide ("Message
// delivery retries", "Creating an HTTP/S delivery policy") defines them.
// A topic's DeliveryPolicy holds an "http" section with default policies
// for its subscriptions; a subscription's DeliveryPolicy overrides them
// unless the topic sets disableSubscriptionOverrides.
//
// A retry policy has four phases after the first attempt: numNoDelayRetries
// at once, numMinDelayRetries minDelayTarget apart, the backoff phase (the
// retries left) from minDelayTarget up to maxDelayTarget, and
// numMaxDelayRetries maxDelayTarget apart; numRetries counts them all.
// AWS does not document the backoff curves; Cairn's are, for backoff retry
// k of n, a fraction f of the way from minDelayTarget to maxDelayTarget:
// linear f = k/n, arithmetic f = k(k+1)/(n(n+1)), exponential
// f = (2^k-1)/(2^n-1), and geometric min·(max/min)^(k/n). The last backoff
// retry waits maxDelayTarget. AWS adds jitter; Cairn does not, so that
// schedules are exact.

// retryPolicy is a healthyRetryPolicy. Field order is AWS's.
type retryPolicy struct {
	MinDelayTarget     int    `json:"minDelayTarget"`
	MaxDelayTarget     int    `json:"maxDelayTarget"`
	NumRetries         int    `json:"numRetries"`
	NumMaxDelayRetries int    `json:"numMaxDelayRetries"`
	NumNoDelayRetries  int    `json:"numNoDelayRetries"`
	NumMinDelayRetries int    `json:"numMinDelayRetries"`
	BackoffFunction    string `json:"backoffFunction"`
}

// defaultRetry is AWS's default HTTP/S retry policy: three retries 20
// seconds apart.
var defaultRetry = retryPolicy{MinDelayTarget: 20, MaxDelayTarget: 20, NumRetries: 3, BackoffFunction: "linear"}

type throttlePolicy struct {
	MaxReceivesPerSecond int `json:"maxReceivesPerSecond"`
}

type requestPolicy struct {
	HeaderContentType string `json:"headerContentType"`
}

// defaultContentType is the Content-Type of HTTP/S deliveries.
const defaultContentType = "text/plain; charset=UTF-8"

// Limits of an HTTP/S retry policy.
const (
	maxRetries        = 100
	maxDelaySeconds   = 3600
	maxRetryTimeTotal = 3600 * time.Second
)

var backoffFunctions = []string{"linear", "arithmetic", "geometric", "exponential"}

// httpPolicies are the policies a topic's "http" section sets as
// defaults and a subscription's DeliveryPolicy overrides; nil: not set.
type httpPolicies struct {
	Retry    *retryPolicy
	Throttle *throttlePolicy
	Request  *requestPolicy
}

// topicHTTPPolicy is the "http" section of a topic's DeliveryPolicy.
type topicHTTPPolicy struct {
	httpPolicies
	DisableOverrides bool
}

// subscriptionPolicy is a subscription's DeliveryPolicy.
type subscriptionPolicy struct {
	httpPolicies
}

// effectivePolicy is what a delivery to one subscription follows.
type effectivePolicy struct {
	Retry        retryPolicy
	MaxPerSecond int // 0: no throttle
	ContentType  string
}

// policyError is a DeliveryPolicy validation failure [aws]: "Invalid
// parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries
// must be less than or equal to 100".
func policyError(format string, args ...any) error {
	return invalid("DeliveryPolicy: "+format, args...)
}

// members decodes a JSON object into its members.
func members(raw []byte, path string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(raw))
	if err := d.Decode(&m); err != nil || m == nil || d.More() {
		if path == "" {
			return nil, policyError("failed to parse JSON")
		}
		return nil, policyError("%s must be a JSON object", path)
	}
	return m, nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func intMember(raw json.RawMessage, path string) (int, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, policyError("%s must be an integer", path)
	}
	return int(f), nil
}

func stringMember(raw json.RawMessage, path string) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", policyError("%s must be a string", path)
	}
	return s, nil
}

// parseRetry reads a retry policy; members left out take AWS's defaults.
func parseRetry(raw json.RawMessage, path string) (*retryPolicy, error) {
	if string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	m, err := members(raw, path)
	if err != nil {
		return nil, err
	}
	p := defaultRetry
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		var err error
		switch k {
		case "minDelayTarget":
			p.MinDelayTarget, err = intMember(v, join(path, k))
		case "maxDelayTarget":
			p.MaxDelayTarget, err = intMember(v, join(path, k))
		case "numRetries":
			p.NumRetries, err = intMember(v, join(path, k))
		case "numMaxDelayRetries":
			p.NumMaxDelayRetries, err = intMember(v, join(path, k))
		case "numNoDelayRetries":
			p.NumNoDelayRetries, err = intMember(v, join(path, k))
		case "numMinDelayRetries":
			p.NumMinDelayRetries, err = intMember(v, join(path, k))
		case "backoffFunction":
			p.BackoffFunction, err = stringMember(v, join(path, k))
		default:
			err = policyError("Unexpected JSON member: %s", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return &p, p.validate(path)
}

func (p *retryPolicy) validate(path string) error {
	counts := []struct {
		name string
		v    int
	}{{"numRetries", p.NumRetries}, {"numNoDelayRetries", p.NumNoDelayRetries},
		{"numMinDelayRetries", p.NumMinDelayRetries}, {"numMaxDelayRetries", p.NumMaxDelayRetries}}
	for _, c := range counts {
		if c.v < 0 {
			return policyError("%s must be greater than or equal to 0", join(path, c.name))
		}
	}
	switch {
	case p.NumRetries > maxRetries:
		return policyError("%s must be less than or equal to %d", join(path, "numRetries"), maxRetries)
	case p.MinDelayTarget < 1:
		return policyError("%s must be greater than or equal to 1", join(path, "minDelayTarget"))
	case p.MaxDelayTarget > maxDelaySeconds:
		return policyError("%s must be less than or equal to %d", join(path, "maxDelayTarget"), maxDelaySeconds)
	case p.MaxDelayTarget < p.MinDelayTarget:
		return policyError("%s must be greater than or equal to minDelayTarget", join(path, "maxDelayTarget"))
	case p.NumNoDelayRetries+p.NumMinDelayRetries+p.NumMaxDelayRetries > p.NumRetries:
		return policyError("%s: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must be less than or equal to numRetries", path)
	}
	if !slices.Contains(backoffFunctions, p.BackoffFunction) {
		return policyError("%s must be one of: %s", join(path, "backoffFunction"), strings.Join(backoffFunctions, ", "))
	}
	var total time.Duration
	for r := 1; r <= p.NumRetries; r++ {
		d, _ := p.delay(r)
		total += d
	}
	if total > maxRetryTimeTotal {
		return policyError("%s: the total retry time must be less than or equal to %d seconds", path, int(maxRetryTimeTotal/time.Second))
	}
	return nil
}

func parseThrottle(raw json.RawMessage, path string) (*throttlePolicy, error) {
	if string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	m, err := members(raw, path)
	if err != nil {
		return nil, err
	}
	var t throttlePolicy
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		if k != "maxReceivesPerSecond" {
			return nil, policyError("Unexpected JSON member: %s", k)
		}
		if t.MaxReceivesPerSecond, err = intMember(v, join(path, k)); err != nil {
			return nil, err
		}
	}
	if t.MaxReceivesPerSecond < 1 {
		return nil, policyError("%s must be greater than or equal to 1", join(path, "maxReceivesPerSecond"))
	}
	return &t, nil
}

func parseRequest(raw json.RawMessage, path string) (*requestPolicy, error) {
	if string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	m, err := members(raw, path)
	if err != nil {
		return nil, err
	}
	var r requestPolicy
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		if k != "headerContentType" {
			return nil, policyError("Unexpected JSON member: %s", k)
		}
		if r.HeaderContentType, err = stringMember(v, join(path, k)); err != nil {
			return nil, err
		}
	}
	// A media type, nothing else: the value becomes a request header.
	if _, _, err := mime.ParseMediaType(r.HeaderContentType); err != nil || strings.ContainsAny(r.HeaderContentType, "\r\n") {
		return nil, policyError("%s is not a valid content type", join(path, "headerContentType"))
	}
	return &r, nil
}

func parseBool(raw json.RawMessage, path string) (bool, error) {
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, policyError("%s must be a boolean", path)
	}
	return b, nil
}

// parseTopicPolicy reads a topic's DeliveryPolicy; "" is none. Sections
// for other protocols are accepted and ignored: only HTTP/S policies can
// be changed (AWS).
func parseTopicPolicy(doc string) (*topicHTTPPolicy, error) {
	if doc == "" {
		return &topicHTTPPolicy{}, nil
	}
	top, err := members([]byte(doc), "")
	if err != nil {
		return nil, err
	}
	p := &topicHTTPPolicy{}
	raw, ok := top["http"]
	if !ok {
		return p, nil
	}
	m, err := members(raw, "http")
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		path := "http." + k
		switch k {
		case "defaultHealthyRetryPolicy":
			p.Retry, err = parseRetry(v, path)
		case "disableSubscriptionOverrides":
			p.DisableOverrides, err = parseBool(v, path)
		case "defaultThrottlePolicy":
			p.Throttle, err = parseThrottle(v, path)
		case "defaultRequestPolicy":
			p.Request, err = parseRequest(v, path)
		case "defaultSicklyRetryPolicy":
			// AWS shows it as null and uses none.
		default:
			err = policyError("Unexpected JSON member: %s", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// parseSubscriptionPolicy reads a subscription's DeliveryPolicy; "" is
// none.
func parseSubscriptionPolicy(doc string) (*subscriptionPolicy, error) {
	p := &subscriptionPolicy{}
	if doc == "" {
		return p, nil
	}
	m, err := members([]byte(doc), "")
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		switch k {
		case "healthyRetryPolicy":
			p.Retry, err = parseRetry(v, k)
		case "throttlePolicy":
			p.Throttle, err = parseThrottle(v, k)
		case "requestPolicy":
			p.Request, err = parseRequest(v, k)
		case "sicklyRetryPolicy", "guaranteed":
			// Shown by AWS in effective policies; no effect.
		default:
			err = policyError("Unexpected JSON member: %s", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// effective resolves the policy a subscription's deliveries follow.
func effective(topicDoc, subDoc string) (effectivePolicy, error) {
	tp, err := parseTopicPolicy(topicDoc)
	if err != nil {
		return effectivePolicy{}, err
	}
	e := effectivePolicy{Retry: defaultRetry, ContentType: defaultContentType}
	tp.applyTo(&e)
	if tp.DisableOverrides {
		return e, nil
	}
	sp, err := parseSubscriptionPolicy(subDoc)
	if err != nil {
		return effectivePolicy{}, err
	}
	sp.applyTo(&e)
	return e, nil
}

// applyTo overrides e with the policies set.
func (p *httpPolicies) applyTo(e *effectivePolicy) {
	if p.Retry != nil {
		e.Retry = *p.Retry
	}
	if p.Throttle != nil {
		e.MaxPerSecond = p.Throttle.MaxReceivesPerSecond
	}
	if p.Request != nil {
		e.ContentType = p.Request.HeaderContentType
	}
}

// effectiveTopicPolicyJSON is a topic's EffectiveDeliveryPolicy attribute.
func effectiveTopicPolicyJSON(topicDoc string) (string, error) {
	tp, err := parseTopicPolicy(topicDoc)
	if err != nil {
		return "", err
	}
	type httpSection struct {
		Retry            retryPolicy     `json:"defaultHealthyRetryPolicy"`
		DisableOverrides bool            `json:"disableSubscriptionOverrides"`
		Throttle         *throttlePolicy `json:"defaultThrottlePolicy,omitempty"`
		Request          requestPolicy   `json:"defaultRequestPolicy"`
	}
	h := httpSection{Retry: defaultRetry, DisableOverrides: tp.DisableOverrides, Throttle: tp.Throttle,
		Request: requestPolicy{HeaderContentType: defaultContentType}}
	if tp.Retry != nil {
		h.Retry = *tp.Retry
	}
	if tp.Request != nil {
		h.Request = *tp.Request
	}
	b, err := marshalCompact(map[string]httpSection{"http": h})
	return string(b), err
}

// effectiveSubscriptionPolicyJSON is a subscription's
// EffectiveDeliveryPolicy attribute, in the shape AWS shows it.
func effectiveSubscriptionPolicyJSON(e effectivePolicy) (string, error) {
	out := struct {
		Retry      retryPolicy     `json:"healthyRetryPolicy"`
		Sickly     *struct{}       `json:"sicklyRetryPolicy"`
		Throttle   *throttlePolicy `json:"throttlePolicy"`
		Request    requestPolicy   `json:"requestPolicy"`
		Guaranteed bool            `json:"guaranteed"`
	}{Retry: e.Retry, Request: requestPolicy{HeaderContentType: e.ContentType}}
	if e.MaxPerSecond > 0 {
		out.Throttle = &throttlePolicy{MaxReceivesPerSecond: e.MaxPerSecond}
	}
	b, err := marshalCompact(out)
	return string(b), err
}

// delay is the wait before retry r (1 for the first retry) and whether
// the policy makes that retry at all.
func (p retryPolicy) delay(r int) (time.Duration, bool) {
	if r < 1 || r > p.NumRetries {
		return 0, false
	}
	minD, maxD := float64(p.MinDelayTarget), float64(p.MaxDelayTarget)
	backoff := p.NumRetries - p.NumNoDelayRetries - p.NumMinDelayRetries - p.NumMaxDelayRetries
	var secs float64
	switch {
	case r <= p.NumNoDelayRetries:
		secs = 0
	case r <= p.NumNoDelayRetries+p.NumMinDelayRetries:
		secs = minD
	case r <= p.NumNoDelayRetries+p.NumMinDelayRetries+backoff:
		k := float64(r - p.NumNoDelayRetries - p.NumMinDelayRetries)
		n := float64(backoff)
		switch p.BackoffFunction {
		case "arithmetic":
			secs = minD + (maxD-minD)*k*(k+1)/(n*(n+1))
		case "exponential":
			secs = minD + (maxD-minD)*(math.Exp2(k)-1)/(math.Exp2(n)-1)
		case "geometric":
			secs = minD * math.Pow(maxD/minD, k/n)
		default: // linear
			secs = minD + (maxD-minD)*k/n
		}
	default:
		secs = maxD
	}
	return time.Duration(math.Round(secs*1000)) * time.Millisecond, true
}
