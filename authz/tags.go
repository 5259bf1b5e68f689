package authz

import (
	"reflect"

	"github.com/cairnhq/cairn/policy"
)

// requestTags fills aws:RequestTag/<key> and aws:TagKeys from the input's
// tags, whatever the service calls them: a Tags list of {Key, Value} (IAM,
// STS, CloudTrail, SNS), of {TagKey, TagValue} (KMS), a Tags map (CloudWatch
// Logs), or a TagKeys list (the Untag operations).
func requestTags(r *policy.Request, in any) {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	var keys []string
	if f := v.FieldByName("Tags"); f.IsValid() {
		switch f.Kind() {
		case reflect.Slice:
			for i := 0; i < f.Len(); i++ {
				e := reflect.Indirect(f.Index(i))
				if e.Kind() != reflect.Struct {
					continue
				}
				k, val := stringField(e, "Key", "TagKey"), stringField(e, "Value", "TagValue")
				r.Set("aws:RequestTag/"+k, val)
				keys = append(keys, k)
			}
		case reflect.Map:
			if f.Type().Key().Kind() == reflect.String && f.Type().Elem().Kind() == reflect.String {
				for _, k := range f.MapKeys() {
					r.Set("aws:RequestTag/"+k.String(), f.MapIndex(k).String())
					keys = append(keys, k.String())
				}
			}
		}
	}
	if f := v.FieldByName("TagKeys"); f.IsValid() && f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String {
		for i := 0; i < f.Len(); i++ {
			keys = append(keys, f.Index(i).String())
		}
	}
	if len(keys) > 0 {
		r.Set("aws:TagKeys", keys...)
	}
}

func stringField(v reflect.Value, names ...string) string {
	for _, n := range names {
		f := v.FieldByName(n)
		for f.IsValid() && f.Kind() == reflect.Pointer {
			if f.IsNil() {
				return ""
			}
			f = f.Elem()
		}
		if f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return ""
}
