package plots

import (
	"math"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// This file holds a small renderer for the LaTeX of axis labels. gonum's
// own LaTeX handler (text.Latex, plot v0.17.0) panics with "unknown ast
// node *ast.Sub" on any subscript, such as \Omega_{m0} or H_0, and the
// Liberation fonts lack most Unicode subscript letters; so labels are split
// here into runs at baseline, subscript and superscript level and drawn
// with scaled fonts.

// mathText is a text.Handler for one-line labels in a small subset of
// LaTeX: \Greek letters and a few symbols, subscripts and superscripts
// (_x, _{xy}, ^x, ^{xy}) drawn smaller and shifted, \mathrm{…} and braces
// as grouping.
type mathText struct {
	fonts *font.Cache
}

var _ text.Handler = mathText{}

// mathSegment is a run of text at baseline (0), subscript (−1) or
// superscript (+1) level.
type mathSegment struct {
	s     string
	level int
}

var mathSymbols = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
	"zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
	"xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ",
	"chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ",
	"Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
	"ell": "ℓ", "cdot": "·", "times": "×", "pm": "±", "odot": "⊙", ",": " ", ";": " ", " ": " ",
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseMath splits a label into segments.
func parseMath(txt string) []mathSegment {
	var out []mathSegment
	add := func(s string, level int) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].level == level {
			out[n-1].s += s
			return
		}
		out = append(out, mathSegment{s, level})
	}
	var walk func(s string, level int)
	walk = func(s string, level int) {
		for i := 0; i < len(s); {
			switch c := s[i]; {
			case c == '\\':
				j := i + 1
				for j < len(s) && isLetter(s[j]) {
					j++
				}
				letters := j > i+1
				if !letters && j < len(s) { // \, \; and the like
					j++
				}
				name := s[i+1 : j]
				i = j
				for letters && i < len(s) && s[i] == ' ' { // blanks end a command word
					i++
				}
				if name == "mathrm" || name == "rm" || name == "text" {
					continue // the group that follows is plain text anyway
				}
				if sym, ok := mathSymbols[name]; ok {
					add(sym, level)
				} else {
					add(name, level)
				}
			case c == '_' || c == '^':
				sub := level - 1
				if c == '^' {
					sub = level + 1
				}
				group, next := mathGroup(s, i+1)
				walk(group, sub)
				i = next
			case c == '{' || c == '}' || c == '$':
				i++
			default:
				j := i + 1
				for j < len(s) && !strings.ContainsRune(`\_^{}$`, rune(s[j])) {
					j++
				}
				add(s[i:j], level)
				i = j
			}
		}
	}
	walk(txt, 0)
	return out
}

// mathGroup returns the argument of _ or ^ at s[i:]: a {group}, a \command
// or one character, and the index after it.
func mathGroup(s string, i int) (string, int) {
	if i >= len(s) {
		return "", i
	}
	switch s[i] {
	case '{':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					return s[i+1 : j], j + 1
				}
			}
		}
		return s[i+1:], len(s)
	case '\\':
		j := i + 1
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		return s[i:j], j
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[i : i+size], i + size
}

// scriptScale is the size of a sub- or superscript relative to its parent.
const scriptScale = 0.7

func (h mathText) face(fnt font.Font, level int) *font.Face {
	size := fnt.Size
	for range abs(level) {
		size *= scriptScale
	}
	f := h.fonts.Lookup(fnt, size)
	return &f
}

// shift returns the baseline offset of a segment at level.
func (h mathText) shift(fnt font.Font, level int) vg.Length {
	var y vg.Length
	size := fnt.Size
	for range abs(level) {
		if level < 0 {
			y -= 0.25 * size
		} else {
			y += 0.45 * size
		}
		size *= scriptScale
	}
	return y
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// Cache returns the font cache.
func (h mathText) Cache() *font.Cache { return h.fonts }

// Extents returns the extents of the base font.
func (h mathText) Extents(fnt font.Font) font.Extents {
	f := h.fonts.Lookup(fnt, fnt.Size)
	return f.Extents()
}

// Lines returns txt as one line: labels do not wrap.
func (h mathText) Lines(txt string) []string {
	return []string{strings.TrimRight(txt, "\n")}
}

// Box returns the width, height above and depth below the baseline.
func (h mathText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	ext := h.Extents(fnt)
	height, depth = ext.Ascent, ext.Descent
	for _, seg := range parseMath(txt) {
		face := h.face(fnt, seg.level)
		width += face.Width(seg.s)
		e := face.Extents()
		y := h.shift(fnt, seg.level)
		height = max(height, y+e.Ascent)
		depth = max(depth, e.Descent-y)
	}
	return width, height, depth
}

// Draw draws txt aligned and rotated as sty says, like text.Plain.
func (h mathText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	segs := parseMath(txt)
	if len(segs) == 0 {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin

	width, height, depth := h.Box(txt, sty.Font)
	x := pt.X + vg.Length(sty.XAlign)*width
	baseline := pt.Y + vg.Length(sty.YAlign)*(height+depth) + depth
	for _, seg := range segs {
		face := h.face(sty.Font, seg.level)
		c.FillString(*face, vg.Point{X: x, Y: baseline + h.shift(sty.Font, seg.level)}, seg.s)
		x += face.Width(seg.s)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
