package train

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/encoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Model file format (integers little-endian):
//
//	"ARGMAXVAE MODEL\n" | version u32 = 1 | header length u32 | header (JSON)
//	| parameters (an nn.Save checkpoint of the encoder's and decoder's)
//	| CRC-32 (IEEE) of every preceding byte, u32
//
// The header is [modelHeader]: the structure's description and name, its
// sizes and signs, the data width, the networks' hidden widths and the
// solver. It is readable with `head -c 2000 model.bin`.
const (
	modelMagic   = "ARGMAXVAE MODEL\n"
	modelVersion = 1
	maxHeaderLen = 64 << 20
)

// ModelFile is the name of the model file in a run folder.
const ModelFile = "model.bin"

// ErrCorruptModel is wrapped by the errors of [ReadModel] for a file that
// is not a well-formed model file: wrong magic, truncated, or a checksum
// that does not match (a flipped bit anywhere).
var ErrCorruptModel = errors.New("train: corrupt model file")

// modelHeader is what a model file says about its model.
type modelHeader struct {
	Structure     *argmax.Description `json:"structure"` // nil: a user's own structure
	StructureName string              `json:"structure_name"`
	Vars          int                 `json:"vars"`
	States        int                 `json:"states"`
	Dim           int                 `json:"dim"`
	NonNegative   []int               `json:"nonnegative"` // coordinates of w through softplus
	DataWidth     int                 `json:"data_width"`
	EncoderHidden int                 `json:"encoder_hidden"`
	DecoderHidden int                 `json:"decoder_hidden"`
	Solver        string              `json:"solver"`
}

// ModelOptions are the settings of [ReadModel]; the zero value rebuilds
// the model the file describes, with the solver it was saved with.
type ModelOptions struct {
	// Structure, if set, is the structure the caller expects: a file for
	// another structure is refused, naming the first field that differs.
	// A structure of the user's own (one that [argmax.Describe] refuses)
	// must be given here: the file records only its name, sizes and signs,
	// which are checked.
	Structure argmax.Structure
	// DataWidth, if > 0, is the data width the caller expects.
	DataWidth int
	// Solver names the arg max solver; "" means the one the model was
	// saved with if this binary has it, else the structure's fastest.
	// Every solver is exact, so the codes agree up to ties.
	Solver string
	// Threads is passed to [NewVAE] (≤ 0: GOMAXPROCS).
	Threads int
}

// WriteModel writes v's model file: a header that describes the model
// (structure, sizes, data width, solver; see [ModelOptions] for a
// structure of one's own) and the parameters, under a checksum, so that
// [ReadModel] rebuilds the same VAE from the file alone. Optimiser state
// is not included (see [Trainer.Save] for a resumable checkpoint).
// O(parameters).
func (v *VAE) WriteModel(w io.Writer) error {
	if err := v.usable(); err != nil {
		return err
	}
	if w == nil {
		return errors.New("train: WriteModel: nil writer")
	}
	h, err := headerOf(v)
	if err != nil {
		return err
	}
	js, err := json.MarshalIndent(h, "", " ")
	if err != nil {
		return fmt.Errorf("train: WriteModel: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(modelMagic)
	buf.Write(binary.LittleEndian.AppendUint32(nil, modelVersion))
	buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(js))))
	buf.Write(js)
	if err := nn.Save(&buf, v.Params()); err != nil {
		return fmt.Errorf("train: WriteModel: %w", err)
	}
	buf.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(buf.Bytes())))
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("train: WriteModel: %w", err)
	}
	return nil
}

// headerOf describes v.
func headerOf(v *VAE) (modelHeader, error) {
	h, err := structureHeader(v.S)
	if err != nil {
		return h, fmt.Errorf("train: WriteModel: %w", err)
	}
	h.DataWidth, h.EncoderHidden, h.DecoderHidden, h.Solver = v.Enc.Net.L1.In, v.Enc.Net.L1.Out, v.Dec.Net.L1.Out, v.solverName
	if v.Dec.D != h.DataWidth {
		return h, fmt.Errorf("train: WriteModel: the encoder reads %d pixels, the decoder writes %d", h.DataWidth, v.Dec.D)
	}
	return h, nil
}

// structureHeader fills the header's structure fields for s: its
// description (none for a user's own structure), name, sizes and signs.
func structureHeader(s argmax.Structure) (modelHeader, error) {
	h := modelHeader{StructureName: s.Name(), Vars: s.Vars(), States: s.States(), Dim: s.Dim(), NonNegative: []int{}}
	for j, sg := range s.Signs() {
		if sg == argmax.NonNegative {
			h.NonNegative = append(h.NonNegative, j)
		}
	}
	d, err := argmax.Describe(s)
	switch {
	case err == nil:
		h.Structure = &d
	case !errors.Is(err, argmax.ErrNotDescribed):
		return h, err
	}
	return h, nil
}

