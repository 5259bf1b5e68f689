package sns

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/policy"
)

// Topic policies. A new topic gets the policy AWS gives it, byte for byte
// as GetTopicAttributes shows it: everyone may use the topic's basic
// actions provided AWS:SourceOwner is the topic's account. That key is set
// only for AWS services acting for a resource of that account (CloudWatch
// alarms on AWS; no service Cairn runs), so for IAM principals the default
// statement grants nothing on its own and identity policies decide, as on
// AWS.

// defaultActions are the actions of the default statement, in AWS's order.
var defaultActions = []string{
	"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
	"SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
}

// permissionActions are the action names AddPermission accepts.
var permissionActions = []string{
	"GetTopicAttributes", "SetTopicAttributes", "AddPermission", "RemovePermission", "DeleteTopic",
	"Subscribe", "ListSubscriptionsByTopic", "Publish", "Receive",
}

// maxPolicySize is SNS's limit on a topic policy (30 KB).
const maxPolicySize = 30 << 10

// statementDoc is one statement as SNS writes it. Field order is the
// order of AWS's documents.
type statementDoc struct {
	Sid       string `json:"Sid,omitempty"`
	Effect    string `json:"Effect"`
	Principal any    `json:"Principal"`
	Action    any    `json:"Action"`
	Resource  string `json:"Resource"`
	Condition any    `json:"Condition,omitempty"`
}

// policyDoc is a topic policy with its statements kept as written, so
// that editing one statement leaves the others byte for byte.
type policyDoc struct {
	Version   string            `json:"Version,omitempty"`
	ID        string            `json:"Id,omitempty"`
	Statement []json.RawMessage `json:"Statement"`
}

// defaultPolicy is the policy of a new topic.
func defaultPolicy(topicARN, account string) string {
	st := statementDoc{
		Sid: "__default_statement_ID", Effect: "Allow",
		Principal: map[string]string{"AWS": "*"},
		Action:    defaultActions,
		Resource:  topicARN,
		Condition: map[string]map[string]string{"StringEquals": {"AWS:SourceOwner": account}},
	}
	raw, _ := marshalCompact(st)
	doc, _ := marshalCompact(policyDoc{Version: "2008-10-17", ID: "__default_policy_ID", Statement: []json.RawMessage{raw}})
	return string(doc)
}

// marshalCompact is json.Marshal without HTML escaping: policies keep
// their characters as written.
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// validatePolicy checks a Policy attribute: valid JSON within 30 KB that
// the policy engine accepts as a resource-based policy, with SNS actions
// only.
func validatePolicy(doc string) error {
	if doc == "" {
		return invalid("Policy Error: null")
	}
	if len(doc) > maxPolicySize {
		return invalid("Policy Error: Policy size exceeds the limit of 30 KB")
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return invalid("Policy Error: %s", ve.Message)
		}
		return invalid("Policy Error: null")
	}
	for _, st := range p.Statements {
		for _, a := range append(append([]string{}, st.Action...), st.NotAction...) {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "sns:") {
				return invalid("Policy Error: Policy statement action out of service scope!")
			}
		}
	}
	return nil
}

// parsePolicyDoc reads a stored topic policy for editing. A lone statement
// object is read as a list of one.
func parsePolicyDoc(doc string) (*policyDoc, error) {
	var top struct {
		Version   string          `json:"Version"`
		ID        string          `json:"Id"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return nil, errorf("topic policy: %w", err)
	}
	p := &policyDoc{Version: top.Version, ID: top.ID}
	st := bytes.TrimSpace(top.Statement)
	switch {
	case len(st) == 0 || string(st) == "null":
	case st[0] == '[':
		if err := json.Unmarshal(st, &p.Statement); err != nil {
			return nil, errorf("topic policy statements: %w", err)
		}
	default:
		p.Statement = []json.RawMessage{st}
	}
	return p, nil
}

// statementSid is the Sid of a raw statement ("" when it has none).
func statementSid(raw json.RawMessage) string {
	var s struct{ Sid string }
	_ = json.Unmarshal(raw, &s)
	return s.Sid
}

// withPermission adds AddPermission's statement to a topic policy: Sid =
// label, the accounts' root ARNs as AWS principals, SNS:<action> for each
// action, the topic as resource; a single principal or action is written
// as a string, as AWS writes it.
func withPermission(doc, topicARN, label string, accounts, actions []string) (string, error) {
	p, err := parsePolicyDoc(doc)
	if err != nil {
		return "", err
	}
	for _, raw := range p.Statement {
		if statementSid(raw) == label {
			return "", invalid("Statement already exists")
		}
	}
	principals := make([]string, len(accounts))
	for i, a := range accounts {
		principals[i] = "arn:aws:iam::" + a + ":root"
	}
	acts := make([]string, len(actions))
	for i, a := range actions {
		acts[i] = "SNS:" + a
	}
	st := statementDoc{Sid: label, Effect: "Allow", Principal: map[string]any{"AWS": oneOrMany(principals)},
		Action: oneOrMany(acts), Resource: topicARN}
	raw, err := marshalCompact(st)
	if err != nil {
		return "", errorf("add permission: %w", err)
	}
	p.Statement = append(p.Statement, raw)
	out, err := marshalCompact(p)
	return string(out), err
}

// withoutPermission removes the statements whose Sid is label; empty
// reports that none is left (a document the policy engine would refuse, so
// the topic then has no policy for authorization).
func withoutPermission(doc, label string) (out string, empty bool, err error) {
	p, err := parsePolicyDoc(doc)
	if err != nil {
		return "", false, err
	}
	kept := p.Statement[:0]
	for _, raw := range p.Statement {
		if statementSid(raw) != label {
			kept = append(kept, raw)
		}
	}
	p.Statement = kept
	if len(p.Statement) == 0 {
		p.Statement = []json.RawMessage{}
	}
	b, err := marshalCompact(p)
	return string(b), len(p.Statement) == 0, err
}

func oneOrMany(v []string) any {
	if len(v) == 1 {
		return v[0]
	}
	return v
}
