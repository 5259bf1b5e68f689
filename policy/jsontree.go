package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one JSON value of a policy document. The document is decoded into
// nodes rather than map[string]any because the grammar checks need the
// document order of object keys (the first unknown element is the one
// reported) and need to see duplicate keys, which encoding/json silently
// collapses.
type node struct {
	kind  nodeKind
	text  string  // string value, number literal, "true" or "false"
	items []*node // array elements
	keys  []string
	vals  []*node // object values, parallel to keys
}

type nodeKind uint8

const (
	nodeString nodeKind = iota + 1
	nodeNumber
	nodeBool
	nodeNull
	nodeArray
	nodeObject
)

// get returns the value of key in an object node, or nil.
func (n *node) get(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// scalar reports whether n is a string, number or boolean: the JSON types
// AWS accepts (as strings) in condition values.
func (n *node) scalar() bool {
	return n.kind == nodeString || n.kind == nodeNumber || n.kind == nodeBool
}

var errDuplicateKey = errors.New("duplicate object key")

// decodeTree decodes doc, which must hold exactly one JSON object.
func decodeTree(doc string) (*node, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	root, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if root.kind != nodeObject {
		return nil, errors.New("document is not a JSON object")
	}
	// Anything after the object (a second object, stray text) makes the
	// document ambiguous; AWS rejects it as well.
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the policy object")
	}
	return root, nil
}

func decodeValue(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return decodeObject(dec)
		case '[':
			return decodeArray(dec)
		}
		return nil, fmt.Errorf("unexpected delimiter %q", t)
	case string:
		return &node{kind: nodeString, text: t}, nil
	case json.Number:
		return &node{kind: nodeNumber, text: t.String()}, nil
	case bool:
		if t {
			return &node{kind: nodeBool, text: "true"}, nil
		}
		return &node{kind: nodeBool, text: "false"}, nil
	case nil:
		return &node{kind: nodeNull}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func decodeObject(dec *json.Decoder) (*node, error) {
	n := &node{kind: nodeObject}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key %v is not a string", tok)
		}
		// A duplicated element would let a reviewer read one value while
		// the evaluator uses the other; refuse the ambiguity.
		if n.get(key) != nil {
			return nil, fmt.Errorf("%w %q", errDuplicateKey, key)
		}
		v, err := decodeValue(dec)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	return n, nil
}

func decodeArray(dec *json.Decoder) (*node, error) {
	n := &node{kind: nodeArray}
	for dec.More() {
		v, err := decodeValue(dec)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, err
	}
	return n, nil
}
