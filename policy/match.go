package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// text is what the matchers accept as a pattern: compiled pattern strings,
// or bytes a template was just expanded into (on the caller's stack).
type text interface{ ~string | ~[]byte }

// glob reports whether s matches p, where '*' matches any run of characters
// and '?' exactly one character. mask, when not nil, says which '*' and '?'
// of p are wildcards (those produced by ${*}, ${?} or by a variable's value
// are literal). fold compares ASCII letters without regard to case, as IAM
// does for actions. The loop backtracks only to the last '*', which is
// enough for glob patterns and keeps the match linear in practice and
// allocation-free.
func glob[P text](p P, mask []bool, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			c := p[pi]
			wild := (c == '*' || c == '?') && (mask == nil || mask[pi])
			switch {
			case wild && c == '*':
				starP, starS = pi, si
				pi++
				continue
			case wild: // '?'
				_, size := utf8.DecodeRuneInString(s[si:])
				si += size
				pi++
				continue
			case c == s[si] || fold && lower(c) == lower(s[si]):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last '*' absorb one more character and retry.
		_, size := utf8.DecodeRuneInString(s[starS:])
		starS += size
		si, pi = starS, starP+1
	}
	for pi < len(p) && p[pi] == '*' && (mask == nil || mask[pi]) {
		pi++
	}
	return pi == len(p)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold compares Unicode text without regard to case
// (StringEqualsIgnoreCase) without converting either side.
func equalFold[P text](p P, s string) bool {
	i, j := 0, 0
	for i < len(p) && j < len(s) {
		a, b := p[i], s[j]
		if a < utf8.RuneSelf && b < utf8.RuneSelf {
			if lower(a) != lower(b) {
				return false
			}
			i++
			j++
			continue
		}
		// Rare non-ASCII path: compare rune by rune.
		ra, na := decodeRune(p, i)
		rb, nb := utf8.DecodeRuneInString(s[j:])
		if ra != rb && !foldEqualRune(ra, rb) {
			return false
		}
		i += na
		j += nb
	}
	return i == len(p) && j == len(s)
}

// decodeRune decodes the UTF-8 sequence at p[i] from either a string or a
// byte slice, without converting p.
func decodeRune[P text](p P, i int) (rune, int) {
	var b [utf8.UTFMax]byte
	n := 0
	for n < len(b) && i+n < len(p) {
		b[n] = p[i+n]
		n++
	}
	return utf8.DecodeRune(b[:n])
}

// foldEqualRune reports whether a and b are equal under Unicode simple case
// folding.
func foldEqualRune(a, b rune) bool {
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// hasWildcard reports whether s contains '*' or '?'.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// pattern is one compiled string pattern: plain text, or a template when it
// holds policy variables. Whether its '*' and '?' are wildcards is decided by
// the matcher that uses it (StringLike yes, StringEquals no).
type pattern struct {
	lit  string
	tmpl *template
	wild bool // lit contains '*' or '?'
	// prefix is set when lit is text followed by a single '*' (or is just
	// "*"), the commonest wildcard shape, matched without glob.
	prefix   string
	isPrefix bool
}

func compilePattern(s string, vars bool) pattern {
	p := pattern{lit: s, wild: hasWildcard(s)}
	if vars {
		p.tmpl = parseTemplate(s)
	}
	if i := strings.IndexAny(s, "*?"); i >= 0 && i == len(s)-1 && s[i] == '*' {
		p.prefix, p.isPrefix = s[:i], true
	}
	return p
}

// expandBuf is the scratch space templates expand into. It lives on the
// evaluating goroutine's stack; longer results spill to the heap.
type expandBuf struct {
	b [256]byte
	m [256]bool
}

// like matches s against p with wildcards (StringLike, resources).
func (p *pattern) like(s string, ctx map[string][]string, fold bool) (matched, resolved bool) {
	if p.tmpl == nil {
		if p.isPrefix && !fold {
			return strings.HasPrefix(s, p.prefix), true
		}
		if !p.wild {
			if fold {
				return equalFold(p.lit, s), true
			}
			return p.lit == s, true
		}
		return glob(p.lit, nil, s, fold), true
	}
	var eb expandBuf
	b, m, ok := p.tmpl.expand(ctx, eb.b[:], eb.m[:])
	if !ok {
		return false, false
	}
	return glob(b, m, s, fold), true
}

// equals compares s with p literally (StringEquals and its IgnoreCase
// form): '*' and '?' are ordinary characters there.
func (p *pattern) equals(s string, ctx map[string][]string, fold bool) (matched, resolved bool) {
	if p.tmpl == nil {
		if fold {
			return equalFold(p.lit, s), true
		}
		return p.lit == s, true
	}
	var eb expandBuf
	b, _, ok := p.tmpl.expand(ctx, eb.b[:], eb.m[:])
	if !ok {
		return false, false
	}
	if fold {
		return equalFold(b, s), true
	}
	return string(b) == s, true
}

// actionPattern matches actions: "*" or vendor:name, case-insensitively.
// Most action patterns are a literal or a literal followed by one '*'
// ("cloudtrail:Get*"); those are compiled to a prefix test, which rejects a
// non-matching action within its first few bytes. Only the rest need glob.
type actionPattern struct {
	form actionForm
	lit  string // lower-cased pattern; for actionPrefix, the part before '*'
}

type actionForm uint8

const (
	actionAny actionForm = iota + 1
	actionExact
	actionPrefix
	actionGlob
)

func compileAction(s string) actionPattern {
	l := strings.ToLower(s)
	switch i := strings.IndexAny(l, "*?"); {
	case l == "*":
		return actionPattern{form: actionAny}
	case i < 0:
		return actionPattern{form: actionExact, lit: l}
	case i == len(l)-1 && l[i] == '*':
		return actionPattern{form: actionPrefix, lit: l[:i]}
	}
	return actionPattern{form: actionGlob, lit: l}
}

func (a *actionPattern) match(action string) bool {
	switch a.form {
	case actionAny:
		return true
	case actionExact:
		return len(action) == len(a.lit) && hasPrefixFold(action, a.lit)
	case actionPrefix:
		return len(action) >= len(a.lit) && hasPrefixFold(action, a.lit)
	}
	return glob(a.lit, nil, action, true)
}

// hasPrefixFold reports whether s starts with the lower-case ASCII text
// prefix, comparing without regard to ASCII case. Actions are ASCII; a
// non-ASCII byte simply fails to match.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c := s[i]; c != prefix[i] && lower(c) != prefix[i] {
			return false
		}
	}
	return true
}

