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
	// AuthType says how the request was authenticated: AuthHeader,
	// AuthQueryString (a presigned URL), or "" when it was not signed
	// (anonymous); S3's s3:authType values. Every signature Cairn accepts
	// is AWS4-HMAC-SHA256 (s3:signatureversion).
	AuthType string
	// PayloadHash is the x-amz-content-sha256 value a request of a
	// streaming service (S3) signed: a hex SHA-256, UNSIGNED-PAYLOAD or a
	// STREAMING-… mode; "" otherwise.
	PayloadHash string
	// CalledVia lists the services that made this call on the caller's
	// behalf, nearest last (aws:CalledVia); empty for direct calls.
	CalledVia []string
}

// The values of Call.AuthType.
const (
	AuthHeader      = "REST-HEADER"
	AuthQueryString = "REST-QUERY-STRING"
)

// Account is the account the call acts in: the caller's own account.
func (c *Call) Account() string { return c.Principal.AccountID }
