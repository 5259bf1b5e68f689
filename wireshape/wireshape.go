// Package wireshape describes how an untagged domain shape maps onto AWS
// wire members: field plans, naming, zero-value rules. It is shared by the
// protocol adapters (awsjson, awsquery), which bind the same Go shapes to
// different wire formats and so must agree on which members a shape has,
// what they are called on the wire, which kind of value each holds and when
// a member is unset.
//
// Shapes carry no wire tags: a Go field is the member of the same name,
// renamed by a Naming. The supported field types are string, bool, int,
// int32, int64, float64 (and named types of those kinds), time.Time, []byte,
// pointers to any supported type, slices, map[string]T and structs.
// Unexported fields and func or chan fields are skipped; embedded fields,
// maps with other key types and any other type are programming errors,
// reported when the plan is built.
//
// The package guarantees:
//
//   - A StructPlan lists the struct's members in Go declaration order. Every
//     member has a non-empty wire name, unique (byte for byte) within its
//     struct; a shape breaking this has no plan, only an error.
//   - Plans are immutable once built and may be shared by any number of
//     goroutines; callers must not modify them. A recursive Go type has a
//     cyclic plan (an Elem or a field's Plan leads back to an enclosing plan).
//   - A Cache is safe for concurrent use. It returns the same *Plan for the
//     same type and Naming while it keeps the entry, and keeps at most
//     10,000 entries; past that, plans are built on each call, still correct.
//   - Member lookup prefers an exact match to a case-insensitive one, and
//     does not allocate for ASCII names.
//   - Parsed timestamps are in UTC. Epoch seconds of a larger magnitude
//     than 9999-12-31T23:59:59Z's are rejected, as are ISO 8601 times whose
//     year, in their own zone, is outside 0 through 9999.
//
// Wire syntax, error codes and messages belong to the adapters: nothing
// here reads or writes a wire document beyond single scalar values.
package wireshape

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Naming maps Go field names to wire member names. The zero Naming uses
// the Go field name unchanged, which is right for shapes whose Go fields are
// named exactly like the members of the botocore model.
//
// A Naming's Rename map is part of the plan cache key by identity: do not
// modify it after the first call that used it.
type Naming struct {
	// LowerCamel lower-cases the first letter of every name not found in
	// Rename: LogGroupName becomes logGroupName (CloudWatch Logs).
	LowerCamel bool
	// Rename maps either "TypeName.Field" (one shape) or "Field" (every
	// shape) to the wire name. "TypeName.Field" wins over "Field".
	Rename map[string]string
}

// Wire returns the wire name of field goName of the struct type named
// typeName (reflect.Type.Name(): no package qualifier).
func (n Naming) Wire(typeName, goName string) string {
	if n.Rename != nil {
		if w, ok := n.Rename[typeName+"."+goName]; ok {
			return w
		}
		if w, ok := n.Rename[goName]; ok {
			return w
		}
	}
	if n.LowerCamel && goName != "" {
		r, size := utf8.DecodeRuneInString(goName)
		if unicode.IsUpper(r) {
			return string(unicode.ToLower(r)) + goName[size:]
		}
	}
	return goName
}

// DefaultMaxDepth is the nesting of lists, maps and structures an adapter
// follows when decoding unless configured otherwise, and the most it
// produces when encoding (which bounds the output of cyclic values).
const DefaultMaxDepth = 64

// Kind is the kind of value a Plan describes.
type Kind uint8

// The kinds of Plan. The zero Kind is not used.
const (
	String  Kind = iota + 1 // string
	Bool                    // bool
	Int                     // int, int32 or int64; Plan.Bits says which size
	Float64                 // float64
	Time                    // time.Time
	Bytes                   // []byte
	Pointer                 // a pointer; Plan.Elem is the pointee
	Slice                   // a slice other than []byte; Plan.Elem is the element
	Map                     // map[string]T; Plan.Elem is the value type
	Struct                  // a struct other than time.Time; Plan.Struct lists its members
)

var kindNames = [...]string{
	String: "String", Bool: "Bool", Int: "Int", Float64: "Float64", Time: "Time",
	Bytes: "Bytes", Pointer: "Pointer", Slice: "Slice", Map: "Map", Struct: "Struct",
}

// String returns the name of k's constant, as in "Pointer".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}
