package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

const (
	testAccount = "123456789012"
	testRootKey = "AKIAROOTTESTKEY00001"
	testRootSec = "rootSecretKeyForTestsOnly0000000000000000"
)

// testClock is a settable clock shared by the server under test.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().UTC().Add(c.off)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// cairnServer is an in-process Cairn on 127.0.0.1:0.
type cairnServer struct {
	endpoint string
	data     string
	clock    *testClock
	stop     func()
}

func startCairn(t *testing.T) *cairnServer {
	t.Helper()
	return startCairnIn(t, t.TempDir())
}

func startCairnIn(t *testing.T, data string, opts ...func(*serveOptions)) *cairnServer {
	t.Helper()
	clock := &testClock{}
	o := &serveOptions{
		listen: "127.0.0.1:0", data: data, accountID: testAccount, logLevel: "error",
		rootAccessKeyID: testRootKey, rootSecretAccessKey: testRootSec, clock: clock,
	}
	for _, opt := range opts {
		opt(o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs io.Writer = io.Discard
	if os.Getenv("CAIRN_TEST_LOG") != "" { // the server's log, for debugging a test
		logs = os.Stderr
	}
	go func() { done <- runServe(ctx, o, io.Discard, logs, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("cairn did not start: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("cairn did not start in 20s")
	}
	var once sync.Once
	s := &cairnServer{endpoint: "http://" + addr, data: data, clock: clock}
	s.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve returned %v", err)
			}
		})
	}
	t.Cleanup(s.stop)
	return s
}

func (s *cairnServer) config(keyID, secret, token string) aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, token),
		RetryMaxAttempts: 1,
		BaseEndpoint:     aws.String(s.endpoint),
	}
}

func (s *cairnServer) root() aws.Config { return s.config(testRootKey, testRootSec, "") }

func (s *cairnServer) iam(cfg aws.Config) *iam.Client { return iam.NewFromConfig(cfg) }
func (s *cairnServer) sts(cfg aws.Config) *sts.Client { return sts.NewFromConfig(cfg) }
func (s *cairnServer) cloudtrail(cfg aws.Config) *cloudtrail.Client {
	return cloudtrail.NewFromConfig(cfg)
}

// signedQuery sends a Query request signed at the given time with c.
func (s *cairnServer) signedQuery(t *testing.T, c *ststypes.Credentials, service, body string, at time.Time) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.endpoint+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
