package sigv4

import "testing"

func TestEcho(t *testing.T) {
	sig := "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	for in, want := range map[string]string{
		"":                         "",
		"plain":                    "plain",
		"Signature=" + sig:         "Signature=<redacted>",
		sig + "," + sig:            "<redacted>,<redacted>",
		"x" + sig[:31] + "y":       "x" + sig[:31] + "y",
		"AKIAIOSFODNN7EXAMPLE/abc": "AKIAIOSFODNN7EXAMPLE/abc",
	} {
		if got := echo(in); got != want {
			t.Errorf("echo(%q) = %q, want %q", in, got, want)
		}
	}
	long := string(make([]byte, 1000))
	if got := echo(long); len(got) != maxEcho+3 {
		t.Errorf("echo of 1000 bytes has %d", len(got))
	}
	if Kind(200).String() != "Kind(200)" || KindBadChunk.String() != "BadChunk" {
		t.Error("Kind.String")
	}
}
