package sns

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Confirmation tokens. Subscribe sends one to the endpoint in its
// SubscriptionConfirmation; Unsubscribe sends one in its
// UnsubscribeConfirmation, which restores the subscription. A token is a
// capability for three days (AWS: "Confirmation tokens are valid for three
// days"): whoever holds it may confirm, signed or not.
//
// A token is a secret: only its SHA-256 is stored (sns_tokens, keyed by
// the hex hash), so the store cannot give one back. Looking a token up by
// its hash and comparing the stored hash in constant time reveals nothing
// about other tokens through timing.

const (
	tableTokens = "sns_tokens"
	// tokenBytes makes 288 hex digits, the length of AWS's tokens.
	tokenBytes    = 144
	tokenValidity = 3 * 24 * time.Hour
)

// tokenRec is a stored token.
type tokenRec struct {
	Hash            string
	TopicARN        string
	SubscriptionARN string
	Expires         time.Time
	// Restore, set for an UnsubscribeConfirmation's token, is the
	// subscription as it was: confirming recreates it.
	Restore *subRec `json:",omitempty"`
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken makes a token for a subscription and stores its hash.
func (s *Service) newToken(tx store.Tx, sub *subRec, now time.Time, restore bool) (string, error) {
	token := hex.EncodeToString(s.cfg.IDs.Token(tokenBytes))
	rec := tokenRec{Hash: tokenHash(token), TopicARN: sub.TopicARN, SubscriptionARN: sub.ARN, Expires: now.Add(tokenValidity)}
	if restore {
		cp := *sub
		rec.Restore = &cp
	}
	if err := store.InsertJSON(tx, tableTokens, rec.Hash, &rec); err != nil {
		return "", errorf("store a token: %w", err)
	}
	return token, nil
}

// lookupToken finds a live token of topicARN; InvalidParameter "Token"
// [aws] for anything else (unknown, expired, another topic's).
func lookupToken(tx store.Tx, token, topicARN string, now time.Time) (*tokenRec, error) {
	h := tokenHash(token)
	var rec tokenRec
	err := store.GetJSON(tx, tableTokens, h, &rec)
	switch {
	case errors.Is(err, cairn.ErrNotFound):
		return nil, invalid("Token")
	case err != nil:
		return nil, err
	case subtle.ConstantTimeCompare([]byte(rec.Hash), []byte(h)) != 1, rec.TopicARN != topicARN, !now.Before(rec.Expires):
		return nil, invalid("Token")
	}
	return &rec, nil
}
