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
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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
func makeS3Call(cfg aws.Config, o *benchOptions) (callFunc, error) {
	switch o.op {
	case "s3:PutObject":
		return s3Put(cfg, aws.String(o.endpoint), o.size)
	case "s3:GetObject":
		return s3Get(cfg, aws.String(o.endpoint), o.size)
	}
	return nil, nil
}

// s3Put is `--op s3:PutObject`: each call stores a fresh object of size
// random bytes under a new key.
func s3Put(cfg aws.Config, endpoint *string, size int64) (callFunc, error) {
	c := s3Client(cfg, endpoint)
	if err := ensureBenchBucket(context.Background(), c); err != nil {
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
		r, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(key), Body: bytes.NewReader(body)})
		if err != nil {
			return "", err
		}
		return requestID(r.ResultMetadata), nil
	}, nil
}

// s3Get is `--op s3:GetObject`: the calls read (and check) one of 100
// objects of size bytes stored beforehand.
func s3Get(cfg aws.Config, endpoint *string, size int64) (callFunc, error) {
	c := s3Client(cfg, endpoint)
	ctx := context.Background()
	if err := ensureBenchBucket(ctx, c); err != nil {
		return nil, err
	}
	body := make([]byte, size)
	if _, err := rand.Read(body); err != nil {
		return nil, err
	}
	const objects = 100
	for i := range objects {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String("get/" + strconv.Itoa(i)),
			Body: bytes.NewReader(body)}); err != nil {
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
