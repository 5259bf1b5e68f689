package awsquery

import (
	"strings"

	"github.com/cairnhq/cairn"
)

// SNS is the Query binding of Amazon SNS.
func SNS() Service {
	return Service{XMLNS: "http://sns.amazonaws.com/doc/2010-03-31/", Version: "2010-03-31", Errors: snsErrors,
		EmptyResults: []string{"TagResource", "UntagResource"}}
}

// snsErrors renames the generic errors as SNS's model names them: a denial
// is AuthorizationError (403) and spells the action SNS:Publish, as SNS
// writes it ("User: … is not authorized to perform: SNS:Publish on
// resource: … because no resource-based policy allows the SNS:Publish
// action"); an internal failure is InternalError.
func snsErrors(e *cairn.Error) *cairn.Error {
	switch e.Code {
	case "AccessDenied":
		return &cairn.Error{Code: "AuthorizationError", Status: 403, Message: strings.ReplaceAll(e.Message, " sns:", " SNS:")}
	case "InternalFailure":
		return &cairn.Error{Code: "InternalError", Status: 500, Message: e.Message}
	}
	return e
}
