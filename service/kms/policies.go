package kms

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

// maxPolicy is the key policy size quota (32 KB).
const maxPolicy = 32768

// DefaultKeyPolicy is the policy AWS gives a key created through the API
// without one: the account (its root user) may do anything with the key,
// which delegates to the account's IAM policies. The text is the one
// GetKeyPolicy returns on AWS, formatting included.
func DefaultKeyPolicy(account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

func policyLength(doc string) error {
	switch {
	case doc == "":
		return validation("policy", "", "Member must have length greater than or equal to 1")
	case len(doc) > maxPolicy:
		return limitExceeded("Policy size exceeds the limit of %d bytes.", maxPolicy)
	}
	return nil
}

// validatePolicy parses a key policy with the engine's resource-policy
// grammar and words a rejection as KMS does.
func validatePolicy(doc string) error {
	if err := policyLength(doc); err != nil {
		return err
	}
	_, err := policy.Parse(doc, policy.Resource)
	if err == nil {
		return nil
	}
	var ve *policy.ValidationError
	if !errors.As(err, &ve) {
		return errorf("parse key policy: %w", err)
	}
	switch ve.Reason {
	case policy.ReasonInvalidPrincipal, policy.ReasonMissingPrincipal:
		return malformedPolicy("Policy contains a statement with one or more invalid principals.")
	case policy.ReasonInvalidJSON, policy.ReasonSyntax:
		return malformedPolicy("The policy document is not valid JSON.")
	}
	return malformedPolicy(fmt.Sprintf("Policy contains a statement that is not valid: %s", ve.Message))
}

// lockoutCheck is the policy lockout safety check: the caller must be able
// to call PutKeyPolicy on the key under the new policy, decided by the same
// Authorizer as the call itself (identity policies, boundary, SCPs and the
// new policy as the key policy).
func (s *Service) lockoutCheck(ctx context.Context, c *cairn.Call, keyARN, account, doc string) error {
	if s.cfg.Authorizer == nil {
		return nil
	}
	op := &cairn.Operation{
		Name: "PutKeyPolicy", Action: "kms:PutKeyPolicy",
		Resources:  func(*cairn.Call, any) []cairn.Resource { return []cairn.Resource{{ARN: keyARN}} },
		Conditions: func(c *cairn.Call, _ any) map[string][]string { return callConditions(c) },
		Target: func(context.Context, *cairn.Call, any) (*cairn.Target, error) {
			return &cairn.Target{Policy: doc, Account: account, PolicyRequired: true}, nil
		},
	}
	cc := *c
	err := s.cfg.Authorizer.Authorize(ctx, &cc, op, &PutKeyPolicyInput{})
	if e := cairn.AsError(err); e != nil && (e.Code == "AccessDenied" || e.Code == "AccessDeniedException") {
		return lockout()
	}
	if err != nil {
		return errorf("lockout safety check: %w", err)
	}
	return nil
}

func checkPolicyName(name *string) error {
	if name == nil {
		return nil
	}
	if *name != defaultPolicyName {
		if len(*name) < 1 || len(*name) > 128 {
			return validation("policyName", *name, "Member must have length less than or equal to 128")
		}
		return kmsErr("NotFoundException", "No such policy exists")
	}
	return nil
}

// GetKeyPolicy returns the key policy ("default", the only one).
func (s *Service) GetKeyPolicy(ctx context.Context, c *cairn.Call, in *GetKeyPolicyInput) (*GetKeyPolicyOutput, error) {
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	return &GetKeyPolicyOutput{Policy: e.rec.Policy, PolicyName: defaultPolicyName}, nil
}

// PutKeyPolicy replaces the key policy, after the lockout safety check
// unless it is bypassed.
func (s *Service) PutKeyPolicy(ctx context.Context, c *cairn.Call, in *PutKeyPolicyInput) (*Empty, error) {
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	if err := validatePolicy(in.Policy); err != nil {
		return nil, err
	}
	e, err := s.entryOf(ctx, c, in, optsHome)
	if err != nil {
		return nil, err
	}
	if err := notPending(e); err != nil {
		return nil, err
	}
	if !in.BypassPolicyLockoutSafetyCheck {
		if err := s.lockoutCheck(ctx, c, e.arn, e.rec.Account, in.Policy); err != nil {
			return nil, err
		}
	}
	_, err = s.mutateKey(ctx, c, in, optsHome, func(k *keyRec) error {
		if err := notPendingRec(k); err != nil {
			return err
		}
		k.Policy = in.Policy
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListKeyPolicies lists the key's policy names: always "default".
func (s *Service) ListKeyPolicies(ctx context.Context, c *cairn.Call, in *ListKeyPoliciesInput) (*ListKeyPoliciesOutput, error) {
	if _, err := limitOf(in.Limit); err != nil {
		return nil, err
	}
	if _, err := s.entryOf(ctx, c, in, optsHome); err != nil {
		return nil, err
	}
	if in.Marker != nil {
		return nil, invalidMarker()
	}
	return &ListKeyPoliciesOutput{PolicyNames: []string{defaultPolicyName}}, nil
}
