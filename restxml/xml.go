package restxml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
)

// maxXMLDepth bounds the nesting Decode follows; S3's documents are at
// most a few levels deep.
const maxXMLDepth = 32

// malformedXML is S3's answer to a body that is not the document the
// operation takes.
func malformedXML() *cairn.Error {
	return &cairn.Error{Code: "MalformedXML", Status: 400,
		Message: "The XML you provided was not well-formed or did not validate against our published schema"}
}

// decodeXML reads an XML document into fv, the payload field f (a struct
// or a pointer to one). Element names are matched exactly; unknown
// elements are skipped. Any syntax error is MalformedXML.
func decodeXML(body []byte, f *fieldPlan, fv reflect.Value) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err != nil {
			return malformedXML()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			sv := fv
			if fv.Kind() == reflect.Pointer {
				nv := reflect.New(fv.Type().Elem())
				fv.Set(nv)
				sv = nv.Elem()
			}
			if err := decodeStruct(d, t, f.elem, sv, 0); err != nil {
				return err
			}
			return expectEnd(d)
		case xml.ProcInst, xml.Comment, xml.Directive:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return malformedXML()
			}
		default:
			return malformedXML()
		}
	}
}

// expectEnd checks that only whitespace, comments and processing
// instructions follow the root element.
func expectEnd(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return malformedXML()
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return malformedXML()
			}
		case xml.Comment, xml.ProcInst:
		default:
			return malformedXML()
		}
	}
}

// decodeStruct reads the content of start into v, a struct of plan p.
func decodeStruct(d *xml.Decoder, start xml.StartElement, p *plan, v reflect.Value, depth int) error {
	if depth > maxXMLDepth {
		return malformedXML()
	}
	for _, a := range start.Attr {
		name := a.Name.Local
		if a.Name.Space != "" && a.Name.Space != "xmlns" {
			name = "xsi:" + a.Name.Local // the only prefixed attribute S3 knows
		}
		if f := p.byAttr[name]; f != nil {
			setString(v.Field(f.index), a.Value)
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return malformedXML()
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			f := p.byElement[t.Name.Local]
			if f == nil {
				f = p.flattenedItem(t.Name.Local)
			}
			if f == nil {
				if err := d.Skip(); err != nil {
					return malformedXML()
				}
				continue
			}
			if err := decodeMember(d, t, f, v.Field(f.index), depth+1); err != nil {
				return err
			}
		}
	}
}

// flattenedItem finds the flattened list member whose items are named
// name by the list's own member locationName.
func (p *plan) flattenedItem(name string) *fieldPlan {
	for i := range p.fields {
		f := &p.fields[i]
		if f.shape.Type == "list" && (f.mem.Flattened || f.shape.Flattened) && f.shape.Member.LocationName == name {
			return f
		}
	}
	return nil
}

func decodeMember(d *xml.Decoder, start xml.StartElement, f *fieldPlan, fv reflect.Value, depth int) error {
	switch f.shape.Type {
	case "structure":
		target := fv
		if fv.Kind() == reflect.Pointer {
			nv := reflect.New(fv.Type().Elem())
			fv.Set(nv)
			target = nv.Elem()
		}
		return decodeStruct(d, start, f.elem, target, depth)
	case "list":
		if f.mem.Flattened || f.shape.Flattened {
			return appendItem(d, start, f, fv, depth)
		}
		if fv.IsNil() {
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
		}
		for {
			tok, err := d.Token()
			if err != nil {
				return malformedXML()
			}
			switch t := tok.(type) {
			case xml.EndElement:
				return nil
			case xml.StartElement:
				if t.Name.Local != f.item {
					if err := d.Skip(); err != nil {
						return malformedXML()
					}
					continue
				}
				if err := appendItem(d, t, f, fv, depth+1); err != nil {
					return err
				}
			}
		}
	}
	text, err := elementText(d)
	if err != nil {
		return err
	}
	return setXMLScalar(f.shape.Type, fv, text)
}

// appendItem decodes one list item (start) and appends it to the slice fv.
func appendItem(d *xml.Decoder, start xml.StartElement, f *fieldPlan, fv reflect.Value, depth int) error {
	if fv.Len() >= maxListItems {
		return malformedXML()
	}
	et := fv.Type().Elem()
	item := reflect.New(et).Elem()
	target := item
	if et.Kind() == reflect.Pointer {
		item = reflect.New(et.Elem())
		target = item.Elem()
	}
	if f.elem != nil {
		if err := decodeStruct(d, start, f.elem, target, depth); err != nil {
			return err
		}
	} else {
		text, err := elementText(d)
		if err != nil {
			return err
		}
		target.SetString(text)
	}
	fv.Set(reflect.Append(fv, item))
	return nil
}

// maxListItems bounds a list in a request document: 10,000 parts of a
// multipart upload is the largest S3 accepts.
const maxListItems = 10000

// elementText reads the text content of the element just started; nested
// elements are a schema error.
func elementText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", malformedXML()
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			return b.String(), nil
		case xml.StartElement:
			return "", malformedXML()
		}
	}
}

