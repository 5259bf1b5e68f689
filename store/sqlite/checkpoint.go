package sqlite

import (
	"time"
)

// checkpointInterval is how often the write-ahead log is folded back into
// the database file.
const checkpointInterval = 500 * time.Millisecond

// truncateFrames is the WAL size (in pages) past which a checkpoint also
// truncates the log file, so that it does not stay large after a burst.
const truncateFrames = 16384

// checkpointer runs WAL checkpoints off the commit path. With
// wal_autocheckpoint off, SQLite would otherwise never checkpoint; with it
// on, the commit that crosses the threshold pays for the checkpoint (and its
// fsyncs) while its callers wait. A PASSIVE checkpoint never blocks readers
// or the writer; a TRUNCATE one takes the writer lock briefly, so it runs
// only when the log has grown large.
func (s *Store) checkpointer(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			s.checkpoint("TRUNCATE")
			return
		case <-t.C:
			if frames := s.checkpoint("PASSIVE"); frames > truncateFrames {
				s.mu.Lock()
				s.checkpoint("TRUNCATE")
				s.mu.Unlock()
			}
		}
	}
}

// checkpoint runs one checkpoint on a reader connection and returns the
// number of frames in the log before it.
func (s *Store) checkpoint(mode string) int {
	var busy, logFrames, done int
	_ = s.read.QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &done)
	return logFrames
}
