package cairn

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Clock tells the time. Production uses SystemClock; tests inject their own.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock in UTC.
type SystemClock struct{}

// Now returns the current UTC time.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ManualClock is a Clock that moves only when told: tests and simulations
// of hours, days or retention periods. Safe for concurrent use.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a ManualClock set to t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// IDs produces identifiers. Production uses RandomIDs; tests may inject a
// deterministic source.
type IDs interface {
	// UUID returns a random RFC 4122 version 4 UUID in its 36-character form.
	UUID() string
	// Token returns n bytes of cryptographically secure randomness.
	Token(n int) []byte
}

// RandomIDs draws from crypto/rand.
type RandomIDs struct{}

// UUID returns a version 4 UUID.
func (RandomIDs) UUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatUUID(b)
}

// Token returns n random bytes.
func (RandomIDs) Token(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatRaw(b)
}

func formatRaw(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// NewEventID returns a version 7 UUID: its first 48 bits are the Unix time in
// milliseconds, the rest random. Event IDs are indexed; time-ordered IDs
// land at the end of the index instead of on a random page, which keeps the
// cost of recording an event flat as history grows. They remain valid
// RFC 9562 UUIDs in the 36-character form CloudTrail uses.
func NewEventID(ids IDs, t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	copy(b[6:], ids.Token(10))
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return formatRaw(b)
}
