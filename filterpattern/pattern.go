package filterpattern

import (
	"fmt"
	"strings"
)

// Kind says which of the three syntaxes a pattern uses.
type Kind int

// The kinds of pattern.
const (
	Terms     Kind = iota // unstructured terms, phrases and regexes (and the empty pattern)
	Delimited             // [field, field, ...]
	JSON                  // { selector op value ... }
)

func (k Kind) String() string {
	switch k {
	case Delimited:
		return "space-delimited"
	case JSON:
		return "JSON"
	default:
		return "terms"
	}
}

// Pattern is a parsed filter pattern. It is immutable.
type Pattern struct {
	text  string
	kind  Kind
	terms *termPattern
	delim *delimPattern
	json  *jsonPattern
	// pre is what a message must contain for the pattern to possibly
	// match; see prefilter.go.
	pre req
}

// SyntaxError is a pattern Parse refuses: Offset is the byte offset in the
// pattern where the problem was found.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid filter pattern at offset %d: %s", e.Offset, e.Msg)
}

func syntaxErr(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// maxRegexes is AWS's quota of regular expressions in one pattern.
const maxRegexes = 2

// Parse parses a filter pattern. The error, when not nil, is a
// *SyntaxError; callers answer it with AWS's InvalidParameterException.
func Parse(pattern string) (*Pattern, error) {
	p := &Pattern{text: pattern}
	trimmed := strings.TrimSpace(pattern)
	lead := len(pattern) - len(strings.TrimLeft(pattern, " \t\r\n"))
	var err error
	switch {
	case strings.HasPrefix(trimmed, "{"):
		p.kind = JSON
		p.json, err = parseJSON(pattern, lead)
	case strings.HasPrefix(trimmed, "["):
		p.kind = Delimited
		p.delim, err = parseDelimited(pattern, lead)
	default:
		p.kind = Terms
		p.terms, err = parseTerms(pattern)
	}
	if err != nil {
		return nil, err
	}
	if n := p.regexCount(); n > maxRegexes {
		return nil, syntaxErr(0, "%d regular expressions; a pattern may have at most %d", n, maxRegexes)
	}
	p.pre = p.requirement()
	return p, nil
}

// String returns the pattern as it was given to Parse.
func (p *Pattern) String() string { return p.text }

// Kind reports the pattern's syntax.
func (p *Pattern) Kind() Kind { return p.kind }

// Match reports whether message matches the pattern.
func (p *Pattern) Match(message string) bool {
	if !p.mayMatch(message) {
		return false
	}
	return p.matchFull(message)
}

// matchFull evaluates the pattern without the prefilter.
func (p *Pattern) matchFull(message string) bool {
	switch p.kind {
	case JSON:
		return p.json.match(message)
	case Delimited:
		return p.delim.match(message)
	default:
		return p.terms.match(message)
	}
}

// Extracted returns the values a space-delimited pattern extracts from a
// matching message, as TestMetricFilter's extractedValues: "$name" for
// named fields and "$N" (1-based position in the message) for the others.
// It returns an empty map for other patterns and nil when message does not
// match.
func (p *Pattern) Extracted(message string) map[string]string {
	if !p.Match(message) {
		return nil
	}
	if p.kind != Delimited {
		return map[string]string{}
	}
	return p.delim.extract(message)
}

func (p *Pattern) regexCount() int {
	switch p.kind {
	case JSON:
		return p.json.regexes
	case Delimited:
		return p.delim.regexes
	default:
		return p.terms.regexes
	}
}
