package policy

import (
	"errors"
	"fmt"
	"strings"
)

// validator checks a document against the grammar of its kind. The checks
// run in IAM's order, because when a document has several faults AWS
// reports the first one its pipeline meets: JSON and element syntax, then
// what the kind forbids or requires of principals, the "legacy" parser,
// statement IDs, missing actions, missing resources, resource formats,
// action formats, and finally principal values.
type validator struct {
	kind    Kind
	version string
	// resourceErr is the first malformed resource; IAM reports it only
	// after checking that every statement has actions and resources.
	resourceErr *ValidationError
}

// The elements of the grammar. Arrays, not slices: package-level tables
// stay read-only.
var (
	topLevelFields  = [...]string{"Version", "Id", "Statement"}
	statementFields = [...]string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)

func (v *validator) fail(r Reason, stmt int, field, value, detail string) *ValidationError {
	return newError(v.kind, r, stmt, field, value, detail)
}

// document decodes doc and checks the top level; it returns the statement
// nodes in order.
func (v *validator) document(doc string) (*node, []*node, error) {
	if v.kind == Resource {
		// S3 checks the first byte (after any leading whitespace, which
		// Cairn tolerates) before it parses anything.
		if t := strings.TrimLeft(doc, " \t\r\n"); t == "" || t[0] != '{' {
			return nil, nil, v.fail(ReasonInvalidJSON, -1, "", "", msgS3FirstByte)
		}
	}
	root, err := decodeTree(doc)
	if err != nil {
		r := ReasonInvalidJSON
		if errors.Is(err, errDuplicateKey) {
			r = ReasonSyntax
		}
		ve := v.fail(r, -1, "", "", "")
		ve.err = fmt.Errorf("policy: decode %s: %w", v.kind, err)
		return nil, nil, ve
	}
	for _, k := range root.keys {
		if !contains(topLevelFields[:], k) {
			return nil, nil, v.fail(ReasonUnknownField, -1, k, "", "")
		}
	}
	if ver := root.get("Version"); ver != nil {
		if ver.kind != nodeString || ver.text != Version2012 && ver.text != Version2008 {
			return nil, nil, v.fail(ReasonInvalidVersion, -1, "Version", ver.text, "")
		}
		v.version = ver.text
	}
	if id := root.get("Id"); id != nil && id.kind != nodeString {
		return nil, nil, v.fail(ReasonSyntax, -1, "Id", "", "")
	}
	st := root.get("Statement")
	var stmts []*node
	switch {
	case st == nil:
		return nil, nil, v.fail(ReasonMissingStatement, -1, "Statement", "", "")
	case st.kind == nodeObject:
		stmts = []*node{st}
	case st.kind == nodeArray:
		if len(st.items) == 0 {
			return nil, nil, v.fail(ReasonEmptyStatement, -1, "Statement", "", "")
		}
		stmts = st.items
	default:
		return nil, nil, v.fail(ReasonSyntax, -1, "Statement", "", "")
	}
	for i, s := range stmts {
		if s.kind != nodeObject {
			return nil, nil, v.fail(ReasonSyntax, i, "Statement", "", "")
		}
		if err := v.statementSyntax(s, i); err != nil {
			return nil, nil, err
		}
	}
	return root, stmts, nil
}

// statementSyntax checks one statement's elements and their JSON types.
func (v *validator) statementSyntax(s *node, i int) error {
	for _, k := range s.keys {
		if !contains(statementFields[:], k) {
			return v.fail(ReasonUnknownField, i, k, "", "")
		}
	}
	for _, pair := range [][2]string{{"Action", "NotAction"}, {"Resource", "NotResource"}, {"Principal", "NotPrincipal"}} {
		if s.get(pair[0]) != nil && s.get(pair[1]) != nil {
			return v.fail(ReasonSyntax, i, pair[1], "", "")
		}
	}
	eff := s.get("Effect")
	switch {
	case eff == nil:
		return v.fail(ReasonMissingEffect, i, "Effect", "", "")
	case eff.kind != nodeString:
		return v.fail(ReasonSyntax, i, "Effect", "", "")
	case !strings.EqualFold(eff.text, "Allow") && !strings.EqualFold(eff.text, "Deny"):
		return v.fail(ReasonInvalidEffect, i, "Effect", eff.text, "")
	}
	if sid := s.get("Sid"); sid != nil && sid.kind != nodeString {
		return v.fail(ReasonSyntax, i, "Sid", "", "")
	}
	for _, f := range []string{"Action", "NotAction", "Resource", "NotResource"} {
		if n := s.get(f); n != nil {
			if _, ok := stringList(n); !ok {
				return v.fail(ReasonSyntax, i, f, "", "")
			}
		}
	}
	for _, f := range []string{"Principal", "NotPrincipal"} {
		if n := s.get(f); n != nil && n.kind != nodeString && n.kind != nodeObject {
			return v.fail(ReasonSyntax, i, f, "", "")
		}
	}
	if c := s.get("Condition"); c != nil {
		return v.conditionSyntax(c, i)
	}
	return nil
}

