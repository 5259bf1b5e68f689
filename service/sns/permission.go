package sns

import (
	"context"
	"slices"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// AddPermission adds a statement to the topic policy as AWS writes it:
// Sid = Label, Principal AWS = the accounts' root ARNs, Action SNS:<name>
// for each action, Resource the topic.
func (s *Service) AddPermission(ctx context.Context, c *cairn.Call, in *AddPermissionInput) (*AddPermissionOutput, error) {
	switch {
	case in.Label == "":
		return nil, required("Label")
	case len(in.AWSAccountId) == 0:
		return nil, required("AWSAccountId")
	case len(in.ActionName) == 0:
		return nil, required("ActionName")
	}
	for _, a := range in.ActionName {
		if !slices.Contains(permissionActions, a) {
			return nil, invalid("Policy statement action out of service scope!")
		}
	}
	for _, a := range in.AWSAccountId {
		if !validAccount(a) {
			return nil, invalid("AWSAccountId")
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		t, err := existingTopic(tx, in.TopicArn)
		if err != nil {
			return err
		}
		doc, err := withPermission(t.Policy, t.ARN, in.Label, in.AWSAccountId, in.ActionName)
		if err != nil {
			return err
		}
		if err := validatePolicy(doc); err != nil {
			return err
		}
		t.Policy, t.NoStatements = doc, false
		return saveTopic(tx, t)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &AddPermissionOutput{}, nil
}

// RemovePermission removes the statements whose Sid is Label.
func (s *Service) RemovePermission(ctx context.Context, c *cairn.Call, in *RemovePermissionInput) (*RemovePermissionOutput, error) {
	if in.Label == "" {
		return nil, required("Label")
	}
	err := s.update(ctx, func(tx store.Tx) error {
		t, err := existingTopic(tx, in.TopicArn)
		if err != nil {
			return err
		}
		doc, empty, err := withoutPermission(t.Policy, in.Label)
		if err != nil {
			return err
		}
		t.Policy, t.NoStatements = doc, empty
		return saveTopic(tx, t)
	})
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &RemovePermissionOutput{}, nil
}
