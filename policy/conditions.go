package policy

import (
	"net/netip"
	"strings"
)

// family groups the operators that share a value type and comparison.
type family uint8

const (
	famStringEquals family = iota + 1
	famStringEqualsIgnoreCase
	famStringLike
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

// cmp is the comparison of the Numeric and Date families.
type cmp uint8

const (
	cmpEQ cmp = iota + 1
	cmpLT
	cmpLE
	cmpGT
	cmpGE
)

// operator describes one condition operator. A negated operator (the
// Not… forms) is evaluated as "matches none of the values": the positive
// comparison over all policy values, inverted.
type operator struct {
	name    string
	fam     family
	cmp     cmp
	negated bool
}

// operators is the condition operator vocabulary of the IAM policy language
// (IAM User Guide, "IAM JSON policy elements: Condition operators").
var operators = [...]operator{
	{"StringEquals", famStringEquals, 0, false},
	{"StringNotEquals", famStringEquals, 0, true},
	{"StringEqualsIgnoreCase", famStringEqualsIgnoreCase, 0, false},
	{"StringNotEqualsIgnoreCase", famStringEqualsIgnoreCase, 0, true},
	{"StringLike", famStringLike, 0, false},
	{"StringNotLike", famStringLike, 0, true},
	{"NumericEquals", famNumeric, cmpEQ, false},
	{"NumericNotEquals", famNumeric, cmpEQ, true},
	{"NumericLessThan", famNumeric, cmpLT, false},
	{"NumericLessThanEquals", famNumeric, cmpLE, false},
	{"NumericGreaterThan", famNumeric, cmpGT, false},
	{"NumericGreaterThanEquals", famNumeric, cmpGE, false},
	{"DateEquals", famDate, cmpEQ, false},
	{"DateNotEquals", famDate, cmpEQ, true},
	{"DateLessThan", famDate, cmpLT, false},
	{"DateLessThanEquals", famDate, cmpLE, false},
	{"DateGreaterThan", famDate, cmpGT, false},
	{"DateGreaterThanEquals", famDate, cmpGE, false},
	{"Bool", famBool, 0, false},
	{"BinaryEquals", famBinary, 0, false},
	{"IpAddress", famIP, 0, false},
	{"NotIpAddress", famIP, 0, true},
	{"ArnEquals", famARN, 0, false},
	{"ArnLike", famARN, 0, false},
	{"ArnNotEquals", famARN, 0, true},
	{"ArnNotLike", famARN, 0, true},
	{"Null", famNull, 0, false},
}

// qualifier is a set operator prefix for multivalued keys.
type qualifier uint8

const (
	qualNone qualifier = iota
	qualForAllValues
	qualForAnyValue
)

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
// Operator names are matched without regard to case: accepting a spelling
// AWS might reject is harmless, rejecting one it accepts is not.
func parseOperator(name string) (op operator, q qualifier, ifExists, ok bool) {
	rest := name
	if p, r, found := strings.Cut(rest, ":"); found {
		switch {
		case strings.EqualFold(p, "ForAllValues"):
			q = qualForAllValues
		case strings.EqualFold(p, "ForAnyValue"):
			q = qualForAnyValue
		default:
			return op, q, false, false
		}
		rest = r
	}
	if len(rest) > len("IfExists") && strings.EqualFold(rest[len(rest)-len("IfExists"):], "IfExists") {
		ifExists = true
		rest = rest[:len(rest)-len("IfExists")]
	}
	for _, o := range operators {
		if strings.EqualFold(o.name, rest) {
			// Null tests presence itself; "NullIfExists" is meaningless
			// and not part of the language.
			if o.fam == famNull && ifExists {
				return op, q, false, false
			}
			return o, q, ifExists, true
		}
	}
	return op, q, false, false
}

// Condition is one operator/key pair of a statement's Condition block, as
// written in the document (for display and for the IAM simulator).
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// condition is a compiled Condition.
type condition struct {
	op       operator
	qual     qualifier
	ifExists bool
	key      string // lower-cased

	// Compiled policy values; which slice is used depends on op.fam.
	strs  []pattern
	nums  []float64 // NaN for a value that is not a number: matches nothing
	dates []instant // !ok for a value that is not a date
	ips   []netip.Prefix
	arns  []arnPattern
	bins  []string // decoded bytes; values that are not base64 are dropped
	bools []bool
	// Null: which answers the policy accepts.
	nullAbsent, nullPresent bool

	varKeys []string // context keys read by variables in the values
}

// compileCondition compiles one operator/key pair; vars enables policy
// variables (2012-10-17 documents) in String* and Arn* values.
func compileCondition(op operator, q qualifier, ifExists bool, key string, values []string, vars bool) condition {
	c := condition{op: op, qual: q, ifExists: ifExists, key: strings.ToLower(key)}
	for _, v := range values {
		switch op.fam {
		case famStringEquals, famStringEqualsIgnoreCase, famStringLike:
			p := compilePattern(v, vars)
			if p.tmpl != nil {
				c.varKeys = append(c.varKeys, p.tmpl.keys...)
			}
			c.strs = append(c.strs, p)
		case famARN:
			ap := compileARNPattern(v, vars, false)
			c.varKeys = ap.keys(c.varKeys)
			c.arns = append(c.arns, ap)
		case famNumeric:
			c.nums = append(c.nums, parseNumber(v))
		case famDate:
			t, _ := parseDate(v)
			c.dates = append(c.dates, t)
		case famBool:
			// Anything but true/false can never match, so it is dropped.
			switch {
			case strings.EqualFold(v, "true"):
				c.bools = append(c.bools, true)
			case strings.EqualFold(v, "false"):
				c.bools = append(c.bools, false)
			}
		case famBinary:
			if b, ok := decodeBinary(v); ok {
				c.bins = append(c.bins, b)
			}
		case famIP:
			if p, ok := parseCIDR(v); ok {
				c.ips = append(c.ips, p)
			}
		case famNull:
			switch {
			case strings.EqualFold(v, "true"):
				c.nullAbsent = true
			case strings.EqualFold(v, "false"):
				c.nullPresent = true
			}
		}
	}
	return c
}

// eval applies the condition to the request context.
//
// Missing keys: a positive operator is false, a negated one true (it
// "matches none of the values"), …IfExists is true, ForAllValues is true
// (vacuously, the empty set), ForAnyValue is false.
//
// Present keys: without a set qualifier, a positive operator is true when
// some request value matches some policy value and a negated one when no
// request value matches any; ForAnyValue needs one request value to satisfy
// the operator, ForAllValues every one.
//
// absent reports that the key was missing from the context (never for
// Null, whose question is exactly that), so the caller can list it among
// the missing context values without a second lookup.
func (c *condition) eval(ctx map[string][]string) (result, absent bool) {
	vals := ctx[c.key]
	present := len(vals) > 0
	if c.op.fam == famNull {
		return present && c.nullPresent || !present && c.nullAbsent, false
	}
	if !present {
		switch {
		case c.ifExists:
			return true, true
		case c.qual == qualForAllValues:
			return true, true
		case c.qual == qualForAnyValue:
			return false, true
		}
		return c.op.negated, true
	}
	switch c.qual {
	case qualForAnyValue:
		for _, v := range vals {
			if c.matchAny(v, ctx) != c.op.negated {
				return true, false
			}
		}
		return false, false
	case qualForAllValues:
		for _, v := range vals {
			if c.matchAny(v, ctx) == c.op.negated {
				return false, false
			}
		}
		return true, false
	}
	for _, v := range vals {
		if c.matchAny(v, ctx) {
			return !c.op.negated, false
		}
	}
	return c.op.negated, false
}

// matchAny reports whether request value v matches at least one policy
// value under the operator's positive comparison. Values are ORed.
func (c *condition) matchAny(v string, ctx map[string][]string) bool {
	switch c.op.fam {
	case famStringEquals:
		return matchStrings(c.strs, v, ctx, false, false)
	case famStringEqualsIgnoreCase:
		return matchStrings(c.strs, v, ctx, false, true)
	case famStringLike:
		return matchStrings(c.strs, v, ctx, true, false)
	case famNumeric:
		return matchNumeric(c.nums, c.op.cmp, v)
	case famDate:
		return matchDate(c.dates, c.op.cmp, v)
	case famBool:
		return matchBool(c.bools, v)
	case famBinary:
		return matchBinary(c.bins, v)
	case famIP:
		return matchIP(c.ips, v)
	case famARN:
		return matchARN(c.arns, v, ctx)
	}
	return false
}
