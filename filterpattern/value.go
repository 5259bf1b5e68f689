package filterpattern

import (
	"regexp"
	"strconv"
	"strings"
)

// op is a comparison operator.
type op int

const (
	opEq op = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opIsNull
	opIsTrue
	opIsFalse
	opNotExists
)

var opNames = map[string]op{"=": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

// operandKind says how a comparison's right-hand side compares.
type operandKind int

const (
	operandString operandKind = iota // = and != against text, with * at either end
	operandNumber                    // numeric comparison
	operandRegex                     // = and != against a %regex%
)

// wildcard says where a string operand's * wildcards are.
type wildcard int

const (
	wildNone   wildcard = iota // exact
	wildPrefix                 // "abc*": starts with abc
	wildSuffix                 // "*abc": ends with abc
	wildBoth                   // "*abc*": contains abc ("*" alone: anything)
)

// operand is the value a field or selector is compared with.
type operand struct {
	kind operandKind
	text string // the string without its wildcards
	wild wildcard
	num  float64
	re   *regexp.Regexp
}

// stringOperand interprets a string value: a * at the start or the end is a
// wildcard, any other * is literal.
func stringOperand(s string) operand {
	o := operand{kind: operandString}
	pre := strings.HasPrefix(s, "*")
	if pre {
		s = s[1:]
	}
	suf := strings.HasSuffix(s, "*")
	if suf {
		s = s[:len(s)-1]
	}
	switch {
	case pre && suf:
		o.wild = wildBoth
	case pre:
		o.wild = wildSuffix
	case suf:
		o.wild = wildPrefix
	}
	o.text = s
	return o
}

// matchString reports whether s equals the operand (string or regex kind).
func (o *operand) matchString(s string) bool {
	switch o.kind {
	case operandRegex:
		return o.re.MatchString(s)
	case operandNumber:
		f, ok := parseNumber(s)
		return ok && f == o.num
	}
	switch o.wild {
	case wildPrefix:
		return strings.HasPrefix(s, o.text)
	case wildSuffix:
		return strings.HasSuffix(s, o.text)
	case wildBoth:
		return strings.Contains(s, o.text)
	default:
		return s == o.text
	}
}

// compareNumber applies a numeric operator.
func compareNumber(o op, a, b float64) bool {
	switch o {
	case opEq:
		return a == b
	case opNe:
		return a != b
	case opLt:
		return a < b
	case opLe:
		return a <= b
	case opGt:
		return a > b
	case opGe:
		return a >= b
	}
	return false
}

// isNumber reports whether s is a number as the pattern syntax writes them:
// an integer or a decimal with an optional sign, optionally followed by an
// exponent (10e3, 10e-3, +1000, 55.5).
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseNumber parses a number written as isNumber accepts it (JSON numbers
// included); anything else (hex, Inf, NaN, underscores) is not a number.
func parseNumber(s string) (float64, bool) {
	if !isNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of range: ParseFloat returns ±Inf with ErrRange, which
		// still compares sensibly.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}
