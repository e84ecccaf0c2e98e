package main

import (
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
