package bridge

import (
	"fmt"
	"sync"
)

// A Table holds the objects a foreign caller refers to by handle: positive
// integers, never reused, so that a handle used after Close is an error
// ("handle 7 is closed") and never another object. The caller keeps only
// the integer; the objects stay in Go's memory. It is safe for concurrent
// use.
type Table struct {
	mu     sync.RWMutex
	next   int64
	live   map[int64]any
	closed map[int64]string // kind of each closed handle, for the message
}

// NewTable returns an empty table.
func NewTable() *Table {
	return &Table{live: make(map[int64]any), closed: make(map[int64]string)}
}

// Put stores v and returns its handle.
func (t *Table) Put(v any) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	t.live[t.next] = v
	return t.next
}

// Get returns the object of handle h, or an error saying that h is
// closed or was never issued.
func (t *Table) Get(h int64) (any, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if v, ok := t.live[h]; ok {
		return v, nil
	}
	if kind, ok := t.closed[h]; ok {
		return nil, fmt.Errorf("handle %d (%s) is closed", h, kind)
	}
	return nil, fmt.Errorf("handle %d was never issued", h)
}

// Close releases handle h: the object stays alive for calls that are
// running on it and is freed by the garbage collector after them. A
// closer (a running fit) is closed first.
func (t *Table) Close(h int64) error {
	t.mu.Lock()
	v, ok := t.live[h]
	if ok {
		delete(t.live, h)
		t.closed[h] = kindOf(v)
	}
	t.mu.Unlock()
	if !ok {
		_, err := t.Get(h)
		return err
	}
	if c, ok := v.(interface{ Close() }); ok {
		c.Close()
	}
	return nil
}

// Len returns the number of live handles.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.live)
}

// kindOf names the kind of object for messages.
func kindOf(v any) string {
	switch v.(type) {
	case *Background:
		return "background"
	case *Likelihood:
		return "likelihood"
	case *FitJob:
		return "fit"
	}
	return fmt.Sprintf("%T", v)
}

// Lookup returns the object of handle h as a T, or an error naming what
// it is instead.
func Lookup[T any](t *Table, h int64) (T, error) {
	var zero T
	v, err := t.Get(h)
	if err != nil {
		return zero, err
	}
	x, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("handle %d is a %s handle, not a %s handle", h, kindOf(v), kindOf(zero))
	}
	return x, nil
}
