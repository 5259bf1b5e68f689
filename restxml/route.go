package restxml

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/cairnhq/cairn"
)

// target is what a request's host and path address: a bucket and an
// object key, either possibly empty.
type target struct {
	bucket string
	key    string
	level  level
	// virtual is true when the bucket came from the host name.
	virtual bool
}

// resource is the path S3 names in an error's <Resource>: /bucket/key.
func (t target) resource() string {
	switch t.level {
	case levelBucket:
		return "/" + t.bucket
	case levelObject:
		return "/" + t.bucket + "/" + t.key
	}
	return "/"
}

// hostBucket returns the bucket a virtual-hosted-style host names: the
// labels before ".localhost", before ".s3." (bucket.s3.us-east-1.amazonaws.com,
// bucket.s3.example.org) or before one of the configured domains. A host
// that is an IP address, or that is exactly one of those domains, names
// none (path style).
func (p *Protocol) hostBucket(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || net.ParseIP(strings.Trim(host, "[]")) != nil {
		return ""
	}
	for _, d := range p.svc.Domains {
		d = strings.ToLower(strings.TrimSuffix(d, "."))
		if b, ok := strings.CutSuffix(host, "."+d); ok && d != "" {
			return b
		}
	}
	if b, ok := strings.CutSuffix(host, ".localhost"); ok {
		return b
	}
	if i := strings.Index(host, ".s3."); i > 0 {
		return host[:i]
	}
	return ""
}

// locate splits the request into bucket and key. The path is taken decoded
// once (r.URL.Path): S3 keys are the path as sent, percent-decoded, with
// every slash kept (a//b and a/./b are keys of their own).
func (p *Protocol) locate(r *http.Request) target {
	path := r.URL.Path
	if b := p.hostBucket(r.Host); b != "" {
		t := target{bucket: b, level: levelBucket, virtual: true}
		if k := strings.TrimPrefix(path, "/"); k != "" {
			t.key, t.level = k, levelObject
		}
		return t
	}
	rest := strings.TrimPrefix(path, "/")
	if rest == "" {
		return target{level: levelRoot}
	}
	bucket, key, hasSlash := strings.Cut(rest, "/")
	if !hasSlash || key == "" {
		return target{bucket: bucket, level: levelBucket}
	}
	return target{bucket: bucket, key: key, level: levelObject}
}

// identify chooses the operation a request names: the routes with the
// request's method and level whose literal query parameters (?acl,
// ?list-type=2) are all present; among those the ones with the most such
// parameters (GET /b?acl is GetBucketAcl, not ListObjects), served
// operations before unserved ones, and then the operation whose required
// header and query members are all present, the most of them winning
// (PUT with partNumber, uploadId and x-amz-copy-source is UploadPartCopy).
func (p *Protocol) identify(r *http.Request, t target, q url.Values) (string, error) {
	best, bestLiteral, bestServed, bestScore := "", -1, false, -1
	for _, rt := range p.routes {
		if rt.method != r.Method || rt.level != t.level {
			continue
		}
		literal := 0
		for _, qp := range rt.query {
			vs, ok := q[qp.key]
			if !ok || qp.value != "" && (len(vs) == 0 || vs[0] != qp.value) {
				literal = -1
				break
			}
			literal++
		}
		if literal < 0 {
			continue
		}
		op := p.model.Operations[rt.name]
		served := op != nil
		score := 0
		if served {
			score = p.requiredPresent(op, r, q)
			if score < 0 {
				continue
			}
		}
		better := literal > bestLiteral ||
			literal == bestLiteral && served && !bestServed ||
			literal == bestLiteral && served == bestServed && score > bestScore
		if better {
			best, bestLiteral, bestServed, bestScore = rt.name, literal, served, score
		}
	}
	if best == "" {
		return "", methodNotAllowed()
	}
	return best, nil
}

// requiredPresent counts the required header and query members of op's
// input that the request carries; -1 when one is missing.
func (p *Protocol) requiredPresent(op *modelOp, r *http.Request, q url.Values) int {
	if op.Input == "" {
		return 0
	}
	in := p.model.Shapes[op.Input]
	n := 0
	for _, name := range in.Required {
		m := in.Members[name]
		if m == nil {
			continue
		}
		switch m.Location {
		case "header":
			if _, ok := r.Header[http.CanonicalHeaderKey(m.wireName(name))]; !ok {
				return -1
			}
			n++
		case "querystring":
			if _, ok := q[m.wireName(name)]; !ok {
				return -1
			}
			n++
		}
	}
	return n
}

func methodNotAllowed() *cairn.Error {
	return &cairn.Error{Code: "MethodNotAllowed", Status: http.StatusMethodNotAllowed,
		Message: "The specified method is not allowed against this resource."}
}
