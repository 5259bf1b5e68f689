package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// BuiltinBucket is a bucket AWS itself owns and serves to every account,
// such as awscloudtrail-policy-<region>, which holds the policy templates
// that `aws cloudtrail create-subscription` reads. Such a bucket comes
// into being, with its objects, in one transaction the first time a
// request names it (a CreateBucket of its name included, which then finds
// it taken): it is then a bucket like any other (stored, encrypted,
// decided by its bucket policy), owned by Owner.
type BuiltinBucket struct {
	Owner  string // the account that owns it
	Region string
	// Policy is its bucket policy; Block Public Access is off so that a
	// policy granting Principal "*" takes effect, as on AWS's buckets.
	Policy string
	// Objects are key → body, stored with Content-Type application/json.
	// Each must be small enough to be stored inline (inlineMax).
	Objects map[string][]byte
}

// builtinBucket creates the builtin bucket called name, if there is one,
// and returns its record; NoSuchBucket otherwise. Concurrent first
// requests create it once: the insert decides, the others read.
func (s *Service) builtinBucket(ctx context.Context, name string) (*bucketRec, error) {
	seed, ok := BuiltinBucket{}, false
	if s.cfg.Builtin != nil {
		seed, ok = s.cfg.Builtin(name)
	}
	if !ok {
		return nil, noSuchBucket()
	}
	grants, err := aclRequest{}.grants(seed.Owner, seed.Owner, true)
	if err != nil {
		return nil, err
	}
	b := &bucketRec{
		Name: name, Owner: seed.Owner, Region: seed.Region, Created: s.cfg.Clock.Now().UTC().Truncate(1e9),
		Ownership: ownerEnforced, ACL: grants, Policy: seed.Policy,
	}
	owner := &cairn.Call{Time: b.Created, Region: seed.Region, Service: "s3", Operation: "PutObject",
		Principal: cairn.Principal{Type: cairn.PrincipalRoot, AccountID: seed.Owner, ARN: cairn.RootARN(seed.Owner), ID: seed.Owner}}
	keys := make([]string, 0, len(seed.Objects))
	for k := range seed.Objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	objects := make([]*objectRec, len(keys))
	inline := make([][]byte, len(keys))
	for i, k := range keys {
		body := seed.Objects[k]
		size := int64(len(body))
		in := &PutObjectInput{Bucket: name, Key: k, Body: bytes.NewReader(body), ContentLength: &size, ContentType: "application/json"}
		o, st, err := s.sealObject(ctx, owner, b, in)
		if err != nil {
			return nil, fmt.Errorf("seal builtin object s3://%s/%s: %w", name, k, err)
		}
		if st.inline == nil {
			return nil, fmt.Errorf("builtin object s3://%s/%s is over %d bytes", name, k, inlineMax)
		}
		objects[i], inline[i] = o, st.inline
	}
	err = s.updateBucket(ctx, name, func(tx store.Tx) error {
		err := store.InsertJSON(tx, tblBuckets, name, b)
		if errors.Is(err, cairn.ErrExists) {
			b, err = loadBucket(tx, name)
			return err
		}
		if err != nil {
			return err
		}
		if err := tx.Put(tblOwned, seed.Owner+"/"+name, []byte{}); err != nil {
			return err
		}
		for i, o := range objects {
			if err := tx.Put(tblInline, o.Blobs[0].Key, inline[i]); err != nil {
				return err
			}
			if err := store.PutJSON(tx, tblObjects, objectKey(name, keys[i]), o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create builtin bucket %s: %w", name, err)
	}
	return b, nil
}

// isBuiltin reports whether name is a builtin bucket's name.
func (s *Service) isBuiltin(name string) bool {
	if s.cfg.Builtin == nil {
		return false
	}
	_, ok := s.cfg.Builtin(name)
	return ok
}
