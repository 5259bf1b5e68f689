package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"sync"
)

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// deriveKey computes the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminator)
}

// defaultKeyCacheSize bounds the signing key cache when
// Verifier.KeyCacheSize is zero.
const defaultKeyCacheSize = 1024

type keyID struct{ accessKeyID, date, region, service string }

type cachedKey struct {
	secret string // the secret the key was derived from, to notice rotation
	key    []byte
}

// keyCache holds derived signing keys. A key is valid for one access key,
// day, region and service, so a busy server derives each once a day instead
// of four HMACs per request. It is bounded: when full, an arbitrary entry is
// dropped. Safe for concurrent use.
type keyCache struct {
	mu sync.RWMutex
	m  map[keyID]cachedKey
}

// signingKey returns the signing key for secret in the scope, from the cache
// when the cached key was derived from the same secret. The returned slice
// is shared and must not be modified.
func (c *keyCache) signingKey(max int, id keyID, secret string) []byte {
	if max < 0 {
		return deriveKey(secret, id.date, id.region, id.service)
	}
	if max == 0 {
		max = defaultKeyCacheSize
	}
	c.mu.RLock()
	e, ok := c.m[id]
	c.mu.RUnlock()
	if ok && len(e.secret) == len(secret) && subtle.ConstantTimeCompare([]byte(e.secret), []byte(secret)) == 1 {
		return e.key
	}
	key := deriveKey(secret, id.date, id.region, id.service)
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[keyID]cachedKey)
	}
	if _, exists := c.m[id]; !exists {
		for k := range c.m {
			if len(c.m) < max {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[id] = cachedKey{secret: secret, key: key}
	c.mu.Unlock()
	return key
}

func (c *keyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
