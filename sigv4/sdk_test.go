package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Requests signed by aws-sdk-go-v2's own signer, as its service clients
// sign them, then carried over the wire to a Go server.

var (
	sdkCreds = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	// A second key, with a session token, as STS hands out.
	sdkSessionCreds = aws.Credentials{AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
		SessionToken: "AQoDYXdzEJr//////////wEa8AHkdsA4wiNj+tCTP1bKq33frGxxXH+example/token=="}
	sdkTime = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
)

func sdkVerifier(now time.Time) *Verifier {
	return &Verifier{
		Now: fixedClock(now),
		Lookup: keys(map[string]string{
			sdkCreds.AccessKeyID:        sdkCreds.SecretAccessKey,
			sdkSessionCreds.AccessKeyID: sdkSessionCreds.SecretAccessKey,
		}),
	}
}

type sdkCase struct {
	name    string
	service string
	region  string
	method  string
	url     string
	body    string
	header  map[string]string
	creds   aws.Credentials
	// payload is the x-amz-content-sha256 an S3 client sends ("" for other
	// services, which do not send it and whose server hashes the body).
	payload string
}

func (c sdkCase) s3() bool { return c.service == "s3" }

func sdkCases() []sdkCase {
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
	putBody := "hello, world\n"
	return []sdkCase{
		{name: "iam query protocol", service: "iam", region: "us-east-1", method: "POST", url: "https://iam.amazonaws.com/",
			body: "Action=ListUsers&Version=2010-05-08", header: form},
		{name: "sts with session token", service: "sts", region: "us-west-2", method: "POST", url: "https://sts.us-west-2.amazonaws.com/",
			body: "Action=GetCallerIdentity&Version=2011-06-15", header: form, creds: sdkSessionCreds},
		{name: "cloudtrail json protocol", service: "cloudtrail", region: "eu-west-1", method: "POST", url: "https://cloudtrail.eu-west-1.amazonaws.com/",
			body: `{"MaxResults":5,"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"Create  Trail"}]}`,
			header: map[string]string{
				"Content-Type": "application/x-amz-json-1.1",
				"X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
				"X-Custom":     "  padded   value  ",
			}},
		{name: "iam odd path and query", service: "iam", region: "us-east-1", method: "GET",
			url: "https://iam.amazonaws.com/a%20b/%E1%88%B4//c/./d?x=2&x=1&y=a%20b%2Bc~&z=%2F&z=-&empty=&Action=ListUsers"},
		{name: "sts double slashes", service: "sts", region: "us-east-1", method: "GET",
			url: "https://sts.amazonaws.com//?Action=GetCallerIdentity&Version=2011-06-15"},
		{name: "cloudtrail dot segments", service: "cloudtrail", region: "us-east-2", method: "POST",
			url: "https://cloudtrail.us-east-2.amazonaws.com/x/../y/", body: "{}"},
		{name: "s3 list with awkward query", service: "s3", region: "us-east-1", method: "GET",
			url:     "https://s3.us-east-1.amazonaws.com/bucket?list-type=2&prefix=a%2Fb&prefix=a-b&delimiter=%2F&start-after=%E2%82%AC%20%2B%21%2A%27%28%29",
			payload: EmptyPayloadHash},
		{name: "s3 get key with spaces unicode plus and slashes", service: "s3", region: "eu-central-1", method: "GET",
			url:     "https://s3.eu-central-1.amazonaws.com/bucket/key%20with%20space/%E1%88%B4%2Bplus//double/./dot?versionId=3%2F4",
			payload: EmptyPayloadHash, header: map[string]string{"Range": "bytes=0-9"}},
		{name: "s3 put signed payload", service: "s3", region: "us-east-1", method: "PUT",
			url: "https://bucket.s3.us-east-1.amazonaws.com/dir/%C3%A9t%C3%A9.txt", body: putBody, payload: sha256Hex([]byte(putBody)),
			header: map[string]string{"Content-Type": "text/plain", "X-Amz-Meta-Note": "a  b", "X-Amz-Storage-Class": "STANDARD"}},
		{name: "s3 put unsigned payload with token", service: "s3", region: "us-east-1", method: "PUT",
			url: "https://bucket.s3.us-east-1.amazonaws.com/k~ey(1)", body: putBody, payload: UnsignedPayload, creds: sdkSessionCreds},
	}
}

