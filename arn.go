package cairn

import (
	"fmt"
	"strings"
)

// ARN is a parsed Amazon Resource Name:
// arn:partition:service:region:account-id:resource.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// ParseARN splits s into its six parts. The resource part may itself contain
// colons. It returns an error when s does not have the arn: prefix or has fewer
// than six parts.
func ParseARN(s string) (ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		return ARN{}, fmt.Errorf("parse arn %q: missing arn: prefix", s)
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 {
		return ARN{}, fmt.Errorf("parse arn %q: want 6 colon-separated parts", s)
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, nil
}

// String renders the ARN in its canonical form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Partition is the only partition Cairn serves.
const Partition = "aws"

// GlobalRegion is where events of global services (IAM, STS global
// endpoint, Organizations) are recorded, as AWS does.
const GlobalRegion = "us-east-1"
