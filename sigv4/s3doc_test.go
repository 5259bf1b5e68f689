package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// The examples of the S3 documentation, "Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk" and
// "Authenticating Requests: Using Query Parameters": bucket examplebucket,
// AKIAIOSFODNN7EXAMPLE, 20130524T000000Z, us-east-1.
type s3Doc struct {
	name, method, uri string
	header            map[string]string
	sig               string
	signed            string
}

var s3DocExamples = []s3Doc{
	{"GET Object", "GET", "/test.txt",
		map[string]string{"Range": "bytes=0-9", "X-Amz-Content-Sha256": EmptyPayloadHash, "X-Amz-Date": "20130524T000000Z"},
		"f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", "host;range;x-amz-content-sha256;x-amz-date"},
	{"PUT Object", "PUT", "/test%24file.text",
		map[string]string{"Date": "Fri, 24 May 2013 00:00:00 GMT", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY",
			"X-Amz-Content-Sha256": "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", "X-Amz-Date": "20130524T000000Z"},
		"98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd", "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"},
	{"GET Bucket Lifecycle", "GET", "/?lifecycle",
		map[string]string{"X-Amz-Content-Sha256": EmptyPayloadHash, "X-Amz-Date": "20130524T000000Z"},
		"fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543", "host;x-amz-content-sha256;x-amz-date"},
	{"GET Bucket (List Objects)", "GET", "/?max-keys=2&prefix=J",
		map[string]string{"X-Amz-Content-Sha256": EmptyPayloadHash, "X-Amz-Date": "20130524T000000Z"},
		"34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7", "host;x-amz-content-sha256;x-amz-date"},
}

const s3DocPresigned = "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

func (d s3Doc) authz() string {
	return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=" + d.signed + ",Signature=" + d.sig
}

