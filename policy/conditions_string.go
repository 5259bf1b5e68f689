package policy

// matchStrings implements the String* operators. StringEquals and its
// IgnoreCase form compare literally ('*' is an ordinary character there);
// StringLike treats '*' and '?' as wildcards and is case-sensitive. A policy
// value whose variables cannot be resolved matches nothing.
func matchStrings(pats []pattern, v string, ctx map[string][]string, like, fold bool) bool {
	for i := range pats {
		var m bool
		if like {
			m, _ = pats[i].like(v, ctx, false)
		} else {
			m, _ = pats[i].equals(v, ctx, fold)
		}
		if m {
			return true
		}
	}
	return false
}
