package s3_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The service knows no wire: it imports neither net/http, encoding/xml
// nor an adapter.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "net/http", dep == "encoding/xml",
			strings.HasPrefix(dep, "github.com/cairnhq/cairn/") && (strings.HasSuffix(dep, "/restxml") || strings.HasSuffix(dep, "/server") ||
				strings.HasSuffix(dep, "/awsjson") || strings.HasSuffix(dep, "/awsquery") || strings.HasSuffix(dep, "/sigv4")):
			t.Errorf("service/s3 depends on %s", dep)
		}
	}
}