// conditionSyntax checks {operator: {key: value | [values]}} and that every
// operator exists.
func (v *validator) conditionSyntax(c *node, i int) error {
	if c.kind != nodeObject {
		return v.fail(ReasonSyntax, i, "Condition", "", "")
	}
	for j, opName := range c.keys {
		block := c.vals[j]
		if block.kind != nodeObject {
			return v.fail(ReasonSyntax, i, "Condition", opName, "")
		}
		for _, val := range block.vals {
			switch {
			case val.scalar():
			case val.kind == nodeArray:
				for _, it := range val.items {
					if !it.scalar() {
						return v.fail(ReasonSyntax, i, "Condition", opName, "")
					}
				}
			default:
				return v.fail(ReasonSyntax, i, "Condition", opName, "")
			}
		}
		if _, _, _, ok := parseOperator(opName); !ok {
			return v.fail(ReasonUnknownOperator, i, "Condition", opName, "")
		}
	}
	return nil
}

// statements runs the checks that follow syntax, each over every statement
// before the next begins.
func (v *validator) statements(stmts []*node) error {
	for i, s := range stmts {
		if err := v.kindRules(s, i); err != nil {
			return err
		}
	}
	if err := v.legacy(stmts); err != nil {
		return err
	}
	if err := v.sids(stmts); err != nil {
		return err
	}
	for i, s := range stmts {
		if !nonEmpty(s, "Action") && !nonEmpty(s, "NotAction") {
			return v.fail(ReasonMissingAction, i, "Action", "", "")
		}
	}
	if v.kind.resourceRule() == resourceRequired {
		for i, s := range stmts {
			if !nonEmpty(s, "Resource") && !nonEmpty(s, "NotResource") {
				return v.fail(ReasonMissingResource, i, "Resource", "", "")
			}
		}
	}
	if v.resourceErr != nil {
		return v.resourceErr
	}
	for i, s := range stmts {
		if err := v.actions(s, i); err != nil {
			return err
		}
	}
	for i, s := range stmts {
		if err := v.principals(s, i); err != nil {
			return err
		}
	}
	return nil
}

func nonEmpty(s *node, field string) bool {
	n := s.get(field)
	if n == nil {
		return false
	}
	list, _ := stringList(n)
	return len(list) > 0
}

// kindRules enforces what the kind says about Principal and Resource.
func (v *validator) kindRules(s *node, i int) error {
	p, np := s.get("Principal"), s.get("NotPrincipal")
	switch v.kind.principalRule() {
	case principalProhibited:
		if p != nil || np != nil {
			field := "Principal"
			if p == nil {
				field = "NotPrincipal"
			}
			return v.fail(ReasonPrincipalProhibited, i, field, "", "")
		}
	case principalRequired:
		if p == nil && np == nil {
			return v.fail(ReasonMissingPrincipal, i, "Principal", "", msgMissingPrincipal)
		}
	}
	if v.kind == Trust {
		for _, f := range []string{"NotPrincipal", "Resource", "NotResource"} {
			if s.get(f) != nil {
				return v.fail(ReasonProhibitedField, i, f, "", "Has prohibited field "+f)
			}
		}
	}
	return nil
}

// legacy reproduces IAM's second parser, which is stricter than the first
// about the spelling of Effect, about dates, and about ARNs with too few
// parts. Resource format faults found on the way are kept and reported
// later, after the action and resource presence checks, as IAM does.
func (v *validator) legacy(stmts []*node) error {
	for i, s := range stmts {
		if eff := s.get("Effect"); eff.text != "Allow" && eff.text != "Deny" {
			return v.fail(ReasonLegacyParsing, i, "Effect", eff.text, "")
		}
		if c := s.get("Condition"); c != nil {
			for j, opName := range c.keys {
				op, _, _, _ := parseOperator(opName)
				if op.fam != famDate {
					continue
				}
				for _, val := range c.vals[j].vals {
					for _, d := range scalarList(val) {
						if _, ok := parseDate(d); !ok {
							return v.fail(ReasonLegacyParsing, i, "Condition", d, "")
						}
					}
				}
			}
		}
	}
	for i, s := range stmts {
		for _, f := range []string{"Resource", "NotResource"} {
			list, _ := stringList(s.get(f))
			for _, r := range list {
				if detail := resourceFormat(r); detail != "" {
					if v.resourceErr == nil {
						v.resourceErr = v.fail(ReasonInvalidResource, i, f, r, detail)
					}
				}
			}
			if v.resourceErr == nil {
				for _, r := range list {
					if legacyResourceFails(r) {
						return v.fail(ReasonLegacyParsing, i, f, r, "")
					}
				}
			}
		}
	}
	return nil
}

// validPartition lists the AWS partitions whose ARNs a policy may name.
func validPartition(p string) bool {
	switch p {
	case "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc":
		return true
	}
	return false
}

