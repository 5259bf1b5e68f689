package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// The policy language versions. Only 2012-10-17 substitutes policy
// variables; a document without Version is read as 2008-10-17.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// StatementEffect is a statement's Effect element.
type StatementEffect uint8

// The two statement effects.
const (
	EffectAllow StatementEffect = iota + 1
	EffectDeny
)

func (e StatementEffect) String() string {
	if e == EffectDeny {
		return "Deny"
	}
	return "Allow"
}

// Policy is a parsed, validated and compiled policy document. It is
// immutable after Parse except for Name, which the caller sets once, before
// sharing the policy, to identify it in decisions (a policy ARN,
// "user/alice/inline/admin", …).
type Policy struct {
	Name       string
	Kind       Kind
	Version    string // as written; empty when the document has none
	ID         string // the Id element
	Text       string // the document exactly as given to Parse
	Hash       string // hex SHA-256 of Text, to detect changed documents
	Statements []*Statement

	vars bool // substitute policy variables (Version 2012-10-17)
}

// Statement is one compiled statement. The exported fields echo the
// document; the evaluator uses the compiled forms.
type Statement struct {
	Sid    string
	Index  int // position in the Statement array
	Effect StatementEffect
	// Exactly one of each pair is set (Resource/NotResource may both be
	// nil in trust policies and SCPs, meaning every resource).
	Action, NotAction     []string
	Resource, NotResource []string
	// Principal and NotPrincipal map principal type (AWS, Service,
	// Federated, CanonicalUser) to values; the bare "*" form is {"*": ["*"]}.
	Principal, NotPrincipal map[string][]string
	Condition               []Condition

	actions      []actionPattern
	notAction    bool
	resources    []arnPattern
	notResource  bool
	allResources bool
	principals   *principalSet
	notPrincipal bool
	conds        []condition
	keys         []string // context keys the conditions and variables read
	varKeys      []string // those read by policy variables only
}

// Parse parses and validates doc as a policy of the given kind. It returns a
// *ValidationError for every document AWS would reject.
func Parse(doc string, kind Kind) (*Policy, error) {
	return parse(doc, kind, false)
}

// ParseManaged parses doc as IAM's CreatePolicy and CreatePolicyVersion do
// for managed policies, which additionally require Version 2012-10-17
// ("Policy document must be version 2012-10-17 or greater.").
func ParseManaged(doc string, kind Kind) (*Policy, error) {
	return parse(doc, kind, true)
}

func parse(doc string, kind Kind, requireCurrent bool) (*Policy, error) {
	if !kind.valid() {
		return nil, &ValidationError{Kind: kind, Reason: ReasonInvalidKind, Statement: -1,
			Message: fmt.Sprintf("policy: unknown kind %d", int(kind))}
	}
	v := &validator{kind: kind}
	root, stmts, err := v.document(doc)
	if err != nil {
		return nil, err
	}
	if requireCurrent && v.version != Version2012 {
		return nil, newError(kind, ReasonVersionTooOld, -1, "Version", v.version, "")
	}
	if err := v.statements(stmts); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(doc))
	p := &Policy{
		Kind:    kind,
		Version: v.version,
		Text:    doc,
		Hash:    hex.EncodeToString(sum[:]),
		vars:    v.version == Version2012,
	}
	if id := root.get("Id"); id != nil {
		p.ID = id.text
	}
	p.Statements = make([]*Statement, len(stmts))
	for i, sn := range stmts {
		p.Statements[i] = compileStatement(sn, i, kind, p.vars)
	}
	return p, nil
}

// compileStatement builds a Statement from a node the validator accepted;
// it therefore needs no error handling.
func compileStatement(n *node, index int, kind Kind, vars bool) *Statement {
	s := &Statement{Index: index, Effect: EffectAllow}
	if sid := n.get("Sid"); sid != nil {
		s.Sid = sid.text
	}
	if n.get("Effect").text == "Deny" {
		s.Effect = EffectDeny
	}
	if a := n.get("Action"); a != nil {
		s.Action, _ = stringList(a)
	} else {
		s.NotAction, _ = stringList(n.get("NotAction"))
		s.notAction = true
	}
	for _, a := range append(s.Action, s.NotAction...) {
		s.actions = append(s.actions, compileAction(a))
	}
	switch {
	case n.get("Resource") != nil:
		s.Resource, _ = stringList(n.get("Resource"))
	case n.get("NotResource") != nil:
		s.NotResource, _ = stringList(n.get("NotResource"))
		s.notResource = true
	default:
		s.allResources = true
	}
	for _, r := range append(s.Resource, s.NotResource...) {
		ap := compileARNPattern(r, false, vars)
		s.keys = ap.keys(s.keys)
		s.varKeys = ap.keys(s.varKeys)
		s.resources = append(s.resources, ap)
	}
	if pn := n.get("Principal"); pn != nil {
		s.Principal = principalMap(pn)
		s.principals, _, _ = compilePrincipal(pn, kind)
	} else if pn := n.get("NotPrincipal"); pn != nil {
		s.NotPrincipal = principalMap(pn)
		s.principals, _, _ = compilePrincipal(pn, kind)
		s.notPrincipal = true
	}
	if cn := n.get("Condition"); cn != nil {
		for i, opName := range cn.keys {
			op, q, ifExists, _ := parseOperator(opName)
			block := cn.vals[i]
			for j, key := range block.keys {
				values := scalarList(block.vals[j])
				s.Condition = append(s.Condition, Condition{Operator: opName, Key: key, Values: values})
				c := compileCondition(op, q, ifExists, key, values, vars)
				s.keys = append(s.keys, c.varKeys...)
				s.varKeys = append(s.varKeys, c.varKeys...)
				if op.fam != famNull {
					// Null asks whether the key is absent; its
					// absence is an answer, not a missing value.
					s.keys = append(s.keys, c.key)
				}
				s.conds = append(s.conds, c)
			}
		}
	}
	s.keys = dedupe(s.keys)
	s.varKeys = dedupe(s.varKeys)
	return s
}

// principalMap echoes a Principal element for display.
func principalMap(n *node) map[string][]string {
	if n.kind == nodeString {
		return map[string][]string{"*": {"*"}}
	}
	m := make(map[string][]string, len(n.keys))
	for i, k := range n.keys {
		m[k], _ = stringList(n.vals[i])
	}
	return m
}

// stringList reads an element that is a string or an array of strings.
func stringList(n *node) ([]string, bool) {
	if n == nil {
		return nil, false
	}
	switch n.kind {
	case nodeString:
		return []string{n.text}, true
	case nodeArray:
		out := make([]string, 0, len(n.items))
		for _, it := range n.items {
			if it.kind != nodeString {
				return nil, false
			}
			out = append(out, it.text)
		}
		return out, true
	}
	return nil, false
}

// scalarList reads a condition value: a string, number or boolean, or an
// array of them. AWS accepts JSON numbers and booleans there and treats them
// as their text.
func scalarList(n *node) []string {
	if n.kind == nodeArray {
		out := make([]string, 0, len(n.items))
		for _, it := range n.items {
			out = append(out, it.text)
		}
		return out
	}
	return []string{n.text}
}

func dedupe(keys []string) []string {
	out := keys[:0]
	for _, k := range keys {
		if !contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
