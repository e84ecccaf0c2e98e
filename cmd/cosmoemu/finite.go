package main

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
)

// firstNonFinite returns the JSON name, index and value of the first NaN
// or infinite float64 in v (a struct or pointer to one, with slices of
// float64, *float64 and float64 fields), or ok false if every number is
// finite. It walks the fields by reflection, so that a field added to a
// result is checked without a change here.
func firstNonFinite(v any) (name string, index int, value float64, ok bool) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return "", 0, 0, false
	}
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		fv := rv.Field(i)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		switch {
		case fv.Kind() == reflect.Float64:
			if x := fv.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				return tag, -1, x, true
			}
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Float64:
			for j := range fv.Len() {
				if x := fv.Index(j).Float(); math.IsNaN(x) || math.IsInf(x, 0) {
					return tag, j, x, true
				}
			}
		case fv.Kind() == reflect.Map && fv.Type().Elem().Kind() == reflect.Float64:
			for _, k := range fv.MapKeys() {
				if x := fv.MapIndex(k).Float(); math.IsNaN(x) || math.IsInf(x, 0) {
					return fmt.Sprintf("%s.%v", tag, k), -1, x, true
				}
			}
		case fv.Kind() == reflect.Struct:
			if n, j, x, bad := firstNonFinite(fv.Interface()); bad {
				return tag + "." + n, j, x, true
			}
		}
	}
	return "", 0, 0, false
}

// jsonSafe returns v as encoding/json would see it (exported fields under
// their json names, omitempty, "-", maps, slices, pointers, values with
// their own MarshalJSON), with every NaN or infinite float as nil, which
// encodes as null. Structs become maps: their fields come out sorted by
// name, the only difference from the direct encoding.
func jsonSafe(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Type().Implements(reflect.TypeFor[json.Marshaler]()) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return nil
		}
		return v.Interface()
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return v.Interface()
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return jsonSafe(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		fallthrough
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v.Interface() // bytes: base64, as encoding/json
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = jsonSafe(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for _, k := range v.MapKeys() {
			out[fmt.Sprint(k.Interface())] = jsonSafe(v.MapIndex(k))
		}
		return out
	case reflect.Struct:
		out := make(map[string]any)
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !(f.Anonymous && f.Type.Kind() == reflect.Struct) {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			fv := v.Field(i)
			if f.Anonymous && tag == "" {
				// Embedded: its fields are the struct's, as encoding/json
				// flattens them.
				if inner, ok := jsonSafe(fv).(map[string]any); ok {
					for k, x := range inner {
						if _, dup := out[k]; !dup {
							out[k] = x
						}
					}
					continue
				}
			}
			if strings.Contains(opts, "omitempty") && emptyJSON(fv) {
				continue
			}
			out[name] = jsonSafe(fv)
		}
		return out
	}
	return v.Interface()
}

// emptyJSON is encoding/json's "empty" for omitempty.
func emptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero() && v.Kind() != reflect.Struct
}