// sign signs the case with the SDK signer and returns the request as a
// server receives it (as bytes, to parse afresh for each tampering).
func (c sdkCase) sign(t *testing.T, at time.Time) []byte {
	t.Helper()
	req, err := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	payload := sha256Hex([]byte(c.body))
	if c.s3() {
		payload = c.payload
		req.Header.Set("X-Amz-Content-Sha256", c.payload)
	}
	creds := c.creds
	if creds.AccessKeyID == "" {
		creds = sdkCreds
	}
	err = v4.NewSigner().SignHTTP(context.Background(), creds, req, payload, c.service, c.region, at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = c.s3() })
	if err != nil {
		t.Fatal(err)
	}
	// The client request itself (no RequestURI) verifies too.
	if _, err := sdkVerifier(at).Verify(req, c.verifyPayload([]byte(c.body))); err != nil {
		t.Errorf("client-side request rejected: %v", err)
	}
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// verifyPayload is what the server passes to Verify for the body.
func (c sdkCase) verifyPayload(body []byte) string {
	if c.s3() {
		return ""
	}
	return sha256Hex(body)
}

func readWire(t testing.TB, wire []byte) (*http.Request, []byte) {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r, body
}

func TestSDKSignedRequests(t *testing.T) {
	for _, c := range sdkCases() {
		t.Run(c.name, func(t *testing.T) {
			wire := c.sign(t, sdkTime)
			r, body := readWire(t, wire)
			auth, err := sdkVerifier(sdkTime).Verify(r, c.verifyPayload(body))
			if err != nil {
				if e, ok := err.(*Error); ok {
					t.Logf("canonical request:\n%s", e.CanonicalRequest)
				}
				t.Fatalf("rejected: %v\n%s", err, wire)
			}
			creds := c.creds
			if creds.AccessKeyID == "" {
				creds = sdkCreds
			}
			if auth.AccessKeyID != creds.AccessKeyID || auth.Region != c.region || auth.Service != c.service ||
				auth.Date != "20260314" || !auth.RequestTime.Equal(sdkTime) || auth.Presigned ||
				auth.SecurityToken != creds.SessionToken {
				t.Errorf("Auth = %+v", auth)
			}
			if c.s3() && auth.PayloadHash != c.payload || !c.s3() && auth.PayloadHash != sha256Hex(body) {
				t.Errorf("Auth.PayloadHash = %s", auth.PayloadHash)
			}
			if got := strings.Join(auth.SignedHeaders, ";"); !strings.Contains(got, "host") || !strings.Contains(got, "x-amz-date") ||
				creds.SessionToken != "" && !strings.Contains(got, "x-amz-security-token") {
				t.Errorf("SignedHeaders = %s", got)
			}

			for _, m := range sdkMutations(t, c, r, body) {
				r, body := readWire(t, wire)
				m.apply(r, &body)
				_, err := sdkVerifier(sdkTime).Verify(r, c.verifyPayload(body))
				if m.want == 0 {
					if err != nil {
						t.Errorf("%s: rejected: %v", m.name, err)
					}
					continue
				}
				wantKind(t, err, m.want, m.name)
			}

			for _, d := range []struct {
				skew time.Duration
				want Kind
			}{{-16 * time.Minute, KindSkew}, {16 * time.Minute, KindSkew}, {-14 * time.Minute, 0}, {14 * time.Minute, 0}} {
				r, body := readWire(t, wire)
				_, err := sdkVerifier(sdkTime.Add(d.skew)).Verify(r, c.verifyPayload(body))
				if d.want == 0 && err != nil {
					t.Errorf("clock %v: rejected: %v", d.skew, err)
				} else if d.want != 0 {
					wantKind(t, err, d.want, "clock "+d.skew.String())
				}
			}

			// The server reads the body through NewPayloadReader (S3) and
			// finds out whether it is the body that was signed.
			if c.s3() {
				for _, tamper := range []bool{false, true} {
					r, body := readWire(t, wire)
					a, err := sdkVerifier(sdkTime).Verify(r, "")
					if err != nil {
						t.Fatal(err)
					}
					if tamper {
						body = append(body, '!')
					}
					pr, err := NewPayloadReader(bytes.NewReader(body), a, r.Header)
					if err != nil {
						t.Fatal(err)
					}
					_, err = io.ReadAll(pr)
					switch {
					case !tamper || c.payload == UnsignedPayload:
						if err != nil {
							t.Errorf("tamper=%v: reading the body: %v", tamper, err)
						}
					default:
						wantKind(t, err, KindContentHashMismatch, "tampered body")
					}
				}
			}
		})
	}
}