// ReadModel reads a file written by [VAE.WriteModel] and returns a new
// VAE with its structure (built from the file's description, or
// opt.Structure for a structure of one's own), networks and parameters.
// It refuses, before building anything, a corrupt file ([ErrCorruptModel]),
// another format version, and a model other than the one opt expects,
// naming the field that differs ("structure.k", "data_width", …).
// O(file size).
func ReadModel(r io.Reader, opt ModelOptions) (*VAE, error) {
	if r == nil {
		return nil, errors.New("train: ReadModel: nil reader")
	}
	buf, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("train: ReadModel: %w", err)
	}
	h, params, err := parseModel(buf)
	if err != nil {
		return nil, err
	}
	s, err := h.structure(opt.Structure)
	if err != nil {
		return nil, err
	}
	if opt.DataWidth > 0 && opt.DataWidth != h.DataWidth {
		return nil, fmt.Errorf("train: model file: data_width is %d, want %d", h.DataWidth, opt.DataWidth)
	}
	// The networks the header describes must fit in the file before any
	// memory is allocated for them.
	if need := h.paramBytes(); need > float64(len(params)) {
		return nil, fmt.Errorf("%w: the header describes networks of %.0f bytes of parameters, the file holds %d", ErrCorruptModel, need, len(params))
	}
	nonneg := make([]bool, h.Dim)
	for _, j := range h.NonNegative {
		nonneg[j] = true
	}
	init := rand.New(rand.NewPCG(0, 0)) // every weight is overwritten below
	enc, err := encoder.New(h.DataWidth, h.EncoderHidden, h.Dim, nonneg, init)
	if err != nil {
		return nil, fmt.Errorf("train: model file: %w", err)
	}
	dec, err := decoder.New(h.Vars, h.States, h.DecoderHidden, h.DataWidth, init)
	if err != nil {
		return nil, fmt.Errorf("train: model file: %w", err)
	}
	solver := opt.Solver
	if solver == "" && slices.Contains(s.Solvers(), h.Solver) {
		if _, err := s.NewSolver(h.Solver); err == nil {
			solver = h.Solver
		}
	}
	v, err := NewVAE(enc, dec, s, solver, opt.Threads)
	if err != nil {
		return nil, fmt.Errorf("train: model file: %w", err)
	}
	if err := nn.Load(bytes.NewReader(params), v.Params()); err != nil {
		return nil, fmt.Errorf("train: model file: %w", err)
	}
	return v, nil
}

// parseModel checks the frame and checksum and splits buf into the header
// and the parameter checkpoint.
func parseModel(buf []byte) (modelHeader, []byte, error) {
	var h modelHeader
	corrupt := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrCorruptModel, fmt.Sprintf(format, a...))
	}
	n := len(modelMagic)
	if len(buf) < n || string(buf[:n]) != modelMagic {
		return h, nil, corrupt("not a model file (it does not start with %q)", strings.TrimSpace(modelMagic))
	}
	if len(buf) < n+12 {
		return h, nil, corrupt("%d bytes only (truncated)", len(buf))
	}
	body, sum := buf[:len(buf)-4], binary.LittleEndian.Uint32(buf[len(buf)-4:])
	if got := crc32.ChecksumIEEE(body); got != sum {
		return h, nil, corrupt("checksum %08x, the file says %08x (truncated or modified)", got, sum)
	}
	if ver := binary.LittleEndian.Uint32(body[n:]); ver != modelVersion {
		return h, nil, fmt.Errorf("train: model file format version %d, this build reads version %d", ver, modelVersion)
	}
	hl := int(binary.LittleEndian.Uint32(body[n+4:]))
	rest := body[n+8:]
	if hl > maxHeaderLen || hl > len(rest) {
		return h, nil, corrupt("header of %d bytes in %d", hl, len(rest))
	}
	dec := json.NewDecoder(bytes.NewReader(rest[:hl]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return h, nil, corrupt("header: %v", err)
	}
	if err := h.check(); err != nil {
		return h, nil, err
	}
	return h, rest[hl:], nil
}

