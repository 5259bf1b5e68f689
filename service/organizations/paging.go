package organizations

import (
	"encoding/base64"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/store"
)

// Paging: MaxResults 1–20 (the model's bounds; 20 when absent). NextToken
// is opaque: the base64 of the last key returned, which must lie under the
// listing's prefix so that a token cannot reach into another listing.

const maxResultsLimit = 20

func maxResults(p *int32) (int, error) {
	if p == nil {
		return maxResultsLimit, nil
	}
	switch n := *p; {
	case n < 1:
		return 0, errInvalidInput(msgMinValue)
	case n > maxResultsLimit:
		return 0, errInvalidInput(msgMaxValue)
	default:
		return int(n), nil
	}
}

func errBadToken() error { return errInvalidInput(msgInvalidNextToken) }

func encodeToken(key string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte(key))
	return &t
}

// decodeToken returns the key a token stands for, "" for none.
func decodeToken(p *string, prefix string) (string, error) {
	if p == nil {
		return "", nil
	}
	if *p == "" || len(*p) > 1024 {
		return "", errBadToken()
	}
	b, err := base64.RawURLEncoding.DecodeString(*p)
	if err != nil || !strings.HasPrefix(string(b), prefix) {
		return "", errBadToken()
	}
	return string(b), nil
}

// scanPage lists the values of table under prefix after the token: decode
// turns each into an item. It reads one item past the page to tell whether
// the listing goes on.
func scanPage[T any](tx store.Tx, table, prefix string, token *string, limit int, decode func(key string, value []byte) (T, error)) ([]T, *string, error) {
	after, err := decodeToken(token, prefix)
	if err != nil {
		return nil, nil, err
	}
	var (
		items []T
		last  string
		more  bool
	)
	err = tx.Scan(table, prefix, after, 0, func(key string, value []byte) error {
		if len(items) == limit {
			more = true
			return store.ErrStop
		}
		item, err := decode(key, value)
		if err != nil {
			return err
		}
		items = append(items, item)
		last = key
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if more {
		return items, encodeToken(last), nil
	}
	return items, nil, nil
}

// pageSlice pages through items, sorted here by key. scope is prepended to
// keys inside tokens, so a token of one listing is refused by another.
func pageSlice[T any](items []T, key func(T) string, scope string, token *string, limit int) ([]T, *string, error) {
	after, err := decodeToken(token, scope+"|")
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	start := 0
	if token != nil {
		k := strings.TrimPrefix(after, scope+"|")
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > k })
	}
	end := start + limit
	if end >= len(items) {
		return items[start:], nil, nil
	}
	return items[start:end], encodeToken(scope + "|" + key(items[end-1])), nil
}
