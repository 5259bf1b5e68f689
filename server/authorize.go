package server

import (
	"context"

	"github.com/cairnhq/cairn"
)

// Authorizer decides whether call may perform op on its input. It returns
// nil to allow, or a *cairn.Error (AccessDenied with AWS's message) to deny;
// any other error is an internal failure. The implementation is package
// authz; tests may use their own.
type Authorizer interface {
	Authorize(ctx context.Context, call *cairn.Call, op *cairn.Operation, in any) error
}
