package train

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// modelStructures returns small structures of every built-in kind, each
// with at most a few thousand codes so that enumeration can check them.
func modelStructures(t *testing.T) []argmax.Structure {
	t.Helper()
	must := func(s argmax.Structure, err error) argmax.Structure {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sub := must(argmax.NewKSubset(5, 2))
	return []argmax.Structure{
		must(argmax.Independent(1, 6)), // one categorical latent
		must(argmax.Independent(4, 3)),
		must(argmax.Complete(5, true)),
		must(argmax.Complete(5, false)),
		must(argmax.NewChain(4, 3)),
		sub,
		must(argmax.NewMatching(4)),
		must(argmax.NewSpanningTree(4, argmax.CompleteGraph(4))),
		must(argmax.Repeat(sub, 2)),
		must(argmax.NewProduct(must(argmax.NewChain(2, 2)), must(argmax.Complete(3, false)))), // "exhaustive" on both parts
	}
}

// vaeFor builds a VAE for s with d pixels and random weights from seed.
func vaeFor(t testing.TB, s argmax.Structure, d int, seed uint64) *VAE {
	t.Helper()
	enc, dec, err := NewNetworks(s, d, 12, rand.New(rand.NewPCG(seed, 9)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVAE(enc, dec, s, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Encode is the arg max of h(x, z) = ⟨w(x), φ(z)⟩ over all feasible
// codes, found by enumeration, on every kind of structure; it uses no
// randomness, so a second call gives the same codes.
func TestEncodeIsTheArgmaxOfH(t *testing.T) {
	const d = 10
	for i, s := range modelStructures(t) {
		v := vaeFor(t, s, d, uint64(i))
		x := randomImages(uint64(100+i), 20, d)
		z, err := v.Encode(t.Context(), x)
		if err != nil {
			t.Fatalf("%s: %v", s.Name(), err)
		}
		scores := must(v.Enc.Forward(x))
		w := make([]float64, s.Dim())
		want := make([]int, s.Vars())
		for b := 0; b < x.Rows; b++ {
			for j, f := range scores.Row(b) {
				w[j] = float64(f)
			}
			if _, err := argmax.Enumerate(s, w, want); err != nil {
				t.Fatal(err)
			}
			got := z[b*s.Vars() : (b+1)*s.Vars()]
			if !slices.Equal(got, want) && scoreOf(t, s, w, got) < scoreOf(t, s, w, want) {
				t.Fatalf("%s, example %d: Encode %v scores %v, enumeration %v scores %v", s.Name(), b, got, scoreOf(t, s, w, got), want, scoreOf(t, s, w, want))
			}
			if !argmax.Feasible(s, got) {
				t.Fatalf("%s: infeasible code %v", s.Name(), got)
			}
		}
		again, err := v.Encode(t.Context(), x)
		if err != nil || !slices.Equal(again, z) {
			t.Errorf("%s: Encode again differs (%v)", s.Name(), err)
		}
	}
}

// Encode refuses data of another width, naming both widths.
func TestEncodeRefusesWrongWidth(t *testing.T) {
	v := vaeFor(t, must(argmax.Independent(3, 2)), 10, 1)
	if _, err := v.Encode(t.Context(), nn.NewMat(4, 11)); err == nil || !strings.Contains(err.Error(), "width 11") || !strings.Contains(err.Error(), "takes 10") {
		t.Errorf("Encode of width 11 = %v, want an error naming 11 and 10", err)
	}
	if z, err := v.Encode(t.Context(), nn.NewMat(0, 10)); err != nil || len(z) != 0 {
		t.Errorf("Encode of no rows = %v, %v", z, err)
	}
}

// Decode gives σ of the decoder's logits at the one-hot codes, and
// refuses states out of range and partial codes, naming them.
func TestDecode(t *testing.T) {
	s, _ := argmax.NewChain(3, 4)
	v := vaeFor(t, s, 7, 2)
	z := []int{0, 1, 2, 3, 3, 0}
	means, err := v.Decode(z)
	if err != nil {
		t.Fatal(err)
	}
	oh := nn.NewMat(2, 12)
	noErr(decoder.OneHot(z, 3, 4, oh))
	logits := v.Dec.Net.Forward(oh)
	for i := range logits.Data {
		want := 1 / (1 + math.Exp(-float64(logits.Data[i])))
		if math.Abs(float64(means.Data[i])-want) > 1e-6 || means.Data[i] < 0 || means.Data[i] > 1 {
			t.Fatalf("mean %d = %v, σ(logit) = %v", i, means.Data[i], want)
		}
	}
	if means.Rows != 2 || means.Cols != 7 {
		t.Errorf("means %d×%d, want 2×7", means.Rows, means.Cols)
	}
	if _, err := v.Decode([]int{0, 1, 4}); err == nil || !strings.Contains(err.Error(), "state 4 of latent 2 in code 0") {
		t.Errorf("Decode of state 4 = %v", err)
	}
	if _, err := v.Decode([]int{0, -1, 0}); err == nil || !strings.Contains(err.Error(), "state -1") {
		t.Errorf("Decode of state -1 = %v", err)
	}
	if _, err := v.Decode([]int{0, 1}); err == nil || !strings.Contains(err.Error(), "whole number") {
		t.Errorf("Decode of 2 states for 3 variables = %v", err)
	}
}

// Generate draws every feasible code about equally often (the uniform
// prior), never an infeasible one, on every kind of structure, and
// decodes what it draws.
func TestGenerateIsUniformOverFeasibleCodes(t *testing.T) {
	sub, _ := argmax.NewKSubset(4, 2)
	match, _ := argmax.NewMatching(3)
	tree, _ := argmax.NewSpanningTree(4, argmax.CompleteGraph(4)) // 16 trees
	tri, _ := argmax.NewSpanningTree(3, argmax.CompleteGraph(3))  // 3 trees
	prod, _ := argmax.NewProduct(sub, tri)
	chain, _ := argmax.NewChain(2, 3)
	for _, c := range []struct {
		s     argmax.Structure
		codes int
	}{{sub, 6}, {match, 6}, {tree, 16}, {prod, 18}, {chain, 9}, {must(argmax.Complete(3, true)), 8}, {userSubset{sub}, 6}} {
		v := vaeFor(t, c.s, 6, 3)
		const draws = 16000
		z, means, err := v.Generate(t.Context(), draws, rand.New(rand.NewPCG(5, 6)))
		if err != nil {
			t.Fatalf("%s: %v", c.s.Name(), err)
		}
		if means.Rows != draws || means.Cols != 6 {
			t.Fatalf("%s: means %d×%d", c.s.Name(), means.Rows, means.Cols)
		}
		n := c.s.Vars()
		count := map[string]int{}
		for b := 0; b < draws; b++ {
			code := z[b*n : (b+1)*n]
			if !argmax.Feasible(c.s, code) {
				t.Fatalf("%s: infeasible code %v", c.s.Name(), code)
			}
			count[fmtInts(code)]++
		}
		if len(count) != c.codes {
			t.Fatalf("%s: %d distinct codes drawn, want all %d", c.s.Name(), len(count), c.codes)
		}
		mean := float64(draws) / float64(c.codes)
		sd := math.Sqrt(mean * (1 - 1/float64(c.codes)))
		for code, k := range count {
			if math.Abs(float64(k)-mean) > 5*sd {
				t.Errorf("%s: code %q drawn %d times, expected %.0f ± %.0f", c.s.Name(), code, k, mean, sd)
			}
		}
	}
	v := vaeFor(t, sub, 6, 3)
	if _, _, err := v.Generate(t.Context(), -1, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("Generate(-1) succeeded")
	}
}

// userSubset is a k-subset under a user's own type: the prior falls back
// to rejection sampling.
type userSubset struct{ *argmax.KSubset }

func fmtInts(z []int) string {
	var b strings.Builder
	for _, s := range z {
		b.WriteByte(byte('0' + s))
	}
	return b.String()
}

// writeModel returns v's model file.
func writeModel(t *testing.T, v *VAE) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := v.WriteModel(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A model written and read back, with nothing but the file, gives the same
// parameters, the same codes and the same decoded means bit for bit, on
// every kind of structure; so does a structure of the user's own when it
// is passed to ReadModel.
func TestModelFileRoundTrip(t *testing.T) {
	const d = 9
	structures := append(modelStructures(t), userSubset{&argmax.KSubset{N: 5, K: 2}})
	for i, s := range structures {
		v := vaeFor(t, s, d, uint64(20+i))
		file := writeModel(t, v)
		var opt ModelOptions
		if _, ok := s.(userSubset); ok {
			if _, err := ReadModel(bytes.NewReader(file), ModelOptions{}); err == nil || !strings.Contains(err.Error(), "ModelOptions.Structure") {
				t.Fatalf("user structure read without it: %v", err)
			}
			opt.Structure = s
		}
		w, err := ReadModel(bytes.NewReader(file), opt)
		if err != nil {
			t.Fatalf("%s: %v", s.Name(), err)
		}
		if w.S.Name() != s.Name() || w.Solver() != v.Solver() {
			t.Errorf("%s: read %s with solver %s, want %s", s.Name(), w.S.Name(), w.Solver(), v.Solver())
		}
		for j, p := range v.Params() {
			q := w.Params()[j]
			if p.Name != q.Name || !slices.Equal(p.W, q.W) {
				t.Fatalf("%s: parameter %s differs after reading", s.Name(), p.Name)
			}
		}
		x := randomImages(uint64(200+i), 30, d)
		z1, err1 := v.Encode(t.Context(), x)
		z2, err2 := w.Encode(t.Context(), x)
		if err1 != nil || err2 != nil || !slices.Equal(z1, z2) {
			t.Fatalf("%s: codes differ after reading (%v, %v)", s.Name(), err1, err2)
		}
		m1, err1 := v.Decode(z1)
		m2, err2 := w.Decode(z2)
		if err1 != nil || err2 != nil || !slices.Equal(m1.Data, m2.Data) {
			t.Fatalf("%s: decoded means differ after reading (%v, %v)", s.Name(), err1, err2)
		}
		if again := writeModel(t, w); !bytes.Equal(again, file) {
			t.Errorf("%s: writing the read model gives another file", s.Name())
		}
	}
}

// ReadModel refuses a model other than the one expected, naming the
// first field that differs: another structure with the same Dim, another
// sign constraint, another data width, another user structure.
func TestReadModelRefusesMismatch(t *testing.T) {
	chain43, _ := argmax.NewChain(4, 3)
	chain33, _ := argmax.NewChain(3, 3)
	sub52, _ := argmax.NewKSubset(5, 2)
	sub53, _ := argmax.NewKSubset(5, 3)
	for _, c := range []struct {
		saved, want argmax.Structure
		field       string
	}{
		{must(argmax.Complete(5, true)), must(argmax.Complete(5, false)), "structure.supermodular"},
		{chain43, chain33, "structure.n"},
		{sub52, sub53, "structure.k"},                             // same Dim, another k
		{sub52, must(argmax.Independent(5, 2)), "structure.kind"}, // same Dim and K
		{userSubset{sub52}, userSubset{sub53}, "structure_name"},
	} {
		file := writeModel(t, vaeFor(t, c.saved, 6, 1))
		_, err := ReadModel(bytes.NewReader(file), ModelOptions{Structure: c.want})
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s read as %s: %v; want an error naming %s", c.saved.Name(), c.want.Name(), err, c.field)
		}
	}
	file := writeModel(t, vaeFor(t, chain43, 6, 1))
	if _, err := ReadModel(bytes.NewReader(file), ModelOptions{DataWidth: 784}); err == nil || !strings.Contains(err.Error(), "data_width is 6, want 784") {
		t.Errorf("data width 6 read as 784: %v", err)
	}
	if _, err := ReadModel(bytes.NewReader(file), ModelOptions{Structure: chain43, DataWidth: 6}); err != nil {
		t.Errorf("the expected model: %v", err)
	}
}

// A truncated file, a flipped bit anywhere and a file that is not a model
// are refused with ErrCorruptModel; another format version by name.
func TestReadModelRefusesCorruptFiles(t *testing.T) {
	file := writeModel(t, vaeFor(t, must(argmax.Complete(4, true)), 5, 1))
	for _, cut := range []int{0, 10, 16, 20, 40, len(file) / 2, len(file) - 5, len(file) - 1} {
		if _, err := ReadModel(bytes.NewReader(file[:cut]), ModelOptions{}); !errors.Is(err, ErrCorruptModel) {
			t.Errorf("file cut to %d of %d bytes: %v, want ErrCorruptModel", cut, len(file), err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		bad := slices.Clone(file)
		i := r.IntN(len(bad))
		bad[i] ^= 1 << r.IntN(8)
		if _, err := ReadModel(bytes.NewReader(bad), ModelOptions{}); !errors.Is(err, ErrCorruptModel) {
			t.Fatalf("bit flipped in byte %d of %d: %v, want ErrCorruptModel", i, len(file), err)
		}
	}
	// A well-formed file of another version (checksum recomputed).
	other := slices.Clone(file)
	binary.LittleEndian.PutUint32(other[len(modelMagic):], 2)
	binary.LittleEndian.PutUint32(other[len(other)-4:], crc32.ChecksumIEEE(other[:len(other)-4]))
	if _, err := ReadModel(bytes.NewReader(other), ModelOptions{}); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("version 2 file: %v", err)
	}
	// A header that asks for huge networks is refused before they are
	// allocated (checksum recomputed).
	huge := rewriteHeader(t, file, `"encoder_hidden": 12`, `"encoder_hidden": 1200000000`)
	if _, err := ReadModel(bytes.NewReader(huge), ModelOptions{}); !errors.Is(err, ErrCorruptModel) || !strings.Contains(err.Error(), "bytes of parameters") {
		t.Errorf("header with a hidden width of 1.2e9: %v", err)
	}
	// A header whose sizes disagree with its structure (checksum recomputed).
	lie := rewriteHeader(t, file, `"vars": 4`, `"vars": 5`)
	if _, err := ReadModel(bytes.NewReader(lie), ModelOptions{}); err == nil || !strings.Contains(err.Error(), "vars is 5") {
		t.Errorf("header with vars 5 for 4 variables: %v", err)
	}
}

// rewriteHeader returns file with old replaced by new in its header, the
// header length and the checksum made to match: a well-formed file that
// says something else.
func rewriteHeader(t *testing.T, file []byte, old, new string) []byte {
	t.Helper()
	n := len(modelMagic)
	hl := int(binary.LittleEndian.Uint32(file[n+4:]))
	header := string(file[n+8 : n+8+hl])
	if !strings.Contains(header, old) {
		t.Fatalf("header has no %s:\n%s", old, header)
	}
	header = strings.Replace(header, old, new, 1)
	out := slices.Clone(file[:n+4])
	out = binary.LittleEndian.AppendUint32(out, uint32(len(header)))
	out = append(out, header...)
	out = append(out, file[n+8+hl:len(file)-4]...)
	return binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(out))
}

// Sample draws feasible codes, the same for the same generator, that
// differ from Encode's mode on some images; it refuses data of another
// width; Encode and Sample stop on a cancelled context.
func TestSampleAndCancel(t *testing.T) {
	sub, _ := argmax.NewKSubset(6, 3)
	v := vaeFor(t, sub, 10, 4)
	x := randomImages(41, 50, 10)
	z1, err := v.Sample(t.Context(), x, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	z2, err := v.Sample(t.Context(), x, rand.New(rand.NewPCG(1, 2)))
	if err != nil || !slices.Equal(z1, z2) {
		t.Fatalf("Sample with the same generator differs (%v)", err)
	}
	mode, err := v.Encode(t.Context(), x)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(z1, mode) {
		t.Error("50 Gumbel-Max samples all equal the noiseless codes")
	}
	for b := 0; b < x.Rows; b++ {
		if !sub.Feasible(z1[b*6 : (b+1)*6]) {
			t.Fatalf("infeasible sample %v", z1[b*6:(b+1)*6])
		}
	}
	if _, err := v.Sample(t.Context(), nn.NewMat(3, 9), rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "width 9") {
		t.Errorf("Sample of width 9 = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := v.Encode(ctx, x); !errors.Is(err, context.Canceled) {
		t.Errorf("Encode with a cancelled context = %v", err)
	}
	if _, err := v.Sample(ctx, x, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, context.Canceled) {
		t.Errorf("Sample with a cancelled context = %v", err)
	}
	if _, _, err := v.Generate(ctx, 5, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context = %v", err)
	}
}
