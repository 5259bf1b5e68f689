package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// BuiltinBucket is a bucket AWS itself owns and serves to every account,
// such as awscloudtrail-policy-<region>, which holds the policy templates
// that `aws cloudtrail create-subscription` reads. Such a bucket comes
// into being the first time a request names it: it is then a bucket like
// any other (stored, encrypted, decided by its bucket policy), owned by
// Owner, so a later request finds it without the hook.
type BuiltinBucket struct {
	Owner  string // the account that owns it
	Region string
	// Policy is its bucket policy; Block Public Access is off so that a
	// policy granting Principal "*" takes effect, as on AWS's buckets.
	Policy string
	// Objects are key → body, stored with Content-Type application/json.
	Objects map[string][]byte
}

// builtinBucket creates the builtin bucket called name, if there is one,
// and returns its record; NoSuchBucket otherwise. Concurrent first
// requests create it once (builtinMu), the others wait for its objects.
func (s *Service) builtinBucket(ctx context.Context, name string) (*bucketRec, error) {
	seed, ok := BuiltinBucket{}, false
	if s.cfg.Builtin != nil {
		seed, ok = s.cfg.Builtin(name)
	}
	if !ok {
		return nil, noSuchBucket()
	}
	s.builtinMu.Lock()
	defer s.builtinMu.Unlock()
	grants, err := aclRequest{}.grants(seed.Owner, seed.Owner, true)
	if err != nil {
		return nil, err
	}
	b := &bucketRec{
		Name: name, Owner: seed.Owner, Region: seed.Region, Created: s.cfg.Clock.Now().UTC().Truncate(1e9),
		Ownership: ownerEnforced, ACL: grants, Policy: seed.Policy,
	}
	created := false
	err = s.updateBucket(ctx, name, func(tx store.Tx) error {
		err := store.InsertJSON(tx, tblBuckets, name, b)
		if errors.Is(err, cairn.ErrExists) {
			b, err = loadBucket(tx, name)
			return err
		}
		if err != nil {
			return err
		}
		created = true
		return tx.Put(tblOwned, seed.Owner+"/"+name, []byte{})
	})
	if err != nil {
		return nil, fmt.Errorf("create builtin bucket %s: %w", name, err)
	}
	if created {
		owner := &cairn.Call{Time: b.Created, Region: seed.Region, Service: "s3", Operation: "PutObject",
			Principal: cairn.Principal{Type: cairn.PrincipalRoot, AccountID: seed.Owner, ARN: cairn.RootARN(seed.Owner), ID: seed.Owner}}
		for key, body := range seed.Objects {
			size := int64(len(body))
			in := &PutObjectInput{Bucket: name, Key: key, Body: bytes.NewReader(body), ContentLength: &size, ContentType: "application/json"}
			if _, err := s.PutObject(ctx, owner, in); err != nil {
				return nil, fmt.Errorf("create builtin object s3://%s/%s: %w", name, key, err)
			}
		}
	}
	return b, nil
}
