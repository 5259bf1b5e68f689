package logs

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

const classStandard = "STANDARD"

// CreateLogGroup creates a log group. kmsKeyId is refused: Cairn does not
// encrypt log data under customer keys, and accepting the key without
// using it would misstate how the data is protected. Only the STANDARD
// class exists.
func (s *Service) CreateLogGroup(ctx context.Context, c *cairn.Call, in *CreateLogGroupInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(in.LogGroupName, "aws/") {
		return nil, invalidParameter("Log group names can't start with the string aws/")
	}
	if in.KmsKeyId != nil {
		return nil, invalidParameter("Cairn does not encrypt log groups with KMS keys: kmsKeyId is not supported.")
	}
	if in.LogGroupClass != nil && *in.LogGroupClass != classStandard {
		return nil, invalidParameter("Cairn supports only the STANDARD log group class.")
	}
	if in.Tags != nil {
		if err := validateTags(in.Tags, "tags"); err != nil {
			return nil, err
		}
		if len(in.Tags) > maxTags {
			return nil, tooManyTags(ref.name)
		}
	}
	g := &groupRec{
		ID:      hex.EncodeToString(s.cfg.IDs.Token(8)),
		Account: ref.account, Region: ref.region, Name: ref.name,
		Created: s.now(c).UnixMilli(),
		Tags:    in.Tags,
	}
	if in.DeletionProtectionEnabled != nil {
		g.DeletionProtection = *in.DeletionProtectionEnabled
	}
	err = s.update(ctx, func(tx store.Tx) error {
		err := store.InsertJSON(tx, tblGroups, g.key(), g)
		if err == cairn.ErrExists {
			return groupExists()
		}
		return err
	})
	if err != nil {
		return nil, wrap("create log group", err)
	}
	return &Empty{}, nil
}

// DeleteLogGroup deletes a log group at once; its streams, metric filters
// and events are deleted by the sweep, and are unreachable meanwhile.
func (s *Service) DeleteLogGroup(ctx context.Context, c *cairn.Call, in *DeleteLogGroupInput) (*Empty, error) {
	ref, err := ownGroup(c, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, ref)
		if err != nil {
			return err
		}
		if g.DeletionProtection {
			return deletionProtected()
		}
		if err := tx.Delete(tblGroups, g.key()); err != nil {
			return err
		}
		return tx.Put(tblTrash, g.ID, []byte(g.key()))
	})
	if err != nil {
		return nil, wrap("delete log group", err)
	}
	return &Empty{}, nil
}

// getGroup reads a group, or returns groupNotFound.
func getGroup(tx store.Tx, ref groupRef) (*groupRec, error) {
	var g groupRec
	err := store.GetJSON(tx, tblGroups, ref.key(), &g)
	if isNotFound(err) {
		return nil, groupNotFound()
	}
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// group reads a group in its own snapshot.
func (s *Service) group(ctx context.Context, ref groupRef) (*groupRec, error) {
	var g *groupRec
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		g, err = getGroup(tx, ref)
		return err
	})
	return g, err
}

const maxDescribe = 50

// DescribeLogGroups lists the caller's log groups in the region, sorted by
// name, filtered by prefix, substring pattern, identifiers or class.
func (s *Service) DescribeLogGroups(ctx context.Context, c *cairn.Call, in *DescribeLogGroupsInput) (*DescribeLogGroupsOutput, error) {
	limit, err := limitOf("limit", in.Limit, maxDescribe, maxDescribe)
	if err != nil {
		return nil, err
	}
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	if in.LogGroupIdentifiers != nil && (in.LogGroupNamePrefix != nil || in.LogGroupNamePattern != nil) {
		return nil, invalidParameter("logGroupIdentifiers can't be combined with logGroupNamePrefix or logGroupNamePattern.")
	}
	prefix := ""
	if in.LogGroupNamePrefix != nil {
		if err := validateGroupName("logGroupNamePrefix", *in.LogGroupNamePrefix); err != nil {
			return nil, err
		}
		prefix = *in.LogGroupNamePrefix
	}
	var wanted map[string]bool
	if in.LogGroupIdentifiers != nil {
		wanted = map[string]bool{}
		for _, id := range in.LogGroupIdentifiers {
			ref, err := identify(c, nil, &id)
			if e := cairn.AsError(err); e != nil && e.Code == "ResourceNotFoundException" {
				continue // another account's or region's group: none of ours
			} else if err != nil {
				return nil, err
			}
			wanted[ref.name] = true
		}
	}
	scope := groupKey(c.Account(), c.Region, "")
	after, err := decodeNameToken(in.NextToken, "g")
	if err != nil {
		return nil, err
	}
	if after != "" {
		after = scope + after
	}
	out := &DescribeLogGroupsOutput{LogGroups: []LogGroup{}}
	err = s.view(ctx, func(tx store.Tx) error {
		return tx.Scan(tblGroups, scope+prefix, after, 0, func(_ string, v []byte) error {
			var g groupRec
			if err := decodeJSON(v, &g); err != nil {
				return err
			}
			switch {
			case in.LogGroupNamePattern != nil && !strings.Contains(g.Name, *in.LogGroupNamePattern),
				wanted != nil && !wanted[g.Name],
				in.LogGroupClass != nil && *in.LogGroupClass != classStandard:
				return nil
			}
			if len(out.LogGroups) == limit {
				out.NextToken = encodeNameToken("g", out.LogGroups[limit-1].LogGroupName)
				return store.ErrStop
			}
			out.LogGroups = append(out.LogGroups, g.describe())
			return nil
		})
	})
	if err != nil {
		return nil, wrap("describe log groups", err)
	}
	return out, nil
}

func (g *groupRec) describe() LogGroup {
	lg := LogGroup{
		LogGroupName:              g.Name,
		CreationTime:              g.Created,
		MetricFilterCount:         g.MetricFilters,
		Arn:                       g.arn() + ":*",
		LogGroupArn:               g.arn(),
		StoredBytes:               g.StoredBytes,
		LogGroupClass:             classStandard,
		DeletionProtectionEnabled: g.DeletionProtection,
	}
	if g.Retention > 0 {
		r := g.Retention
		lg.RetentionInDays = &r
	}
	return lg
}

// wrap adds context to internal failures and passes *cairn.Error through
// unchanged.
func wrap(what string, err error) error {
	if cairn.AsError(err) != nil {
		return err
	}
	return errorf("%s: %w", what, err)
}