// resourceFormat returns IAM's message for a Resource value that is neither
// "*" nor ARN-shaped, or "" when the value is acceptable.
func resourceFormat(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r)
	}
	partition, rest, hasVendor := strings.Cut(rest, ":")
	if !validPartition(partition) {
		// IAM echoes the value back as a six-part ARN, padding with *.
		parts := strings.Split(rest, ":")
		arn := [4]string{"*", "*", "*", "*"}
		if parts[0] != "" || len(parts) > 1 {
			arn[0] = parts[0]
		}
		for k := 1; k < 3 && k < len(parts); k++ {
			arn[k] = parts[k]
		}
		if len(parts) > 3 {
			arn[3] = strings.Join(parts[3:], ":")
		}
		return fmt.Sprintf("Partition %q is not valid for resource \"arn:%s:%s:%s:%s:%s\".",
			partition, partition, arn[0], arn[1], arn[2], arn[3])
	}
	if !hasVendor {
		return msgVendorRegex
	}
	service, rest, hasRegion := strings.Cut(rest, ":")
	if hasWildcard(service) {
		return msgVendorRegex
	}
	if hasRegion && rest != "" && rest[0] != ':' {
		switch service {
		case "iam":
			return fmt.Sprintf("IAM resource %s cannot contain region information.", r)
		case "s3":
			return fmt.Sprintf("Resource %s can not contain region information.", r)
		}
	}
	if service == "iam" && hasRegion {
		_, rest, _ = strings.Cut(rest, ":") // region
		_, res, hasRes := strings.Cut(rest, ":")
		if hasRes && !strings.HasPrefix(res, "*") && !iamResourcePath(res) {
			return "IAM resource path must either be \"*\" or start with " + iamResourcePrefixes + "."
		}
	}
	return ""
}

func iamResourcePath(res string) bool {
	for _, p := range strings.Split(iamResourcePrefixes, ", ") {
		if strings.HasPrefix(res, p) {
			return true
		}
	}
	return false
}

// legacyResourceFails is the legacy parser's ARN test: a value with a "::"
// must have all six parts, and the service part must not be empty.
func legacyResourceFails(r string) bool {
	if r == "*" {
		return false
	}
	if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
		return true
	}
	parts := strings.Split(r, ":")
	return len(parts) < 3 || parts[2] == ""
}

// sids checks statement IDs: letters and digits only in documents IAM
// stores, and unique within the document.
func (v *validator) sids(stmts []*node) error {
	if v.kind.iamHosted() {
		for i, s := range stmts {
			if sid := s.get("Sid"); sid != nil && !alnum(sid.text) {
				return v.fail(ReasonSidFormat, i, "Sid", sid.text, "")
			}
		}
	}
	seen := make(map[string]bool, len(stmts))
	for i, s := range stmts {
		sid := s.get("Sid")
		if sid == nil || sid.text == "" {
			continue
		}
		if seen[sid.text] {
			return v.fail(ReasonDuplicateSid, i, "Sid", sid.text, "")
		}
		seen[sid.text] = true
	}
	return nil
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// actions checks every action is "*" or vendor:name, and, in trust
// policies, that it is one of the STS actions that assume a role.
func (v *validator) actions(s *node, i int) error {
	for _, f := range []string{"Action", "NotAction"} {
		list, _ := stringList(s.get(f))
		for _, a := range list {
			if detail := actionFormat(a); detail != "" {
				return v.fail(ReasonInvalidAction, i, f, a, detail)
			}
		}
		if v.kind == Trust {
			for _, a := range list {
				if !trustAction(a) {
					return v.fail(ReasonTrustAction, i, f, a, "")
				}
			}
		}
	}
	return nil
}

// actionFormat returns IAM's message for a malformed action, or "".
func actionFormat(a string) string {
	vendor, name, ok := strings.Cut(a, ":")
	switch {
	case !ok && a == "*":
		return ""
	case !ok || vendor == "":
		return msgNoVendor
	case strings.Contains(name, ":"):
		return msgOneColon
	case vendor == "*":
		return ""
	}
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '.') {
			return "Vendor " + vendor + " is not valid"
		}
	}
	return ""
}

// trustActions are the actions a role trust policy may name.
var trustActions = [...]string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

// trustAction accepts an STS assume action, or a wildcard pattern that
// names at least one of them ("sts:AssumeRole*"), and nothing else.
func trustAction(a string) bool {
	if len(a) < 4 || !strings.EqualFold(a[:4], "sts:") {
		return false
	}
	p := compileAction(a)
	for _, t := range trustActions {
		if p.match(t) {
			return true
		}
	}
	return false
}

// principals validates the values of Principal/NotPrincipal.
func (v *validator) principals(s *node, i int) error {
	for _, f := range []string{"Principal", "NotPrincipal"} {
		n := s.get(f)
		if n == nil {
			continue
		}
		if _, bad, ok := compilePrincipal(n, v.kind); !ok {
			if n.kind == nodeObject && len(n.keys) == 0 {
				return v.fail(ReasonMissingPrincipal, i, f, "", msgMissingPrincipal)
			}
			detail := msgInvalidPrincipal
			if bad != "" {
				detail += ": " + bad
			}
			return v.fail(ReasonInvalidPrincipal, i, f, bad, detail)
		}
	}
	return nil
}
