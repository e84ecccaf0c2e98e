// Command capi is cosmoemu's C ABI, built as a shared library for Python
// (python/cosmoemu loads it with ctypes) and any other language with a C
// foreign-function interface:
//
//	go build -buildmode=c-shared -o libcosmoemu.so ./capi
//
// The conventions, the same for every function (the header that go build
// writes, libcosmoemu.h, has the declarations):
//
//   - Objects are handles: positive int64 values that index a table on the
//     Go side (bridge.Table). No Go pointer is ever given to C. A handle
//     is released by cosmoemu_close and never reused: using it afterwards
//     is an error naming it.
//   - A function returns 0 on success and −1 on error, with a message in
//     *err (a C string that the caller frees with cosmoemu_free); err may
//     be NULL. Functions that evaluate points return instead the number of
//     points that failed (≥ 0), with the first one's message in *err.
//   - JSON results are C strings in *out, freed with cosmoemu_free.
//   - Arrays are the caller's memory, C-contiguous float64 (double),
//     int32 status codes; Go reads and writes them during the call only.
//   - Every entry point recovers a panic into an error: a bug in cosmoemu
//     is a message, never a crash of the caller's process.
//   - Every function is safe to call from many threads at once; batches
//     are shared among runtime.GOMAXPROCS threads, which
//     cosmoemu_set_threads sets.
package main

