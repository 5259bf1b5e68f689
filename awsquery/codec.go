// Package awsquery is the AWS Query protocol adapter (IAM, STS, SNS):
// form-encoded requests and XML responses. This file set holds the
// reflection codec that binds request forms to untagged domain shapes and
// renders domain outputs and errors; the per-service operation tables live
// beside it.
//
// Shapes carry no wire tags: a Go field is the member of the same name (see
// Naming). Supported field types are string, bool, int, int32, int64,
// float64 (and named types of those kinds), time.Time, []byte (base64),
// pointers to any of these, slices, map[string]T and nested structs.
// Unexported fields and func or chan fields are skipped; embedded fields and
// any other type are programming errors reported by Decode and EncodeResponse.
// How a shape maps onto members is shared with awsjson through package
// wireshape.
package awsquery

import (
	"fmt"
	"reflect"

	"github.com/cairnhq/cairn/wireshape"
)

// Naming maps Go field names to wire member names; see wireshape.Naming.
type Naming = wireshape.Naming

// DefaultMaxDepth caps the nesting of lists, maps and structures a decoder
// follows when Codec.MaxDepth is zero, and the nesting an encoder produces.
const DefaultMaxDepth = wireshape.DefaultMaxDepth

// DefaultMaxListLen caps the members of one decoded list or map when
// Codec.MaxListLen is zero. A request naming a larger index (for example
// Tags.member.999999999) is rejected before anything is allocated.
const DefaultMaxListLen = 1000

// DefaultErrorCode is the code of request decoding errors when
// Codec.ErrorCode is empty. AWS Query services answer a form they cannot
// bind with MalformedInput (Sender, 400): SQS for "0 is not a valid index",
// SNS for "Start of list found where not expected", CloudWatch for
// "Unexpected complex element termination".
const DefaultErrorCode = "MalformedInput"

// Codec decodes AWS Query requests and encodes their XML responses. It
// caches a plan per Go type and Naming, so one Codec should live as long as
// the server. The zero value is ready to use; set the fields before first
// use. A Codec is safe for concurrent use and must not be copied after first
// use.
type Codec struct {
	// MaxDepth caps the nesting of lists, maps and structures followed
	// while decoding (zero means DefaultMaxDepth).
	MaxDepth int
	// MaxListLen caps the members of one list or map (zero means
	// DefaultMaxListLen).
	MaxListLen int
	// ErrorCode is the code of the *cairn.Error returned for a form that
	// does not fit the input shape (empty means DefaultErrorCode).
	ErrorCode string

	plans wireshape.Cache[fieldExt]
}

// The plans of this codec, with the XML tags of every member.
type (
	plan       = wireshape.Plan[fieldExt]
	structPlan = wireshape.StructPlan[fieldExt]
)

func (c *Codec) maxDepth() int {
	if c.MaxDepth > 0 {
		return c.MaxDepth
	}
	return DefaultMaxDepth
}

func (c *Codec) maxListLen() int {
	if c.MaxListLen > 0 {
		return c.MaxListLen
	}
	return DefaultMaxListLen
}

func (c *Codec) errorCode() string {
	if c.ErrorCode != "" {
		return c.ErrorCode
	}
	return DefaultErrorCode
}

// fieldExt is what the XML encoder precomputes per member: its start, end
// and empty-element tags.
type fieldExt struct {
	open, close, empty []byte
}

// ForMember implements wireshape.Extension.
func (fieldExt) ForMember(wire string) fieldExt {
	return fieldExt{
		open:  []byte("<" + wire + ">"),
		close: []byte("</" + wire + ">"),
		empty: []byte("<" + wire + "/>"),
	}
}

func errNotStruct(v any) error {
	return fmt.Errorf("awsquery: output must be a struct or a pointer to one, got %T", v)
}

// structValue returns the struct value behind v (a struct or a non-nil
// pointer to one) made addressable, or ok=false for nil.
func structValue(v any) (rv reflect.Value, ok bool, err error) {
	if v == nil {
		return reflect.Value{}, false, nil
	}
	rv = reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return reflect.Value{}, false, nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return reflect.Value{}, false, errNotStruct(v)
	}
	return wireshape.Addressable(rv), true, nil
}
