package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/s3"
)

// orphanBlobAge is how old an unreferenced blob must be before the sweep
// deletes it: far longer than any write takes between storing a blob and
// committing the record that points at it.
const orphanBlobAge = time.Hour

// sweepBlobs deletes blobs left unreferenced by a crash, at once and then
// hourly, until ctx is done.
func sweepBlobs(ctx context.Context, svc *s3.Service, clock cairn.Clock, log *slog.Logger) {
	hourly(ctx, func() {
		n, err := svc.SweepOrphanBlobs(ctx, clock.Now().Add(-orphanBlobAge))
		if err != nil && ctx.Err() == nil {
			log.Error("sweep orphan blobs", "error", err, "deleted", n)
		} else if n > 0 {
			log.Info("deleted orphan blobs", "count", n)
		}
	})
}
