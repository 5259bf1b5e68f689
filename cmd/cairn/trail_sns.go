package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/cloudtrail"
	"github.com/cairnhq/cairn/service/sns"
)

// CloudTrail and SNS: CreateTrail's topic check and the notifications of
// delivered log files, both as cloudtrail.amazonaws.com with
// aws:SourceArn = the trail and aws:SourceAccount = its account, decided
// by the topic policy through the same engine as every call.

func trailPrincipal(trailARN, account string) sns.ServicePrincipal {
	return sns.ServicePrincipal{Service: "cloudtrail.amazonaws.com", SourceARN: trailARN, SourceAccount: account}
}

// CheckTopic is cloudtrail.TopicChecker.
func (d *destinations) CheckTopic(ctx context.Context, topic, region, trailARN, account string) (string, error) {
	if d.sns == nil {
		return "", fmt.Errorf("%w: SNS is not served", cloudtrail.ErrTopicNotFound)
	}
	arn, err := d.sns.CheckPublish(ctx, topic, region, account, trailPrincipal(trailARN, account))
	switch {
	case errors.Is(err, sns.ErrNotFound):
		return "", fmt.Errorf("%w: %w", cloudtrail.ErrTopicNotFound, err)
	case errors.Is(err, sns.ErrAccessDenied):
		return "", fmt.Errorf("%w: %w", cloudtrail.ErrTopicPolicy, err)
	}
	return arn, err
}

// trailNotifier publishes CloudTrail's notifications (cloudtrail.Notifier).
type trailNotifier struct {
	sns     *sns.Service
	metrics *metrics
}

func (n trailNotifier) Notify(ctx context.Context, t cloudtrail.Trail, message string) error {
	_, err := n.sns.PublishAs(ctx, t.SnsTopicARN, trailPrincipal(t.ARN, t.Account), "", message)
	n.metrics.notifies.WithLabelValues(outcome(err)).Inc()
	switch {
	case errors.Is(err, sns.ErrNotFound):
		return cairn.Errorf(404, "NotFound", "Topic does not exist")
	case errors.Is(err, sns.ErrAccessDenied):
		return cairn.Errorf(403, "AuthorizationError", "CloudTrail is not authorized to publish to %s", t.SnsTopicARN)
	case err != nil:
		n.metrics.internal.WithLabelValues("trail_notification").Inc()
		return fmt.Errorf("publish to %s: %w", t.SnsTopicARN, err)
	}
	return nil
}