// sdkMutations changes, one at a time, each signed part of an SDK-signed
// request.
func sdkMutations(t *testing.T, c sdkCase, r *http.Request, body []byte) []mutation {
	var ms []mutation
	add := func(name string, want Kind, f func(r *http.Request, body *[]byte)) {
		ms = append(ms, mutation{name, f, want})
	}
	authz := r.Header.Get("Authorization")
	a, perr := parseAuthorization(authz)
	if perr != nil {
		t.Fatal(perr)
	}
	cred, _ := parseCredential(a.credential)
	replaceAuth := func(old, new string) func(r *http.Request, _ *[]byte) {
		return func(r *http.Request, _ *[]byte) {
			h := r.Header.Get("Authorization")
			if !strings.Contains(h, old) {
				t.Fatalf("%q not in %q", old, h)
			}
			r.Header.Set("Authorization", strings.Replace(h, old, new, 1))
		}
	}
	add("access key id", KindUnknownKey, replaceAuth("Credential="+cred.accessKeyID, "Credential=AKIAI44QH8DHBEXAMPLE"))
	add("region", KindMismatch, replaceAuth("/"+c.region+"/", "/ap-south-1/"))
	add("service", KindMismatch, replaceAuth("/"+c.service+"/", "/"+c.service+"x/"))
	add("scope date", KindScopeMismatch, replaceAuth("/20260314/", "/20260315/"))
	add("signature", KindMismatch, func(r *http.Request, _ *[]byte) {
		r.Header.Set("Authorization", flipLastHex(r.Header.Get("Authorization")))
	})
	add("x-amz-date", KindMismatch, func(r *http.Request, _ *[]byte) {
		r.Header.Set("X-Amz-Date", sdkTime.Add(time.Second).Format(amzDateFormat))
	})
	add("method", KindMismatch, func(r *http.Request, _ *[]byte) { r.Method = "DELETE" })
	add("path", KindMismatch, func(r *http.Request, _ *[]byte) {
		r.RequestURI = strings.Replace(r.RequestURI, "/", "/z", 1)
	})
	add("query parameter added", KindMismatch, func(r *http.Request, _ *[]byte) {
		q := "extra=1"
		if r.URL.RawQuery != "" {
			q = r.URL.RawQuery + "&" + q
		}
		setRawQuery(r, q)
	})
	if r.URL.RawQuery != "" {
		add("query value", KindMismatch, func(r *http.Request, _ *[]byte) {
			ps := strings.Split(r.URL.RawQuery, "&")
			ps[len(ps)-1] += "x"
			setRawQuery(r, strings.Join(ps, "&"))
		})
		// Neither the order of the parameters on the wire nor the way a
		// space is encoded is signed.
		add("query reordered", 0, func(r *http.Request, _ *[]byte) {
			ps := strings.Split(r.URL.RawQuery, "&")
			slices.Reverse(ps)
			setRawQuery(r, strings.Join(ps, "&"))
		})
		add("query space as plus", 0, func(r *http.Request, _ *[]byte) {
			setRawQuery(r, strings.ReplaceAll(r.URL.RawQuery, "%20", "+"))
		})
	}
	bodyWant := KindMismatch
	if c.s3() {
		bodyWant = 0 // checked by NewPayloadReader, not Verify
	}
	add("body", bodyWant, func(_ *http.Request, b *[]byte) { *b = append(*b, 'x') })

	for _, n := range strings.Split(a.signedHeaders, ";") {
		key := textproto.CanonicalMIMEHeaderKey(n)
		switch n {
		case "host":
			add("header host", KindMismatch, func(r *http.Request, _ *[]byte) { r.Host = "evil.example.com" })
		case "x-amz-date":
			// Above.
		case "x-amz-content-sha256":
			add("header x-amz-content-sha256", KindMismatch, func(r *http.Request, _ *[]byte) {
				r.Header.Set(key, sha256Hex([]byte("something else")))
			})
		default:
			add("header "+n, KindMismatch, func(r *http.Request, _ *[]byte) { r.Header[key][0] += "x" })
		}
	}
	if !c.s3() {
		add("x-amz-content-sha256 disagrees with the body", KindContentHashMismatch, func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Amz-Content-Sha256", UnsignedPayload)
		})
	}
	if c.creds.SessionToken != "" {
		add("unsigned header added", 0, func(r *http.Request, _ *[]byte) { r.Header.Set("X-Unsigned", "1") })
	}
	return ms
}

