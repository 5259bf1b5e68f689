package filterpattern

import (
	"strings"
)

// Selector is a compiled metric value or dimension expression: "$.path"
// (a value of a JSON message), "$name" (a named field of a space-delimited
// pattern) or a number literal ("1"). Compile it once with
// Pattern.Selector and apply it to many messages.
type Selector struct {
	kind  selKind
	num   float64
	text  string
	root  *pathNode
	name  string
	delim *delimPattern
}

type selKind int

const (
	selNumber selKind = iota
	selJSON
	selField
)

// Selector compiles expr against the pattern. It fails when expr is none
// of the three forms, or names a field the pattern does not declare.
func (p *Pattern) Selector(expr string) (*Selector, error) {
	e := strings.TrimSpace(expr)
	switch {
	case strings.HasPrefix(e, "$.") || strings.HasPrefix(e, "$["):
		steps, err := parseSelector(e, 0)
		if err != nil {
			return nil, err
		}
		for i := 1; i < len(e); i++ {
			if !isSelectorChar(e[i]) {
				return nil, syntaxErr(i, "unexpected %q in %s", e[i], e)
			}
		}
		root := newPathNode()
		n := 0
		root.add(steps, &n)
		return &Selector{kind: selJSON, root: root, text: e}, nil
	case strings.HasPrefix(e, "$"):
		name := e[1:]
		if p.kind != Delimited {
			return nil, syntaxErr(0, "%s names a field, but the pattern is not space-delimited", e)
		}
		for _, sl := range p.delim.slots {
			if sl.name != "" && sl.name == name {
				return &Selector{kind: selField, name: name, delim: p.delim, text: e}, nil
			}
		}
		return nil, syntaxErr(0, "the pattern has no field named %q", name)
	case isNumber(e):
		f, _ := parseNumber(e)
		return &Selector{kind: selNumber, num: f, text: e}, nil
	}
	return nil, syntaxErr(0, "%q is neither a number, a $.selector nor a $field", expr)
}

// String returns the expression as compiled.
func (s *Selector) String() string { return s.text }

// Value returns the expression's value in message as a number: the literal,
// or the selected value when it is a number (or a string holding one).
func (s *Selector) Value(message string) (float64, bool) {
	if s.kind == selNumber {
		return s.num, true
	}
	t, ok := s.Field(message)
	if !ok {
		return 0, false
	}
	return parseNumber(strings.TrimSpace(t))
}

// Field returns the expression's value in message as text: the literal as
// written, the selected JSON scalar (strings decoded, numbers, true and
// false as written; null is no value), or the named field.
func (s *Selector) Field(message string) (string, bool) {
	switch s.kind {
	case selNumber:
		return s.text, true
	case selField:
		return s.delim.field(message, s.name)
	}
	var v [1]jval
	if !walkJSON(message, s.root, v[:]) || v[0].kind == vNull {
		return "", false
	}
	return v[0].text()
}

// Value extracts a metric value from a matching message: expr is "$.path"
// for JSON messages, "$name" for a named field of a space-delimited
// pattern, or a number literal. ok is false when expr is invalid or the
// message has no numeric value there.
func (p *Pattern) Value(message, expr string) (float64, bool) {
	s, err := p.Selector(expr)
	if err != nil {
		return 0, false
	}
	return s.Value(message)
}

// Field extracts a metric dimension value from a matching message, with
// expr as for Value.
func (p *Pattern) Field(message, expr string) (string, bool) {
	s, err := p.Selector(expr)
	if err != nil {
		return "", false
	}
	return s.Field(message)
}
