package policy

import "strings"

// Policy variables (${aws:username}, ${aws:PrincipalTag/team, 'default'},
// the literals ${*} ${?} ${$}) are substituted only in documents whose
// Version is 2012-10-17; in older documents the text is literal. They may
// appear in the resource part of Resource/NotResource ARNs and in the values
// of String* and Arn* conditions.
//
// A template is parsed once, at Parse time. At evaluation it is expanded
// into a caller-provided buffer, so substitution allocates nothing for
// values up to the buffer size.

// tpart is one piece of a template: literal policy text, or a variable.
type tpart struct {
	text   string // literal text, or the variable's default value
	wild   bool   // literal text whose '*' and '?' are wildcards
	isVar  bool
	key    string // lower-cased context key of a variable
	hasDef bool   // a variable with a default value
}

// template is text with at least one ${…} construct.
type template struct {
	parts []tpart
	keys  []string // the variables' keys, for MissingContextValues
}

// parseTemplate splits s into literal parts and variables. It returns nil
// when s holds no ${…} construct, so callers keep the cheaper plain form.
// Malformed constructs ("${", "${a, b}") stay literal text, which is what
// they would be in a 2008-10-17 document.
func parseTemplate(s string) *template {
	if !strings.Contains(s, "${") {
		return nil
	}
	t := &template{}
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, tpart{text: lit.String(), wild: true})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		if !strings.HasPrefix(s[i:], "${") {
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			lit.WriteString(s[i:])
			break
		}
		inner := s[i+2 : i+end]
		part, ok := parseVariable(inner)
		if !ok {
			lit.WriteString(s[i : i+end+1])
			i += end + 1
			continue
		}
		flush()
		t.parts = append(t.parts, part)
		if part.isVar {
			t.keys = append(t.keys, part.key)
		}
		i += end + 1
	}
	flush()
	if len(t.keys) == 0 && len(t.parts) == 1 && t.parts[0].wild {
		return nil // only malformed constructs: plain text after all
	}
	return t
}

// parseVariable interprets the inside of ${…}.
func parseVariable(inner string) (tpart, bool) {
	switch strings.TrimSpace(inner) {
	case "*", "?", "$":
		// Escapes for characters that are otherwise special: the result
		// is a literal, never a wildcard.
		return tpart{text: strings.TrimSpace(inner)}, true
	}
	key, def, hasDef := strings.Cut(inner, ",")
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, "${} ") {
		return tpart{}, false
	}
	p := tpart{isVar: true, key: strings.ToLower(key)}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return tpart{}, false
		}
		p.text, p.hasDef = def[1:len(def)-1], true
	}
	return p, true
}

// expand writes the template into buf/mask (mask[i] reports whether buf[i]
// is an active wildcard) and returns the filled slices. ok is false when a
// variable has no value and no default: AWS then treats the policy value as
// one that matches nothing. A variable resolves only from a key with exactly
// one value, because policy variables are defined for single-valued keys.
func (t *template) expand(ctx map[string][]string, buf []byte, mask []bool) ([]byte, []bool, bool) {
	buf, mask = buf[:0], mask[:0]
	for i := range t.parts {
		p := &t.parts[i]
		text, wild := p.text, p.wild
		if p.isVar {
			vals := ctx[p.key]
			switch {
			case len(vals) == 1:
				text = vals[0]
			case p.hasDef:
			default:
				return buf, mask, false
			}
			// Substituted values are data, not pattern: a '*' in a tag
			// value must not widen the match.
			wild = false
		}
		for j := 0; j < len(text); j++ {
			buf = append(buf, text[j])
			mask = append(mask, wild && (text[j] == '*' || text[j] == '?'))
		}
	}
	return buf, mask, true
}

// splitARN cuts an ARN-shaped string into at most six colon-separated parts
// (the sixth keeps its colons). With vars set, colons inside ${…} do not
// split, so "arn:aws:iam::${aws:PrincipalAccount}:root" keeps its variable
// whole.
// The parts are returned by value: writing them through a pointer would
// make every ARN handed to a matcher escape to the heap.
func splitARN(s string, vars bool) (parts [6]string, n int) {
	start, depth := 0, 0
	for i := 0; i < len(s) && n < 5; i++ {
		switch {
		case vars && s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
		case vars && s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	parts[n] = s[start:]
	return parts, n + 1
}
