package iam

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
	"github.com/cairnhq/cairn/store"
)

// The policy simulator. It answers with the engine that enforces every
// call, policy.Evaluate, on the documents PoliciesFor resolves for the
// principal (the same loader, principalPolicies below) plus the ones the
// request supplies, so a simulation cannot disagree with what Cairn does
// for the same documents and request context. The simulator evaluates
// exactly the context entries it is given: it fills in no global keys.

// ContextEntry is a condition key and its values for a simulation.
type ContextEntry struct {
	ContextKeyName   *string
	ContextKeyValues []string
	ContextKeyType   *string
}

// SimulatePrincipalPolicyInput simulates the policies of a user, group or
// role, optionally with more policies.
type SimulatePrincipalPolicyInput struct {
	PolicySourceArn                    string
	PolicyInputList                    []string
	PermissionsBoundaryPolicyInputList []string
	ActionNames                        []string
	ResourceArns                       []string
	ResourcePolicy                     *string
	ResourceOwner                      *string
	CallerArn                          *string
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             *string
	MaxItems                           *int32
	Marker                             *string
}

// SimulateCustomPolicyInput simulates policies given as documents.
type SimulateCustomPolicyInput struct {
	PolicyInputList                    []string
	PermissionsBoundaryPolicyInputList []string
	ActionNames                        []string
	ResourceArns                       []string
	ResourcePolicy                     *string
	ResourceOwner                      *string
	CallerArn                          *string
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             *string
	MaxItems                           *int32
	Marker                             *string
}

// SimulatePolicyOutput is one page of evaluation results (both
// simulators' response).
type SimulatePolicyOutput struct {
	EvaluationResults []EvaluationResult
	IsTruncated       bool
	Marker            *string
}

// EvaluationResult is the decision on one action and resource.
type EvaluationResult struct {
	EvalActionName                    string
	EvalResourceName                  string
	EvalDecision                      string
	MatchedStatements                 []Statement
	MissingContextValues              []string
	OrganizationsDecisionDetail       *OrganizationsDecisionDetail
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail
	ResourceSpecificResults           []ResourceSpecificResult
}

// ResourceSpecificResult is the decision on one resource named in
// ResourceArns.
type ResourceSpecificResult struct {
	EvalResourceName                  string
	EvalResourceDecision              string
	MatchedStatements                 []Statement
	MissingContextValues              []string
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail
}

// Statement is a statement that decided a result: the policy it is in and
// where it lies in that policy's document.
type Statement struct {
	SourcePolicyId   string
	SourcePolicyType string
	StartPosition    *Position
	EndPosition      *Position
}

// Position is a 1-based line and column in a policy document.
type Position struct {
	Line   int32
	Column int32
}

// OrganizationsDecisionDetail says whether the account's service control
// policies allow the action.
type OrganizationsDecisionDetail struct {
	AllowedByOrganizations bool
}

// PermissionsBoundaryDecisionDetail says whether the permissions boundary
// allows the action.
type PermissionsBoundaryDecisionDetail struct {
	AllowedByPermissionsBoundary bool
}

// The simulator's decisions.
const (
	decisionAllowed      = "allowed"
	decisionExplicitDeny = "explicitDeny"
	decisionImplicitDeny = "implicitDeny"
)