/*
#include <stdint.h>
#include <stdlib.h>
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"github.com/cosmoemu/cosmoemu/bridge"
)

// ABIVersion is the version of these conventions and signatures; the
// Python package refuses a library of another version.
const ABIVersion = 1

var handles = bridge.NewTable()

func main() {}

// fail stores the message of err in *errOut (if not NULL) and returns −1.
func fail(errOut **C.char, err error) C.int {
	if errOut != nil {
		*errOut = C.CString(err.Error())
	}
	return -1
}

// call runs f under bridge.Guard and returns 0, or −1 with the message.
func call(errOut **C.char, f func() error) C.int {
	if err := bridge.Guard(f); err != nil {
		return fail(errOut, err)
	}
	return 0
}

// floats returns the caller's n doubles at p as a slice (nil for n = 0).
func floats(p *C.double, n int) ([]float64, error) {
	if n < 0 {
		return nil, fmt.Errorf("negative length %d", n)
	}
	if n == 0 {
		return []float64{}, nil
	}
	if p == nil {
		return nil, errors.New("NULL array")
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(p)), n), nil
}

// int32s returns the caller's n int32 values at p as a slice.
func int32s(p *C.int32_t, n int) ([]int32, error) {
	if n < 0 {
		return nil, fmt.Errorf("negative length %d", n)
	}
	if n == 0 {
		return []int32{}, nil
	}
	if p == nil {
		return nil, errors.New("NULL array")
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(p)), n), nil
}

// setString stores s in *out as a C string.
func setString(out **C.char, s []byte) error {
	if out == nil {
		return errors.New("NULL output pointer")
	}
	*out = C.CString(string(s))
	return nil
}

// decode reads the JSON configuration cfg into v, refusing unknown keys.
func decode(cfg *C.char, v any) error {
	if cfg == nil {
		return errors.New("NULL configuration")
	}
	dec := json.NewDecoder(strings.NewReader(C.GoString(cfg)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	return nil
}

// onHandle runs f under call on the object of handle h, which must be a T.
func onHandle[T any](h C.int64_t, errOut **C.char, f func(T) error) C.int {
	return call(errOut, func() error {
		x, err := bridge.Lookup[T](handles, int64(h))
		if err != nil {
			return err
		}
		return f(x)
	})
}

// jsonOf stores in *out the JSON that f returns (a catalogue, or a method
// value of a handle's object), under call.
func jsonOf(out, errOut **C.char, f func() ([]byte, error)) C.int {
	return call(errOut, func() error {
		s, err := f()
		if err != nil {
			return err
		}
		return setString(out, s)
	})
}

// handleJSON stores in *out the JSON that method f gives of the object of
// handle h, which must be a T.
func handleJSON[T any](h C.int64_t, out, errOut **C.char, f func(T) ([]byte, error)) C.int {
	return onHandle(h, errOut, func(x T) error {
		s, err := f(x)
		if err != nil {
			return err
		}
		return setString(out, s)
	})
}

// newHandle decodes the JSON configuration cfg, makes the object with
// newObj and stores its handle in *h, under call.
func newHandle[Config, T any](cfg *C.char, h *C.int64_t, errOut **C.char, newObj func(Config) (T, error)) C.int {
	return call(errOut, func() error {
		var c Config
		if err := decode(cfg, &c); err != nil {
			return err
		}
		x, err := newObj(c)
		if err != nil {
			return err
		}
		*h = C.int64_t(handles.Put(x))
		return nil
	})
}

// batchOn runs f, the evaluation of a batch of points, on the object of
// handle h, which must be a T, and returns the number of points that
// failed with the first one's message in *errOut, or −1 with the error.
func batchOn[T any](h C.int64_t, errOut **C.char, f func(T) (failed int, first string, err error)) C.int {
	var failed int
	var first string
	r := onHandle(h, errOut, func(x T) (err error) {
		failed, first, err = f(x)
		return err
	})
	if r != 0 {
		return r
	}
	if failed > 0 && errOut != nil {
		*errOut = C.CString(first)
	}
	return C.int(failed)
}

// points returns the caller's n points of d coordinates at theta for the
// likelihood l, refusing another number of coordinates.
func points(l *bridge.Likelihood, theta *C.double, n, d C.int64_t) ([]float64, error) {
	if int(d) != l.Dim() {
		return nil, fmt.Errorf("points of %d coordinates for a likelihood of %d parameters", d, l.Dim())
	}
	return floats(theta, int(n*d))
}

//export cosmoemu_free
func cosmoemu_free(p *C.char) { C.free(unsafe.Pointer(p)) }

//export cosmoemu_abi_version
func cosmoemu_abi_version() C.int { return ABIVersion }

// cosmoemu_set_threads sets the threads that run Go code
// (runtime.GOMAXPROCS) when n > 0 and returns the previous number; n ≤ 0
// only returns it.
//
//export cosmoemu_set_threads
func cosmoemu_set_threads(n C.int) C.int { return C.int(runtime.GOMAXPROCS(int(n))) }

//export cosmoemu_models
func cosmoemu_models(out **C.char, errOut **C.char) C.int {
	return jsonOf(out, errOut, bridge.Models)
}

//export cosmoemu_datasets
func cosmoemu_datasets(out **C.char, errOut **C.char) C.int {
	return jsonOf(out, errOut, bridge.DataSets)
}

//export cosmoemu_close
func cosmoemu_close(h C.int64_t, errOut **C.char) C.int {
	return call(errOut, func() error { return handles.Close(int64(h)) })
}

// cosmoemu_live_handles returns the number of handles not yet closed.
//
//export cosmoemu_live_handles
func cosmoemu_live_handles() C.int64_t { return C.int64_t(handles.Len()) }

//export cosmoemu_background_new
func cosmoemu_background_new(cfg *C.char, h *C.int64_t, errOut **C.char) C.int {
	return newHandle(cfg, h, errOut, bridge.NewBackground)
}

//export cosmoemu_background_info
func cosmoemu_background_info(h C.int64_t, out **C.char, errOut **C.char) C.int {
	return handleJSON(h, out, errOut, (*bridge.Background).Info)
}

// cosmoemu_background_eval computes n points (params: n × p) at nz
// redshifts z (zhel NULL: the same); perz receives one block of n × nz
// for each z column of bridge.Background.Columns (11, or 16 with the
// growth), scalars one block of n for each scalar column (12, or 14),
// status n codes (bridge.Background.Eval). It
// returns the number of failed points, with the first one's message, or
// −1 for an error of the input.
//
//export cosmoemu_background_eval
func cosmoemu_background_eval(h C.int64_t, params *C.double, n, p C.int64_t, z *C.double, nz C.int64_t, zhel *C.double,
	perz, scalars *C.double, status *C.int32_t, errOut **C.char) C.int {
	return batchOn(h, errOut, func(b *bridge.Background) (int, string, error) {
		nn, np, nzz := int(n), int(p), int(nz)
		if nn < 0 || np < 0 || nzz < 0 {
			return 0, "", errors.New("negative size")
		}
		ps, err := floats(params, nn*np)
		if err != nil {
			return 0, "", err
		}
		zs, err := floats(z, nzz)
		if err != nil {
			return 0, "", err
		}
		var zh []float64
		if zhel != nil {
			zh, _ = floats(zhel, nzz)
		}
		zc, scs := b.Columns()
		pz, err := floats(perz, len(zc)*nn*nzz)
		if err != nil {
			return 0, "", err
		}
		sc, err := floats(scalars, len(scs)*nn)
		if err != nil {
			return 0, "", err
		}
		st, err := int32s(status, nn)
		if err != nil {
			return 0, "", err
		}
		return b.Eval(ps, nn, zs, zh, pz, sc, st)
	})
}

//export cosmoemu_like_new
func cosmoemu_like_new(cfg *C.char, h *C.int64_t, errOut **C.char) C.int {
	return newHandle(cfg, h, errOut, bridge.NewLikelihood)
}

//export cosmoemu_like_info
func cosmoemu_like_info(h C.int64_t, out **C.char, errOut **C.char) C.int {
	return handleJSON(h, out, errOut, (*bridge.Likelihood).Info)
}

//export cosmoemu_like_stats
func cosmoemu_like_stats(h C.int64_t, out **C.char, errOut **C.char) C.int {
	return handleJSON(h, out, errOut, (*bridge.Likelihood).Stats)
}

// cosmoemu_like_logpost stores ln P of the n points theta (n × d) in out
// and, if derived is not NULL, their derived parameters (n × nderived)
// (bridge.Likelihood.LogPost).
//
//export cosmoemu_like_logpost
func cosmoemu_like_logpost(h C.int64_t, theta *C.double, n, d C.int64_t, out, derived *C.double, nderived C.int64_t, errOut **C.char) C.int {
	return onHandle(h, errOut, func(l *bridge.Likelihood) error {
		th, err := points(l, theta, n, d)
		if err != nil {
			return err
		}
		o, err := floats(out, int(n))
		if err != nil {
			return err
		}
		var der []float64
		if derived != nil {
			if int(nderived) != l.NDerived() {
				return fmt.Errorf("%d derived columns for a likelihood with %d", nderived, l.NDerived())
			}
			if der, err = floats(derived, int(n*nderived)); err != nil {
				return err
			}
		}
		return l.LogPost(th, int(n), o, der)
	})
}

//export cosmoemu_like_logprior
func cosmoemu_like_logprior(h C.int64_t, theta *C.double, n, d C.int64_t, out *C.double, errOut **C.char) C.int {
	return onHandle(h, errOut, func(l *bridge.Likelihood) error {
		th, err := points(l, theta, n, d)
		if err != nil {
			return err
		}
		o, err := floats(out, int(n))
		if err != nil {
			return err
		}
		return l.LogPrior(th, int(n), o)
	})
}

// cosmoemu_like_chi2 stores χ² of each of the n points in total, by data
// set in bydata (n × ndata) and a status per point; it returns the number
// of failed points with the first one's message, or −1.
//
//export cosmoemu_like_chi2
func cosmoemu_like_chi2(h C.int64_t, theta *C.double, n, d C.int64_t, total, bydata *C.double, ndata C.int64_t, status *C.int32_t, errOut **C.char) C.int {
	return batchOn(h, errOut, func(l *bridge.Likelihood) (int, string, error) {
		if int(d) != l.Dim() || int(ndata) != l.NData() {
			return 0, "", fmt.Errorf("points of %d coordinates and %d data sets for a likelihood of %d parameters and %d data sets", d, ndata, l.Dim(), l.NData())
		}
		th, err := floats(theta, int(n*d))
		if err != nil {
			return 0, "", err
		}
		t, err := floats(total, int(n))
		if err != nil {
			return 0, "", err
		}
		by, err := floats(bydata, int(n*ndata))
		if err != nil {
			return 0, "", err
		}
		st, err := int32s(status, int(n))
		if err != nil {
			return 0, "", err
		}
		return l.Chi2(th, int(n), t, by, st)
	})
}

//export cosmoemu_like_transform
func cosmoemu_like_transform(h C.int64_t, u *C.double, n, d C.int64_t, out *C.double, errOut **C.char) C.int {
	return onHandle(h, errOut, func(l *bridge.Likelihood) error {
		uu, err := points(l, u, n, d)
		if err != nil {
			return err
		}
		o, err := floats(out, int(n*d))
		if err != nil {
			return err
		}
		return l.Transform(uu, int(n), o)
	})
}

//export cosmoemu_fit_start
func cosmoemu_fit_start(cfg *C.char, h *C.int64_t, errOut **C.char) C.int {
	return newHandle(cfg, h, errOut, bridge.StartFit)
}

// cosmoemu_fit_wait waits at most ms milliseconds; it returns 1 if the
// run has ended, 0 if not, −1 on error.
//
//export cosmoemu_fit_wait
func cosmoemu_fit_wait(h C.int64_t, ms C.int64_t, errOut **C.char) C.int {
	done := false
	r := onHandle(h, errOut, func(j *bridge.FitJob) error {
		done = j.Wait(time.Duration(ms) * time.Millisecond)
		return nil
	})
	if r != 0 {
		return r
	}
	if done {
		return 1
	}
	return 0
}

//export cosmoemu_fit_progress
func cosmoemu_fit_progress(h C.int64_t, out **C.char, errOut **C.char) C.int {
	return handleJSON(h, out, errOut, (*bridge.FitJob).Progress)
}

// cosmoemu_fit_result waits for the run and stores its result, the JSON
// of `cosmoemu fit -json`, in *out, or returns its error.
//
//export cosmoemu_fit_result
func cosmoemu_fit_result(h C.int64_t, out **C.char, errOut **C.char) C.int {
	return handleJSON(h, out, errOut, (*bridge.FitJob).Result)
}

//export cosmoemu_fit_cancel
func cosmoemu_fit_cancel(h C.int64_t, errOut **C.char) C.int {
	return onHandle(h, errOut, func(j *bridge.FitJob) error {
		j.Cancel()
		return nil
	})
}

// cosmoemu_like_time stores in *ns the mean time in nanoseconds of one
// evaluation of ln P at the point theta (d coordinates) over reps calls
// made inside Go, for benchmarks of the call overhead.
//
//export cosmoemu_like_time
func cosmoemu_like_time(h C.int64_t, theta *C.double, d, reps C.int64_t, ns *C.double, errOut **C.char) C.int {
	return onHandle(h, errOut, func(l *bridge.Likelihood) error {
		th, err := floats(theta, int(d))
		if err != nil {
			return err
		}
		t, err := l.TimeLogPost(th, int(reps))
		if err != nil {
			return err
		}
		*ns = C.double(t.Nanoseconds())
		return nil
	})
}
