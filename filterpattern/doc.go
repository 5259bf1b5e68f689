// Package filterpattern is the CloudWatch Logs filter and subscription
// pattern language, as AWS documents it ("Filter pattern syntax for metric
// filters, subscription filters, filter log events, and Live Tail"): pure
// parsing and matching, no I/O.
//
// Three kinds of pattern:
//
//   - Unstructured terms: ERROR, "exact phrase", -excluded, ?either ?or,
//     %regex%. Terms match anywhere in the message, case-sensitively. A ?
//     starts an alternative group; the terms after it belong to that group
//     (?ERROR MainThread ?WARN Deadlock is (ERROR and MainThread) or (WARN
//     and Deadlock)). The empty pattern matches every message.
//   - Space-delimited: [ip, user, ..., status_code = 4* && status_code !=
//     403, bytes > 1000]. The message is split at spaces; text between
//     double quotes or square brackets is one field (the quotes and brackets
//     are not part of its value). Without ... the message must have exactly
//     as many fields as the pattern; one ... stands for any number of fields.
//   - JSON: { ($.errorCode = "*UnauthorizedOperation") || ($.errorCode =
//     "AccessDenied*") }. Selectors are $ followed by .name and [index]
//     steps; comparisons are = and != on strings (quoted or bare), the six
//     numeric comparisons on numbers, IS NULL, IS TRUE, IS FALSE, NOT EXISTS;
//     && binds tighter than ||; parentheses group. A selector must reach a
//     value (string, number, true, false, null): one that reaches an object
//     or an array, or nothing, makes its comparison false (NOT EXISTS is the
//     way to test absence). A message that is not a JSON object matches no
//     JSON pattern.
//
// Values: a * at the start or the end of a string value is a wildcard
// (AccessDenied*, *UnauthorizedOperation, *html*, * alone: any value); a *
// elsewhere is literal, as AWS documents ("Ev*ent will only match the actual
// string Ev*ent"). %regex% is AWS's regular expression subset (letters,
// digits, the symbols :_#=@/;,- and the operators ^$?[]{}|\*+.; no groups,
// at most two per pattern), matched anywhere in the value.
//
// Guarantees: Parse accepts a pattern or returns a *SyntaxError and never
// panics; Match, Value and Field never panic on any message; a Pattern is
// immutable and safe for concurrent use. Match allocates nothing for
// messages its literal prefilter rules out, and Candidates is a superset of
// Match: it never drops a message that matches.
package filterpattern
