package cairn

import "time"

// Call is what a service knows about the request it is serving, beyond its
// typed input.
type Call struct {
	RequestID string
	Time      time.Time
	Region    string // region the request was signed for
	Service   string // signing name: iam, sts, cloudtrail, …
	Operation string
	Principal Principal
	SourceIP  string
	UserAgent string
	// SecureTransport is true when the request arrived over TLS.
	SecureTransport bool
	Host            string
	// Context holds the request's condition keys (lower-cased names) as
	// the authorize step computed them.
	Context map[string][]string
	// SourceARN and SourceAccount name the resource on whose behalf an AWS
	// service principal calls (aws:SourceArn, aws:SourceAccount): the trail
	// for cloudtrail.amazonaws.com.
	SourceARN     string
	SourceAccount string
	// CalledVia lists the services that made this call on the caller's
	// behalf, nearest last (aws:CalledVia); empty for direct calls.
	CalledVia []string
}

// Account is the account the call acts in: the caller's own account.
func (c *Call) Account() string { return c.Principal.AccountID }
