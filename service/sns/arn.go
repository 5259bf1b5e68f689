package sns

import (
	"strings"

	"github.com/cairnhq/cairn"
)

// topicRef is a parsed topic ARN: arn:aws:sns:<region>:<account>:<name>.
type topicRef struct {
	ARN, Region, Account, Name string
}

// maxTopicName is AWS's limit on topic names.
const maxTopicName = 256

// validTopicName applies AWS's rule: 1 to 256 ASCII letters, digits,
// underscores and hyphens.
func validTopicName(n string) bool {
	if n == "" || len(n) > maxTopicName {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func validAccount(a string) bool {
	if len(a) != 12 {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] < '0' || a[i] > '9' {
			return false
		}
	}
	return true
}

func topicARNOf(region, account, name string) string {
	return "arn:" + cairn.Partition + ":sns:" + region + ":" + account + ":" + name
}

// parseTopicARN parses a topic ARN; ok is false for anything else.
func parseTopicARN(s string) (topicRef, bool) {
	a, err := cairn.ParseARN(s)
	if err != nil || a.Partition != cairn.Partition || a.Service != "sns" || a.Region == "" ||
		!validAccount(a.Account) || !validTopicName(a.Resource) {
		return topicRef{}, false
	}
	return topicRef{ARN: s, Region: a.Region, Account: a.Account, Name: a.Resource}, true
}

// subscriptionID is the last part of a subscription ARN: a UUID.
const subscriptionIDLength = 36

// parseSubscriptionARN parses <topic ARN>:<subscription ID> with AWS's
// errors for what is not one [aws]: fewer than six parts, or a topic ARN
// where a subscription ARN belongs.
func parseSubscriptionARN(s string) (topicRef, *cairn.Error) {
	parts := strings.Split(s, ":")
	switch {
	case len(parts) < 6 || !strings.HasPrefix(s, "arn:"):
		return topicRef{}, invalid("SubscriptionArn Reason: An ARN must have at least 6 elements, not %d", len(parts))
	case len(parts) == 6:
		return topicRef{}, invalid("SubscriptionId")
	case len(parts) > 7 || len(parts[6]) != subscriptionIDLength:
		return topicRef{}, invalid("SubscriptionArn")
	}
	t, ok := parseTopicARN(strings.Join(parts[:6], ":"))
	if !ok {
		return topicRef{}, invalid("SubscriptionArn")
	}
	return t, nil
}