func setXMLScalar(typ string, fv reflect.Value, text string) error {
	target := fv
	if fv.Kind() == reflect.Pointer {
		target = reflect.New(fv.Type().Elem())
	}
	t := target
	if fv.Kind() == reflect.Pointer {
		t = target.Elem()
	}
	switch typ {
	case "string":
		t.SetString(text)
	case "boolean":
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return malformedXML()
		}
		t.SetBool(b)
	case "integer", "long":
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil || t.OverflowInt(n) {
			return malformedXML()
		}
		t.SetInt(n)
	case "timestamp":
		tm, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(text))
		if err != nil {
			return malformedXML()
		}
		t.Set(reflect.ValueOf(tm.UTC()))
	case "blob":
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if err != nil {
			return malformedXML()
		}
		t.SetBytes(b)
	default:
		return malformedXML()
	}
	if fv.Kind() == reflect.Pointer {
		fv.Set(target)
	}
	return nil
}

// xmlns is S3's document namespace.
const xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"

// encoder writes XML documents from plans.
type encoder struct {
	b *bytes.Buffer
	m *model
}

// document writes root as the root element holding v (a struct of plan
// p), with S3's namespace.
func (e *encoder) document(root string, p *plan, v reflect.Value) {
	e.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<")
	e.b.WriteString(root)
	e.b.WriteString(` xmlns="` + xmlns + `"`)
	e.attrs(p, v)
	e.b.WriteByte('>')
	e.fields(p, v)
	e.b.WriteString("</")
	e.b.WriteString(root)
	e.b.WriteByte('>')
}

// attrs writes the attribute members of v, and the namespace declaration
// they need.
func (e *encoder) attrs(p *plan, v reflect.Value) {
	if len(p.byAttr) == 0 {
		return
	}
	if ns := p.shape.XMLNamespace; ns != nil && ns.Prefix != "" {
		e.b.WriteString(` xmlns:` + ns.Prefix + `="` + ns.URI + `"`)
	}
	for i := range p.fields {
		f := &p.fields[i]
		if !f.mem.XMLAttribute {
			continue
		}
		fv := v.Field(f.index)
		if unset(fv) {
			continue
		}
		e.b.WriteString(" " + f.wire + `="`)
		xmlEscape(e.b, scalarText(fv, "iso8601"))
		e.b.WriteByte('"')
	}
}

// fields writes the element members of v.
func (e *encoder) fields(p *plan, v reflect.Value) {
	for i := range p.fields {
		f := &p.fields[i]
		if f.mem.Location != "" || f.mem.XMLAttribute {
			continue
		}
		fv := v.Field(f.index)
		if unset(fv) {
			continue
		}
		e.member(f, f.wire, fv)
	}
}

func (e *encoder) member(f *fieldPlan, name string, fv reflect.Value) {
	for fv.Kind() == reflect.Pointer {
		fv = fv.Elem()
	}
	switch f.shape.Type {
	case "structure":
		e.b.WriteString("<" + name)
		e.attrs(f.elem, fv)
		e.b.WriteByte('>')
		e.fields(f.elem, fv)
		e.b.WriteString("</" + name + ">")
	case "list":
		item := f.item
		if f.mem.Flattened || f.shape.Flattened {
			item = name
			if f.shape.Member.LocationName != "" {
				item = f.shape.Member.LocationName
			}
		} else {
			e.b.WriteString("<" + name + ">")
		}
		for i := 0; i < fv.Len(); i++ {
			iv := fv.Index(i)
			for iv.Kind() == reflect.Pointer {
				iv = iv.Elem()
			}
			if f.elem != nil {
				e.b.WriteString("<" + item)
				e.attrs(f.elem, iv)
				e.b.WriteByte('>')
				e.fields(f.elem, iv)
				e.b.WriteString("</" + item + ">")
			} else {
				e.b.WriteString("<" + item + ">")
				xmlEscape(e.b, iv.String())
				e.b.WriteString("</" + item + ">")
			}
		}
		if !(f.mem.Flattened || f.shape.Flattened) {
			e.b.WriteString("</" + name + ">")
		}
	default:
		e.b.WriteString("<" + name + ">")
		xmlEscape(e.b, scalarText(fv, e.m.timestampFormat(f.mem)))
		e.b.WriteString("</" + name + ">")
	}
}

// unset reports whether a member is left out: nil pointers, slices and
// maps, empty strings, zero times. Booleans and numbers are always set.
func unset(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	case reflect.String:
		return v.Len() == 0
	case reflect.Struct:
		if v.Type() == timeType {
			return v.Interface().(time.Time).IsZero()
		}
	}
	return false
}

// scalarText renders a scalar value.
func scalarText(v reflect.Value, tsFormat string) string {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Slice:
		return base64.StdEncoding.EncodeToString(v.Bytes())
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time).UTC()
		switch tsFormat {
		case "rfc822":
			return t.Format(http1123)
		case "unixTimestamp":
			return strconv.FormatInt(t.Unix(), 10)
		}
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	return ""
}

// http1123 is the HTTP date format: Mon, 02 Jan 2006 15:04:05 GMT.
const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

// xmlEscape writes s with XML's special characters escaped, and characters
// XML 1.0 cannot carry as character references S3 would send (keys may
// hold any UTF-8, control characters included).
func xmlEscape(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch c := s[i]; c {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\r':
			esc = "&#13;"
		case '\n':
			esc = "&#10;"
		case '\t':
			esc = "&#9;"
		default:
			if c < 0x20 {
				esc = "&#" + strconv.Itoa(int(c)) + ";"
			}
		}
		if esc == "" {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
