package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// kmsRoundTripHTTP is `cairn bench --op kms:EncryptDecrypt --signed-http`:
// the same round trip as kmsRoundTrip, each request signed with SigV4 by
// the load generator and written on a keep-alive connection of its own. The
// server does the same work per call; the load generator does less of its
// own (the SDK's middleware stack costs it about as much CPU per call as
// the server spends), which matters on a machine the two share.
func kmsRoundTripHTTP(cfg aws.Config, endpoint string, workers int) (callFunc, error) {
	ctx := context.Background()
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	c := &kmsHTTP{
		idle:     make(chan *connection, workers),
		endpoint: endpoint,
		region:   cfg.Region,
		creds:    creds,
		signer:   v4.NewSigner(),
	}
	var key struct{ KeyMetadata struct{ KeyId string } }
	if err := c.call(ctx, "CreateKey", map[string]any{"Description": "cairn bench"}, &key); err != nil {
		return nil, fmt.Errorf("create the bench key: %w", err)
	}
	if key.KeyMetadata.KeyId == "" {
		return nil, errors.New("create the bench key: the endpoint returned no key")
	}
	ec := map[string]string{"purpose": "cairn-bench"}
	return func(ctx context.Context) (string, error) {
		plaintext := make([]byte, 1024)
		if _, err := rand.Read(plaintext); err != nil {
			return "", err
		}
		var enc struct{ CiphertextBlob []byte }
		err := c.call(ctx, "Encrypt", map[string]any{"KeyId": key.KeyMetadata.KeyId, "Plaintext": plaintext, "EncryptionContext": ec}, &enc)
		if err != nil {
			return "", err
		}
		var dec struct{ Plaintext []byte }
		id, err := c.callID(ctx, "Decrypt", map[string]any{"CiphertextBlob": enc.CiphertextBlob, "EncryptionContext": ec}, &dec)
		if err != nil {
			return "", err
		}
		if !bytes.Equal(dec.Plaintext, plaintext) {
			return "", errors.New("decrypt returned another plaintext")
		}
		return id, nil
	}, nil
}

// kmsHTTP sends KMS JSON 1.1 calls signed with SigV4.
type kmsHTTP struct {
	idle     chan *connection
	endpoint string
	region   string
	creds    aws.Credentials
	signer   *v4.Signer
}

func (c *kmsHTTP) call(ctx context.Context, op string, in, out any) error {
	_, err := c.callID(ctx, op, in, out)
	return err
}

// callID makes one call and returns its request ID.
func (c *kmsHTTP) callID(ctx context.Context, op string, in, out any) (string, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService."+op)
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, c.creds, req, hex.EncodeToString(sum[:]), "kms", c.region, time.Now()); err != nil {
		return "", fmt.Errorf("sign %s: %w", op, err)
	}
	resp, err := c.do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: status %d: %s", op, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return "", fmt.Errorf("%s: decode response: %w", op, err)
	}
	return resp.Header.Get("X-Amzn-Requestid"), nil
}

// connection is one worker's keep-alive connection.
type connection struct {
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
}

// do sends req on an idle connection of the pool (dialing one when none
// is idle) and reads its response, without net/http's transport
// goroutines: each request costs one write and, mostly, one read.
func (c *kmsHTTP) do(req *http.Request) (*http.Response, error) {
	var cn *connection
	select {
	case cn = <-c.idle:
	default:
		conn, err := net.Dial("tcp", req.URL.Host)
		if err != nil {
			return nil, err
		}
		cn = &connection{conn: conn, r: bufio.NewReaderSize(conn, 16<<10), w: bufio.NewWriterSize(conn, 16<<10)}
	}
	if err := req.Write(cn.w); err != nil {
		cn.conn.Close()
		return nil, err
	}
	if err := cn.w.Flush(); err != nil {
		cn.conn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(cn.r, req)
	if err != nil {
		cn.conn.Close()
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		cn.conn.Close()
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	select {
	case c.idle <- cn:
	default:
		cn.conn.Close()
	}
	return resp, nil
}

// kmsEcho is the bare handler of `--op kms:EncryptDecrypt --baseline`: a
// KMS look-alike that checks nothing, keeps nothing and encrypts nothing
// (Encrypt answers the plaintext as the ciphertext, Decrypt the reverse),
// so that the load generator's checks pass and only HTTP and JSON are
// left to measure.
type kmsEcho struct{}

func (kmsEcho) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in struct{ Plaintext, CiphertextBlob []byte }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var out any
	switch r.Header.Get("X-Amz-Target") {
	case "TrentService.CreateKey":
		out = map[string]any{"KeyMetadata": map[string]any{"KeyId": kmsEchoKey, "Arn": "arn:aws:kms:us-east-1:111122223333:key/" + kmsEchoKey}}
	case "TrentService.Encrypt":
		out = map[string]any{"CiphertextBlob": in.Plaintext, "KeyId": kmsEchoKey}
	case "TrentService.Decrypt":
		out = map[string]any{"Plaintext": in.CiphertextBlob, "KeyId": kmsEchoKey}
	default:
		http.Error(w, "unsupported", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "00000000-0000-4000-8000-000000000000")
	_ = json.NewEncoder(w).Encode(out)
}

const kmsEchoKey = "00000000-0000-4000-8000-000000000001"
