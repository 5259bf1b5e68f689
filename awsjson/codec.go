// Package awsjson is the AWS JSON 1.1 protocol adapter (CloudTrail,
// CloudWatch Logs, KMS, Organizations). This file set holds the reflection
// codec that binds request bodies to untagged domain shapes and renders
// domain outputs and errors; the per-service operation tables live beside it.
//
// Shapes carry no wire tags: a Go field is the member of the same name (see
// Naming). Supported field types are string, bool, int, int32, int64,
// float64 (and named types of those kinds), time.Time, []byte (base64),
// pointers to any of these, slices, map[string]T and nested structs.
// Unexported fields and func or chan fields are skipped; embedded fields and
// any other type are programming errors reported by Decode and Encode. How a
// shape maps onto members is shared with awsquery through package wireshape.
package awsjson

import (
	"reflect"

	"github.com/cairnhq/cairn/wireshape"
)

// Naming maps Go field names to wire member names; see wireshape.Naming.
type Naming = wireshape.Naming

// DefaultMaxDepth caps the nesting of lists, maps and structures a decoder
// follows when Codec.MaxDepth is zero, and the nesting an encoder produces.
const DefaultMaxDepth = wireshape.DefaultMaxDepth

// DefaultMaxListLen caps the members of one decoded list or map when
// Codec.MaxListLen is zero. The largest list AWS accepts in a JSON 1.1
// request is CloudWatch Logs PutLogEvents (10,000 events).
const DefaultMaxListLen = 10000

// Codec encodes and decodes AWS JSON 1.1 bodies. It caches a plan per Go
// type and Naming, so one Codec should live as long as the server. The zero
// value is ready to use; set the limits before first use. A Codec is safe
// for concurrent use and must not be copied after first use.
type Codec struct {
	// MaxDepth caps the nesting of objects and arrays in a request body
	// (zero means DefaultMaxDepth).
	MaxDepth int
	// MaxListLen caps the members of one list or map in a request body
	// (zero means DefaultMaxListLen).
	MaxListLen int

	plans wireshape.Cache[fieldExt]
}

// The plans of this codec, with the JSON key of every member.
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

// fieldExt is what the JSON encoder precomputes per member: the quoted key
// followed by a colon.
type fieldExt struct {
	key []byte
}

// ForMember implements wireshape.Extension.
func (fieldExt) ForMember(wire string) fieldExt {
	k := appendString(make([]byte, 0, len(wire)+3), wire)
	return fieldExt{key: append(k, ':')}
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
