package iam

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Stored aggregates. They are storage, not wire: JSON in the KV tables.

type entityKind string

const (
	kindUser  entityKind = "user"
	kindGroup entityKind = "group"
	kindRole  entityKind = "role"
)

// inlinePolicy is an inline policy embedded in its user, group or role.
type inlinePolicy struct {
	Name     string `json:"name"`
	Document string `json:"document"`
}

// accountRec is an account bootstrapped into this deployment.
type accountRec struct {
	ID       string    `json:"id"`
	Created  time.Time `json:"created"`
	RootKeys []string  `json:"rootKeys,omitempty"`
}

type userRec struct {
	Name     string         `json:"name"`
	ID       string         `json:"id"`
	Path     string         `json:"path"`
	Created  time.Time      `json:"created"`
	Tags     []Tag          `json:"tags,omitempty"`
	Boundary string         `json:"boundary,omitempty"`
	Groups   []string       `json:"groups,omitempty"`   // lower-case group names
	Attached []string       `json:"attached,omitempty"` // managed policy ARNs
	Inline   []inlinePolicy `json:"inline,omitempty"`   // sorted by lower-case name
	Keys     []string       `json:"keys,omitempty"`     // access key IDs
}

type groupRec struct {
	Name     string         `json:"name"`
	ID       string         `json:"id"`
	Path     string         `json:"path"`
	Created  time.Time      `json:"created"`
	Members  []string       `json:"members,omitempty"` // lower-case user names, sorted
	Attached []string       `json:"attached,omitempty"`
	Inline   []inlinePolicy `json:"inline,omitempty"`
}

type roleRec struct {
	Name               string         `json:"name"`
	ID                 string         `json:"id"`
	Path               string         `json:"path"`
	Created            time.Time      `json:"created"`
	Trust              string         `json:"trust"`
	Description        string         `json:"description,omitempty"`
	MaxSessionDuration int32          `json:"maxSessionDuration"`
	Boundary           string         `json:"boundary,omitempty"`
	Tags               []Tag          `json:"tags,omitempty"`
	Attached           []string       `json:"attached,omitempty"`
	Inline             []inlinePolicy `json:"inline,omitempty"`
	LastUsed           *time.Time     `json:"lastUsed,omitempty"`
	LastUsedRegion     string         `json:"lastUsedRegion,omitempty"`
}

type versionRec struct {
	ID       string    `json:"id"`
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
}

type policyRec struct {
	Name         string       `json:"name"`
	ID           string       `json:"id"`
	Path         string       `json:"path"`
	Description  string       `json:"description,omitempty"`
	Created      time.Time    `json:"created"`
	Updated      time.Time    `json:"updated"`
	Default      string       `json:"default"`
	NextVersion  int          `json:"nextVersion"`
	Versions     []versionRec `json:"versions"` // ascending creation
	Attachments  int32        `json:"attachments"`
	BoundaryUses int32        `json:"boundaryUses"`
	Tags         []Tag        `json:"tags,omitempty"`

	// awsManaged marks an AWS managed policy: built from its data file,
	// with the counts of the account it was loaded for.
	awsManaged bool
}

// keyRec is a long-term access key. User is the owner's lower-case name,
// empty for the account's root user.
type keyRec struct {
	ID      string    `json:"id"`
	Account string    `json:"account"`
	User    string    `json:"user,omitempty"`
	Status  string    `json:"status"`
	Created time.Time `json:"created"`
	Secret  []byte    `json:"secret"` // sealed, additional data = the key ID
}

// usageRec is where and when a key was last used.
type usageRec struct {
	Time    time.Time `json:"time"`
	Service string    `json:"service"`
	Region  string    `json:"region"`
}

// sessionRec is a temporary (ASIA…) key.
type sessionRec struct {
	ID        string          `json:"id"`
	Principal cairn.Principal `json:"principal"`
	Secret    []byte          `json:"secret"` // sealed, additional data = the key ID
	Token     []byte          `json:"token"`  // sealed, additional data = key ID + tokenAD
	Created   time.Time       `json:"created"`
	Expires   time.Time       `json:"expires"`
}

// ARNs.

func userARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":user" + path + name
}

func groupARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":group" + path + name
}

func roleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + path + name
}

func policyARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":policy" + path + name
}

// parsedPolicyARN is a managed policy ARN split into its parts.
type parsedPolicyARN struct {
	Account, Path, Name string
}

// parsePolicyARN splits arn:aws:iam::<account>:policy<path><name>. It
// returns InvalidInput for anything else.
func parsePolicyARN(arn string) (parsedPolicyARN, error) {
	a, err := cairn.ParseARN(arn)
	if err != nil || a.Partition != cairn.Partition || a.Service != "iam" || a.Region != "" || a.Account == "" ||
		!strings.HasPrefix(a.Resource, "policy/") {
		return parsedPolicyARN{}, invalidARN(arn)
	}
	rest := strings.TrimPrefix(a.Resource, "policy")
	i := strings.LastIndex(rest, "/")
	name := rest[i+1:]
	if name == "" || !nameRe.MatchString(name) {
		return parsedPolicyARN{}, invalidARN(arn)
	}
	return parsedPolicyARN{Account: a.Account, Path: rest[:i+1], Name: name}, nil
}

func validatePolicyARN(arn string) (parsedPolicyARN, error) {
	if err := required("policyArn", arn); err != nil {
		return parsedPolicyARN{}, err
	}
	if len(arn) < 20 {
		return parsedPolicyARN{}, validationError("policyArn", "", "Member must have length greater than or equal to 20")
	}
	if err := maxLen("policyArn", arn, 2048); err != nil {
		return parsedPolicyARN{}, err
	}
	return parsePolicyARN(arn)
}

