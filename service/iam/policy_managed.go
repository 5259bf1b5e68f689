package iam

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// maxPolicyVersions is how many versions a managed policy keeps at most.
const maxPolicyVersions = 5

// CreatePolicyInput creates a customer managed policy.
type CreatePolicyInput struct {
	PolicyName     string
	Path           *string
	PolicyDocument string
	Description    *string
	Tags           []Tag
}

// CreatePolicyOutput returns the new policy.
type CreatePolicyOutput struct {
	Policy *Policy
}

// CreatePolicy creates a managed policy whose version v1 is the default.
func (s *Service) CreatePolicy(ctx context.Context, c *cairn.Call, in *CreatePolicyInput) (*CreatePolicyOutput, error) {
	if err := validateName("policyName", in.PolicyName, maxPolicyName); err != nil {
		return nil, err
	}
	path, err := validatePolicyPath(in.Path)
	if err != nil {
		return nil, err
	}
	if err := validateDescription("description", in.Description, 1000, false); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if err := checkManagedDocument(in.PolicyDocument); err != nil {
		return nil, err
	}
	acct := c.Account()
	now := s.now(c)
	p := &policyRec{
		Name: in.PolicyName, ID: cairn.NewAWSID(s.cfg.IDs, cairn.PrefixManagedPolicy, cairn.IDLength),
		Path: path, Description: str(in.Description), Created: now, Updated: now,
		Default: "v1", NextVersion: 2, Versions: []versionRec{{ID: "v1", Document: in.PolicyDocument, Created: now}},
		Tags: cloneTags(in.Tags),
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := store.InsertJSON(tx, tblPolicies, entityKey(acct, p.Name), p); err != nil {
			if errors.Is(err, cairn.ErrExists) {
				return alreadyExists("A policy called %s already exists. Duplicate names are not allowed.", p.Name)
			}
			return fmt.Errorf("insert policy: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := p.shape(acct)
	return &CreatePolicyOutput{Policy: &out}, nil
}

// checkManagedDocument validates a managed policy document: text, grammar
// and the 6,144-character quota.
func checkManagedDocument(doc string) error {
	if err := validateDocumentText("policyDocument", doc); err != nil {
		return err
	}
	if err := validatePolicy(doc, policy.Identity, true); err != nil {
		return err
	}
	if policySize(doc) > maxManagedPolicySize {
		return quotaExceeded("PolicySize", maxManagedPolicySize)
	}
	return nil
}

// withPolicy loads the managed policy arn as the caller's account sees it,
// runs fn and stores the policy back when fn returns save. An empty action
// reads in a read-only transaction; a write (action names it, for the
// denial) runs in a read-write one and is refused for AWS managed
// policies, which no account may change.
func (s *Service) withPolicy(ctx context.Context, c *cairn.Call, arn, action string, fn func(tx store.Tx, p *policyRec) (save bool, err error)) error {
	if _, err := validatePolicyARN(arn); err != nil {
		return err
	}
	acct := c.Account()
	body := func(tx store.Tx) error {
		p, err := loadPolicy(tx, acct, arn)
		if err != nil {
			return err
		}
		if p == nil {
			return noSuchPolicy(arn)
		}
		if action != "" && p.awsManaged {
			return awsPolicyDenied(c, action, arn)
		}
		save, err := fn(tx, p)
		if err != nil || !save {
			return err
		}
		return savePolicy(tx, acct, p)
	}
	if action != "" {
		return s.update(ctx, body)
	}
	return s.view(ctx, body)
}

// GetPolicyInput names the policy.
type GetPolicyInput struct {
	PolicyArn string
}

// GetPolicyOutput returns the policy.
type GetPolicyOutput struct {
	Policy *Policy
}

// GetPolicy returns a managed policy (without its document).
func (s *Service) GetPolicy(ctx context.Context, c *cairn.Call, in *GetPolicyInput) (*GetPolicyOutput, error) {
	var out Policy
	err := s.withPolicy(ctx, c, in.PolicyArn, "", func(_ store.Tx, p *policyRec) (bool, error) {
		out = p.shape(c.Account())
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return &GetPolicyOutput{Policy: &out}, nil
}

// GetPolicyVersionInput names the policy and version.
type GetPolicyVersionInput struct {
	PolicyArn string
	VersionId string
}

// GetPolicyVersionOutput returns the version with its URL-encoded document.
type GetPolicyVersionOutput struct {
	PolicyVersion *PolicyVersion
}

// GetPolicyVersion returns one version of a managed policy.
func (s *Service) GetPolicyVersion(ctx context.Context, c *cairn.Call, in *GetPolicyVersionInput) (*GetPolicyVersionOutput, error) {
	if err := validateVersionID(in.VersionId); err != nil {
		return nil, err
	}
	var out PolicyVersion
	err := s.withPolicy(ctx, c, in.PolicyArn, "", func(_ store.Tx, p *policyRec) (bool, error) {
		v := p.version(in.VersionId)
		if v == nil {
			return false, noSuchPolicyVersion(in.PolicyArn, in.VersionId)
		}
		out = PolicyVersion{Document: encodeDocument(v.Document), VersionId: v.ID, IsDefaultVersion: v.ID == p.Default, CreateDate: v.Created}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return &GetPolicyVersionOutput{PolicyVersion: &out}, nil
}

// ListPoliciesInput filters and pages managed policies.
type ListPoliciesInput struct {
	Scope             *string
	OnlyAttached      bool
	PathPrefix        *string
	PolicyUsageFilter *string
	Marker            *string
	MaxItems          *int32
}

// ListPoliciesOutput is one page of policies.
type ListPoliciesOutput struct {
	Policies    []Policy
	IsTruncated bool
	Marker      *string
}

// ListPolicies lists managed policies in name order: with Scope AWS the
// AWS managed policies, with Local the account's own, with All (the
// default) both, an AWS managed policy before a customer managed one of the
// same name. OnlyAttached and PolicyUsageFilter count the account's own
// attachments and boundary uses of either kind.
func (s *Service) ListPolicies(ctx context.Context, c *cairn.Call, in *ListPoliciesInput) (*ListPoliciesOutput, error) {
	scope := "All"
	if in.Scope != nil {
		scope = *in.Scope
		switch scope {
		case "All", "AWS", "Local":
		default:
			return nil, validationError("scope", scope, "Member must satisfy enum value set: [All, AWS, Local]")
		}
	}
	usage := ""
	if in.PolicyUsageFilter != nil {
		usage = *in.PolicyUsageFilter
		switch usage {
		case "PermissionsPolicy", "PermissionsBoundary":
		default:
			return nil, validationError("policyUsageFilter", usage, "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
		}
	}
	prefix, err := validatePolicyPathPrefix(in.PathPrefix)
	if err != nil {
		return nil, err
	}
	limit, err := maxItems(in.MaxItems)
	if err != nil {
		return nil, err
	}
	acct := c.Account()
	type listed struct {
		key    string // lower-case name, then 0 for AWS, 1 for local
		policy Policy
	}
	var all []listed
	keep := func(p *policyRec) bool {
		if !strings.HasPrefix(p.Path, prefix) {
			return false
		}
		if !in.OnlyAttached {
			return true
		}
		switch usage {
		case "PermissionsPolicy":
			return p.Attachments > 0
		case "PermissionsBoundary":
			return p.BoundaryUses > 0
		}
		return p.Attachments > 0 || p.BoundaryUses > 0
	}
	add := func(p *policyRec, order string) {
		if !keep(p) {
			return
		}
		sh := p.shape(acct)
		sh.Description, sh.Tags = "", nil
		all = append(all, listed{key: lower(p.Name) + "\x00" + order, policy: sh})
	}
	err = s.view(ctx, func(tx store.Tx) error {
		if scope != "Local" {
			used := map[string]awsUsage{}
			err := tx.Scan(tblAWSPolicyUsage, acct+"/", "", 0, func(key string, v []byte) error {
				var u awsUsage
				if err := decodeRec(v, &u); err != nil {
					return err
				}
				used[strings.TrimPrefix(key, acct+"/")] = u
				return nil
			})
			if err != nil {
				return fmt.Errorf("scan aws managed policy usage: %w", err)
			}
			for _, name := range awsPolicyNames {
				add(awsPolicies[name].record(used[name]), "0")
			}
		}
		if scope == "AWS" {
			return nil
		}
		return tx.Scan(tblPolicies, acct+"/", "", 0, func(_ string, v []byte) error {
			var p policyRec
			if err := decodeRec(v, &p); err != nil {
				return err
			}
			add(&p, "1")
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	items, pg, err := pageSlice(all, func(l listed) string { return l.key }, in.Marker, limit)
	if err != nil {
		return nil, err
	}
	out := &ListPoliciesOutput{Policies: make([]Policy, 0, len(items)), IsTruncated: pg.Truncated, Marker: pg.Marker}
	for _, l := range items {
		out.Policies = append(out.Policies, l.policy)
	}
	return out, nil
}

// ListPolicyVersionsInput names the policy.
type ListPolicyVersionsInput struct {
	PolicyArn string
	Marker    *string
	MaxItems  *int32
}

// ListPolicyVersionsOutput lists versions without their documents.
type ListPolicyVersionsOutput struct {
	Versions    []PolicyVersion
	IsTruncated bool
	Marker      *string
}

// ListPolicyVersions lists a managed policy's versions, oldest first.
func (s *Service) ListPolicyVersions(ctx context.Context, c *cairn.Call, in *ListPolicyVersionsInput) (*ListPolicyVersionsOutput, error) {
	limit, err := maxItems(in.MaxItems)
	if err != nil {
		return nil, err
	}
	var all []PolicyVersion
	err = s.withPolicy(ctx, c, in.PolicyArn, "", func(_ store.Tx, p *policyRec) (bool, error) {
		for _, v := range p.Versions {
			all = append(all, PolicyVersion{VersionId: v.ID, IsDefaultVersion: v.ID == p.Default, CreateDate: v.Created})
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	items, pg, err := pageSlice(all, func(v PolicyVersion) string { return versionSortKey(v.VersionId) }, in.Marker, limit)
	if err != nil {
		return nil, err
	}
	return &ListPolicyVersionsOutput{Versions: append([]PolicyVersion{}, items...), IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

// versionSortKey orders v2 before v10.
func versionSortKey(id string) string {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "v"))
	if err != nil {
		return id
	}
	return fmt.Sprintf("%010d", n)
}

// CreatePolicyVersionInput adds a version.
type CreatePolicyVersionInput struct {
	PolicyArn      string
	PolicyDocument string
	SetAsDefault   bool
}

// CreatePolicyVersionOutput returns the new version (without document).
type CreatePolicyVersionOutput struct {
	PolicyVersion *PolicyVersion
}

// CreatePolicyVersion adds a version to a managed policy, optionally as the
// default; a policy keeps at most five versions.
func (s *Service) CreatePolicyVersion(ctx context.Context, c *cairn.Call, in *CreatePolicyVersionInput) (*CreatePolicyVersionOutput, error) {
	if _, err := validatePolicyARN(in.PolicyArn); err != nil {
		return nil, err
	}
	if err := checkManagedDocument(in.PolicyDocument); err != nil {
		return nil, err
	}
	now := s.now(c)
	var out PolicyVersion
	err := s.withPolicy(ctx, c, in.PolicyArn, "iam:CreatePolicyVersion", func(_ store.Tx, p *policyRec) (bool, error) {
		if len(p.Versions) >= maxPolicyVersions {
			return false, limitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxPolicyVersions)
		}
		v := versionRec{ID: "v" + strconv.Itoa(p.NextVersion), Document: in.PolicyDocument, Created: now}
		p.NextVersion++
		p.Versions = append(p.Versions, v)
		if in.SetAsDefault {
			p.Default = v.ID
		}
		p.Updated = now
		out = PolicyVersion{VersionId: v.ID, IsDefaultVersion: in.SetAsDefault, CreateDate: now}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &CreatePolicyVersionOutput{PolicyVersion: &out}, nil
}

// SetDefaultPolicyVersionInput names the policy and version.
type SetDefaultPolicyVersionInput struct {
	PolicyArn string
	VersionId string
}

// SetDefaultPolicyVersionOutput is empty.
type SetDefaultPolicyVersionOutput struct{}

// SetDefaultPolicyVersion makes a version the one in force.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, c *cairn.Call, in *SetDefaultPolicyVersionInput) (*SetDefaultPolicyVersionOutput, error) {
	if err := validateVersionID(in.VersionId); err != nil {
		return nil, err
	}
	now := s.now(c)
	err := s.withPolicy(ctx, c, in.PolicyArn, "iam:SetDefaultPolicyVersion", func(_ store.Tx, p *policyRec) (bool, error) {
		if p.version(in.VersionId) == nil {
			return false, noSuchPolicyVersion(in.PolicyArn, in.VersionId)
		}
		if p.Default == in.VersionId {
			return false, nil
		}
		p.Default = in.VersionId
		p.Updated = now
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &SetDefaultPolicyVersionOutput{}, nil
}

// DeletePolicyVersionInput names the policy and version.
type DeletePolicyVersionInput struct {
	PolicyArn string
	VersionId string
}

// DeletePolicyVersionOutput is empty.
type DeletePolicyVersionOutput struct{}

// DeletePolicyVersion deletes a version other than the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, c *cairn.Call, in *DeletePolicyVersionInput) (*DeletePolicyVersionOutput, error) {
	if err := validateVersionID(in.VersionId); err != nil {
		return nil, err
	}
	err := s.withPolicy(ctx, c, in.PolicyArn, "iam:DeletePolicyVersion", func(_ store.Tx, p *policyRec) (bool, error) {
		if p.version(in.VersionId) == nil {
			return false, noSuchPolicyVersion(in.PolicyArn, in.VersionId)
		}
		if p.Default == in.VersionId {
			return false, deleteConflict(msgDefaultVersion)
		}
		for i := range p.Versions {
			if p.Versions[i].ID == in.VersionId {
				p.Versions = append(p.Versions[:i], p.Versions[i+1:]...)
				break
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &DeletePolicyVersionOutput{}, nil
}

// DeletePolicyInput names the policy.
type DeletePolicyInput struct {
	PolicyArn string
}

// DeletePolicyOutput is empty.
type DeletePolicyOutput struct{}

// DeletePolicy deletes a managed policy that is attached to nothing, bounds
// nothing, and has only its default version left.
func (s *Service) DeletePolicy(ctx context.Context, c *cairn.Call, in *DeletePolicyInput) (*DeletePolicyOutput, error) {
	acct := c.Account()
	err := s.withPolicy(ctx, c, in.PolicyArn, "iam:DeletePolicy", func(tx store.Tx, p *policyRec) (bool, error) {
		if p.Attachments > 0 || p.BoundaryUses > 0 {
			return false, deleteConflict(msgPolicyAttached)
		}
		if len(p.Versions) > 1 {
			return false, deleteConflict(msgPolicyHasVersions)
		}
		if err := tx.Delete(tblPolicies, entityKey(acct, p.Name)); err != nil {
			return false, fmt.Errorf("delete policy: %w", err)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return &DeletePolicyOutput{}, nil
}

// Permissions boundaries.

func validateBoundaryARN(arn string) (parsedPolicyARN, error) {
	if len(arn) < 20 {
		return parsedPolicyARN{}, validationError("permissionsBoundary", "", "Member must have length greater than or equal to 20")
	}
	if err := maxLen("permissionsBoundary", arn, 2048); err != nil {
		return parsedPolicyARN{}, err
	}
	pa, err := parsePolicyARN(arn)
	if err != nil {
		return parsedPolicyARN{}, invalidInput("ARN %s is not valid.", arn)
	}
	return pa, nil
}

// useBoundary adds delta to the boundary-use count of the policy arn; it
// fails with NoSuchEntity when the policy does not exist.
func useBoundary(tx store.Tx, account, arn string, delta int32) error {
	p, err := loadPolicy(tx, account, arn)
	if err != nil {
		return err
	}
	if p == nil {
		return noSuchBoundary(arn)
	}
	p.BoundaryUses += delta
	if p.BoundaryUses < 0 {
		p.BoundaryUses = 0
	}
	return savePolicy(tx, account, p)
}
