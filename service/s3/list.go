package s3

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// defaultMaxKeys is the page size of listings.
const defaultMaxKeys = 1000

// listing is one page of keys.
type listing struct {
	objects   []Object
	prefixes  []string
	truncated bool
	last      string // the last key or common prefix of the page
}

// listObjects returns up to max keys and common prefixes of a bucket that
// start with prefix and sort after after, keys sharing the part of their
// name up to the delimiter rolled up into one common prefix. A common
// prefix that does not sort after after is skipped with all its keys, so a
// page that ended on a common prefix resumes past it. The bucket must
// exist.
func (s *Service) listObjects(ctx context.Context, bucket, prefix, delimiter, after string, max int, owners bool) (*bucketRec, listing, error) {
	var l listing
	var b *bucketRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if b, err = loadBucket(tx, bucket); err != nil {
			return err
		}
		base := bucket + "/"
		cursor := ""
		if after != "" {
			cursor = base + after
		}
		if max == 0 {
			// An empty page is still truncated when keys follow.
			return tx.Scan(tblObjects, base+prefix, cursor, 1, func(string, []byte) error {
				l.truncated = true
				return store.ErrStop
			})
		}
		for {
			restart := ""
			done := true
			err := tx.Scan(tblObjects, base+prefix, cursor, max+1, func(k string, v []byte) error {
				key := k[len(base):]
				if delimiter != "" {
					if i := strings.Index(key[len(prefix):], delimiter); i >= 0 {
						cp := key[:len(prefix)+i+len(delimiter)]
						// Skip every key under cp: UTF-8 never holds 0xff.
						restart = base + cp + "\xff"
						if cp > after || after == "" {
							if len(l.objects)+len(l.prefixes) == max {
								l.truncated = true
								return store.ErrStop
							}
							l.prefixes = append(l.prefixes, cp)
							l.last = cp
						}
						done = false
						return store.ErrStop
					}
				}
				if len(l.objects)+len(l.prefixes) == max {
					l.truncated = true
					return store.ErrStop
				}
				var o objectRec
				if err := json.Unmarshal(v, &o); err != nil {
					return err
				}
				obj := Object{Key: key, LastModified: o.Modified, ETag: o.ETag, Size: o.Size, StorageClass: storageOf(o.Storage)}
				if owners {
					obj.Owner = &Owner{ID: CanonicalID(o.Owner)}
				}
				l.objects = append(l.objects, obj)
				l.last = key
				cursor = k
				return nil
			})
			if err != nil {
				return err
			}
			if done || l.truncated {
				return nil
			}
			cursor = restart
		}
	})
	return b, l, err
}

func storageOf(stored string) string {
	if stored == "" {
		return "STANDARD"
	}
	return stored
}

func maxKeys(v *int32) (int, error) {
	if v == nil {
		return defaultMaxKeys, nil
	}
	if *v < 0 {
		return 0, invalidArgument("max-keys cannot be negative")
	}
	return min(int(*v), defaultMaxKeys), nil
}

func checkEncoding(t string) error {
	if t != "" && t != "url" {
		return invalidArgument("Invalid Encoding Method specified in Request")
	}
	return nil
}

// urlEncode is S3's encoding-type=url: query escaping with slashes kept.
func urlEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
}

// ListObjects is the original listing: Marker and NextMarker.
func (s *Service) ListObjects(ctx context.Context, c *cairn.Call, in *ListObjectsInput) (*ListObjectsOutput, error) {
	if err := checkEncoding(in.EncodingType); err != nil {
		return nil, err
	}
	max, err := maxKeys(in.MaxKeys)
	if err != nil {
		return nil, err
	}
	after := in.Marker
	if after != "" && after < in.Prefix {
		after = "" // every key with the prefix sorts after the marker
	}
	b, l, err := s.listObjects(ctx, in.Bucket, in.Prefix, in.Delimiter, after, max, true)
	if err != nil {
		return nil, err
	}
	if err := expectOwner(b, in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	enc := func(v string) string { return v }
	if in.EncodingType == "url" {
		enc = urlEncode
	}
	out := &ListObjectsOutput{
		IsTruncated: l.truncated, Marker: enc(in.Marker), Name: in.Bucket, Prefix: enc(in.Prefix),
		Delimiter: enc(in.Delimiter), MaxKeys: int32(max), EncodingType: in.EncodingType, Contents: l.objects,
	}
	for i := range out.Contents {
		out.Contents[i].Key = enc(out.Contents[i].Key)
	}
	for _, p := range l.prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, CommonPrefix{Prefix: enc(p)})
	}
	if l.truncated && in.Delimiter != "" {
		out.NextMarker = enc(l.last)
	}
	return out, nil
}

// ListObjectsV2 lists with continuation tokens.
func (s *Service) ListObjectsV2(ctx context.Context, c *cairn.Call, in *ListObjectsV2Input) (*ListObjectsV2Output, error) {
	if err := checkEncoding(in.EncodingType); err != nil {
		return nil, err
	}
	max, err := maxKeys(in.MaxKeys)
	if err != nil {
		return nil, err
	}
	after := in.StartAfter
	if in.ContinuationToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.ContinuationToken)
		if err != nil || len(raw) == 0 {
			return nil, invalidArgument("The continuation token provided is incorrect")
		}
		after = string(raw)
	}
	if after != "" && after < in.Prefix {
		after = ""
	}
	owners := in.FetchOwner != nil && *in.FetchOwner
	b, l, err := s.listObjects(ctx, in.Bucket, in.Prefix, in.Delimiter, after, max, owners)
	if err != nil {
		return nil, err
	}
	if err := expectOwner(b, in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	enc := func(v string) string { return v }
	if in.EncodingType == "url" {
		enc = urlEncode
	}
	out := &ListObjectsV2Output{
		IsTruncated: l.truncated, Name: in.Bucket, Prefix: enc(in.Prefix), Delimiter: enc(in.Delimiter),
		MaxKeys: int32(max), EncodingType: in.EncodingType, ContinuationToken: in.ContinuationToken,
		StartAfter: enc(in.StartAfter), Contents: l.objects,
		KeyCount: int32(len(l.objects) + len(l.prefixes)),
	}
	for i := range out.Contents {
		out.Contents[i].Key = enc(out.Contents[i].Key)
	}
	for _, p := range l.prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, CommonPrefix{Prefix: enc(p)})
	}
	if l.truncated && l.last != "" {
		out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.last))
	}
	return out, nil
}
