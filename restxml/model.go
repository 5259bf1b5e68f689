package restxml

import (
	"encoding/json"
	"fmt"
	"strings"
)

// model is the part of a botocore service model the adapter binds: every
// operation's route, and the served operations with the shapes they reach
// (restxml/model/s3.py extracts it). It is read once, by New, and never
// changed afterwards.
type model struct {
	Source   string
	Metadata struct {
		APIVersion string `json:"apiVersion"`
	}
	Routes     [][3]string // name, method, requestUri of every operation
	Operations map[string]*modelOp
	Shapes     map[string]*shape
}

type modelOp struct {
	HTTP struct {
		Method       string `json:"method"`
		RequestURI   string `json:"requestUri"`
		ResponseCode int    `json:"responseCode"`
	} `json:"http"`
	Input  string `json:"input"`
	Output string `json:"output"`
}

// shape is a botocore shape.
type shape struct {
	Type            string             `json:"type"`
	Members         map[string]*member `json:"members"`
	Member          *member            `json:"member"`
	Key             *member            `json:"key"`
	Value           *member            `json:"value"`
	Required        []string           `json:"required"`
	Payload         string             `json:"payload"`
	Flattened       bool               `json:"flattened"`
	LocationName    string             `json:"locationName"`
	XMLNamespace    *namespace         `json:"xmlNamespace"`
	TimestampFormat string             `json:"timestampFormat"`
	Streaming       bool               `json:"streaming"`
}

// member is a reference to a shape from a structure, list or map.
type member struct {
	Shape           string     `json:"shape"`
	Location        string     `json:"location"` // "", header, headers, querystring, uri, statusCode
	LocationName    string     `json:"locationName"`
	XMLNamespace    *namespace `json:"xmlNamespace"`
	XMLAttribute    bool       `json:"xmlAttribute"`
	Flattened       bool       `json:"flattened"`
	TimestampFormat string     `json:"timestampFormat"`
	Streaming       bool       `json:"streaming"`
}

type namespace struct {
	Prefix string `json:"prefix"`
	URI    string `json:"uri"`
}

func parseModel(raw []byte) (*model, error) {
	var m model
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("restxml: model: %w", err)
	}
	for name, op := range m.Operations {
		for _, s := range []string{op.Input, op.Output} {
			if s != "" && m.Shapes[s] == nil {
				return nil, fmt.Errorf("restxml: model: %s refers to unknown shape %s", name, s)
			}
		}
	}
	for name, s := range m.Shapes {
		refs := []*member{s.Member, s.Key, s.Value}
		for _, mem := range s.Members {
			refs = append(refs, mem)
		}
		for _, r := range refs {
			if r != nil && m.Shapes[r.Shape] == nil {
				return nil, fmt.Errorf("restxml: model: shape %s refers to unknown shape %s", name, r.Shape)
			}
		}
	}
	return &m, nil
}

// wireName is the XML element (or header, or query parameter) name of a
// member: its locationName, else the member name.
func (m *member) wireName(name string) string {
	if m.LocationName != "" {
		return m.LocationName
	}
	return name
}

// flattened reports whether a list member is written without a wrapping
// element.
func (m *model) flattened(mem *member) bool {
	return mem.Flattened || m.Shapes[mem.Shape].Flattened
}

// timestampFormat is the format of a timestamp member at its location:
// headers default to RFC 822 (HTTP dates), querystrings and bodies to ISO
// 8601.
func (m *model) timestampFormat(mem *member) string {
	if mem.TimestampFormat != "" {
		return mem.TimestampFormat
	}
	if f := m.Shapes[mem.Shape].TimestampFormat; f != "" {
		return f
	}
	if mem.Location == "header" {
		return "rfc822"
	}
	return "iso8601"
}

// route is a parsed requestUri.
type route struct {
	name   string
	method string
	level  level // root, bucket or object
	// query is the literal query of the requestUri: ?acl, ?list-type=2.
	query []queryParam
}

type queryParam struct{ key, value string }

// level is how much of the resource path an operation addresses.
type level uint8

const (
	levelRoot   level = iota // /
	levelBucket              // /{Bucket}
	levelObject              // /{Bucket}/{Key+}
)

func parseRoute(name, method, uri string) (route, error) {
	r := route{name: name, method: method}
	path, query, _ := strings.Cut(uri, "?")
	switch path {
	case "/":
		r.level = levelRoot
	case "/{Bucket}":
		r.level = levelBucket
	case "/{Bucket}/{Key+}":
		r.level = levelObject
	default:
		return route{}, fmt.Errorf("restxml: %s: unsupported requestUri %q", name, uri)
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			r.query = append(r.query, queryParam{k, v})
		}
	}
	return r, nil
}
