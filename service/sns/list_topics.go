package sns

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// pageSize is how many topics or subscriptions one listing returns [aws].
const pageSize = 100

// ListTopics lists the caller's topics in the request's region, 100 at a
// time, in ARN order.
func (s *Service) ListTopics(ctx context.Context, c *cairn.Call, in *ListTopicsInput) (*ListTopicsOutput, error) {
	prefix := topicARNOf(c.Region, c.Account(), "")
	after, err := pageStart(in.NextToken, prefix)
	if err != nil {
		return nil, err
	}
	out := &ListTopicsOutput{Topics: []Topic{}}
	var last string
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tableTopics, prefix, after, pageSize+1, func(key string, _ []byte) error {
			if len(out.Topics) == pageSize {
				out.NextToken = pageToken(last)
				return store.ErrStop
			}
			out.Topics = append(out.Topics, Topic{TopicArn: key})
			last = key
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pageToken is the NextToken after key: opaque to callers.
func pageToken(key string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte(key))
	return &t
}

// pageStart reads a NextToken of a listing under prefix.
func pageStart(token *string, prefix string) (string, error) {
	if token == nil || *token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*token)
	if err != nil || !strings.HasPrefix(string(b), prefix) {
		return "", invalid("NextToken")
	}
	return string(b), nil
}
