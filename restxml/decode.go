package restxml

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
)

// Limits of what Decode accepts.
const (
	// maxHeaderMetadata bounds user metadata, as S3 does (2 KB).
	maxHeaderMetadata = 2 << 10
)

// bind fills in (a pointer to a struct of plan p) from the request: URI
// labels from t, headers, query parameters, and the payload: a stream
// (r.Body, for streaming blob members), the body as text (string payloads
// such as a bucket policy) or an XML document.
func (p *Protocol) bind(r *http.Request, t target, q url.Values, body []byte, pl *plan, in reflect.Value) error {
	for _, m := range pl.missing {
		if m.prefix {
			for h := range r.Header {
				if hasPrefixFold(h, m.wire) {
					return notImplemented(h)
				}
			}
			continue
		}
		present := false
		if m.location == "header" {
			_, present = r.Header[http.CanonicalHeaderKey(m.wire)]
		} else {
			_, present = q[m.wire]
		}
		if present && !ignorable(m.wire) {
			return notImplemented(m.wire)
		}
	}
	metaSize := 0
	for i := range pl.fields {
		f := &pl.fields[i]
		fv := in.Field(f.index)
		switch {
		case f == pl.payload:
			if err := p.bindPayload(r, body, f, fv); err != nil {
				return err
			}
		case f.mem.Location == "uri":
			switch f.wire {
			case "Bucket":
				fv.SetString(t.bucket)
			case "Key", "Key+":
				fv.SetString(t.key)
			}
		case f.mem.Location == "header":
			vs, ok := r.Header[http.CanonicalHeaderKey(f.wire)]
			if !ok {
				continue
			}
			if err := p.setScalar(f, fv, strings.Join(vs, ","), "header"); err != nil {
				return err
			}
		case f.mem.Location == "headers":
			m := reflect.MakeMap(f.typ)
			for h, vs := range r.Header {
				if !hasPrefixFold(h, f.wire) {
					continue
				}
				k := strings.ToLower(h[len(f.wire):])
				v := strings.Join(vs, ",")
				metaSize += len(k) + len(v)
				m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(v))
			}
			if metaSize > maxHeaderMetadata {
				return &cairn.Error{Code: "MetadataTooLarge", Status: 400,
					Message: "Your metadata headers exceed the maximum allowed metadata size."}
			}
			if m.Len() > 0 {
				fv.Set(m)
			}
		case f.mem.Location == "querystring":
			vs, ok := q[f.wire]
			if !ok || len(vs) == 0 {
				continue
			}
			if err := p.setScalar(f, fv, vs[0], "querystring"); err != nil {
				return err
			}
		}
	}
	return nil
}

// ignorable names header and query members that a service may leave
// unsupported without changing what the request means: who pays, the
// SDKs' checksum bookkeeping, and the body's digests, which the adapter
// verifies for every operation (see integrity.go).
func ignorable(wire string) bool {
	w := strings.ToLower(wire)
	switch w {
	case "x-amz-request-payer", "x-amz-sdk-checksum-algorithm", "x-amz-checksum-mode",
		"content-md5", "x-amz-checksum-type":
		return true
	}
	// Checksums of the body are verified by the adapter itself.
	return strings.HasPrefix(w, "x-amz-checksum-")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func (p *Protocol) bindPayload(r *http.Request, body []byte, f *fieldPlan, fv reflect.Value) error {
	switch {
	case f.typ == readerType || f.typ == readCloserType:
		if r.Body != nil {
			fv.Set(reflect.ValueOf(r.Body))
		}
		return nil
	case f.shape.Type == "string":
		if len(body) == 0 {
			return nil
		}
		setString(fv, string(body))
		return nil
	case f.shape.Type == "structure":
		if len(strings.TrimSpace(string(body))) == 0 {
			return nil
		}
		return decodeXML(body, f, fv)
	}
	return nil
}

// setScalar parses a header or query value into a scalar field.
func (p *Protocol) setScalar(f *fieldPlan, fv reflect.Value, s, where string) error {
	sh := f.shape
	switch sh.Type {
	case "string":
		setString(fv, s)
	case "boolean":
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return invalidArgument(f.wire, s)
		}
		target := fv
		if fv.Kind() == reflect.Pointer {
			target = reflect.New(fv.Type().Elem())
			fv.Set(target)
			target = target.Elem()
		}
		target.SetBool(b)
	case "integer", "long":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return invalidArgument(f.wire, s)
		}
		target := fv
		if fv.Kind() == reflect.Pointer {
			target = reflect.New(fv.Type().Elem())
			fv.Set(target)
			target = target.Elem()
		}
		if target.OverflowInt(n) {
			return invalidArgument(f.wire, s)
		}
		target.SetInt(n)
	case "timestamp":
		t, err := parseTime(s, p.model.timestampFormat(f.mem), where)
		if err != nil {
			return invalidArgument(f.wire, s)
		}
		if fv.Kind() == reflect.Pointer {
			v := reflect.New(timeType)
			v.Elem().Set(reflect.ValueOf(t))
			fv.Set(v)
		} else {
			fv.Set(reflect.ValueOf(t))
		}
	}
	return nil
}

func setString(fv reflect.Value, s string) {
	if fv.Kind() == reflect.Pointer {
		v := reflect.New(fv.Type().Elem())
		v.Elem().SetString(s)
		fv.Set(v)
		return
	}
	fv.SetString(s)
}

// parseTime reads a timestamp in the member's format; HTTP dates in any of
// the forms HTTP allows, ISO 8601 with or without fractional seconds.
func parseTime(s, format, where string) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch format {
	case "rfc822":
		t, err := http.ParseTime(s)
		if err == nil {
			return t.UTC(), nil
		}
		if where == "header" {
			return time.Time{}, err
		}
	case "unixTimestamp":
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(int64(n * 1000)).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

func invalidArgument(name, value string) *cairn.Error {
	if len(value) > 64 {
		value = value[:64] + "..."
	}
	return &cairn.Error{Code: "InvalidArgument", Status: 400,
		Message: "Invalid value for " + name + ": " + strconv.Quote(value)}
}

// notImplemented is S3's answer to a header or parameter it recognises but
// does not act on.
func notImplemented(name string) *cairn.Error {
	return &cairn.Error{Code: "NotImplemented", Status: http.StatusNotImplemented,
		Message: "A header you provided implies functionality that is not implemented: " + name}
}
