package policy

import (
	"math"
	"strconv"
	"strings"
)

// parseNumber reads an integer or decimal. Anything else becomes NaN, which
// compares false with everything: AWS accepts such a policy but the value
// can never match.
func parseNumber(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) {
		return math.NaN()
	}
	return f
}

// matchNumeric implements the Numeric* operators: the request value compared
// with each policy value, ORed.
func matchNumeric(policy []float64, c cmp, v string) bool {
	x := parseNumber(v)
	if math.IsNaN(x) {
		return false
	}
	for _, p := range policy {
		if compare(x, p, c) {
			return true
		}
	}
	return false
}

// compare applies c to request value x and policy value p; NaN never
// compares true.
func compare(x, p float64, c cmp) bool {
	switch c {
	case cmpEQ:
		return x == p
	case cmpLT:
		return x < p
	case cmpLE:
		return x <= p
	case cmpGT:
		return x > p
	case cmpGE:
		return x >= p
	}
	return false
}
