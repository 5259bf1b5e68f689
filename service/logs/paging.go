package logs

import (
	"encoding/base64"
	"strings"
)

// Listing tokens name the last item of the previous page (a group, stream
// or filter name), base64url-encoded with a kind prefix: opaque to callers,
// stable under concurrent writes, and refused by a listing of another kind.

func encodeNameToken(kind, last string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + last))
	return &t
}

// decodeNameToken returns the name to resume after ("" without a token).
func decodeNameToken(tok *string, kind string) (string, error) {
	if tok == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*tok)
	if err != nil || !strings.HasPrefix(string(b), kind+":") || len(b) == len(kind)+1 {
		return "", invalidToken()
	}
	return string(b[len(kind)+1:]), nil
}