// check refuses header sizes that no model has.
func (h *modelHeader) check() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"vars", h.Vars}, {"states", h.States}, {"dim", h.Dim}, {"data_width", h.DataWidth},
		{"encoder_hidden", h.EncoderHidden}, {"decoder_hidden", h.DecoderHidden}} {
		if f.v < 1 {
			return fmt.Errorf("train: model file: %s = %d, want ≥ 1", f.name, f.v)
		}
	}
	for _, j := range h.NonNegative {
		if j < 0 || j >= h.Dim {
			return fmt.Errorf("train: model file: nonnegative coordinate %d outside [0, dim = %d)", j, h.Dim)
		}
	}
	return nil
}

// paramBytes is the size of the header's networks' parameters (weights
// and biases of two layers each) in float32s, in float64 to avoid overflow.
func (h *modelHeader) paramBytes() float64 {
	d, nk := float64(h.DataWidth), float64(h.Vars)*float64(h.States)
	he, hd := float64(h.EncoderHidden), float64(h.DecoderHidden)
	enc := d*he + he + he*float64(h.Dim) + float64(h.Dim)
	dec := nk*hd + hd + hd*d + d
	return 4 * (enc + dec)
}

// structure returns the file's structure: built from its description and
// compared with want when given, or want itself for a structure without a
// description, checked against the file's name, sizes and signs.
func (h *modelHeader) structure(want argmax.Structure) (argmax.Structure, error) {
	var s argmax.Structure
	switch {
	case h.Structure != nil:
		built, err := h.Structure.Build()
		if err != nil {
			return nil, fmt.Errorf("train: model file: structure: %w", err)
		}
		s = built
		if want != nil {
			d, err := argmax.Describe(want)
			if err != nil {
				return nil, fmt.Errorf("train: the model file describes %s; the expected structure: %w", built.Name(), err)
			}
			if field, a, b := firstDifference("structure", *h.Structure, d); field != "" {
				return nil, fmt.Errorf("train: model file: %s is %s, want %s (the file holds %s, not %s)", field, a, b, built.Name(), want.Name())
			}
		}
	case want == nil:
		return nil, fmt.Errorf("train: the model file's structure (%s) is not one of package argmax's: pass it in ModelOptions.Structure", h.StructureName)
	default:
		s = want
	}
	// What the file recorded must be what the structure is: this catches
	// a user structure that is not the one saved, and a built-in whose
	// construction changed since the file was written.
	got, err := structureHeader(s)
	if err != nil {
		return nil, fmt.Errorf("train: model file: %w", err)
	}
	for _, f := range []struct {
		name     string
		file, is any
	}{
		{"structure_name", h.StructureName, got.StructureName}, {"vars", h.Vars, got.Vars}, {"states", h.States, got.States},
		{"dim", h.Dim, got.Dim}, {"nonnegative", h.NonNegative, got.NonNegative},
	} {
		if !reflect.DeepEqual(f.file, f.is) {
			return nil, fmt.Errorf("train: model file: %s is %v, the structure (%s) has %v", f.name, f.file, s.Name(), f.is)
		}
	}
	return s, nil
}

// firstDifference compares a and b through their JSON forms and returns
// the path of the first field that differs (fields in sorted order) with
// both values, or "" when they are equal.
func firstDifference(path string, a, b any) (string, string, string) {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var va, vb any
	json.Unmarshal(ja, &va)
	json.Unmarshal(jb, &vb)
	return diffJSON(path, va, vb)
}

func diffJSON(path string, a, b any) (string, string, string) {
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if okA && okB {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if f, x, y := diffJSON(path+"."+k, ma[k], mb[k]); f != "" {
				return f, x, y
			}
		}
		return "", "", ""
	}
	la, okA := a.([]any)
	lb, okB := b.([]any)
	if okA && okB && len(la) == len(lb) {
		for i := range la {
			if f, x, y := diffJSON(fmt.Sprintf("%s[%d]", path, i), la[i], lb[i]); f != "" {
				return f, x, y
			}
		}
		return "", "", ""
	}
	if a == nil { // a field left out (omitempty) is its zero value
		a = zeroLike(b)
	} else if b == nil {
		b = zeroLike(a)
	}
	if reflect.DeepEqual(a, b) {
		return "", "", ""
	}
	return path, short(a), short(b)
}

// zeroLike returns the zero value of v's JSON type.
func zeroLike(v any) any {
	switch v.(type) {
	case bool:
		return false
	case float64:
		return 0.0
	case string:
		return ""
	case []any:
		return []any{}
	}
	return nil
}

// short formats a JSON value for an error message.
func short(v any) string {
	if v == nil {
		return "null"
	}
	if l, ok := v.([]any); ok {
		return fmt.Sprintf("a list of %d", len(l))
	}
	js, _ := json.Marshal(v)
	if len(js) > 60 {
		return string(js[:57]) + "…"
	}
	return string(js)
}
