package filterpattern

import (
	"regexp"
)

// compileRegex checks body (the text between the % signs) against the
// subset AWS accepts and compiles it. AWS allows letters, digits, the
// symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \ * + . and
// nothing else: no groups, no spaces, no multibyte characters. Go's RE2
// gives those operators the same meaning.
func compileRegex(body string, off int) (*regexp.Regexp, error) {
	if body == "" {
		return nil, syntaxErr(off, "empty regular expression")
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case isRegexSymbol(c):
		default:
			return nil, syntaxErr(off+1+i, "character %q is not allowed in a regular expression", c)
		}
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil, syntaxErr(off, "invalid regular expression: %v", err)
	}
	return re, nil
}

func isRegexSymbol(c byte) bool {
	switch c {
	case ':', '_', '#', '=', '@', '/', ';', ',', '-',
		'^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.':
		return true
	}
	return false
}
