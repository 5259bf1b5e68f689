//go:build !linux

package sealstream_test

func maxRSS() float64 { return 0 }
