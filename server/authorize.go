package server

import (
	"context"

	"github.com/cairnhq/cairn"
)

// Authorizer decides whether call may perform op on its input. It returns
// nil to allow, or a *cairn.Error (AccessDenied with AWS's message) to deny;
// any other error is an internal failure.
type Authorizer interface {
	Authorize(ctx context.Context, call *cairn.Call, op *cairn.Operation, in any) error
}

// RootOnly is the secure-by-default seam used until policy evaluation is
// wired: an account's root user may do everything in its account, every
// other principal is denied, except for calls AWS never denies.
type RootOnly struct{}

// Authorize implements Authorizer.
func (RootOnly) Authorize(_ context.Context, c *cairn.Call, op *cairn.Operation, in any) error {
	if op.AlwaysAllowed || c.Principal.IsRoot() {
		return nil
	}
	resource := "*"
	if op.Resources != nil {
		if rs := op.Resources(c, in); len(rs) > 0 {
			resource = rs[0].ARN
		}
	}
	return cairn.AccessDenied(DenyMessage(c.Principal.ARN, op.Action, resource, "because no identity-based policy allows the "+op.Action+" action"))
}

// DenyMessage is AWS's access-denied wording.
func DenyMessage(principalARN, action, resource, reason string) string {
	return "User: " + principalARN + " is not authorized to perform: " + action + " on resource: " + resource + " " + reason
}
