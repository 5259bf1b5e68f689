package main

import (
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// validate-logs: how far it has got, for a person at a terminal.

// progress is told of each stage (the digests, then the log files) and of
// each file checked in it. add may be called from several goroutines.
type progress interface {
	start(stage string, total int)
	add(n int)
	done()
}

// noProgress shows nothing: stderr is not a terminal, or the output is
// JSON for a machine.
type noProgress struct{}

func (noProgress) start(string, int) {}
func (noProgress) add(int)           {}
func (noProgress) done()             {}

// barProgress draws one bar per stage on w, cleared when the stage ends so
// that the result lines that follow stand alone.
type barProgress struct {
	w   io.Writer
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

func (p *barProgress) start(stage string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar = nil
	if total <= 0 { // nothing to count; the library refuses a zero maximum
		return
	}
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(stage),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionThrottle(65*time.Millisecond), // the last step is always drawn
		progressbar.OptionClearOnFinish(),
	)
}

func (p *barProgress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Add(n) // a bar that cannot draw must not fail validation
	}
}

func (p *barProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
