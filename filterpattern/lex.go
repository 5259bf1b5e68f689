package filterpattern

// The lexer shared by JSON and space-delimited patterns.

type tokKind int

const (
	tokEOF      tokKind = iota
	tokPunct            // { } [ ] ( ) ,
	tokOp               // = != < <= > >=
	tokAnd              // &&
	tokOr               // ||
	tokEllipsis         // ...
	tokSelector         // $.a.b[0]
	tokQuoted           // "text"
	tokRegex            // %regex%
	tokWord             // anything else: names, bare values, IS, NULL, …
)

type token struct {
	kind tokKind
	text string // the punctuation, operator, word, selector, quoted text or regex body
	off  int
}

type lexer struct {
	s   string
	i   int
	tok token // the current token
	err error
}

func newLexer(s string, off int) *lexer {
	l := &lexer{s: s, i: off}
	l.next()
	return l
}

// next advances to the next token; after an error every token is EOF.
func (l *lexer) next() {
	if l.err != nil {
		l.tok = token{kind: tokEOF, off: len(l.s)}
		return
	}
	for l.i < len(l.s) && isSpace(l.s[l.i]) {
		l.i++
	}
	start := l.i
	if l.i == len(l.s) {
		l.tok = token{kind: tokEOF, off: start}
		return
	}
	c := l.s[l.i]
	two := ""
	if l.i+1 < len(l.s) {
		two = l.s[l.i : l.i+2]
	}
	switch {
	case two == "&&":
		l.i += 2
		l.tok = token{kind: tokAnd, text: two, off: start}
	case two == "||":
		l.i += 2
		l.tok = token{kind: tokOr, text: two, off: start}
	case two == "!=" || two == "<=" || two == ">=":
		l.i += 2
		l.tok = token{kind: tokOp, text: two, off: start}
	case two == "==":
		// A common slip for =, as the AWS CDK also accepts it.
		l.i += 2
		l.tok = token{kind: tokOp, text: "=", off: start}
	case c == '=' || c == '<' || c == '>':
		l.i++
		l.tok = token{kind: tokOp, text: string(c), off: start}
	case c == '{' || c == '}' || c == '[' || c == ']' || c == '(' || c == ')' || c == ',':
		l.i++
		l.tok = token{kind: tokPunct, text: string(c), off: start}
	case len(l.s)-l.i >= 3 && l.s[l.i:l.i+3] == "...":
		l.i += 3
		l.tok = token{kind: tokEllipsis, text: "...", off: start}
	case c == '"':
		text, next, err := quoted(l.s, l.i)
		if err != nil {
			l.fail(err)
			return
		}
		l.i = next
		l.tok = token{kind: tokQuoted, text: text, off: start}
	case c == '%':
		j := l.i + 1
		for j < len(l.s) && l.s[j] != '%' {
			j++
		}
		if j == len(l.s) {
			l.fail(syntaxErr(start, "unterminated regular expression"))
			return
		}
		l.i = j + 1
		l.tok = token{kind: tokRegex, text: l.s[start+1 : j], off: start}
	case c == '$' && l.i+1 < len(l.s) && (l.s[l.i+1] == '.' || l.s[l.i+1] == '['):
		j := l.i + 1
		for j < len(l.s) && isSelectorChar(l.s[j]) {
			j++
		}
		l.i = j
		l.tok = token{kind: tokSelector, text: l.s[start:j], off: start}
	case c == '!':
		l.fail(syntaxErr(start, "unexpected '!'"))
	default:
		j := l.i
		for j < len(l.s) && isWordChar(l.s[j]) {
			j++
		}
		l.i = j
		l.tok = token{kind: tokWord, text: l.s[start:j], off: start}
	}
}

func (l *lexer) fail(err error) {
	l.err = err
	l.tok = token{kind: tokEOF, off: len(l.s)}
}

// isWordChar is what a bare word may contain: everything but spaces, quotes,
// and the characters that make up punctuation and operators.
func isWordChar(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '{', '}', '[', ']', '(', ')', ',', '=', '!', '<', '>', '&', '|', '%':
		return false
	}
	return true
}

func isSelectorChar(c byte) bool {
	return c == '.' || c == '[' || c == ']' || isNameChar(c)
}

// isNameChar is what a selector's property names may contain: AWS documents
// letters, digits, - and _; @ and : are accepted too, for keys such as
// @timestamp and aws:SourceIp.
func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '@' || c == ':'
}

func (t token) is(kind tokKind, text string) bool { return t.kind == kind && t.text == text }