// arnPattern matches ARNs component by component, as AWS does for Resource
// and for the Arn* condition operators: the partition, service, region and
// account parts are matched each on its own, so a '*' there cannot reach
// across a ':'; in the resource part (the sixth) a '*' spans '/' and ':'.
type arnPattern struct {
	any   bool // the pattern "*" alone: every resource
	n     int
	parts [6]pattern
	fold  bool
}

// compileARNPattern compiles s. varsAll allows variables in every part (Arn*
// condition values); varsResource only in the resource part (Resource
// element, where AWS documents them).
func compileARNPattern(s string, varsAll, varsResource bool) arnPattern {
	if s == "*" {
		return arnPattern{any: true}
	}
	raw, n := splitARN(s, varsAll || varsResource)
	ap := arnPattern{n: n}
	for i := 0; i < ap.n; i++ {
		vars := varsAll || varsResource && i == 5
		ap.parts[i] = compilePattern(raw[i], vars)
	}
	return ap
}

// match reports whether arn matches; resolved is false when a policy
// variable had no value, in which case the pattern matches nothing.
func (ap *arnPattern) match(arn string, ctx map[string][]string) (matched, resolved bool) {
	if ap.any {
		return true, true
	}
	raw, n := splitARN(arn, false)
	return ap.matchParts(&raw, n, ctx)
}

// matchParts is match for an ARN already split by splitARN, so that a
// request's resource is split once per evaluation rather than once per
// statement.
func (ap *arnPattern) matchParts(raw *[6]string, n int, ctx map[string][]string) (matched, resolved bool) {
	if ap.any {
		return true, true
	}
	if n != ap.n {
		// Components are compared one to one; a pattern with fewer
		// parts cannot stand for the missing ones.
		return false, ap.resolvable(ctx)
	}
	matched, resolved = true, true
	for i := 0; i < n; i++ {
		m, r := ap.parts[i].like(raw[i], ctx, false)
		if !r {
			resolved = false
		}
		if !m {
			matched = false
		}
		if !matched && !resolved {
			break
		}
	}
	return matched && resolved, resolved
}

func (ap *arnPattern) resolvable(ctx map[string][]string) bool {
	for i := 0; i < ap.n; i++ {
		if t := ap.parts[i].tmpl; t != nil {
			for _, p := range t.parts {
				if p.isVar && !p.hasDef && len(ctx[p.key]) != 1 {
					return false
				}
			}
		}
	}
	return true
}

// keys appends the context keys the pattern's variables read.
func (ap *arnPattern) keys(dst []string) []string {
	for i := 0; i < ap.n; i++ {
		if t := ap.parts[i].tmpl; t != nil {
			dst = append(dst, t.keys...)
		}
	}
	return dst
}
