//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package diskblob

import "os"

// lockFolder opens the lock file without locking it: on these systems the
// caller must make sure that one Store at a time uses a folder.
func lockFolder(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}
