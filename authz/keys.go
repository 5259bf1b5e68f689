package authz

import (
	"strconv"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

// fillGlobalKeys sets the global condition keys AWS fills for every request.
func fillGlobalKeys(r *policy.Request, c *cairn.Call, orgID string) {
	p := &c.Principal
	r.Set("aws:CurrentTime", c.Time.UTC().Format(time.RFC3339))
	r.Set("aws:EpochTime", strconv.FormatInt(c.Time.Unix(), 10))
	r.Set("aws:SecureTransport", strconv.FormatBool(c.SecureTransport))
	if c.SourceIP != "" && p.Type != cairn.PrincipalAWSService {
		r.Set("aws:SourceIp", c.SourceIP)
	}
	if c.UserAgent != "" {
		r.Set("aws:UserAgent", c.UserAgent)
	}
	if c.Region != "" {
		r.Set("aws:RequestedRegion", c.Region)
	}
	if len(c.CalledVia) > 0 {
		r.Set("aws:CalledVia", c.CalledVia...)
		r.Set("aws:CalledViaFirst", c.CalledVia[0])
		r.Set("aws:CalledViaLast", c.CalledVia[len(c.CalledVia)-1])
		r.Set("aws:ViaAWSService", "true")
	} else {
		r.Set("aws:ViaAWSService", "false")
	}
	switch p.Type {
	case cairn.PrincipalAWSService:
		r.Set("aws:PrincipalIsAWSService", "true")
		r.Set("aws:PrincipalServiceName", p.Service)
		if c.SourceARN != "" {
			r.Set("aws:SourceArn", c.SourceARN)
		}
		if c.SourceAccount != "" {
			r.Set("aws:SourceAccount", c.SourceAccount)
		}
		return
	case cairn.PrincipalAnonymous:
		r.Set("aws:PrincipalIsAWSService", "false")
		return
	}
	r.Set("aws:PrincipalIsAWSService", "false")
	r.Set("aws:PrincipalAccount", p.AccountID)
	r.Set("aws:userid", p.ID)
	principalARN := p.ARN
	switch p.Type {
	case cairn.PrincipalRoot:
		r.Set("aws:PrincipalType", "Account")
	case cairn.PrincipalIAMUser:
		r.Set("aws:PrincipalType", "User")
		r.Set("aws:username", p.UserName)
	case cairn.PrincipalAssumedRole:
		r.Set("aws:PrincipalType", "AssumedRole")
		if p.Session != nil {
			// aws:PrincipalArn of a role session is the role's ARN.
			principalARN = p.Session.Issuer.ARN
		}
	}
	r.Set("aws:PrincipalArn", principalARN)
	if orgID != "" {
		r.Set("aws:PrincipalOrgID", orgID)
	}
	for k, v := range p.Tags {
		r.Set("aws:PrincipalTag/"+k, v)
	}
	if s := p.Session; s != nil {
		r.Set("aws:TokenIssueTime", s.CreatedAt.UTC().Format(time.RFC3339))
		r.Set("aws:MultiFactorAuthPresent", strconv.FormatBool(s.MFA))
		if s.SourceIdentity != "" {
			r.Set("aws:SourceIdentity", s.SourceIdentity)
		}
	}
}
