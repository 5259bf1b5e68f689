package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/authz"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/logs"
	"github.com/cairnhq/cairn/service/sts"
)

// CloudTrail and CloudWatch Logs, as AWS does it: CloudTrail assumes the
// trail's CloudWatchLogsRoleArn as cloudtrail.amazonaws.com (the role's
// trust policy decides, with aws:SourceArn = the trail) and writes as that
// role session (the role's permissions decide logs:CreateLogStream and
// logs:PutLogEvents on the trail's stream), through the same authorizer
// as every call.

// trailLogs checks log groups at CreateTrail and writes trails' events.
type trailLogs struct {
	logs    *logs.Service
	sts     *sts.Service
	authz   *authz.Authorizer
	clock   cairn.Clock
	ids     cairn.IDs
	metrics *metrics
	// streams are the streams known to exist ("<group ARN>|<stream>"), so
	// that a pass does not write EnsureStream's check every time; a
	// stream deleted since is found missing by Append and forgotten.
	streams *sync.Map
}

// trailSession is the role session CloudTrail writes with.
const trailSession = "CloudTrail_CloudWatchLogs"

// logGroupARN is a log group named as CloudTrail takes it:
// arn:aws:logs:<region>:<account>:log-group:<name>:*.
type logGroupARN struct{ region, account, name string }

func parseLogGroupARN(arn string) (logGroupARN, bool) {
	rest, ok := strings.CutSuffix(arn, ":*")
	if !ok {
		return logGroupARN{}, false
	}
	parts := strings.SplitN(rest, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" {
		return logGroupARN{}, false
	}
	return logGroupARN{region: parts[3], account: parts[4], name: parts[6]}, true
}

// serviceCall is a call CloudTrail makes itself.
func (w trailLogs) serviceCall(p cairn.Principal, service, op, region, trailARN, account string) *cairn.Call {
	return &cairn.Call{
		RequestID: w.ids.UUID(), Time: w.clock.Now().UTC(), Region: region, Service: service, Operation: op,
		Principal: p, SourceARN: trailARN, SourceAccount: account,
		SourceIP: "cloudtrail.amazonaws.com", UserAgent: "cloudtrail.amazonaws.com", SecureTransport: true,
		AuthType: cairn.AuthHeader,
	}
}

// session assumes roleARN as cloudtrail.amazonaws.com for trailARN; an
// error wrapping cloudtrail.ErrLogRoleTrust when the role is missing or
// its trust policy does not allow it.
func (w trailLogs) session(ctx context.Context, roleARN, trailARN, account, region string) (cairn.Principal, error) {
	svc := cairn.Principal{Type: cairn.PrincipalAWSService, Service: "cloudtrail.amazonaws.com"}
	c := w.serviceCall(svc, "sts", "AssumeRole", region, trailARN, account)
	in := &sts.AssumeRoleInput{RoleArn: roleARN, RoleSessionName: trailSession}
	err := w.authz.Authorize(ctx, c, w.sts.Descriptor().Op("AssumeRole"), in)
	if e := cairn.AsError(err); e != nil {
		return cairn.Principal{}, fmt.Errorf("%w: %s", cloudtrail.ErrLogRoleTrust, e.Message)
	}
	if err != nil {
		return cairn.Principal{}, fmt.Errorf("authorize AssumeRole of %s: %w", roleARN, err)
	}
	p, err := w.sts.ServiceSession(ctx, roleARN, trailSession, c.Time)
	if errors.Is(err, cairn.ErrNotFound) {
		return cairn.Principal{}, fmt.Errorf("%w: %w", cloudtrail.ErrLogRoleTrust, err)
	}
	return p, err
}

// authorizeWrite decides, as the role session p, the two calls CloudTrail
// makes on the group; an error wrapping cloudtrail.ErrLogRole when either
// is denied.
func (w trailLogs) authorizeWrite(ctx context.Context, p cairn.Principal, g logGroupARN, stream, trailARN string) error {
	desc := w.logs.Descriptor()
	for _, call := range []struct {
		op string
		in any
	}{
		{"CreateLogStream", &logs.CreateLogStreamInput{LogGroupName: g.name, LogStreamName: stream}},
		{"PutLogEvents", &logs.PutLogEventsInput{LogGroupName: g.name, LogStreamName: stream}},
	} {
		c := w.serviceCall(p, "logs", call.op, g.region, trailARN, g.account)
		err := w.authz.Authorize(ctx, c, desc.Op(call.op), call.in)
		if e := cairn.AsError(err); e != nil {
			return fmt.Errorf("%w: %s", cloudtrail.ErrLogRole, e.Message)
		}
		if err != nil {
			return fmt.Errorf("authorize %s: %w", call.op, err)
		}
	}
	return nil
}

