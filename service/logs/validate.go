package logs

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
)

// Input validation with the model's constraints, in AWS's words.

const groupNamePattern = `[\.\-_/#A-Za-z0-9]+`

func validateGroupName(member, name string) error {
	switch {
	case name == "":
		return validation(member, name, "Member must have length greater than or equal to 1")
	case len(name) > 512:
		return validation(member, name, "Member must have length less than or equal to 512")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-/#", c) >= 0) {
			return validation(member, name, "Member must satisfy regular expression pattern: "+groupNamePattern)
		}
	}
	return nil
}

// validateName checks stream and filter names: 1 to 512 characters,
// neither : nor *.
func validateName(member, name string) error {
	switch {
	case name == "":
		return validation(member, name, "Member must have length greater than or equal to 1")
	case utf8.RuneCountInString(name) > 512:
		return validation(member, name, "Member must have length less than or equal to 512")
	case strings.ContainsAny(name, ":*"):
		return validation(member, name, "Member must satisfy regular expression pattern: [^:*]*")
	}
	return nil
}

// limitOf validates a limit member (1 to max) and applies its default.
func limitOf(member string, p *int32, max, def int) (int, error) {
	if p == nil {
		return def, nil
	}
	n := int(*p)
	switch {
	case n < 1:
		return 0, validation(member, strconv.Itoa(n), "Member must have value greater than or equal to 1")
	case n > max:
		return 0, validation(member, strconv.Itoa(n), "Member must have value less than or equal to "+strconv.Itoa(max))
	}
	return n, nil
}

// retentionDays are the retention periods AWS accepts.
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func validateRetention(p *int32) (int32, error) {
	if p == nil {
		return 0, validationNull("retentionInDays")
	}
	if !slices.Contains(retentionDays, *p) {
		set := make([]string, len(retentionDays))
		for i, d := range retentionDays {
			set[i] = strconv.Itoa(int(d))
		}
		return 0, validation("retentionInDays", strconv.Itoa(int(*p)),
			"Member must satisfy enum value set: ["+strings.Join(set, ", ")+"]")
	}
	return *p, nil
}

// groupRef names a log group: the caller's account and region, and its name.
type groupRef struct {
	account, region, name string
}

func (g groupRef) key() string { return groupKey(g.account, g.region, g.name) }

// ownGroup is a group of the caller's account and region, by name.
func ownGroup(c *cairn.Call, name string) (groupRef, error) {
	if err := validateGroupName("logGroupName", name); err != nil {
		return groupRef{}, err
	}
	return groupRef{account: c.Account(), region: c.Region, name: name}, nil
}

// identify resolves the logGroupName / logGroupIdentifier pair: exactly one
// of them, the identifier being a name or a log group ARN (with or without
// the trailing :*). A group of another account or region is not found:
// Cairn has no cross-account observability.
func identify(c *cairn.Call, name, ident *string) (groupRef, error) {
	switch {
	case name != nil && ident != nil:
		return groupRef{}, invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil:
		return ownGroup(c, *name)
	case ident == nil:
		return groupRef{}, invalidParameter("Either the logGroupName or the logGroupIdentifier parameter must be specified.")
	}
	id := *ident
	if !strings.HasPrefix(id, "arn:") {
		return ownGroup(c, id)
	}
	return groupOfARN(c, id)
}

// groupOfARN parses a log group ARN (trailing :* allowed).
func groupOfARN(c *cairn.Call, arn string) (groupRef, error) {
	a, err := cairn.ParseARN(arn)
	if err != nil || a.Service != "logs" || !strings.HasPrefix(a.Resource, "log-group:") {
		return groupRef{}, invalidParameter("Invalid log group ARN: %s", arn)
	}
	name := strings.TrimSuffix(strings.TrimPrefix(a.Resource, "log-group:"), ":*")
	if err := validateGroupName("logGroupIdentifier", name); err != nil {
		return groupRef{}, err
	}
	if a.Account != c.Account() || a.Region != c.Region {
		return groupRef{}, groupNotFound()
	}
	return groupRef{account: a.Account, region: a.Region, name: name}, nil
}
