package iam

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/store"
)

// Paging: MaxItems 1–1000 (default 100); Marker is an opaque token, the
// base64 of the last key returned. A listing that stops early sets
// IsTruncated and returns the next Marker.

const (
	defaultMaxItems = 100
	maxMaxItems     = 1000
)

func maxItems(p *int32) (int, error) {
	if p == nil {
		return defaultMaxItems, nil
	}
	n := *p
	if n < 1 {
		return 0, validationError("maxItems", fmt.Sprint(n), "Member must have value greater than or equal to 1")
	}
	if n > maxMaxItems {
		return 0, validationError("maxItems", fmt.Sprint(n), fmt.Sprintf("Member must have value less than or equal to %d", maxMaxItems))
	}
	return int(n), nil
}

var errBadMarker = invalidInput("Invalid Marker.")

func encodeMarker(key string) *string {
	m := base64.RawURLEncoding.EncodeToString([]byte(key))
	return &m
}

// decodeMarker returns the key a Marker stands for, "" for no marker. The
// key must lie under prefix, so a marker cannot reach into another
// listing.
func decodeMarker(p *string, prefix string) (string, error) {
	if p == nil {
		return "", nil
	}
	if *p == "" || len(*p) > 320 {
		return "", errBadMarker
	}
	b, err := base64.RawURLEncoding.DecodeString(*p)
	if err != nil || !strings.HasPrefix(string(b), prefix) {
		return "", errBadMarker
	}
	return string(b), nil
}

// page is one page of a listing.
type page struct {
	Truncated bool
	Marker    *string
}

// scanPage lists the values of table under prefix after marker: match
// decodes and filters each one. It returns up to limit items, and reads on
// only as far as the next match to tell whether the listing goes on.
func scanPage[T any](tx store.Tx, table, prefix string, marker *string, limit int, match func(key string, value []byte) (T, bool, error)) ([]T, page, error) {
	after, err := decodeMarker(marker, prefix)
	if err != nil {
		return nil, page{}, err
	}
	var (
		items []T
		pg    page
		last  string
	)
	err = tx.Scan(table, prefix, after, 0, func(key string, value []byte) error {
		item, ok, err := match(key, value)
		if err != nil || !ok {
			return err
		}
		if len(items) == limit {
			pg.Truncated = true
			return store.ErrStop
		}
		items = append(items, item)
		last = key
		return nil
	})
	if err != nil {
		return nil, page{}, err
	}
	if pg.Truncated {
		pg.Marker = encodeMarker(last)
	}
	return items, pg, nil
}

// pageSlice pages through items already sorted by sortKey.
func pageSlice[T any](items []T, sortKey func(T) string, marker *string, limit int) ([]T, page, error) {
	after, err := decodeMarker(marker, "")
	if err != nil {
		return nil, page{}, err
	}
	start := 0
	if marker != nil {
		start = sort.Search(len(items), func(i int) bool { return sortKey(items[i]) > after })
	}
	end := start + limit
	if end >= len(items) {
		return items[start:], page{}, nil
	}
	return items[start:end], page{Truncated: true, Marker: encodeMarker(sortKey(items[end-1]))}, nil
}