// checkGroup is CreateTrail's check of a log group and role.
func (w trailLogs) checkGroup(ctx context.Context, groupARN, roleARN, trailARN, account string) error {
	g, ok := parseLogGroupARN(groupARN)
	if !ok || g.account != account {
		return fmt.Errorf("%w: %s", cloudtrail.ErrLogGroupNotFound, groupARN)
	}
	if err := w.logs.LogGroupExists(ctx, g.account, g.region, g.name); err != nil {
		if errors.Is(err, cairn.ErrNotFound) {
			return fmt.Errorf("%w: %w", cloudtrail.ErrLogGroupNotFound, err)
		}
		return err
	}
	p, err := w.session(ctx, roleARN, trailARN, account, g.region)
	if err != nil {
		return err
	}
	return w.authorizeWrite(ctx, p, g, account+"_CloudTrail_"+g.region, trailARN)
}

// WriteLogEvents is cloudtrail.LogsWriter.
func (w trailLogs) WriteLogEvents(ctx context.Context, t cloudtrail.Trail, stream string, events []cloudtrail.LogEvent) error {
	err := w.write(ctx, t, stream, events)
	w.metrics.logWrites.WithLabelValues(outcome(err)).Add(float64(len(events)))
	if err != nil && cairn.AsError(err) == nil {
		w.metrics.internal.WithLabelValues("trail_cloudwatch_logs").Inc()
	}
	return err
}

func (w trailLogs) write(ctx context.Context, t cloudtrail.Trail, stream string, events []cloudtrail.LogEvent) error {
	g, ok := parseLogGroupARN(t.CloudWatchLogsLogGroupArn)
	if !ok {
		return cairn.Errorf(400, "InvalidParameterException", "The log group ARN %s is not valid.", t.CloudWatchLogsLogGroupArn)
	}
	p, err := w.session(ctx, t.CloudWatchLogsRoleArn, t.ARN, t.Account, g.region)
	if errors.Is(err, cloudtrail.ErrLogRoleTrust) {
		return cairn.Errorf(403, "AccessDenied", "CloudTrail cannot assume %s", t.CloudWatchLogsRoleArn)
	}
	if err != nil {
		return err
	}
	if err := w.authorizeWrite(ctx, p, g, stream, t.ARN); errors.Is(err, cloudtrail.ErrLogRole) {
		return cairn.Errorf(400, "AccessDeniedException", "%s may not write to %s", p.ARN, t.CloudWatchLogsLogGroupArn)
	} else if err != nil {
		return err
	}
	known := t.CloudWatchLogsLogGroupArn + "|" + stream
	if _, ok := w.streams.Load(known); !ok {
		if err := w.logs.EnsureStream(ctx, g.account, g.region, g.name, stream); err != nil {
			return groupError(err)
		}
		w.streams.Store(known, true)
	}
	in := make([]logs.InputEvent, len(events))
	for i, e := range events {
		in[i] = logs.InputEvent{Timestamp: e.Time.UnixMilli(), Message: e.Message}
	}
	err = w.logs.Append(ctx, g.account, g.region, g.name, stream, in)
	if errors.Is(err, cairn.ErrNotFound) {
		w.streams.Delete(known) // created again on the next pass
	}
	return groupError(err)
}

// groupError shows a missing group by CloudWatch Logs' code.
func groupError(err error) error {
	if errors.Is(err, cairn.ErrNotFound) {
		return cairn.Errorf(400, "ResourceNotFoundException", "The specified log group does not exist.")
	}
	return err
}

// CheckLogGroup is cloudtrail.LogGroupChecker.
func (d *destinations) CheckLogGroup(ctx context.Context, groupARN, roleARN, trailARN, account string) error {
	if d.logs == nil {
		return fmt.Errorf("%w: CloudWatch Logs is not served", cloudtrail.ErrLogGroupNotFound)
	}
	return d.logs.checkGroup(ctx, groupARN, roleARN, trailARN, account)
}
