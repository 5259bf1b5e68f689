package filterpattern

import (
	"regexp"
	"strings"
)

// termPattern is an unstructured pattern: alternatives of term groups. A
// message matches when some group matches; a group matches when every
// included term appears in the message and no excluded term does.
type termPattern struct {
	groups  []termGroup
	regexes int
}

type termGroup struct {
	include []term
	exclude []term
}

// term is a literal (substring) or a regex.
type term struct {
	text string
	re   *regexp.Regexp
}

func (t *term) in(message string) bool {
	if t.re != nil {
		return t.re.MatchString(message)
	}
	return strings.Contains(message, t.text)
}

// parseTerms parses whitespace-separated terms: bare words, "quoted
// phrases" (\" and \\ escape a quote and a backslash), %regexes%, each
// optionally prefixed by - (exclude) or ? (starts an alternative group).
func parseTerms(s string) (*termPattern, error) {
	tp := &termPattern{}
	var cur *termGroup
	for i := 0; ; {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		exclude, alt := false, false
		switch s[i] {
		case '-':
			exclude = true
			i++
		case '?':
			alt = true
			i++
		}
		if i == len(s) || isSpace(s[i]) {
			return nil, syntaxErr(start, "%q must be followed by a term", s[start])
		}
		var t term
		switch s[i] {
		case '"':
			text, next, err := quoted(s, i)
			if err != nil {
				return nil, err
			}
			t.text, i = text, next
		case '%':
			end := strings.IndexByte(s[i+1:], '%')
			if end < 0 {
				return nil, syntaxErr(i, "unterminated regular expression")
			}
			re, err := compileRegex(s[i+1:i+1+end], i)
			if err != nil {
				return nil, err
			}
			t.re = re
			tp.regexes++
			i += end + 2
		default:
			j := i
			for j < len(s) && !isSpace(s[j]) {
				if s[j] == '"' {
					return nil, syntaxErr(j, "a quote inside an unquoted term")
				}
				j++
			}
			t.text, i = s[i:j], j
		}
		if i < len(s) && !isSpace(s[i]) {
			return nil, syntaxErr(i, "terms must be separated by spaces")
		}
		if alt || cur == nil {
			tp.groups = append(tp.groups, termGroup{})
			cur = &tp.groups[len(tp.groups)-1]
		}
		if exclude {
			cur.exclude = append(cur.exclude, t)
		} else {
			cur.include = append(cur.include, t)
		}
	}
	return tp, nil
}

// quoted reads a double-quoted string starting at s[i] == '"' and returns
// its text and the offset after the closing quote.
func quoted(s string, i int) (string, int, error) {
	var b strings.Builder
	plain := true
	j := i + 1
	for ; j < len(s); j++ {
		switch c := s[j]; c {
		case '"':
			if plain {
				return s[i+1 : j], j + 1, nil
			}
			return b.String(), j + 1, nil
		case '\\':
			if j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\\') {
				if plain {
					b.WriteString(s[i+1 : j])
					plain = false
				}
				b.WriteByte(s[j+1])
				j++
				continue
			}
			fallthrough
		default:
			if !plain {
				b.WriteByte(c)
			}
		}
	}
	return "", 0, syntaxErr(i, "unterminated quoted string")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (tp *termPattern) match(message string) bool {
	if len(tp.groups) == 0 {
		return true
	}
	for g := range tp.groups {
		if tp.groups[g].match(message) {
			return true
		}
	}
	return false
}

func (g *termGroup) match(message string) bool {
	for i := range g.include {
		if !g.include[i].in(message) {
			return false
		}
	}
	for i := range g.exclude {
		if g.exclude[i].in(message) {
			return false
		}
	}
	return true
}
