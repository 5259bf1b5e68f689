package sns

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"sync"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// The signing key. SNS signs every message it delivers to HTTP/S endpoints
// with an RSA key whose certificate subscribers fetch from SigningCertURL.
// Cairn makes one RSA-2048 key for the deployment on first use, with a
// self-signed certificate (CN sns.amazonaws.com), and keeps the private
// key sealed under the root key (additional data: its fingerprint). The
// certificate is served at <endpoint>/_cairn/sns/<CertName()>, its name
// AWS's SimpleNotificationService-<fingerprint>.pem.

const (
	tableSigning   = "sns_signing"
	signingCurrent = "current"
	signingBits    = 2048
	// certValidity is how long the certificate is valid; the key is not
	// rotated.
	certValidity = 10 * 365 * 24 * time.Hour
)

// signingRec is the stored key.
type signingRec struct {
	Fingerprint string // hex, 32 digits: the first 16 bytes of SHA-256(cert DER)
	CertDER     []byte
	Sealed      []byte // PKCS#1 private key, sealed
}

// signer is the loaded key.
type signer struct {
	key         *rsa.PrivateKey
	fingerprint string
	certPEM     []byte
}

// signingKeys caches the loaded key; it is made once and never changes.
type signingKeys struct {
	mu  sync.Mutex
	cur *signer
}

func signingAAD(fingerprint string) []byte { return []byte("sns-signing-key|" + fingerprint) }

// certName is the file name of the certificate in SigningCertURL.
func certName(fingerprint string) string { return "SimpleNotificationService-" + fingerprint + ".pem" }

// signer returns the deployment's signing key, making it on first use.
func (s *Service) signer(ctx context.Context) (*signer, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.cur != nil {
		return s.keys.cur, nil
	}
	var rec signingRec
	err := s.view(ctx, func(tx store.Tx) error { return store.GetJSON(tx, tableSigning, signingCurrent, &rec) })
	if errors.Is(err, cairn.ErrNotFound) {
		rec, err = s.newSigningKey()
		if err == nil {
			err = s.update(ctx, func(tx store.Tx) error {
				if err := store.InsertJSON(tx, tableSigning, signingCurrent, &rec); !errors.Is(err, cairn.ErrExists) {
					return err
				}
				return store.GetJSON(tx, tableSigning, signingCurrent, &rec)
			})
		}
	}
	if err != nil {
		return nil, errorf("signing key: %w", err)
	}
	der, err := s.cfg.Sealer.Open(rec.Sealed, signingAAD(rec.Fingerprint))
	if err != nil {
		return nil, errorf("open the signing key: %w", err)
	}
	key, err := x509.ParsePKCS1PrivateKey(der)
	if err != nil {
		return nil, errorf("parse the signing key: %w", err)
	}
	s.keys.cur = &signer{key: key, fingerprint: rec.Fingerprint,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rec.CertDER})}
	return s.keys.cur, nil
}

// newSigningKey makes a key and its self-signed certificate.
func (s *Service) newSigningKey() (signingRec, error) {
	key, err := rsa.GenerateKey(rand.Reader, signingBits)
	if err != nil {
		return signingRec{}, err
	}
	now := s.cfg.Clock.Now().UTC()
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(s.cfg.IDs.Token(16)),
		Subject:      pkix.Name{CommonName: "sns.amazonaws.com", Organization: []string{"Cairn"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		DNSNames:     []string{"sns.amazonaws.com"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return signingRec{}, err
	}
	sum := sha256.Sum256(der)
	fp := hex.EncodeToString(sum[:16])
	sealed, err := s.cfg.Sealer.Seal(x509.MarshalPKCS1PrivateKey(key), signingAAD(fp))
	if err != nil {
		return signingRec{}, err
	}
	return signingRec{Fingerprint: fp, CertDER: der, Sealed: sealed}, nil
}

// SigningCertificate returns the file name and PEM of the certificate
// messages are signed under (making the key on first use), for the
// wiring to serve unauthenticated at the SigningCertURL of every message.
// Errors are internal failures.
func (s *Service) SigningCertificate(ctx context.Context) (name string, certPEM []byte, err error) {
	k, err := s.signer(ctx)
	if err != nil {
		return "", nil, err
	}
	return certName(k.fingerprint), k.certPEM, nil
}

// certURL is a message's SigningCertURL.
func (s *Service) certURL(k *signer) string {
	return s.cfg.Endpoint + "/_cairn/sns/" + certName(k.fingerprint)
}

// sign signs a message's canonical string: SHA1withRSA for
// SignatureVersion 1, SHA256withRSA for 2; base64.
func (k *signer) sign(version, canonical string) (string, error) {
	var sig []byte
	var err error
	if version == "2" {
		sum := sha256.Sum256([]byte(canonical))
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, sum[:])
	} else {
		sum := sha1.Sum([]byte(canonical))
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA1, sum[:])
	}
	if err != nil {
		return "", errorf("sign a message: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}
