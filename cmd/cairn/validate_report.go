package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// validate-logs: the report, as the AWS CLI prints it or as JSON.

// fileResult is one checked file.
type fileResult struct {
	Kind   string `json:"kind"` // digest or log
	URI    string `json:"uri"`
	Valid  bool   `json:"valid"`
	Reason string `json:"reason,omitempty"`
}

type validationReport struct {
	TrailARN       string       `json:"trailArn"`
	Account        string       `json:"account"`
	OrganizationID string       `json:"organizationId,omitempty"`
	Start          time.Time    `json:"start"`
	End            time.Time    `json:"end"`
	Digests        []fileResult `json:"digests"`
	Logs           []fileResult `json:"logs"`
	Invalid        int          `json:"invalid"`
	Duration       string       `json:"duration"`
}

func (r *validationReport) print(stdout, stderr io.Writer, o *validateOptions) error {
	if o.output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(stdout, "Validating log files for trail %s between %s and %s\n\n", r.TrailARN,
		r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339))
	count := func(rs []fileResult) (valid int) {
		for _, f := range rs {
			if f.Valid {
				valid++
			}
		}
		return valid
	}
	for _, f := range append(append([]fileResult(nil), r.Digests...), r.Logs...) {
		kind := "Digest file"
		if f.Kind == "log" {
			kind = "Log file"
		}
		if !f.Valid {
			fmt.Fprintf(stderr, "%s\t%s\tINVALID: %s\n", kind, f.URI, f.Reason)
		} else if o.verbose {
			fmt.Fprintf(stdout, "%s\t%s\tvalid\n", kind, f.URI)
		}
	}
	dv, lv := count(r.Digests), count(r.Logs)
	fmt.Fprintf(stdout, "\n%d/%d digest files valid", dv, len(r.Digests))
	if dv < len(r.Digests) {
		fmt.Fprintf(stdout, ", %d/%d digest files INVALID", len(r.Digests)-dv, len(r.Digests))
	}
	fmt.Fprintf(stdout, "\n%d/%d log files valid", lv, len(r.Logs))
	if lv < len(r.Logs) {
		fmt.Fprintf(stdout, ", %d/%d log files INVALID", len(r.Logs)-lv, len(r.Logs))
	}
	fmt.Fprintf(stdout, "\n(%s)\n", r.Duration)
	return nil
}
