package audit

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/store"
)

// Entry is everything known about a finished call that its event needs.
type Entry struct {
	Call    *cairn.Call
	Service *cairn.Service
	Op      *cairn.Operation // nil when the operation was unknown
	OpName  string           // the requested operation name, known or not
	Input   any              // decoded input; nil if decoding failed
	Output  any              // nil on error
	Err     *cairn.Error     // nil on success
	EventID string
	// Region the event is recorded in (GlobalRegion for global services).
	Region string
	// Recipient is the account the event is recorded in; defaults to the
	// caller's account.
	Recipient     string
	SharedEventID string
	TLS           *TLSDetails
	EventType     string // default AwsApiCall
	// InvokedBy names the AWS service that made the call on the caller's
	// behalf, if any.
	InvokedBy string
}

// Build renders e as a CloudTrail record and its indexed attributes.
func Build(e *Entry) (*store.Event, error) {
	c := e.Call
	rec := Record{
		EventVersion:       EventVersion,
		UserIdentity:       identityOf(&c.Principal, e.InvokedBy),
		EventTime:          c.Time.UTC().Format(time.RFC3339),
		EventSource:        e.Service.EventSource,
		EventName:          e.OpName,
		AWSRegion:          e.Region,
		SourceIPAddress:    c.SourceIP,
		UserAgent:          truncate(c.UserAgent, 1024),
		RequestParameters:  nullJSON,
		ResponseElements:   nullJSON,
		RequestID:          c.RequestID,
		EventID:            e.EventID,
		EventType:          e.EventType,
		APIVersion:         e.Service.APIVersion,
		ManagementEvent:    true,
		RecipientAccountID: e.Recipient,
		SharedEventID:      e.SharedEventID,
		EventCategory:      "Management",
		TLSDetails:         e.TLS,
	}
	if rec.EventType == "" {
		rec.EventType = "AwsApiCall"
	}
	if rec.RecipientAccountID == "" {
		rec.RecipientAccountID = c.Principal.AccountID
	} else if c.Principal.Type == cairn.PrincipalAnonymous {
		// Anonymous calls are recorded in the resource owner's account,
		// naming the caller as AWS does.
		rec.UserIdentity = Identity{Type: "AWSAccount", AccountID: "ANONYMOUS_PRINCIPAL"}
	} else if rec.RecipientAccountID != c.Principal.AccountID && c.Principal.Type != cairn.PrincipalAWSService {
		// The other account's copy names only the calling account.
		rec.UserIdentity = Identity{Type: "AWSAccount", PrincipalID: c.Principal.ID, AccountID: c.Principal.AccountID}
	}
	if e.InvokedBy != "" {
		rec.SourceIPAddress = e.InvokedBy
		rec.UserAgent = e.InvokedBy
	}
	var resources []store.EventResource
	if op := e.Op; op != nil {
		rec.ReadOnly = op.ReadOnly
		if op.Data {
			rec.ManagementEvent = false
			rec.EventCategory = "Data"
		}
		if e.Input != nil {
			if op.Parameters != nil {
				rec.RequestParameters = paramsJSON(op.Parameters(c, e.Input))
			} else {
				rec.RequestParameters = Params(e.Input, op.Request)
			}
			if op.Resources != nil {
				for _, r := range op.Resources(c, e.Input) {
					if r.Type == "" {
						continue
					}
					acct := ""
					if a, err := cairn.ParseARN(r.ARN); err == nil {
						acct = a.Account
					}
					if acct == "" {
						acct = r.Account
					}
					rec.Resources = append(rec.Resources, Resource{ARN: r.ARN, AccountID: acct, Type: r.Type})
					name := r.Name
					if name == "" {
						name = r.ARN
					}
					resources = append(resources, store.EventResource{Type: r.Type, Name: name})
				}
			}
		}
		// Read-only calls record no response unless their row allow-lists
		// members, as STS's do (AssumeRole is read-only with credentials
		// metadata in responseElements).
		if e.Output != nil {
			if op.Elements != nil {
				rec.ResponseElements = paramsJSON(op.Elements(c, e.Output))
			} else {
				rec.ResponseElements = Params(e.Output, op.Response)
			}
		}
	}
	if e.Err != nil {
		rec.ErrorCode = truncate(e.Err.Code, 1024)
		rec.ErrorMessage = truncate(e.Err.Message, 1024)
	}
	body, err := json.Marshal(&rec)
	if err != nil {
		return nil, fmt.Errorf("marshal record: %w", err)
	}
	return &store.Event{
		Account:     rec.RecipientAccountID,
		Region:      e.Region,
		ID:          e.EventID,
		Time:        c.Time.UTC().Truncate(time.Second),
		Name:        e.OpName,
		Source:      e.Service.EventSource,
		ReadOnly:    rec.ReadOnly,
		Management:  rec.ManagementEvent,
		Username:    usernameOf(&c.Principal),
		AccessKeyID: c.Principal.AccessKeyID,
		Resources:   resources,
		Record:      body,
	}, nil
}

func identityOf(p *cairn.Principal, invokedBy string) Identity {
	id := Identity{
		Type:        string(p.Type),
		PrincipalID: p.ID,
		ARN:         p.ARN,
		AccountID:   p.AccountID,
		AccessKeyID: p.AccessKeyID,
		InvokedBy:   invokedBy,
	}
	switch p.Type {
	case cairn.PrincipalIAMUser:
		id.UserName = p.UserName
	case cairn.PrincipalAWSService:
		id = Identity{Type: string(p.Type), InvokedBy: p.Service}
	}
	if s := p.Session; s != nil {
		sc := &SessionContext{
			Attributes: SessionAttributes{
				CreationDate:     s.CreatedAt.UTC().Format(time.RFC3339),
				MFAAuthenticated: fmt.Sprint(s.MFA),
			},
			SourceIdentity: s.SourceIdentity,
		}
		if p.Type == cairn.PrincipalAssumedRole {
			sc.SessionIssuer = &SessionIssuer{
				Type: string(s.Issuer.Type), PrincipalID: s.Issuer.ID, ARN: s.Issuer.ARN,
				AccountID: s.Issuer.AccountID, UserName: s.Issuer.UserName,
			}
			sc.WebIDFederationData = map[string]any{}
		}
		id.SessionContext = sc
	}
	return id
}

// usernameOf is the value LookupEvents' Username attribute matches: the
// user name, the role session name, or "root".
func usernameOf(p *cairn.Principal) string {
	switch p.Type {
	case cairn.PrincipalRoot:
		return "root"
	case cairn.PrincipalIAMUser:
		return p.UserName
	case cairn.PrincipalAssumedRole:
		if p.Session != nil {
			return p.Session.Name
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
