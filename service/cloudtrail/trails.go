package cloudtrail

import (
	"context"
	"encoding/base64"
	"errors"
	"sort"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// listTrailsPage is how many trails one ListTrails page holds.
var listTrailsPage = 50

// CreateTrail creates a trail homed in the call's region. Logging is off
// until StartLogging, as with the API on AWS.
func (s *Service) CreateTrail(ctx context.Context, c *cairn.Call, in *CreateTrailInput) (*CreateTrailOutput, error) {
	if err := validateName(in.Name); err != nil {
		return nil, err
	}
	if err := validateBucketName(in.S3BucketName); err != nil {
		return nil, err
	}
	r := &trailRec{
		Account: c.Account(), Region: c.Region, Name: in.Name, Bucket: in.S3BucketName, Prefix: str(in.S3KeyPrefix),
		Topic: str(in.SnsTopicName), Global: boolOr(in.IncludeGlobalServiceEvents, true),
		MultiRegion: boolOr(in.IsMultiRegionTrail, false), Validation: boolOr(in.EnableLogFileValidation, false),
		Organization: boolOr(in.IsOrganizationTrail, false), LogGroup: str(in.CloudWatchLogsLogGroupArn),
		LogRole: str(in.CloudWatchLogsRoleArn), Created: s.now(c),
	}
	key := str(in.KmsKeyId)
	if err := validateSettings(r, key); err != nil {
		return nil, err
	}
	if len(in.TagsList) > MaxTags {
		return nil, tagsLimit()
	}
	if err := validateTags(in.TagsList); err != nil {
		return nil, err
	}
	r.Tags = mergeTags(nil, in.TagsList)
	if len(r.Tags) > MaxTags {
		return nil, tagsLimit()
	}
	if r.Organization {
		org, err := s.requireManagement(ctx, r.Account)
		if err != nil {
			return nil, err
		}
		r.OrgID = org
	}
	// Name and quota first, in a snapshot; then the destination checks,
	// which ask other services and so run outside any transaction of this
	// store; then the insert, which checks name and quota again.
	if err := s.view(ctx, func(tx store.Tx) error { return checkPlacement(tx, r, true) }); err != nil {
		return nil, err
	}
	if err := s.checkDestinations(ctx, r, key, destinationChange{bucket: true, key: key != "", topic: r.Topic != "", logs: r.LogGroup != ""}); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := checkPlacement(tx, r, true); err != nil {
			return err
		}
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
	if err != nil {
		return nil, err
	}
	return r.output(), nil
}

// validateSettings checks the settings CreateTrail and UpdateTrail share,
// as they stand after the call.
func validateSettings(r *trailRec, key string) error {
	if err := validatePrefix(r.Prefix); err != nil {
		return err
	}
	if r.Topic != "" {
		if err := validateTopic(r.Topic); err != nil {
			return err
		}
	}
	if key != "" {
		if err := validateKeyID(key); err != nil {
			return err
		}
	}
	if err := validateLogs(r.LogGroup, r.LogRole); err != nil {
		return err
	}
	if r.MultiRegion && !r.Global {
		return multiRegionNeedsGlobal()
	}
	return nil
}

// requireManagement returns the organization of account when it is the
// organization's management account, as organization trails require.
func (s *Service) requireManagement(ctx context.Context, account string) (string, error) {
	if s.cfg.Organizations == nil {
		return "", orgsNotInUse()
	}
	org, mgmt, err := s.cfg.Organizations.OrganizationOf(ctx, account)
	if err != nil {
		return "", errorf("organization of %s: %w", account, err)
	}
	if org == "" {
		return "", orgsNotInUse()
	}
	if mgmt != account {
		return "", notManagement(account)
	}
	return org, nil
}

// checkPlacement checks that trail r (new, or updated in place) keeps
// names unique and stays within MaxTrailsPerRegion in every region it is
// seen from. A multi-region trail is seen from, and counts in, every
// region, so its name must be free everywhere, and a trail cannot take the
// name of another account trail's shadow.
func checkPlacement(tx store.Tx, r *trailRec, isNew bool) error {
	all, err := accountTrails(tx, r.Account)
	if err != nil {
		return err
	}
	var others []*trailRec
	for _, o := range all {
		if o.key() == r.key() {
			if isNew {
				return trailExists(r.Name, r.Account)
			}
			continue
		}
		if o.Name == r.Name && (o.MultiRegion || r.MultiRegion) {
			return trailExists(r.Name, r.Account)
		}
		others = append(others, o)
	}
	// Regions to check: the home region first (its message is the one a
	// caller expects), then, for a multi-region trail, every region that
	// has trails.
	regions := []string{r.Region}
	if r.MultiRegion {
		seen := map[string]bool{r.Region: true}
		var rest []string
		for _, o := range others {
			if !seen[o.Region] {
				seen[o.Region] = true
				rest = append(rest, o.Region)
			}
		}
		sort.Strings(rest)
		regions = append(regions, rest...)
	}
	for _, region := range regions {
		n := 1
		for _, o := range others {
			if o.covers(region) {
				n++
			}
		}
		if n > MaxTrailsPerRegion {
			return tooManyTrails(r.Account, region)
		}
	}
	return nil
}

// destinationChange says which destinations a call sets and must check.
type destinationChange struct{ bucket, key, topic, logs bool }

// checkDestinations runs the checks AWS makes before it accepts a trail's
// destinations, in AWS's order: bucket, key, topic, log group. It fills in
// the key and topic ARNs the checks resolve.
func (s *Service) checkDestinations(ctx context.Context, r *trailRec, key string, ch destinationChange) error {
	d := s.cfg.Destinations
	arn := r.arn()
	bucketRegion := ""
	if ch.bucket || ch.key {
		if d == nil {
			// No S3 is served, so no bucket exists: refusing the trail is
			// what AWS does for a missing bucket.
			return bucketMissing(r.Bucket)
		}
		region, err := d.CheckBucket(ctx, r.Bucket, r.Prefix, arn, r.Account)
		switch {
		case errors.Is(err, ErrBucketNotFound):
			return bucketMissing(r.Bucket)
		case errors.Is(err, ErrBucketPolicy):
			return bucketPolicy(r.Bucket)
		case err != nil:
			return errorf("check bucket %s: %w", r.Bucket, err)
		}
		bucketRegion = region
	}
	if ch.key && key != "" {
		keyARN, err := d.CheckKey(ctx, key, bucketRegion, arn, r.Account)
		switch {
		case errors.Is(err, ErrKeyNotFound):
			return keyNotFound(key)
		case errors.Is(err, ErrKeyPolicy):
			return keyPolicy(r.Bucket, keyOr(keyARN, key))
		case errors.Is(err, ErrKeyUnusable):
			return keyUnusable(keyOr(keyARN, key))
		case err != nil:
			return errorf("check key %s: %w", key, err)
		}
		r.KeyARN = keyARN
	}
	if ch.topic && r.Topic != "" {
		tc, ok := d.(TopicChecker)
		if !ok {
			// No SNS is served: the topic does not exist.
			return topicPolicy()
		}
		topicARN, err := tc.CheckTopic(ctx, r.Topic, r.Region, arn, r.Account)
		switch {
		case errors.Is(err, ErrTopicNotFound), errors.Is(err, ErrTopicPolicy):
			return topicPolicy()
		case err != nil:
			return errorf("check topic %s: %w", r.Topic, err)
		}
		r.TopicARN = topicARN
	}
	if ch.logs && r.LogGroup != "" {
		lc, ok := d.(LogGroupChecker)
		if !ok {
			// No CloudWatch Logs is served: the log group does not exist.
			return logGroupInvalid()
		}
		err := lc.CheckLogGroup(ctx, r.LogGroup, r.LogRole, arn, r.Account)
		switch {
		case errors.Is(err, ErrLogGroupNotFound):
			return logGroupInvalid()
		case errors.Is(err, ErrLogRoleTrust):
			return logRoleInvalid("Access denied. Check the trust relationships for your role.")
		case errors.Is(err, ErrLogRole):
			return logRoleDenied()
		case err != nil:
			return errorf("check log group %s: %w", r.LogGroup, err)
		}
	}
	return nil
}

func keyOr(arn, id string) string {
	if arn != "" {
		return arn
	}
	return id
}

// UpdateTrail changes a trail's settings from its home region. Members
// left out keep their values; an empty SnsTopicName, KmsKeyId, S3KeyPrefix
// or CloudWatch Logs pair removes the setting.
func (s *Service) UpdateTrail(ctx context.Context, c *cairn.Call, in *UpdateTrailInput) (*UpdateTrailOutput, error) {
	ref, err := parseRef(in.Name)
	if err != nil {
		return nil, err
	}
	if in.S3BucketName != nil {
		if err := validateBucketName(*in.S3BucketName); err != nil {
			return nil, err
		}
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	var cur *trailRec
	err = s.view(ctx, func(tx store.Tx) error {
		cur, err = resolve(tx, cl, ref, write, notFoundAs(ref, cl.account))
		return err
	})
	if err != nil {
		return nil, err
	}
	key := cur.KeyARN
	if in.KmsKeyId != nil {
		key = *in.KmsKeyId
	}
	// apply sets the new settings on a stored trail; checked (the
	// destination checks' results) are applied last.
	apply := func(r *trailRec) {
		if in.S3BucketName != nil {
			r.Bucket = *in.S3BucketName
		}
		if in.S3KeyPrefix != nil {
			r.Prefix = *in.S3KeyPrefix
		}
		if in.SnsTopicName != nil {
			r.Topic, r.TopicARN = *in.SnsTopicName, ""
		}
		if in.IncludeGlobalServiceEvents != nil {
			r.Global = *in.IncludeGlobalServiceEvents
		}
		if in.IsMultiRegionTrail != nil {
			r.MultiRegion = *in.IsMultiRegionTrail
		}
		if in.EnableLogFileValidation != nil {
			r.Validation = *in.EnableLogFileValidation
		}
		if in.CloudWatchLogsLogGroupArn != nil {
			r.LogGroup = *in.CloudWatchLogsLogGroupArn
		}
		if in.CloudWatchLogsRoleArn != nil {
			r.LogRole = *in.CloudWatchLogsRoleArn
		}
		if in.KmsKeyId != nil && *in.KmsKeyId == "" {
			r.KeyARN = ""
		}
		if in.IsOrganizationTrail != nil {
			r.Organization = *in.IsOrganizationTrail
			if !r.Organization {
				r.OrgID = ""
			}
		}
	}
	next := *cur
	apply(&next)
	if err := validateSettings(&next, keyIfChanged(in.KmsKeyId)); err != nil {
		return nil, err
	}
	if next.Organization && !cur.Organization {
		org, err := s.requireManagement(ctx, next.Account)
		if err != nil {
			return nil, err
		}
		next.OrgID = org
	}
	if next.MultiRegion && !cur.MultiRegion {
		if err := s.view(ctx, func(tx store.Tx) error { return checkPlacement(tx, &next, false) }); err != nil {
			return nil, err
		}
	}
	// A new bucket may be in another region than the trail's key: the key
	// it keeps is checked again against the new bucket.
	bucketChanged := in.S3BucketName != nil || in.S3KeyPrefix != nil
	keptKey := in.KmsKeyId == nil && cur.KeyARN != ""
	ch := destinationChange{
		bucket: bucketChanged,
		key:    (in.KmsKeyId != nil && *in.KmsKeyId != "") || (bucketChanged && keptKey),
		topic:  in.SnsTopicName != nil && *in.SnsTopicName != "",
		logs:   (in.CloudWatchLogsLogGroupArn != nil || in.CloudWatchLogsRoleArn != nil) && next.LogGroup != "",
	}
	checked := next
	if err := s.checkDestinations(ctx, &checked, key, ch); err != nil {
		return nil, err
	}
	var out *trailRec
	err = s.update(ctx, func(tx store.Tx) error {
		r, err := loadTrail(tx, cur.Account, cur.Region, cur.Name)
		if err != nil {
			return err
		}
		if r == nil {
			return trailNotFound(ref.Input, cl.account)
		}
		apply(r)
		r.OrgID = next.OrgID
		if ch.key {
			r.KeyARN = checked.KeyARN
		}
		if ch.topic {
			r.TopicARN = checked.TopicARN
		}
		if r.MultiRegion {
			if err := checkPlacement(tx, r, false); err != nil {
				return err
			}
		}
		out = r
		return store.PutJSON(tx, tblTrails, r.key(), r)
	})
	if err != nil {
		return nil, err
	}
	return out.output(), nil
}

func keyIfChanged(k *string) string {
	if k == nil {
		return ""
	}
	return *k
}

// DeleteTrail deletes a trail from its home region. Its log files stay.
func (s *Service) DeleteTrail(ctx context.Context, c *cairn.Call, in *DeleteTrailInput) (*DeleteTrailOutput, error) {
	ref, err := parseRef(in.Name)
	if err != nil {
		return nil, err
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		r, err := resolve(tx, cl, ref, write, notFoundAs(ref, cl.account))
		if err != nil {
			return err
		}
		if err := tx.Delete(tblTrails, r.key()); err != nil {
			return err
		}
		if err := tx.Delete(tblStatus, r.arn()); err != nil && !isNotFound(err) {
			return err
		}
		return retire(tx, r, s.now(c))
	})
	if err != nil {
		return nil, err
	}
	return &DeleteTrailOutput{}, nil
}

// GetTrail returns one trail: by name a trail homed in the call's region,
// by ARN any trail seen from it.
func (s *Service) GetTrail(ctx context.Context, c *cairn.Call, in *GetTrailInput) (*GetTrailOutput, error) {
	r, _, err := s.lookup(ctx, c, in.Name, read, false)
	if err != nil {
		return nil, err
	}
	d := r.description()
	return &GetTrailOutput{Trail: &d}, nil
}

// DescribeTrails returns the trails of the call's region, with the shadow
// trails of multi-region (and organization) trails homed elsewhere unless
// includeShadowTrails is false. Names and ARNs that match nothing are left
// out.
func (s *Service) DescribeTrails(ctx context.Context, c *cairn.Call, in *DescribeTrailsInput) (*DescribeTrailsOutput, error) {
	includeShadows := boolOr(in.IncludeShadowTrails, true)
	refs := make([]trailRef, 0, len(in.TrailNameList))
	for _, n := range in.TrailNameList {
		ref, err := parseRef(n)
		if err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	out := &DescribeTrailsOutput{TrailList: []TrailDescription{}}
	errNotFound := errors.New("not found")
	err = s.view(ctx, func(tx store.Tx) error {
		if len(refs) == 0 {
			ts, err := visibleTrails(tx, cl)
			if err != nil {
				return err
			}
			for _, r := range ts {
				if includeShadows || !cl.shadow(r) {
					out.TrailList = append(out.TrailList, r.description())
				}
			}
			return nil
		}
		seen := map[string]bool{}
		for _, ref := range refs {
			r, err := resolve(tx, cl, ref, read, func() error { return errNotFound })
			if errors.Is(err, errNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if seen[r.arn()] || (!includeShadows && cl.shadow(r)) {
				continue
			}
			seen[r.arn()] = true
			out.TrailList = append(out.TrailList, r.description())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListTrails lists the account's trails of every region, each with its
// home region, and the organization trails the account is a member of,
// ordered by ARN, a page at a time.
func (s *Service) ListTrails(ctx context.Context, c *cairn.Call, in *ListTrailsInput) (*ListTrailsOutput, error) {
	after := ""
	if tok := str(in.NextToken); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) == 0 {
			return nil, invalidToken()
		}
		if _, err := parseRef(string(raw)); err != nil {
			return nil, invalidToken()
		}
		after = string(raw)
	}
	cl, err := s.callerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	var ts []*trailRec
	err = s.view(ctx, func(tx store.Tx) error {
		own, err := accountTrails(tx, cl.account)
		if err != nil {
			return err
		}
		ts = own
		if cl.member() {
			org, err := accountTrails(tx, cl.management)
			if err != nil {
				return err
			}
			for _, r := range org {
				if r.Organization && r.OrgID == cl.orgID {
					ts = append(ts, r)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortByARN(ts)
	out := &ListTrailsOutput{Trails: []TrailInfo{}}
	for _, r := range ts {
		arn := r.arn()
		if arn <= after {
			continue
		}
		if len(out.Trails) == listTrailsPage {
			tok := base64.RawURLEncoding.EncodeToString([]byte(out.Trails[len(out.Trails)-1].TrailARN))
			out.NextToken = &tok
			break
		}
		out.Trails = append(out.Trails, TrailInfo{TrailARN: arn, Name: r.Name, HomeRegion: r.Region})
	}
	return out, nil
}
