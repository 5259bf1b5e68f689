package iam

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn/policy"
)

// AWS managed policies: arn:aws:iam::aws:policy<path><name>. They live in
// the data files of managed/ (one per policy, AWS's own document and
// default version ID), are visible in every account, attachable to its
// users, groups and roles, and cannot be changed or deleted. What is per
// account is how often a policy is used there: its attachment and
// permissions-boundary counts, kept in tblAWSPolicyUsage.

//go:embed managed/*.json
var managedFS embed.FS

// awsAccount is the account part of an AWS managed policy ARN.
const awsAccount = "aws"

// managedFile is the layout of a data file.
type managedFile struct {
	PolicyName       string
	PolicyId         string
	Path             string
	Description      string
	DefaultVersionId string
	CreateDate       time.Time
	UpdateDate       time.Time
	Source           string // where the document was taken from
	Document         json.RawMessage
}

// awsPolicy is one AWS managed policy, loaded once.
type awsPolicy struct {
	file     managedFile
	arn      string
	document string // indented with four spaces, keys in AWS's order
}

// awsPolicies holds the AWS managed policies by lower-case name, and
// awsPolicyNames their names in listing order. The data files are part of
// the binary: a malformed one is a build defect, so loading panics (and
// TestManagedPolicyFiles catches it first).
var awsPolicies, awsPolicyNames = mustLoadManaged()

func mustLoadManaged() (map[string]*awsPolicy, []string) {
	m, names, err := loadManaged()
	if err != nil {
		panic(err)
	}
	return m, names
}

func loadManaged() (map[string]*awsPolicy, []string, error) {
	entries, err := managedFS.ReadDir("managed")
	if err != nil {
		return nil, nil, fmt.Errorf("aws managed policies: %w", err)
	}
	m := make(map[string]*awsPolicy, len(entries))
	var names []string
	for _, e := range entries {
		file := "managed/" + e.Name()
		b, err := managedFS.ReadFile(file)
		if err != nil {
			return nil, nil, fmt.Errorf("aws managed policy %s: %w", file, err)
		}
		var f managedFile
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, nil, fmt.Errorf("aws managed policy %s: %w", file, err)
		}
		if f.PolicyName+".json" != path.Base(file) || !nameRe.MatchString(f.PolicyName) {
			return nil, nil, fmt.Errorf("aws managed policy %s: PolicyName %q does not match the file name", file, f.PolicyName)
		}
		if !policyPathRe.MatchString(f.Path) || !versionIDRe.MatchString(f.DefaultVersionId) ||
			!strings.HasPrefix(f.PolicyId, "ANPA") || f.CreateDate.IsZero() || f.UpdateDate.Before(f.CreateDate) {
			return nil, nil, fmt.Errorf("aws managed policy %s: bad Path, DefaultVersionId, PolicyId or dates", file)
		}
		var compact, doc bytes.Buffer
		if err := json.Compact(&compact, f.Document); err != nil {
			return nil, nil, fmt.Errorf("aws managed policy %s: document: %w", file, err)
		}
		if err := json.Indent(&doc, compact.Bytes(), "", "    "); err != nil {
			return nil, nil, fmt.Errorf("aws managed policy %s: document: %w", file, err)
		}
		if _, err := policy.ParseManaged(doc.String(), policy.Identity); err != nil {
			return nil, nil, fmt.Errorf("aws managed policy %s: document: %w", file, err)
		}
		key := lower(f.PolicyName)
		if _, dup := m[key]; dup {
			return nil, nil, fmt.Errorf("aws managed policy %s: duplicate name", file)
		}
		m[key] = &awsPolicy{file: f, arn: policyARN(awsAccount, f.Path, f.PolicyName), document: doc.String()}
		names = append(names, key)
	}
	sort.Strings(names)
	return m, names, nil
}

// lookupAWSPolicy returns the AWS managed policy named by pa (path
// included), or nil.
func lookupAWSPolicy(pa parsedPolicyARN) *awsPolicy {
	p := awsPolicies[lower(pa.Name)]
	if p == nil || p.file.PolicyName != pa.Name || p.file.Path != pa.Path {
		return nil
	}
	return p
}

// awsUsage is how often an account uses an AWS managed policy.
type awsUsage struct {
	Attachments  int32 `json:"attachments"`
	BoundaryUses int32 `json:"boundaryUses"`
}

// record is the policy as the account sees it: one version, the account's
// usage counts.
func (p *awsPolicy) record(u awsUsage) *policyRec {
	f := &p.file
	return &policyRec{
		Name: f.PolicyName, ID: f.PolicyId, Path: f.Path, Description: f.Description,
		Created: f.CreateDate, Updated: f.UpdateDate, Default: f.DefaultVersionId,
		Versions:    []versionRec{{ID: f.DefaultVersionId, Document: p.document, Created: f.UpdateDate}},
		Attachments: u.Attachments, BoundaryUses: u.BoundaryUses,
		awsManaged: true,
	}
}
