package filterpattern

// The boolean structure both JSON and space-delimited patterns share:
// operands joined by && (binding tighter) and ||, grouped by parentheses.

// joined parses one or more operands separated by sep. One operand is
// returned as it is; several are combined by join.
func joined[E any](l *lexer, sep tokKind, operand func() (E, error), join func([]E) E) (E, error) {
	first, err := operand()
	if err != nil || l.tok.kind != sep {
		return first, err
	}
	list := []E{first}
	for l.tok.kind == sep {
		l.next()
		e, err := operand()
		if err != nil {
			var zero E
			return zero, err
		}
		list = append(list, e)
	}
	return join(list), nil
}

// parenthesized parses "( inner )" when l is at "(", with inner one level
// deeper; ok is false, and nothing is read, when l is not at "(".
func parenthesized[E any](l *lexer, depth int, inner func(depth int) (E, error)) (e E, ok bool, err error) {
	if !l.tok.is(tokPunct, "(") {
		return e, false, nil
	}
	if depth >= maxNesting {
		return e, true, syntaxErr(l.tok.off, "parentheses nest too deeply")
	}
	l.next()
	if e, err = inner(depth + 1); err != nil {
		return e, true, err
	}
	if !l.tok.is(tokPunct, ")") {
		if l.err != nil {
			return e, true, l.err
		}
		return e, true, syntaxErr(l.tok.off, "expected ), found %q", l.tok.text)
	}
	l.next()
	return e, true, nil
}
