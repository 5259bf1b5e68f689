package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3 loads for cairn bench. Object calls are data events, which
// LookupEvents does not return, so their events are not verified by bench.

// benchBucket is the bucket the S3 loads use; it is created if missing.
const benchBucket = "cairn-bench"

func s3Client(cfg aws.Config, endpoint *string) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = endpoint; o.UsePathStyle = true })
}

func ensureBenchBucket(ctx context.Context, c *s3.Client) error {
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(benchBucket)})
	if err != nil && !isCode(err, "BucketAlreadyOwnedByYou") {
		return fmt.Errorf("create the bench bucket: %w", err)
	}
	return nil
}

func isCode(err error, code string) bool {
	var ae interface{ ErrorCode() string }
	return errors.As(err, &ae) && ae.ErrorCode() == code
}

// makeS3Call returns the call of an S3 load, or nil for other operations.
// With --presigned the calls are plain HTTP requests to URLs presigned
// once (each request still authenticated, authorized and recorded by the
// server), so that the load generator's own cost (the SDK signs and parses
// every call) weighs less on a machine it shares with the server.
func makeS3Call(cfg aws.Config, o *benchOptions) (callFunc, error) {
	switch {
	case o.sse != "" && o.sse != "aws:kms":
		return nil, fmt.Errorf("--sse %q: want aws:kms or nothing", o.sse)
	case o.sse != "" && (o.presigned || o.op != "s3:PutObject" && o.op != "s3:GetObject"):
		return nil, errors.New("--sse applies to the SDK loads s3:PutObject and s3:GetObject")
	case o.op == "s3:PutObject" && o.presigned:
		return s3PresignedPut(cfg, aws.String(o.endpoint), o.size, o.concurrency)
	case o.op == "s3:GetObject" && o.presigned:
		return s3PresignedGet(cfg, aws.String(o.endpoint), o.size)
	case o.op == "s3:PutObject":
		return s3Put(cfg, aws.String(o.endpoint), o.size, o.sse)
	case o.op == "s3:GetObject":
		return s3Get(cfg, aws.String(o.endpoint), o.size, o.sse)
	}
	return nil, nil
}

// presignedClient sends the presigned requests.
func presignedClient(workers int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: workers * 2, MaxIdleConnsPerHost: workers * 2}}
}

// s3PresignedPut PUTs size bytes to one of 1024 keys per call, through
// URLs presigned for an hour (a key is overwritten when its turn comes
// again).
func s3PresignedPut(cfg aws.Config, endpoint *string, size int64, workers int) (callFunc, error) {
	c := s3Client(cfg, endpoint)
	ctx := context.Background()
	if err := ensureBenchBucket(ctx, c); err != nil {
		return nil, err
	}
	ps := s3.NewPresignClient(c)
	const keys = 1024
	urls := make([]string, keys)
	prefix := strconv.FormatInt(time.Now().UnixNano(), 36)
	for i := range urls {
		req, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(prefix + "/" + strconv.Itoa(i))},
			s3.WithPresignExpires(time.Hour))
		if err != nil {
			return nil, err
		}
		urls[i] = req.URL
	}
	body := make([]byte, size)
	if _, err := rand.Read(body); err != nil {
		return nil, err
	}
	hc := presignedClient(workers)
	var n atomic.Int64
	return func(ctx context.Context) (string, error) {
		req, err := http.NewRequestWithContext(ctx, "PUT", urls[n.Add(1)%keys], bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		return doPresigned(hc, req, -1)
	}, nil
}

// s3PresignedGet reads one of 100 objects of size bytes per call through
// URLs presigned for an hour.
func s3PresignedGet(cfg aws.Config, endpoint *string, size int64) (callFunc, error) {
	get, err := s3Get(cfg, endpoint, size, "") // stores the objects
	if err != nil {
		return nil, err
	}
	_ = get
	ps := s3.NewPresignClient(s3Client(cfg, endpoint))
	const objects = 100
	urls := make([]string, objects)
	for i := range urls {
		req, err := ps.PresignGetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(benchBucket), Key: aws.String("get/" + strconv.Itoa(i))},
			s3.WithPresignExpires(time.Hour))
		if err != nil {
			return nil, err
		}
		urls[i] = req.URL
	}
	hc := presignedClient(64)
	var n atomic.Int64
	return func(ctx context.Context) (string, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", urls[n.Add(1)%objects], nil)
		if err != nil {
			return "", err
		}
		return doPresigned(hc, req, size)
	}, nil
}

// doPresigned sends a request and reads the response, checking its status
// and, for a GET, its length.
func doPresigned(hc *http.Client, req *http.Request, want int64) (string, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	got, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	if want >= 0 && got != want {
		return "", fmt.Errorf("read %d bytes of %d", got, want)
	}
	return resp.Header.Get("X-Amz-Request-Id"), nil
}

// s3Put is `--op s3:PutObject`: each call stores a fresh object of size
// random bytes under a new key.
func s3Put(cfg aws.Config, endpoint *string, size int64, sse string) (callFunc, error) {
	c := s3Client(cfg, endpoint)
	if err := ensureBenchBucket(context.Background(), c); err != nil {
		return nil, err
	}
	enc, err := benchEncryption(context.Background(), cfg, endpoint, sse)
	if err != nil {
		return nil, err
	}
	body := make([]byte, size)
	if _, err := rand.Read(body); err != nil {
		return nil, err
	}
	var n atomic.Int64
	prefix := strconv.FormatInt(time.Now().UnixNano(), 36)
	return func(ctx context.Context) (string, error) {
		key := prefix + "/" + strconv.FormatInt(n.Add(1), 10)
		r, err := c.PutObject(ctx, enc(&s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(key), Body: bytes.NewReader(body)}))
		if err != nil {
			return "", err
		}
		return requestID(r.ResultMetadata), nil
	}, nil
}

