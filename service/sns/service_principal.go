package sns

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn"
)

// What AWS services (CloudTrail's log file notifications) do to topics:
// Publish, authorized by the same Authorizer with the topic's policy, as
// the service principal with aws:SourceArn and aws:SourceAccount set. A
// topic policy that does not allow it stops it, as on AWS, where
// CloudTrail needs a statement naming cloudtrail.amazonaws.com (the
// default policy's AWS:SourceOwner condition does not hold for it).

// ServicePrincipal is an AWS service acting for a resource of an account
// (aws:SourceArn, aws:SourceAccount).
type ServicePrincipal struct {
	Service       string // e.g. cloudtrail.amazonaws.com
	SourceARN     string // e.g. the trail ARN
	SourceAccount string
}

// servicePrincipalCall is the Call of a service principal's Publish.
func (s *Service) servicePrincipalCall(p ServicePrincipal, region string) *cairn.Call {
	return &cairn.Call{
		RequestID: s.cfg.IDs.UUID(), Time: s.cfg.Clock.Now().UTC(), Region: region, Service: "sns", Operation: "Publish",
		Principal: cairn.Principal{Type: cairn.PrincipalAWSService, Service: p.Service},
		SourceARN: p.SourceARN, SourceAccount: p.SourceAccount,
		SourceIP: p.Service, UserAgent: p.Service, SecureTransport: true, AuthType: cairn.AuthHeader,
	}
}

// resolveTopic turns a topic name (in region and account) or ARN into the
// topic's reference.
func resolveTopic(topic, region, account string) (topicRef, error) {
	if ref, ok := parseTopicARN(topic); ok {
		return ref, nil
	}
	if !validTopicName(topic) {
		return topicRef{}, fmt.Errorf("%w: %q is not a topic name or ARN", ErrNotFound, topic)
	}
	return topicRef{ARN: topicARNOf(region, account, topic), Region: region, Account: account, Name: topic}, nil
}

// authorizePublish asks the Authorizer whether p may publish to ref.
func (s *Service) authorizePublish(ctx context.Context, c *cairn.Call, in *PublishInput) error {
	if s.cfg.Authorizer == nil {
		return nil
	}
	return s.cfg.Authorizer.Authorize(ctx, c, s.desc.Op("Publish"), in)
}

// CheckPublish resolves topic (a name in region and account, or an ARN)
// to its ARN and returns nil when the topic exists and its policy lets p
// publish (sns:Publish with aws:SourceArn and aws:SourceAccount). It
// returns an error wrapping ErrNotFound when the topic does not exist and
// ErrAccessDenied when the policy does not allow; any other error is an
// internal failure. CloudTrail asks it before it accepts a trail's
// SnsTopicName.
func (s *Service) CheckPublish(ctx context.Context, topic, region, account string, p ServicePrincipal) (string, error) {
	ref, err := resolveTopic(topic, region, account)
	if err != nil {
		return "", err
	}
	t, err := s.topic(ctx, ref.ARN)
	if err != nil {
		return "", err
	}
	if t == nil {
		return "", fmt.Errorf("%w: %s", ErrNotFound, ref.ARN)
	}
	c := s.servicePrincipalCall(p, ref.Region)
	if err := s.authorizePublish(ctx, c, &PublishInput{TopicArn: &ref.ARN}); err != nil {
		return ref.ARN, denied(err)
	}
	return ref.ARN, nil
}

// PublishAs publishes a message to topicARN as p, authorized by the topic
// policy as CheckPublish is, and returns the message ID once a delivery
// for every confirmed subscriber is durably queued. The call is recorded
// through the Recorder (when set) as a Publish data event in the topic
// owner's account, userIdentity AWSService, whether it succeeded or not.
// Errors wrap ErrNotFound or ErrAccessDenied as CheckPublish's do; an
// invalid message is a *cairn.Error (InvalidParameter); any other error is
// an internal failure.
func (s *Service) PublishAs(ctx context.Context, topicARN string, p ServicePrincipal, subject, message string) (string, error) {
	ref, ok := parseTopicARN(topicARN)
	if !ok {
		return "", fmt.Errorf("%w: %q is not a topic ARN", ErrNotFound, topicARN)
	}
	c := s.servicePrincipalCall(p, ref.Region)
	in := &PublishInput{TopicArn: &ref.ARN, Message: message}
	if subject != "" {
		in.Subject = &subject
	}
	op := s.desc.Op("Publish")
	out, err := s.publishAs(ctx, c, in)
	if s.cfg.Recorder != nil {
		ev := &Event{Call: c, Service: s.desc, Op: op, Input: in, Err: cairn.AsError(err), Recipient: ref.Account}
		if err == nil {
			ev.Output = out
		} else if ev.Err == nil {
			ev.Err = cairn.InternalFailure()
		}
		if rerr := s.cfg.Recorder.RecordEvent(ctx, ev); rerr != nil {
			return "", errorf("record Publish as %s: %w", p.Service, rerr)
		}
	}
	if err != nil {
		switch e := cairn.AsError(err); {
		case e != nil && e.Code == "NotFound":
			return "", fmt.Errorf("%w: %s", ErrNotFound, ref.ARN)
		case e != nil && e.Code == "AccessDenied":
			return "", denied(err)
		}
		return "", err
	}
	return out.MessageId, nil
}

// publishAs authorizes and runs a service principal's Publish.
func (s *Service) publishAs(ctx context.Context, c *cairn.Call, in *PublishInput) (*PublishOutput, error) {
	if err := s.authorizePublish(ctx, c, in); err != nil {
		return nil, err
	}
	return s.Publish(ctx, c, in)
}

// denied turns an authorization failure into ErrAccessDenied.
func denied(err error) error {
	if e := cairn.AsError(err); e != nil && e.Code == "AccessDenied" {
		return fmt.Errorf("%w: %s", ErrAccessDenied, e.Message)
	}
	return err
}
