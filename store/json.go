package store

import (
	"encoding/json"
	"fmt"
)

// GetJSON reads the value under key and decodes it into v. A missing key is
// cairn.ErrNotFound, unwrapped, as Tx.Get returns it.
func GetJSON(tx Tx, table, key string, v any) error {
	b, err := tx.Get(table, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s %q: %w", table, key, err)
	}
	return nil
}

// PutJSON encodes v and stores it under key, replacing any previous value.
func PutJSON(tx Tx, table, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %q: %w", table, key, err)
	}
	return tx.Put(table, key, b)
}

// InsertJSON encodes v and stores it under a new key; a taken key is
// cairn.ErrExists, unwrapped, as Tx.Insert returns it.
func InsertJSON(tx Tx, table, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %q: %w", table, key, err)
	}
	return tx.Insert(table, key, b)
}
