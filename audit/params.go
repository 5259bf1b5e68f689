package audit

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"
)

// allowTree is an allow-list of dotted member paths: a node with no
// children allows everything below it.
type allowTree map[string]allowTree

func newAllowTree(paths []string) allowTree {
	root := allowTree{}
	for _, p := range paths {
		node := root
		for _, part := range strings.Split(p, ".") {
			child, ok := node[part]
			if !ok {
				child = allowTree{}
				node[part] = child
			}
			node = child
		}
	}
	return root
}

// Params renders the members of v named by the allow-list as a CloudTrail
// requestParameters/responseElements object: member names in lowerCamel
// case, timestamps as CloudTrail prints them. It returns JSON null when v
// is nil or nothing is allowed.
func Params(v any, allow []string) json.RawMessage {
	if v == nil || len(allow) == 0 {
		return nullJSON
	}
	out := render(reflect.ValueOf(v), newAllowTree(allow))
	m, ok := out.(map[string]any)
	if !ok || len(m) == 0 {
		return nullJSON
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nullJSON
	}
	return b
}

var nullJSON = json.RawMessage("null")

// paramsJSON renders a map an operation built itself (Operation.Parameters
// and Elements); JSON null when it is empty.
func paramsJSON(m map[string]any) json.RawMessage {
	if len(m) == 0 {
		return nullJSON
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nullJSON
	}
	return b
}

var timeType = reflect.TypeOf(time.Time{})

// timeLayout is how CloudTrail prints timestamps inside request
// parameters and response elements ("Oct 4, 2018 4:40:38 PM").
const timeLayout = "Jan 2, 2006 3:04:05 PM"

// render converts v to JSON-able values, keeping only allowed members of
// structs. allow == nil means everything below is allowed.
func render(v reflect.Value, allow allowTree) any {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(timeLayout)
	}
	switch v.Kind() {
	case reflect.Struct:
		m := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			var sub allowTree
			if len(allow) > 0 {
				s, ok := allow[f.Name]
				if !ok {
					continue
				}
				if len(s) > 0 {
					sub = s
				}
			}
			val := render(v.Field(i), sub)
			if isEmpty(val) {
				continue
			}
			m[lowerCamel(f.Name)] = val
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(v.Bytes())
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			out = append(out, render(v.Index(i), allow))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		m := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			m[iter.Key().String()] = render(iter.Value(), nil)
		}
		return m
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	}
	return false
}

// lowerCamel turns an AWS member name into CloudTrail's parameter name:
// UserName → userName, S3BucketName → s3BucketName, KMSKeyId → kmsKeyId,
// ARN → aRN is avoided: an all-capital name is lowered whole (ARN → arn).
func lowerCamel(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && (unicode.IsUpper(r[n]) || unicode.IsDigit(r[n])) {
		n++
	}
	switch {
	case n == 0:
		return s
	case n == len(r):
		return strings.ToLower(s)
	case n > 1 && unicode.IsLower(r[n]):
		n-- // the last capital starts the next word: KMSKey → kmsKey
	}
	return strings.ToLower(string(r[:n])) + string(r[n:])
}
