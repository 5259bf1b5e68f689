package policy

// matchARN implements ArnEquals/ArnLike (identical in AWS) and, negated,
// ArnNotEquals/ArnNotLike: each of the six colon-separated ARN components is
// matched on its own with '*' and '?' wildcards, so a '*' cannot cross a ':'
// before the resource part. Matching is case-sensitive.
func matchARN(policy []arnPattern, v string, ctx map[string][]string) bool {
	for i := range policy {
		if m, _ := policy[i].match(v, ctx); m {
			return true
		}
	}
	return false
}