type presignCase struct {
	sdkCase
	expires string
}

func (c presignCase) presign(t *testing.T, at time.Time) (*http.Request, []byte) {
	t.Helper()
	req, err := http.NewRequest(c.method, c.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", c.expires)
	req.URL.RawQuery = q.Encode()
	payload := EmptyPayloadHash
	if c.s3() {
		payload = UnsignedPayload
	}
	creds := c.creds
	if creds.AccessKeyID == "" {
		creds = sdkCreds
	}
	signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, payload, c.service, c.region, at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = c.s3() })
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(c.method, signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	var buf bytes.Buffer
	if err := out.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return out, buf.Bytes()
}

func TestSDKPresignedRequests(t *testing.T) {
	cases := []presignCase{
		{sdkCase{name: "s3 get object", service: "s3", region: "us-east-1", method: "GET",
			url: "https://bucket.s3.us-east-1.amazonaws.com/photos/2026/%E6%97%A5%E6%9C%AC%20x%2By.jpg?response-content-disposition=attachment%3B%20filename%3D%22a%20b.jpg%22"}, "900"},
		{sdkCase{name: "s3 put with token and header", service: "s3", region: "eu-west-1", method: "PUT",
			url: "https://s3.eu-west-1.amazonaws.com/bucket//a//b", creds: sdkSessionCreds,
			header: map[string]string{"Content-Type": "image/png"}}, "604800"},
		{sdkCase{name: "sts get caller identity", service: "sts", region: "us-east-1", method: "GET",
			url: "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"}, "60"},
		{sdkCase{name: "iam repeated keys", service: "iam", region: "us-east-1", method: "GET",
			url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08&Marker=a%2Fb&Marker=a-b"}, "3600"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, wire := c.presign(t, sdkTime)
			secs := map[string]time.Duration{"60": 60, "900": 900, "3600": 3600, "604800": 604800}[c.expires] * time.Second
			payload := func(body []byte) string { return c.verifyPayload(body) }

			r, body := readWire(t, wire)
			auth, err := sdkVerifier(sdkTime).Verify(r, payload(body))
			if err != nil {
				if e, ok := err.(*Error); ok {
					t.Logf("canonical request:\n%s", e.CanonicalRequest)
				}
				t.Fatalf("rejected: %v\n%s", err, wire)
			}
			if !auth.Presigned || auth.Region != c.region || auth.Service != c.service || auth.SecurityToken != c.creds.SessionToken {
				t.Errorf("Auth = %+v", auth)
			}
			if c.s3() && auth.PayloadHash != UnsignedPayload {
				t.Errorf("PayloadHash = %s", auth.PayloadHash)
			}

			for _, tc := range []struct {
				now  time.Time
				want Kind
			}{
				{sdkTime.Add(secs - time.Second), 0},
				{sdkTime.Add(secs), 0},
				{sdkTime.Add(secs + time.Second), KindExpired},
				{sdkTime.Add(-14 * time.Minute), 0},
				{sdkTime.Add(-16 * time.Minute), KindSkew},
			} {
				r, body := readWire(t, wire)
				_, err := sdkVerifier(tc.now).Verify(r, payload(body))
				if tc.want == 0 && err != nil {
					t.Errorf("now %v: rejected: %v", tc.now, err)
				} else if tc.want != 0 {
					wantKind(t, err, tc.want, "now "+tc.now.String())
				}
			}

			// Each query parameter changed in turn.
			pieces := strings.Split(r.URL.RawQuery, "&")
			for i, p := range pieces {
				k, val, _ := strings.Cut(p, "=")
				want := KindMismatch
				nv := val + "x"
				switch k {
				case "X-Amz-Algorithm":
					want = KindUnsupported
				case "X-Amz-Credential":
					nv = strings.Replace(val, sdkCreds.AccessKeyID[:4], "AKIB", 1)
					nv = strings.Replace(nv, sdkSessionCreds.AccessKeyID[:4], "AKIB", 1)
					want = KindUnknownKey
				case "X-Amz-Date":
					nv = sdkTime.Add(time.Second).Format(amzDateFormat)
				case "X-Amz-Expires":
					nv = "59"
				case "X-Amz-Signature":
					nv = flipLastHex(val)
				case "X-Amz-SignedHeaders":
					nv = val + "%3Bx-zz"
				}
				r, body := readWire(t, wire)
				ps := append([]string(nil), pieces...)
				ps[i] = k + "=" + nv
				setRawQuery(r, strings.Join(ps, "&"))
				_, err := sdkVerifier(sdkTime).Verify(r, payload(body))
				wantKind(t, err, want, "query "+k)
			}
			for _, m := range []struct {
				name  string
				apply func(r *http.Request)
				want  Kind
			}{
				{"region", func(r *http.Request) {
					setRawQuery(r, strings.Replace(r.URL.RawQuery, "%2F"+c.region+"%2F", "%2Fus-west-1%2F", 1))
				}, KindMismatch},
				{"service", func(r *http.Request) {
					setRawQuery(r, strings.Replace(r.URL.RawQuery, "%2F"+c.service+"%2F", "%2F"+c.service+"x%2F", 1))
				}, KindMismatch},
				{"scope date", func(r *http.Request) {
					setRawQuery(r, strings.Replace(r.URL.RawQuery, "%2F20260314%2F", "%2F20260313%2F", 1))
				}, KindScopeMismatch},
				{"path", func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "/", "/p", 1) }, KindMismatch},
				{"host", func(r *http.Request) { r.Host = "other.example.com" }, KindMismatch},
				{"method", func(r *http.Request) { r.Method = "POST" }, KindMismatch},
				{"authorization header too", func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x") }, KindUnsupported},
				{"unsigned header added", func(r *http.Request) { r.Header.Set("X-Other", "1") }, 0},
			} {
				r, body := readWire(t, wire)
				m.apply(r)
				_, err := sdkVerifier(sdkTime).Verify(r, payload(body))
				if m.want == 0 && err != nil {
					t.Errorf("%s: rejected: %v", m.name, err)
				} else if m.want != 0 {
					wantKind(t, err, m.want, m.name)
				}
			}
		})
	}
}