// SimulatePrincipalPolicy evaluates the policies of the user, group or role
// PolicySourceArn names (a user's include its groups' policies and its
// permissions boundary), with PolicyInputList added, for every action and
// resource. The account's service control policies take part as the
// configured SCPSource reports them.
func (s *Service) SimulatePrincipalPolicy(ctx context.Context, c *cairn.Call, in *SimulatePrincipalPolicyInput) (*SimulatePolicyOutput, error) {
	if err := required("policySourceArn", in.PolicySourceArn); err != nil {
		return nil, err
	}
	if len(in.PolicySourceArn) < 20 {
		return nil, validationError("policySourceArn", "", "Member must have length greater than or equal to 20")
	}
	if err := maxLen("policySourceArn", in.PolicySourceArn, 2048); err != nil {
		return nil, err
	}
	sim := &simulation{
		actions: in.ActionNames, resources: in.ResourceArns, resourcePolicy: in.ResourcePolicy,
		resourceOwner: in.ResourceOwner, callerARN: in.CallerArn, entries: in.ContextEntries,
		handling: in.ResourceHandlingOption, maxItems: in.MaxItems, marker: in.Marker,
		inputs: in.PolicyInputList, boundaryInputs: in.PermissionsBoundaryPolicyInputList,
	}
	if err := sim.validate(false); err != nil {
		return nil, err
	}
	acct := c.Account()
	kind, name, err := parseSourceARN(acct, in.PolicySourceArn)
	if err != nil {
		return nil, err
	}
	var set *policySet
	var entityARN string
	err = s.view(ctx, func(tx store.Tx) error {
		var err error
		set, entityARN, err = principalPolicies(tx, acct, kind, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	if entityARN != in.PolicySourceArn { // right name, wrong path
		return nil, noSuchEntity("The %s with name %s cannot be found.", kind, name)
	}
	sim.entity = set
	sim.account = acct
	switch kind {
	case kindUser:
		sim.principal = policy.Principal{Type: policy.PrincipalIAMUser, ARN: entityARN, Account: acct}
	case kindRole:
		sim.principal = policy.Principal{Type: policy.PrincipalAssumedRole, ARN: entityARN, Account: acct, IssuerARN: entityARN}
	}
	if src := s.scpSource(); src != nil {
		levels, orgID, management, err := src.SCPsFor(ctx, acct)
		if err != nil {
			return nil, fmt.Errorf("service control policies of %s: %w", acct, err)
		}
		if orgID != "" {
			sim.inOrg, sim.management = true, management
			if !management {
				sim.scpDocs = levels
			}
		}
	}
	return sim.run()
}

// SimulateCustomPolicy evaluates the documents of PolicyInputList (and the
// optional boundary and resource policy) for every action and resource;
// no stored policy and no service control policy takes part.
func (s *Service) SimulateCustomPolicy(ctx context.Context, c *cairn.Call, in *SimulateCustomPolicyInput) (*SimulatePolicyOutput, error) {
	sim := &simulation{
		actions: in.ActionNames, resources: in.ResourceArns, resourcePolicy: in.ResourcePolicy,
		resourceOwner: in.ResourceOwner, callerARN: in.CallerArn, entries: in.ContextEntries,
		handling: in.ResourceHandlingOption, maxItems: in.MaxItems, marker: in.Marker,
		inputs: in.PolicyInputList, boundaryInputs: in.PermissionsBoundaryPolicyInputList,
		account: c.Account(),
	}
	if err := sim.validate(true); err != nil {
		return nil, err
	}
	return sim.run()
}

// parseSourceARN reads PolicySourceArn: a user, group or role of the
// caller's account.
func parseSourceARN(account, arn string) (entityKind, string, error) {
	a, err := cairn.ParseARN(arn)
	if err != nil || a.Partition != cairn.Partition || a.Service != "iam" || a.Region != "" || a.Account != account {
		return "", "", invalidInput("Invalid ARN: %s.", arn)
	}
	for _, k := range []entityKind{kindUser, kindGroup, kindRole} {
		if rest, ok := strings.CutPrefix(a.Resource, string(k)+"/"); ok {
			name := rest[strings.LastIndex(rest, "/")+1:]
			if !nameRe.MatchString(name) {
				break
			}
			return k, name, nil
		}
	}
	return "", "", invalidInput("Invalid ARN: %s. The policy source must be a user, group or role.", arn)
}

// principalPolicies loads what governs a user, group or role, and its ARN,
// with the loaders PoliciesFor uses. A missing entity is NoSuchEntity.
func principalPolicies(tx store.Tx, account string, kind entityKind, name string) (*policySet, string, error) {
	switch kind {
	case kindUser:
		u, err := loadUser(tx, account, name)
		if err != nil {
			return nil, "", err
		}
		set, err := userPolicies(tx, account, u)
		return set, userARN(account, u.Path, u.Name), err
	case kindGroup:
		g, err := loadGroup(tx, account, name)
		if err != nil {
			return nil, "", err
		}
		set, err := groupPolicies(tx, account, g)
		return set, groupARN(account, g.Path, g.Name), err
	default:
		r, err := loadRole(tx, account, name)
		if err != nil {
			return nil, "", err
		}
		set, err := rolePolicies(tx, account, r)
		return set, roleARN(account, r.Path, r.Name), err
	}
}

// simulation is one simulator request, validated, and what it evaluates.
type simulation struct {
	actions, resources []string
	resourcePolicy     *string
	resourceOwner      *string
	callerARN          *string
	entries            []ContextEntry
	handling           *string
	maxItems           *int32
	marker             *string
	inputs             []string
	boundaryInputs     []string

	account    string
	entity     *policySet       // the principal's policies; nil for custom
	principal  policy.Principal // the caller as the resource policy sees it
	inOrg      bool
	management bool
	scpDocs    [][]string
}

// validate checks the members against the model and IAM's rules.
func (sim *simulation) validate(custom bool) error {
	if len(sim.actions) == 0 {
		return required("actionNames", "")
	}
	for i, a := range sim.actions {
		if err := lengthBetween(fmt.Sprintf("actionNames.%d.member", i+1), a, 3, 128); err != nil {
			return err
		}
	}
	for i, r := range sim.resources {
		if err := lengthBetween(fmt.Sprintf("resourceArns.%d.member", i+1), r, 1, 2048); err != nil {
			return err
		}
	}
	if custom && len(sim.inputs) == 0 {
		return required("policyInputList", "")
	}
	for i, d := range sim.inputs {
		if err := validateDocumentText(fmt.Sprintf("policyInputList.%d.member", i+1), d); err != nil {
			return err
		}
	}
	if len(sim.boundaryInputs) > 1 {
		return invalidInput("Only one permissions boundary policy can be simulated at a time.")
	}
	for i, d := range sim.boundaryInputs {
		if err := validateDocumentText(fmt.Sprintf("permissionsBoundaryPolicyInputList.%d.member", i+1), d); err != nil {
			return err
		}
	}
	if sim.resourcePolicy != nil {
		if err := validateDocumentText("resourcePolicy", *sim.resourcePolicy); err != nil {
			return err
		}
	}
	if sim.handling != nil {
		if err := lengthBetween("resourceHandlingOption", *sim.handling, 1, 64); err != nil {
			return err
		}
	}
	if _, err := maxItems(sim.maxItems); err != nil {
		return err
	}
	for i, e := range sim.entries {
		if err := validateContextEntry(i, e); err != nil {
			return err
		}
	}
	return nil
}

// lengthBetween checks a string member's length constraints.
func lengthBetween(member, v string, min, max int) error {
	if len(v) < min {
		return validationError(member, "", fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	return maxLen(member, v, max)
}

// labeled is a parsed policy with what MatchedStatements reports of it.
type labeled struct {
	pol    *policy.Policy
	id     string
	typ    string
	spans  []span
	source string // the document, for key spellings
}

// run evaluates every action on every resource and pages the results.
func (sim *simulation) run() (*SimulatePolicyOutput, error) {
	var all []*labeled
	add := func(doc string, kind policy.Kind, id, typ string, input bool) (*policy.Policy, error) {
		p, err := policy.Parse(doc, kind)
		if err != nil {
			var ve *policy.ValidationError
			if !errors.As(err, &ve) {
				return nil, fmt.Errorf("parse %s: %w", id, err)
			}
			if input {
				return nil, invalidInput("%s: %s", id, ve.Message)
			}
			return nil, policyEvaluation("Policy %s could not be evaluated: %s", id, ve.Message)
		}
		p.Name = strconv.Itoa(len(all))
		all = append(all, &labeled{pol: p, id: id, typ: typ, spans: statementSpans(doc), source: doc})
		return p, nil
	}

	var identity []*policy.Policy
	var boundary *policy.Policy
	if sim.entity != nil {
		for _, sp := range sim.entity.Identity {
			p, err := add(sp.Document, policy.Identity, sp.ID, sp.Type, false)
			if err != nil {
				return nil, err
			}
			identity = append(identity, p)
		}
	}
	for i, d := range sim.inputs {
		p, err := add(d, policy.Identity, fmt.Sprintf("PolicyInputList.%d", i+1), "none", true)
		if err != nil {
			return nil, err
		}
		identity = append(identity, p)
	}
	switch {
	case len(sim.boundaryInputs) == 1:
		p, err := add(sim.boundaryInputs[0], policy.Boundary, "PermissionsBoundaryPolicyInputList.1", "none", true)
		if err != nil {
			return nil, err
		}
		boundary = p
	case sim.entity != nil && sim.entity.Boundary != nil:
		b := sim.entity.Boundary
		p, err := add(b.Document, policy.Boundary, b.ID, b.Type, false)
		if err != nil {
			return nil, err
		}
		boundary = p
	}
	var scps [][]*policy.Policy
	for l, level := range sim.scpDocs {
		var ps []*policy.Policy
		for n, doc := range level {
			p, err := add(doc, policy.SCP, fmt.Sprintf("ServiceControlPolicy.%d.%d", l+1, n+1), "none", false)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
		scps = append(scps, ps)
	}

	principal := sim.principal
	if principal.Type == "" {
		principal = policy.Principal{Type: policy.PrincipalIAMUser, Account: sim.account}
	}
	if sim.callerARN != nil {
		p, err := callerPrincipal(*sim.callerARN)
		if err != nil {
			return nil, err
		}
		principal = p
	}
	var resPolicy *policy.Policy
	resOwner := ""
	if sim.resourcePolicy != nil {
		if principal.ARN == "" {
			return nil, invalidInput("CallerArn is required when you include a ResourcePolicy and the PolicySourceArn is not the ARN of an IAM user.")
		}
		p, err := add(*sim.resourcePolicy, policy.Resource, "ResourcePolicy", "resource", true)
		if err != nil {
			return nil, err
		}
		resPolicy = p
		if sim.resourceOwner != nil {
			if resOwner = ownerAccount(*sim.resourceOwner); resOwner == "" {
				return nil, invalidInput("Invalid ResourceOwner: %s. It must be an account ID.", *sim.resourceOwner)
			}
		}
	}
	ctxKeys := contextOf(sim.entries)

	// Missing context values go with the result for "*" (given or by
	// default) and with the resource-specific result for a named resource,
	// as IAM reports them.
	resources := sim.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	results := make([]EvaluationResult, 0, len(sim.actions)*len(resources))
	for _, action := range sim.actions {
		for _, res := range resources {
			req := policy.Request{Action: action, Resource: res, Principal: principal, Context: ctxKeys}
			in := policy.Input{Request: req, Identity: identity, Boundary: boundary, SCPs: scps, ResourcePolicy: resPolicy}
			if resPolicy != nil {
				in.ResourceAccount = resourceAccount(res, resOwner, principal.Account)
			}
			d := policy.Evaluate(in)
			matched := matchedStatements(all, d)
			missing := missingKeys(all, d.MissingContextValues)
			r := EvaluationResult{
				EvalActionName: action, EvalResourceName: res, EvalDecision: decisionName(d),
				MatchedStatements: matched,
			}
			var bnd *PermissionsBoundaryDecisionDetail
			if boundary != nil {
				bd := policy.Evaluate(policy.Input{Request: req, Identity: []*policy.Policy{boundary}})
				bnd = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: bd.Allowed()}
				r.PermissionsBoundaryDecisionDetail = bnd
			}
			if sim.inOrg {
				allowed := true
				if !sim.management {
					allowed = policy.Evaluate(policy.Input{Request: req, SCPs: scps, Root: true}).Allowed()
				}
				r.OrganizationsDecisionDetail = &OrganizationsDecisionDetail{AllowedByOrganizations: allowed}
			}
			if res != "*" {
				r.ResourceSpecificResults = []ResourceSpecificResult{{
					EvalResourceName: res, EvalResourceDecision: r.EvalDecision, MatchedStatements: matched,
					MissingContextValues: missing, PermissionsBoundaryDecisionDetail: bnd,
				}}
			} else {
				r.MissingContextValues = missing
			}
			results = append(results, r)
		}
	}
	limit, _ := maxItems(sim.maxItems)
	items, pg, err := pageByIndex(results, sim.marker, limit)
	if err != nil {
		return nil, err
	}
	return &SimulatePolicyOutput{EvaluationResults: items, IsTruncated: pg.Truncated, Marker: pg.Marker}, nil
}

func decisionName(d policy.Decision) string {
	switch d.Effect {
	case policy.Allow:
		return decisionAllowed
	case policy.ExplicitDeny:
		return decisionExplicitDeny
	}
	return decisionImplicitDeny
}

// matchedStatements turns the engine's deciding statements into the
// simulator's, with their positions.
func matchedStatements(all []*labeled, d policy.Decision) []Statement {
	out := []Statement{}
	for _, ref := range d.Statements {
		i, err := strconv.Atoi(ref.Policy)
		if err != nil || i < 0 || i >= len(all) {
			continue
		}
		l := all[i]
		st := Statement{SourcePolicyId: l.id, SourcePolicyType: l.typ}
		if ref.Index < len(l.spans) {
			sp := l.spans[ref.Index]
			st.StartPosition = &Position{Line: sp.Start.Line, Column: sp.Start.Column}
			st.EndPosition = &Position{Line: sp.End.Line, Column: sp.End.Column}
		}
		out = append(out, st)
	}
	return out
}

// missingKeys spells the engine's lower-cased missing keys as the policies
// write them.
func missingKeys(all []*labeled, keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, spelling(all, k))
	}
	return out
}

func spelling(all []*labeled, key string) string {
	for _, l := range all {
		for _, st := range l.pol.Statements {
			for _, c := range st.Condition {
				if strings.EqualFold(c.Key, key) {
					return c.Key
				}
			}
		}
	}
	for _, l := range all { // a policy variable: find it in the text
		if i := strings.Index(strings.ToLower(l.source), key); i >= 0 && i+len(key) <= len(l.source) {
			if w := l.source[i : i+len(key)]; strings.EqualFold(w, key) {
				return w
			}
		}
	}
	return key
}

// callerPrincipal reads CallerArn, which must name an IAM user.
func callerPrincipal(arn string) (policy.Principal, error) {
	a, err := cairn.ParseARN(arn)
	if err != nil || a.Service != "iam" || !accountIDRe.MatchString(a.Account) || !strings.HasPrefix(a.Resource, "user/") {
		return policy.Principal{}, invalidInput("Invalid CallerArn: %s. It must be the ARN of an IAM user.", arn)
	}
	return policy.Principal{Type: policy.PrincipalIAMUser, ARN: arn, Account: a.Account}, nil
}

// ownerAccount reads ResourceOwner: an account ID or an account's root
// ARN.
func ownerAccount(v string) string {
	if accountIDRe.MatchString(v) {
		return v
	}
	if a, err := cairn.ParseARN(v); err == nil && a.Service == "iam" && a.Resource == "root" && accountIDRe.MatchString(a.Account) {
		return a.Account
	}
	return ""
}

// resourceAccount is the owner of a simulated resource: the account in its
// ARN, else ResourceOwner, else the caller's account.
func resourceAccount(resource, owner, caller string) string {
	if a, err := cairn.ParseARN(resource); err == nil && a.Account != "" {
		return a.Account
	}
	if owner != "" {
		return owner
	}
	return caller
}

// pageByIndex pages a computed list; the marker holds the index of the
// next item.
func pageByIndex[T any](items []T, marker *string, limit int) ([]T, page, error) {
	const prefix = "index/"
	after, err := decodeMarker(marker, prefix)
	if err != nil {
		return nil, page{}, err
	}
	start := 0
	if marker != nil {
		n, err := strconv.Atoi(strings.TrimPrefix(after, prefix))
		if err != nil || n < 0 || n > len(items) {
			return nil, page{}, errBadMarker
		}
		start = n
	}
	end := start + limit
	if end >= len(items) {
		return items[start:], page{}, nil
	}
	return items[start:end], page{Truncated: true, Marker: encodeMarker(prefix + strconv.Itoa(end))}, nil
}

// Context entries.

// contextTypes are the ContextKeyType values and whether each is a list.
var contextTypes = map[string]bool{
	"string": false, "stringList": true, "numeric": false, "numericList": true,
	"boolean": false, "booleanList": true, "ip": false, "ipList": true,
	"binary": false, "binaryList": true, "date": false, "dateList": true,
}

func validateContextEntry(i int, e ContextEntry) error {
	at := fmt.Sprintf("contextEntries.%d.member", i+1)
	name := str(e.ContextKeyName)
	if err := lengthBetween(at+".contextKeyName", name, 5, 256); err != nil {
		return err
	}
	typ := "string"
	if e.ContextKeyType != nil {
		typ = *e.ContextKeyType
	}
	list, ok := contextTypes[typ]
	if !ok {
		return validationError(at+".contextKeyType", typ, "Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]")
	}
	if !list && len(e.ContextKeyValues) > 1 {
		return invalidInput("Context key %s is of type %s and takes one value, not %d.", name, typ, len(e.ContextKeyValues))
	}
	base := strings.TrimSuffix(typ, "List")
	for _, v := range e.ContextKeyValues {
		if !validContextValue(base, v) {
			return invalidInput("Invalid value %q for context key %s of type %s.", v, name, typ)
		}
	}
	return nil
}

func validContextValue(typ, v string) bool {
	switch typ {
	case "numeric":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "boolean":
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
	case "ip":
		if net.ParseIP(v) != nil {
			return true
		}
		_, _, err := net.ParseCIDR(v)
		return err == nil
	case "binary":
		_, err := base64.StdEncoding.DecodeString(v)
		return err == nil
	case "date":
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return true // epoch seconds
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
			if _, err := time.Parse(layout, v); err == nil {
				return true
			}
		}
		return false
	}
	return true
}

// contextOf builds the request context of a simulation: each entry's key,
// lower-cased as the engine expects, with its values written as a request
// carries them: booleans in lower case, binary values (base64 in the
// simulator's input) as their bytes.
func contextOf(entries []ContextEntry) map[string][]string {
	if len(entries) == 0 {
		return nil
	}
	m := make(map[string][]string, len(entries))
	for _, e := range entries {
		key := strings.ToLower(str(e.ContextKeyName))
		vals := append([]string(nil), e.ContextKeyValues...)
		typ := "string"
		if e.ContextKeyType != nil {
			typ = strings.TrimSuffix(*e.ContextKeyType, "List")
		}
		for i, v := range vals {
			switch typ {
			case "boolean":
				vals[i] = strings.ToLower(v)
			case "binary":
				b, _ := base64.StdEncoding.DecodeString(v) // validated already
				vals[i] = string(b)
			}
		}
		m[key] = append(m[key], vals...)
	}
	return m
}
