package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/cairnhq/cairn"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// validate-logs checks a trail's digests and log files as `aws cloudtrail
// validate-logs` does (spec §5.4, §5.6), against any S3-compatible
// endpoint, with the usual AWS environment and profile, the log files in
// parallel; it also checks what the AWS CLI skips: each digest's
// previousDigestHashValue and previousDigestSignature against the
// previous digest itself.

type validateOptions struct {
	trailARN, bucket, prefix, region, output string
	start, end                               string
	// accountID picks the account whose files are validated: a member
	// account of an organization trail (default: the trail's account).
	accountID string
	verbose   bool
	workers   int
}

// validateEnv is what validate-logs takes from its surroundings, so that
// a test can set each part.
type validateEnv struct {
	awsConfig func(context.Context) (aws.Config, error)
	// isTerminal decides whether a progress bar is drawn on stderr: only
	// for a person watching, never into a CI log or a pipe.
	isTerminal func(io.Writer) bool
	clock      cairn.Clock
}

func defaultValidateEnv() validateEnv {
	return validateEnv{
		awsConfig: func(ctx context.Context) (aws.Config, error) {
			return config.LoadDefaultConfig(ctx)
		},
		isTerminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
		clock: cairn.SystemClock{},
	}
}

func validateLogsCommand() *cobra.Command { return newValidateLogsCommand(defaultValidateEnv()) }

func newValidateLogsCommand(env validateEnv) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate-logs",
		Short: "Validate a trail's digest and log files (as aws cloudtrail validate-logs, in parallel)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if o.output != "text" && o.output != "json" {
				return fmt.Errorf("--output: %q is neither text nor json", o.output)
			}
			start, err := time.Parse(time.RFC3339, o.start)
			if err != nil {
				return fmt.Errorf("--start-time: %w", err)
			}
			end := env.clock.Now().UTC()
			if o.end != "" {
				if end, err = time.Parse(time.RFC3339, o.end); err != nil {
					return fmt.Errorf("--end-time: %w", err)
				}
			}
			if start.After(end) {
				return errors.New("invalid time range specified: start-time must occur before end-time")
			}
			cfg, err := env.awsConfig(ctx)
			if err != nil {
				return fmt.Errorf("AWS configuration: %w", err)
			}
			var prog progress = noProgress{}
			if o.output == "text" && env.isTerminal(cmd.ErrOrStderr()) {
				prog = &barProgress{w: cmd.ErrOrStderr()}
			}
			rep, err := validateTrailLogs(ctx, cfg, o, start.UTC(), end.UTC(), env.clock, prog)
			if err != nil {
				return err
			}
			if err := rep.print(cmd.OutOrStdout(), cmd.ErrOrStderr(), o); err != nil {
				return err
			}
			if rep.Invalid > 0 {
				return errValidationFailed
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.trailARN, "trail-arn", "", "ARN of the trail (required)")
	f.StringVar(&o.start, "start-time", "", "validate from this time, RFC 3339 (required)")
	f.StringVar(&o.end, "end-time", "", "validate up to this time, RFC 3339 (default: now)")
	f.StringVar(&o.bucket, "s3-bucket", "", "bucket of the digests (default: the trail's)")
	f.StringVar(&o.prefix, "s3-prefix", "", "key prefix of the digests (default: the trail's)")
	f.StringVar(&o.region, "region", "", "source region of the logs (default: the trail's home region)")
	f.StringVar(&o.accountID, "account-id", "", "account whose files to validate: a member account of an organization trail (default: the trail's account)")
	f.StringVar(&o.output, "output", "text", "text or json")
	f.BoolVar(&o.verbose, "verbose", false, "list every valid file too")
	f.IntVar(&o.workers, "workers", 16, "log files checked in parallel")
	_ = cmd.MarkFlagRequired("trail-arn")
	_ = cmd.MarkFlagRequired("start-time")
	return cmd
}

var errValidationFailed = errors.New("some digest or log files are INVALID")