// Loaders translate a missing aggregate into IAM's NoSuchEntity.

func loadUser(tx store.Tx, account, name string) (*userRec, error) {
	return loadRec[userRec](tx, kindUser, account, name)
}

func saveUser(tx store.Tx, account string, u *userRec) error {
	return store.PutJSON(tx, tblUsers, entityKey(account, u.Name), u)
}

func loadGroup(tx store.Tx, account, name string) (*groupRec, error) {
	return loadRec[groupRec](tx, kindGroup, account, name)
}

func saveGroup(tx store.Tx, account string, g *groupRec) error {
	return store.PutJSON(tx, tblGroups, entityKey(account, g.Name), g)
}

func loadRole(tx store.Tx, account, name string) (*roleRec, error) {
	return loadRec[roleRec](tx, kindRole, account, name)
}

func saveRole(tx store.Tx, account string, r *roleRec) error {
	return store.PutJSON(tx, tblRoles, entityKey(account, r.Name), r)
}

// loadPolicy returns the managed policy named by arn as account sees it,
// or nil when there is none (another account's, wrong path or no such
// name): one of the account's customer managed policies, or an AWS managed
// policy with the account's usage counts.
func loadPolicy(tx store.Tx, account, arn string) (*policyRec, error) {
	pa, err := parsePolicyARN(arn)
	if err != nil {
		return nil, err
	}
	if pa.Account == awsAccount {
		ap := lookupAWSPolicy(pa)
		if ap == nil {
			return nil, nil
		}
		var u awsUsage
		if err := store.GetJSON(tx, tblAWSPolicyUsage, entityKey(account, pa.Name), &u); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("get aws managed policy usage: %w", err)
		}
		return ap.record(u), nil
	}
	if pa.Account != account {
		return nil, nil
	}
	var p policyRec
	if err := store.GetJSON(tx, tblPolicies, entityKey(account, pa.Name), &p); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("get policy: %w", err)
	}
	if p.Path != pa.Path || p.Name != pa.Name {
		return nil, nil
	}
	return &p, nil
}

// savePolicy stores a customer managed policy, or the account's usage
// counts of an AWS managed one.
func savePolicy(tx store.Tx, account string, p *policyRec) error {
	if p.awsManaged {
		key := entityKey(account, p.Name)
		if p.Attachments <= 0 && p.BoundaryUses <= 0 {
			if err := tx.Delete(tblAWSPolicyUsage, key); err != nil && !isNotFound(err) {
				return fmt.Errorf("delete aws managed policy usage: %w", err)
			}
			return nil
		}
		return store.PutJSON(tx, tblAWSPolicyUsage, key, awsUsage{Attachments: p.Attachments, BoundaryUses: p.BoundaryUses})
	}
	return store.PutJSON(tx, tblPolicies, entityKey(account, p.Name), p)
}

// arn is the policy's ARN as seen from account.
func (p *policyRec) arn(account string) string {
	if p.awsManaged {
		account = awsAccount
	}
	return policyARN(account, p.Path, p.Name)
}

func (p *policyRec) version(id string) *versionRec {
	for i := range p.Versions {
		if p.Versions[i].ID == id {
			return &p.Versions[i]
		}
	}
	return nil
}

func (p *policyRec) defaultDocument() string {
	if v := p.version(p.Default); v != nil {
		return v.Document
	}
	return ""
}

// Shapes.

func (u *userRec) shape(account string) User {
	out := User{
		Path: u.Path, UserName: u.Name, UserId: u.ID,
		Arn: userARN(account, u.Path, u.Name), CreateDate: u.Created,
		Tags: cloneTags(u.Tags),
	}
	if u.Boundary != "" {
		out.PermissionsBoundary = &AttachedPermissionsBoundary{PermissionsBoundaryType: boundaryType, PermissionsBoundaryArn: u.Boundary}
	}
	return out
}

func (g *groupRec) shape(account string) Group {
	return Group{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: groupARN(account, g.Path, g.Name), CreateDate: g.Created}
}

func (r *roleRec) shape(account string) Role {
	out := Role{
		Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: roleARN(account, r.Path, r.Name),
		CreateDate: r.Created, AssumeRolePolicyDocument: encodeDocument(r.Trust),
		Description: r.Description, MaxSessionDuration: r.MaxSessionDuration,
		Tags: cloneTags(r.Tags),
	}
	if r.Boundary != "" {
		out.PermissionsBoundary = &AttachedPermissionsBoundary{PermissionsBoundaryType: boundaryType, PermissionsBoundaryArn: r.Boundary}
	}
	return out
}

func (p *policyRec) shape(account string) Policy {
	return Policy{
		PolicyName: p.Name, PolicyId: p.ID, Arn: p.arn(account), Path: p.Path,
		DefaultVersionId: p.Default, AttachmentCount: p.Attachments,
		PermissionsBoundaryUsageCount: p.BoundaryUses, IsAttachable: true,
		Description: p.Description, CreateDate: p.Created, UpdateDate: p.Updated,
		Tags: cloneTags(p.Tags),
	}
}

func cloneTags(t []Tag) []Tag {
	if len(t) == 0 {
		return nil
	}
	return append([]Tag(nil), t...)
}

// Sorted string sets of lower-case names.

func addSorted(list []string, v string) []string {
	i := sort.SearchStrings(list, v)
	if i < len(list) && list[i] == v {
		return list
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = v
	return list
}

func removeString(list []string, v string) ([]string, bool) {
	for i, x := range list {
		if x == v {
			return append(list[:i:i], list[i+1:]...), true
		}
	}
	return list, false
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