// s3Get is `--op s3:GetObject`: the calls read (and check) one of 100
// objects of size bytes stored beforehand.
func s3Get(cfg aws.Config, endpoint *string, size int64, sse string) (callFunc, error) {
	c := s3Client(cfg, endpoint)
	ctx := context.Background()
	if err := ensureBenchBucket(ctx, c); err != nil {
		return nil, err
	}
	enc, err := benchEncryption(ctx, cfg, endpoint, sse)
	if err != nil {
		return nil, err
	}
	body := make([]byte, size)
	if _, err := rand.Read(body); err != nil {
		return nil, err
	}
	const objects = 100
	for i := range objects {
		if _, err := c.PutObject(ctx, enc(&s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String("get/" + strconv.Itoa(i)),
			Body: bytes.NewReader(body)})); err != nil {
			return nil, fmt.Errorf("store the objects to read: %w", err)
		}
	}
	var n atomic.Int64
	return func(ctx context.Context) (string, error) {
		key := "get/" + strconv.FormatInt(n.Add(1)%objects, 10)
		r, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(key)})
		if err != nil {
			return "", err
		}
		got, err := io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if err != nil {
			return "", err
		}
		if got != size {
			return "", fmt.Errorf("read %d bytes of %d", got, size)
		}
		return requestID(r.ResultMetadata), nil
	}, nil
}

// patternReader yields left bytes of a repeating random pattern without
// holding them, so that the load generator's memory stays flat.
type patternReader struct {
	pattern []byte
	left    int64
	off     int
}

func newPatternReader(size int64) *patternReader {
	p := &patternReader{pattern: make([]byte, 1<<20), left: size}
	_, _ = rand.Read(p.pattern)
	return p
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.pattern[p.off:])
	if int64(n) > p.left {
		n = int(p.left)
	}
	p.off = (p.off + n) % len(p.pattern)
	p.left -= int64(n)
	return n, nil
}

// benchLarge uploads one object of size bytes in a single streamed PUT
// (UNSIGNED-PAYLOAD: the client does not read the body twice) and reads it
// back, reporting MB/s each way and checking the MD5 both ways.
func benchLarge(ctx context.Context, cfg aws.Config, endpoint string, size int64, out io.Writer) error {
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	if err := ensureBenchBucket(ctx, c); err != nil {
		return err
	}
	sum := md5.New()
	body := io.TeeReader(newPatternReader(size), sum)
	t0 := time.Now()
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String("large"), Body: body,
		ContentLength: aws.Int64(size)}, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	up := time.Since(t0)
	if want := `"` + hex.EncodeToString(sum.Sum(nil)) + `"`; aws.ToString(put.ETag) != want {
		return fmt.Errorf("put: ETag %s, want %s", aws.ToString(put.ETag), want)
	}
	t0 = time.Now()
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(benchBucket), Key: aws.String("large")})
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	h := md5.New()
	n, err := io.Copy(h, get.Body)
	get.Body.Close()
	down := time.Since(t0)
	if err != nil || n != size {
		return fmt.Errorf("get: %d bytes, %v", n, err)
	}
	if got := `"` + hex.EncodeToString(h.Sum(nil)) + `"`; got != aws.ToString(put.ETag) {
		return errors.New("get: the object came back different")
	}
	mb := float64(size) / 1e6
	fmt.Fprintf(out, "s3 large object: %d bytes, PUT %s (%.0f MB/s), GET %s (%.0f MB/s)\n",
		size, up.Round(time.Millisecond), mb/up.Seconds(), down.Round(time.Millisecond), mb/down.Seconds())
	return nil
}

// benchEncryption returns what sets the encryption of the objects a load
// writes: nothing for SSE-S3 (the bucket default), or SSE-KMS under the
// key aliased alias/cairn-bench, created on first use.
func benchEncryption(ctx context.Context, cfg aws.Config, endpoint *string, sse string) (func(*s3.PutObjectInput) *s3.PutObjectInput, error) {
	if sse == "" {
		return func(in *s3.PutObjectInput) *s3.PutObjectInput { return in }, nil
	}
	k := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = endpoint })
	const alias = "alias/cairn-bench"
	d, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	keyARN := ""
	switch {
	case err == nil:
		keyARN = aws.ToString(d.KeyMetadata.Arn)
	case isCode(err, "NotFoundException"):
		made, err := k.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("cairn bench")})
		if err != nil {
			return nil, fmt.Errorf("create the bench key: %w", err)
		}
		keyARN = aws.ToString(made.KeyMetadata.Arn)
		if _, err := k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: aws.String(keyARN)}); err != nil {
			return nil, fmt.Errorf("alias the bench key: %w", err)
		}
	default:
		return nil, fmt.Errorf("find the bench key: %w", err)
	}
	return func(in *s3.PutObjectInput) *s3.PutObjectInput {
		in.ServerSideEncryption, in.SSEKMSKeyId = s3types.ServerSideEncryptionAwsKms, aws.String(keyARN)
		return in
	}, nil
}
