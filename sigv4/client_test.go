package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The real aws-sdk-go-v2 clients, talking to a Go server that verifies what
// they send: the signer as the clients drive it, the paths and queries
// their serializers build, and the aws-chunked bodies with trailing
// checksums the S3 client streams.

// seen is what the test server verified for one request.
type seen struct {
	method, uri string
	auth        *Auth
	err         error // from Verify or from reading the payload
	body        []byte
	trailers    http.Header
}

type verifyingServer struct {
	t   *testing.T
	v   *Verifier
	mu  sync.Mutex
	log []seen
	srv *httptest.Server
}

func newVerifyingServer(t *testing.T) *verifyingServer {
	vs := &verifyingServer{t: t, v: &Verifier{
		Now:    time.Now, // the SDK signs with the wall clock
		Lookup: keys(map[string]string{sdkCreds.AccessKeyID: sdkCreds.SecretAccessKey}),
	}}
	vs.srv = httptest.NewTLSServer(http.HandlerFunc(vs.serve))
	t.Cleanup(vs.srv.Close)
	return vs
}

func (vs *verifyingServer) serve(w http.ResponseWriter, r *http.Request) {
	s := seen{method: r.Method, uri: r.RequestURI}
	_, _, _, service, _ := Scope(r)
	if service == "s3" {
		s.auth, s.err = vs.v.Verify(r, "")
		if s.err == nil {
			var pr io.Reader
			pr, s.err = NewPayloadReader(r.Body, s.auth, r.Header)
			if s.err == nil {
				s.body, s.err = io.ReadAll(pr)
			}
			if cr, ok := pr.(*ChunkedReader); ok {
				s.trailers = cr.Trailers()
			}
		}
	} else {
		// Query and JSON services: the server reads the whole body first.
		s.body, _ = io.ReadAll(r.Body)
		sum := sha256.Sum256(s.body)
		s.auth, s.err = vs.v.Verify(r, hex.EncodeToString(sum[:]))
	}
	vs.mu.Lock()
	vs.log = append(vs.log, s)
	vs.mu.Unlock()
	if s.err != nil {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	switch {
	case service == "s3" && r.Method == http.MethodPut:
		w.Header().Set("ETag", `"etag"`)
	case service == "s3" && r.Method == http.MethodGet && r.URL.Query().Has("list-type"):
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>`)
	case service == "s3":
		io.WriteString(w, "object")
	case service == "sts":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>AIDA</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`)
	case service == "iam":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>`)
	}
}

// last returns what the server saw of the latest request.
func (vs *verifyingServer) last() seen {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if len(vs.log) == 0 {
		vs.t.Fatal("the server saw no request")
	}
	return vs.log[len(vs.log)-1]
}

func (vs *verifyingServer) clientOptions() (aws.Credentials, *http.Client, string) {
	return sdkCreds, vs.srv.Client(), vs.srv.URL
}

func newS3(vs *verifyingServer, opt ...func(*s3.Options)) *s3.Client {
	creds, hc, url := vs.clientOptions()
	return s3.New(s3.Options{
		Region:       "us-east-1",
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		BaseEndpoint: aws.String(url),
		UsePathStyle: true,
		HTTPClient:   hc,
		// Fail fast: a rejected request is not worth retrying.
		RetryMaxAttempts: 1,
	}, opt...)
}

// onlyReader hides every method but Read, so the SDK cannot seek the body
// and must stream it (aws-chunked with a trailing checksum).
type onlyReader struct{ io.Reader }

func TestS3ClientRoundTrip(t *testing.T) {
	vs := newVerifyingServer(t)
	ctx := context.Background()
	big := bytes.Repeat([]byte("0123456789"), 600_000) // 6 MB
	keys := []string{"plain.txt", "dir/ünï cödé+plus (1)~!*'.txt", "a//b/./c/../d", "%41%2F", "x?y#z&w=v"}

	for _, tc := range []struct {
		name   string
		body   func() io.Reader
		data   []byte
		algo   string
		stream bool
	}{
		{"seekable", func() io.Reader { return bytes.NewReader([]byte("hello world")) }, []byte("hello world"), "", false},
		{"streamed crc32", func() io.Reader { return onlyReader{bytes.NewReader([]byte("hello world"))} }, []byte("hello world"), "CRC32", true},
		{"streamed crc32c", func() io.Reader { return onlyReader{bytes.NewReader(big)} }, big, "CRC32C", true},
		{"streamed crc64nvme", func() io.Reader { return onlyReader{bytes.NewReader(big)} }, big, "CRC64NVME", true},
		{"streamed sha1", func() io.Reader { return onlyReader{bytes.NewReader(big)} }, big, "SHA1", true},
		{"streamed sha256", func() io.Reader { return onlyReader{bytes.NewReader(big)} }, big, "SHA256", true},
	} {
		for _, key := range keys {
			t.Run(tc.name+"/"+key, func(t *testing.T) {
				in := &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key), Body: tc.body(),
					ContentLength: aws.Int64(int64(len(tc.data)))}
				if tc.algo != "" {
					in.ChecksumAlgorithm = s3types(tc.algo)
				}
				_, err := newS3(vs).PutObject(ctx, in)
				got := vs.last()
				if got.err != nil {
					t.Fatalf("server rejected %s %s: %v", got.method, got.uri, got.err)
				}
				if err != nil {
					t.Fatalf("PutObject: %v", err)
				}
				if !bytes.Equal(got.body, tc.data) {
					t.Fatalf("server read %d bytes, sent %d", len(got.body), len(tc.data))
				}
				if tc.stream && !strings.HasPrefix(got.auth.PayloadHash, "STREAMING-") {
					t.Errorf("payload hash %s, expected an aws-chunked upload", got.auth.PayloadHash)
				}
				if tc.algo != "" && got.trailers.Get("x-amz-checksum-"+strings.ToLower(tc.algo)) == "" && !tc.stream {
					t.Logf("checksum sent as a header, not a trailer")
				}
				if tc.stream && got.trailers.Get("x-amz-checksum-"+strings.ToLower(tc.algo)) == "" {
					t.Errorf("no %s trailer; trailers %v", tc.algo, got.trailers)
				}
			})
		}
	}

	t.Run("list with awkward query", func(t *testing.T) {
		_, err := newS3(vs).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bucket"),
			Prefix: aws.String("a/b c+d"), Delimiter: aws.String("/"), StartAfter: aws.String("€ +!*'()~")})
		if got := vs.last(); got.err != nil {
			t.Fatalf("server rejected %s: %v", got.uri, got.err)
		}
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("get with range", func(t *testing.T) {
		_, err := newS3(vs).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String(keys[1]), Range: aws.String("bytes=0-3")})
		if got := vs.last(); got.err != nil {
			t.Fatalf("server rejected %s: %v", got.uri, got.err)
		}
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("presigned get", func(t *testing.T) {
		for _, key := range keys {
			p, err := s3.NewPresignClient(newS3(vs)).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key)},
				s3.WithPresignExpires(10*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(p.Method, p.URL, nil)
			for k, v := range p.SignedHeader {
				if k != "Host" {
					req.Header[k] = v
				}
			}
			resp, err := vs.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := vs.last(); got.err != nil || !got.auth.Presigned {
				t.Errorf("presigned %s: %v", got.uri, got.err)
			}
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		c := newS3(vs, func(o *s3.Options) {
			o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: sdkCreds.AccessKeyID, SecretAccessKey: "not the secret"}, nil
			})
		})
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("k"), Body: onlyReader{strings.NewReader("x")},
			ContentLength: aws.Int64(1)})
		if err == nil {
			t.Fatal("accepted")
		}
		wantKind(t, vs.last().err, KindMismatch, "wrong secret")
	})
}

func TestQueryClientsRoundTrip(t *testing.T) {
	vs := newVerifyingServer(t)
	creds, hc, url := vs.clientOptions()
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	ctx := context.Background()

	stsc := sts.New(sts.Options{Region: "eu-west-1", Credentials: provider, BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1})
	if _, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("GetCallerIdentity: %v (server: %v)", err, vs.last().err)
	}
	if a := vs.last().auth; a == nil || a.Service != "sts" || a.Region != "eu-west-1" {
		t.Errorf("sts auth = %+v", a)
	}

	iamc := iam.New(iam.Options{Region: "us-east-1", Credentials: provider, BaseEndpoint: aws.String(url + "/some//path/./"), HTTPClient: hc, RetryMaxAttempts: 1})
	if _, err := iamc.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/division_abc/ünï cödé/")}); err != nil {
		t.Errorf("ListUsers: %v (server: %v)", err, vs.last().err)
	}
	if got := vs.last(); got.err != nil || got.auth.Service != "iam" {
		t.Errorf("iam: %+v", got)
	}
}

func s3types(algo string) types.ChecksumAlgorithm { return types.ChecksumAlgorithm(algo) }