func TestPresignedExpiresBounds(t *testing.T) {
	base := sdkCase{service: "s3", region: "us-east-1", method: "GET", url: "https://bucket.s3.amazonaws.com/key"}
	for _, c := range []struct {
		expires string
		want    Kind
	}{
		{"1", 0}, {"604800", 0}, {"604801", KindInvalidExpires}, {"0", KindInvalidExpires},
		{"-1", KindInvalidExpires}, {"ten", KindInvalidExpires}, {"99999999999999999999", KindInvalidExpires},
	} {
		_, wire := presignCase{base, c.expires}.presign(t, sdkTime)
		r, _ := readWire(t, wire)
		_, err := sdkVerifier(sdkTime).Verify(r, "")
		if c.want == 0 && err != nil {
			t.Errorf("X-Amz-Expires=%s: rejected: %v", c.expires, err)
		} else if c.want != 0 {
			wantKind(t, err, c.want, "X-Amz-Expires="+c.expires)
		}
	}
}

// TestSDKPresignTokenNotHoisted: a presigned URL's security token travels
// in the query and is signed there.
func TestSDKPresignToken(t *testing.T) {
	c := presignCase{sdkCase{service: "s3", region: "us-east-1", method: "GET", url: "https://b.s3.amazonaws.com/k", creds: sdkSessionCreds}, "300"}
	out, wire := c.presign(t, sdkTime)
	if out.URL.Query().Get("X-Amz-Security-Token") != sdkSessionCreds.SessionToken {
		t.Fatalf("no token in %s", out.URL)
	}
	r, _ := readWire(t, wire)
	q := r.URL.Query()
	q.Set("X-Amz-Security-Token", "other")
	setRawQuery(r, q.Encode())
	_, err := sdkVerifier(sdkTime).Verify(r, "")
	wantKind(t, err, KindMismatch, "changed token")

	// Dropping the token is a change too.
	r, _ = readWire(t, wire)
	q = r.URL.Query()
	q.Del("X-Amz-Security-Token")
	setRawQuery(r, q.Encode())
	_, err = sdkVerifier(sdkTime).Verify(r, "")
	wantKind(t, err, KindMismatch, "dropped token")

	// Re-encoding the query (order, %20 vs +) is not a change.
	r, _ = readWire(t, wire)
	setRawQuery(r, r.URL.Query().Encode())
	if _, err := sdkVerifier(sdkTime).Verify(r, ""); err != nil {
		t.Errorf("re-encoded query rejected: %v", err)
	}
}