// serverReq builds the request a server receives for target.
func serverReq(method, host, target string, header map[string]string) *http.Request {
	r, err := http.ReadRequest(bufioReader(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"))
	if err != nil {
		panic(err)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return r
}

func (d s3Doc) request(authz string) *http.Request {
	r := serverReq(d.method, "examplebucket.s3.amazonaws.com", d.uri, d.header)
	r.Header.Set("Authorization", authz)
	return r
}

func TestS3DocExamples(t *testing.T) {
	for _, d := range s3DocExamples {
		if _, err := docVerifier().Verify(d.request(d.authz()), ""); err != nil {
			t.Errorf("%s: %v", d.name, err)
		}
		_, err := docVerifier().Verify(d.request(flipLastHex(d.authz())), "")
		wantKind(t, err, KindMismatch, d.name+" with another signature")
	}
	r := serverReq("GET", "examplebucket.s3.amazonaws.com", s3DocPresigned, nil)
	a, err := (&Verifier{Now: fixedClock(docTime.Add(23 * time.Hour)), Lookup: keys(map[string]string{docAKID: docSecret})}).Verify(r, "")
	if err != nil || !a.Presigned || a.PayloadHash != UnsignedPayload {
		t.Errorf("presigned GET Object: %+v, %v", a, err)
	}
	_, err = (&Verifier{Now: fixedClock(docTime.Add(25 * time.Hour)), Lookup: keys(map[string]string{docAKID: docSecret})}).Verify(r, "")
	wantKind(t, err, KindExpired, "presigned GET Object a day later")
}

// TestAuthorizationHeaderForms: AWS accepts the components separated by
// commas, spaces or both, in any order, with extra separators.
func TestAuthorizationHeaderForms(t *testing.T) {
	d := s3DocExamples[0]
	cred := "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"
	sh := "SignedHeaders=" + d.signed
	sig := "Signature=" + d.sig
	for _, h := range []string{
		"AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig,
		"AWS4-HMAC-SHA256 " + cred + "," + sh + "," + sig,
		"AWS4-HMAC-SHA256    " + cred + " ,  " + sh + " ,,, " + sig + ",",
		"AWS4-HMAC-SHA256 " + cred + " " + sh + " " + sig,
		"AWS4-HMAC-SHA256\t" + cred + ",\t" + sh + ",\t" + sig,
		"AWS4-HMAC-SHA256 " + sig + ", " + cred + ", " + sh,
		"AWS4-HMAC-SHA256," + cred + "," + sh + "," + sig,
		"AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig + ", Extra=ignored",
	} {
		if _, err := docVerifier().Verify(d.request(h), ""); err != nil {
			t.Errorf("%q: %v", h, err)
		}
	}

	for _, c := range []struct {
		h       string
		want    Kind
		message string
	}{
		{"AWS4-HMAC-SHA256 " + sh + ", " + sig, KindIncomplete, "Authorization header requires 'Credential' parameter. Authorization="},
		{"AWS4-HMAC-SHA256 " + cred + ", " + sh, KindIncomplete, "Authorization header requires 'Signature' parameter. Authorization="},
		{"AWS4-HMAC-SHA256 " + cred + ", " + sig, KindIncomplete, "Authorization header requires 'SignedHeaders' parameter. Authorization="},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=, " + sig, KindIncomplete, "requires 'SignedHeaders'"},
		{"AWS4-HMAC-SHA256", KindIncomplete, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."},
		{"Bearer abc.def", KindIncomplete, "Authorization header requires 'Credential' parameter."},
		{"", KindIncomplete, "requires 'Credential'"},
		{"AWS4-HMAC-SHA256 Credential= AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " + sh + ", " + sig, KindIncomplete,
			"'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= AKIA"},
		{"AWS4-HMAC-SHA256 " + cred + ", " + cred + ", " + sh + ", " + sig, KindIncomplete, "more than one 'Credential'"},
		{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, " + sh + ", " + sig, KindIncomplete, "the Credential is mal-formed"},
		{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request/x, " + sh + ", " + sig, KindIncomplete, "the Credential is mal-formed"},
		{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE//us-east-1/s3/aws4_request, " + sh + ", " + sig, KindIncomplete, "the Credential is mal-formed"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=range;x-amz-date, " + sig, KindIncomplete, "'Host' or ':authority' must be a 'SignedHeader'"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x-amz-date, " + sig, KindIncomplete, "empty header name"},
		{"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", KindUnsupported, "Signature Version 2"},
		{"AWS4-ECDSA-P256-SHA256 " + cred + ", " + sh + ", " + sig, KindUnsupported, "Unsupported AWS 'algorithm'"},
		{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request, " + sh + ", " + sig, KindScopeMismatch,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20130525' != '20130524', from '20130524T000000Z'."},
		{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request, " + sh + ", " + sig, KindScopeMismatch,
			"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
	} {
		_, err := docVerifier().Verify(d.request(c.h), "")
		wantKind(t, err, c.want, c.h)
		if err != nil && !strings.Contains(err.(*Error).Message, c.message) {
			t.Errorf("%q: message %q lacks %q", c.h, err.(*Error).Message, c.message)
		}
	}

	// Two Authorization headers.
	r := d.request(d.authz())
	r.Header.Add("Authorization", d.authz())
	_, err := docVerifier().Verify(r, "")
	wantKind(t, err, KindIncomplete, "two Authorization headers")

	// No date at all, or an unreadable one.
	r = d.request(d.authz())
	r.Header.Del("X-Amz-Date")
	_, err = docVerifier().Verify(r, "")
	wantKind(t, err, KindIncomplete, "no date")
	if err != nil && !strings.Contains(err.Error(), "requires existence of either a 'X-Amz-Date' or a 'Date' header") {
		t.Errorf("no date: %v", err)
	}
	for _, bad := range []string{"2013-05-24T00:00:00Z", "20130524T000000", "20130532T000000Z", "yesterday"} {
		r = d.request(d.authz())
		r.Header.Set("X-Amz-Date", bad)
		_, err = docVerifier().Verify(r, "")
		wantKind(t, err, KindIncomplete, "X-Amz-Date "+bad)
	}
}

// TestDateHeader: without X-Amz-Date, the Date header dates the request and
// its ISO 8601 form goes into the string to sign. The canonical request is
// written out here by hand.
func TestDateHeader(t *testing.T) {
	const canonical = "GET\n/photos/cat%20.jpg\nacl=&size=10\n" +
		"date:Fri, 24 May 2013 00:00:00 GMT\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" + EmptyPayloadHash + "\n\n" +
		"date;host;x-amz-content-sha256\n" + EmptyPayloadHash
	sum := sha256.Sum256([]byte(canonical))
	sts := "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + hex.EncodeToString(sum[:])
	m := hmac.New(sha256.New, deriveKeyForTest(docSecret, "20130524", "us-east-1", "s3"))
	m.Write([]byte(sts))
	sig := hex.EncodeToString(m.Sum(nil))

	req := func(date string) *http.Request {
		r := serverReq("GET", "examplebucket.s3.amazonaws.com", "/photos/cat%20.jpg?size=10&acl", map[string]string{
			"Date": date, "X-Amz-Content-Sha256": EmptyPayloadHash,
			"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256, Signature=" + sig,
		})
		return r
	}
	a, err := docVerifier().Verify(req("Fri, 24 May 2013 00:00:00 GMT"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !a.RequestTime.Equal(docTime) {
		t.Errorf("RequestTime = %v", a.RequestTime)
	}
	_, err = docVerifier().Verify(req("Fri, 24 May 2013 00:00:01 GMT"), "")
	wantKind(t, err, KindMismatch, "another date")
	_, err = docVerifier().Verify(req("not a date"), "")
	wantKind(t, err, KindIncomplete, "unreadable Date")
	_, err = (&Verifier{Now: fixedClock(docTime.Add(20 * time.Minute)), Lookup: keys(map[string]string{docAKID: docSecret})}).Verify(req("Fri, 24 May 2013 00:00:00 GMT"), "")
	wantKind(t, err, KindSkew, "Date 20 minutes old")
	if err != nil && err.(*Error).Message != "Signature expired: 20130524T000000Z is now earlier than 20130524T000500Z (20130524T002000Z - 15 min.)" {
		t.Errorf("skew message %q", err.(*Error).Message)
	}
	_, err = (&Verifier{Now: fixedClock(docTime.Add(-20 * time.Minute)), Lookup: keys(map[string]string{docAKID: docSecret}), MaxSkew: 5 * time.Minute}).Verify(req("Fri, 24 May 2013 00:00:00 GMT"), "")
	if err == nil || err.(*Error).Message != "Signature not yet current: 20130524T000000Z is still later than 20130523T234500Z (20130523T234000Z + 5 min.)" {
		t.Errorf("future request: %v", err)
	}
}

func TestNoSignature(t *testing.T) {
	for _, c := range []struct {
		target string
		header map[string]string
		want   Kind
	}{
		{"/bucket/key", nil, KindMissing},
		{"/bucket/key?X-Amz-Date=x", nil, KindMissing},
		{"/bucket/key?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D", nil, KindUnsupported},
		{"/bucket/key?X-Amz-Signature=abc", map[string]string{"Authorization": s3DocExamples[0].authz()}, KindUnsupported},
		{"/bucket/key?X-Amz-Credential=a%2Fb", nil, KindIncomplete},
	} {
		r := serverReq("GET", "h", c.target, c.header)
		_, err := docVerifier().Verify(r, "")
		wantKind(t, err, c.want, c.target)
	}
}

func TestPresignedMalformed(t *testing.T) {
	base := strings.TrimPrefix(s3DocPresigned, "/test.txt?")
	for _, c := range []struct {
		name, from, to string
		want           Kind
	}{
		{"no expires", "&X-Amz-Expires=86400", "", KindIncomplete},
		{"no signed headers", "&X-Amz-SignedHeaders=host", "", KindIncomplete},
		{"host not signed", "X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=range", KindIncomplete},
		{"twice", "&X-Amz-Expires=86400", "&X-Amz-Expires=86400&X-Amz-Expires=86400", KindIncomplete},
		{"empty signature", "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", "X-Amz-Signature=", KindIncomplete},
		{"sigv4a", "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256", KindUnsupported},
		{"bad date", "X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130524", KindIncomplete},
		{"bad credential", "%2Fs3%2Faws4_request", "%2Fs3", KindIncomplete},
		{"scope date", "%2F20130524%2F", "%2F20130523%2F", KindScopeMismatch},
		{"streaming payload", "", "", 0},
	} {
		q := strings.Replace(base, c.from, c.to, 1)
		r := serverReq("GET", "examplebucket.s3.amazonaws.com", "/test.txt?"+q, nil)
		if c.name == "streaming payload" {
			// A presigned URL cannot carry an aws-chunked body.
			r = serverReq("PUT", "examplebucket.s3.amazonaws.com", "/test.txt?"+strings.Replace(q, "X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx-amz-content-sha256", 1),
				map[string]string{"X-Amz-Content-Sha256": StreamingSigned})
			c.want = KindUnsupported
		}
		_, err := docVerifier().Verify(r, "")
		wantKind(t, err, c.want, c.name)
	}
}

func TestPayloadHashModes(t *testing.T) {
	d := s3DocExamples[0]
	for _, c := range []struct {
		header, payload string
		want            Kind
	}{
		{"", "", KindIncomplete},
		{"nonsense", "", KindUnsupported},
		{"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "", KindUnsupported},
		{EmptyPayloadHash, "", 0},
		{EmptyPayloadHash, EmptyPayloadHash, 0},
		{strings.ToUpper(EmptyPayloadHash), EmptyPayloadHash, KindMismatch}, // agrees, but was not what was signed
		{EmptyPayloadHash, sha256Hex([]byte("x")), KindContentHashMismatch},
		{UnsignedPayload, EmptyPayloadHash, KindContentHashMismatch},
		{StreamingSigned, EmptyPayloadHash, KindContentHashMismatch},
	} {
		r := d.request(d.authz())
		if c.header == "" {
			r.Header.Del("X-Amz-Content-Sha256")
		} else {
			r.Header.Set("X-Amz-Content-Sha256", c.header)
		}
		_, err := docVerifier().Verify(r, c.payload)
		if c.want == 0 && err != nil {
			t.Errorf("%q/%q: %v", c.header, c.payload, err)
		} else if c.want != 0 {
			wantKind(t, err, c.want, c.header+"/"+c.payload)
		}
	}
}

func TestScope(t *testing.T) {
	for _, c := range []struct {
		target string
		authz  string
		want   [4]string
		ok     bool
	}{
		{"/", s3DocExamples[0].authz(), [4]string{docAKID, "20130524", "us-east-1", "s3"}, true},
		{s3DocPresigned, "", [4]string{docAKID, "20130524", "us-east-1", "s3"}, true},
		{"/", "", [4]string{}, false},
		{"/", "AWS4-HMAC-SHA256 Credential=a/b/c/d", [4]string{}, false},
		{"/", "Basic Zm9vOmJhcg==", [4]string{}, false},
		{"/?X-Amz-Credential=a%2Fb%2Fc%2Fd%2Fe&X-Amz-Credential=a%2Fb%2Fc%2Fd%2Fe", "", [4]string{}, false},
		{"/?X-Amz-Credential=AKID%2F20200101%2Feu-west-1%2Fsts%2Faws4_request", "", [4]string{"AKID", "20200101", "eu-west-1", "sts"}, true},
	} {
		r := serverReq("GET", "h", c.target, nil)
		if c.authz != "" {
			r.Header.Set("Authorization", c.authz)
		}
		a, d, reg, s, ok := Scope(r)
		if ok != c.ok || [4]string{a, d, reg, s} != c.want {
			t.Errorf("Scope(%s, %q) = %v %v", c.target, c.authz, [4]string{a, d, reg, s}, ok)
		}
	}
}

// TestErrorsHoldNoSecrets collects the errors of many failed requests and
// checks that none repeats the secret, the derived key or the signature
// the verifier expected.
func TestErrorsHoldNoSecrets(t *testing.T) {
	key := hex.EncodeToString(deriveKeyForTest(docSecret, "20130524", "us-east-1", "s3"))
	for _, d := range s3DocExamples {
		var errs []error
		for _, h := range []string{flipLastHex(d.authz()), strings.Replace(d.authz(), "us-east-1", "us-east-2", 1),
			strings.Replace(d.authz(), "Credential=", "Credential=X", 1), strings.Replace(d.authz(), ",Signature=", ",Signature ", 1),
			strings.Replace(d.authz(), "Credential=AKIAIOSFODNN7EXAMPLE/", "Credential=AKIAIOSFODNN7EXAMPLE//", 1),
			strings.Replace(d.authz(), "host;", "", 1)} {
			_, err := docVerifier().Verify(d.request(h), "")
			errs = append(errs, err)
		}
		for _, skew := range []time.Duration{-time.Hour, time.Hour} {
			_, err := (&Verifier{Now: fixedClock(docTime.Add(skew)), Lookup: keys(map[string]string{docAKID: docSecret})}).Verify(d.request(d.authz()), "")
			errs = append(errs, err)
		}
		for _, e := range errs {
			if e == nil {
				t.Fatal("a tampered request verified")
			}
			var se *Error
			if !errors.As(e, &se) {
				t.Fatalf("not an *Error: %v", e)
			}
			for _, s := range []string{se.Message, se.CanonicalRequest, se.StringToSign, se.Error()} {
				for _, secret := range []string{docSecret, key, d.sig} {
					if strings.Contains(s, secret) {
						t.Errorf("error %v holds %q", se.Kind, secret)
					}
				}
			}
		}
	}
}

func TestLookupFailure(t *testing.T) {
	boom := errors.New("database is down")
	v := &Verifier{Now: fixedClock(docTime), Lookup: func(string) (string, error) { return "", boom }}
	d := s3DocExamples[0]
	_, err := v.Verify(d.request(d.authz()), "")
	if !errors.Is(err, boom) || KindOf(err) != 0 {
		t.Errorf("lookup failure: %v", err)
	}
}

func TestKeyCache(t *testing.T) {
	d := s3DocExamples[0]
	secret := docSecret
	var mu sync.Mutex
	v := &Verifier{Now: fixedClock(docTime), KeyCacheSize: 2, Lookup: func(id string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if id != docAKID {
			return "", errNotFound(id)
		}
		return secret, nil
	}}
	if _, err := v.Verify(d.request(d.authz()), ""); err != nil {
		t.Fatal(err)
	}
	// The secret is rotated: the cached key must not be used any more.
	mu.Lock()
	secret = "rotated"
	mu.Unlock()
	_, err := v.Verify(d.request(d.authz()), "")
	wantKind(t, err, KindMismatch, "after rotation")
	mu.Lock()
	secret = docSecret
	mu.Unlock()

	// Bounded, and safe under concurrent use (run with -race).
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				region := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-south-1"}[(i+j)%4]
				h := strings.Replace(d.authz(), "us-east-1", region, 1)
				_, err := v.Verify(d.request(h), "")
				if region == "us-east-1" && err != nil || region != "us-east-1" && KindOf(err) != KindMismatch {
					t.Errorf("%s: %v", region, err)
				}
			}
		}(i)
	}
	wg.Wait()
	if n := v.keys.len(); n > 2 {
		t.Errorf("cache holds %d keys, bound 2", n)
	}
	// Disabled.
	v2 := &Verifier{Now: fixedClock(docTime), KeyCacheSize: -1, Lookup: keys(map[string]string{docAKID: docSecret})}
	if _, err := v2.Verify(d.request(d.authz()), ""); err != nil || v2.keys.len() != 0 {
		t.Errorf("uncached: %v, %d keys", err, v2.keys.len())
	}
}
