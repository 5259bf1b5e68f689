//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package diskblob

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFolder takes an exclusive flock on path. The kernel releases it when
// the file is closed or the process dies, so a crash never leaves the folder
// locked.
func lockFolder(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("folder is in use by another store")
		}
		return nil, fmt.Errorf("lock: %w", err)
	}
	return f, nil
}
