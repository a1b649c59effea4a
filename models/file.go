package models

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/subword"
)

// The model file ("model.stance") is, in order:
//
//	magic    8 bytes  "STANCEMD"
//	version  uint32   FormatVersion (little-endian, as every number)
//	sections, each: tag [4]byte, length uint64, payload
//	  CONF  fileConfig as JSON: the Config, and "Unigrams" and
//	        "Bigrams" true in a model whose features include hashed word
//	        unigrams or bigrams (versions 1 to 3 trained them; version 4
//	        keeps them only in a model retrained from such a file)
//	  TAXO  Taxonomy as JSON
//	  TOKN  the tokenizer's tokenizer.json
//	  CLUS  (version 5) the word clusters, as the clusters file
//	        `stance pretrain` writes (models/clusters); a model without
//	        them is written as version 4, which has no CLUS
//	  WGTS  weights (binary; see writeWeights; versions 1 and 2 held an
//	        embedding table and heads, converted by readLegacyWeights)
//	  CALB  per target: 3 logit shifts, temperature, the favor and against
//	        decision scales (float64; versions 1 to 3 held probability
//	        thresholds there when CONF's "Decision" was "threshold", a
//	        rule this version refuses: retrain such a model)
//	  METR  training data SHA-256, per-target dev metrics and error rates
//	  LABL  (version 2 on) the label ledger: uint64 1, then per target
//	        the count and each labelled sentence's text fingerprint
//	        (uint64, ascending) and value index (one byte); or uint64 0
//	        when unknown (a model first read from a version 1 file)
//	  END.  4 bytes: CRC-32 (IEEE) of every byte before this section
//
// Sections appear in this order; a reader refuses any other order, an
// unknown tag, a newer version, a missing END. section (a truncated file)
// and a checksum mismatch (a corrupt one), and weights, temperatures or
// shifts that are not finite numbers. Version 1 files (no LABL) load with
// no ledger.
const (
	magic = "STANCEMD"
	// FormatVersion is the newest version, the one Write produces for a
	// model with word clusters (without: version 4), and the newest Read
	// accepts.
	FormatVersion uint32 = 5
)

// fileConfig is the CONF section: the training settings, and whether the
// features include hashed word unigrams and bigrams, which format
// versions 1 to 3 trained (cross-validation found no gain from either:
// BENCHMARKS.md) and version 4 reads, and keeps when a model is
// retrained from one. Decision is the decision rule versions 1 to 3
// named (read only: version 4 has one rule and writes none).
type fileConfig struct {
	Config
	Unigrams bool   `json:",omitempty"`
	Bigrams  bool   `json:",omitempty"`
	Decision string `json:",omitempty"`
}

// ErrFormat is matched (errors.Is) by every error Read returns for a file
// that is not a valid model file (wrong magic, newer version, truncated,
// corrupt) or that this version cannot use (a version 1–3 model with the
// threshold decision rule, or with a hidden layer).
var ErrFormat = errors.New("invalid model file")

// sectionOrder returns the sections of a format version, in order.
func sectionOrder(version uint32) []string {
	if version == 1 {
		return []string{"CONF", "TAXO", "TOKN", "WGTS", "CALB", "METR", "END."}
	}
	if version < 5 {
		return []string{"CONF", "TAXO", "TOKN", "WGTS", "CALB", "METR", "LABL", "END."}
	}
	return []string{"CONF", "TAXO", "TOKN", "CLUS", "WGTS", "CALB", "METR", "LABL", "END."}
}

// Write writes the model in the model file format.
func (m *Model) Write(w io.Writer) error {
	if m == nil || m.w == nil {
		return errors.New("write model: model is not trained")
	}
	var buf bytes.Buffer
	// A model without word clusters is written as version 4, the same
	// file without CLUS, so that programs from before clusters read it.
	version := FormatVersion
	if m.feats.clusters == nil {
		version = 4
	}
	buf.WriteString(magic)
	binary.Write(&buf, binary.LittleEndian, version)
	section := func(tag string, payload []byte) {
		buf.WriteString(tag)
		binary.Write(&buf, binary.LittleEndian, uint64(len(payload)))
		buf.Write(payload)
	}
	conf, err := json.Marshal(fileConfig{Config: m.cfg, Unigrams: m.feats.unigrams, Bigrams: m.feats.bigrams})
	if err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	section("CONF", conf)
	taxo, err := json.Marshal(m.tax)
	if err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	section("TAXO", taxo)
	tok, err := m.tok.JSON()
	if err != nil {
		return fmt.Errorf("write model: tokenizer: %w", err)
	}
	section("TOKN", tok)
	if version >= 5 {
		clus, err := m.feats.clusters.marshal()
		if err != nil {
			return fmt.Errorf("write model: word clusters: %w", err)
		}
		section("CLUS", clus)
	}
	var e enc
	writeWeights(&e, m.w)
	section("WGTS", e.b.Bytes())
	e = enc{}
	for t := range m.tax.Targets {
		for c := range nValues {
			e.f64(m.shift[t][c])
		}
		e.f64(m.temp[t])
		e.f64(m.scale[t][0])
		e.f64(m.scale[t][1])
	}
	section("CALB", e.b.Bytes())
	e = enc{}
	e.str(m.dataSHA)
	for t := range m.tax.Targets {
		d := m.dev[t]
		e.str(d.Target)
		e.u64(uint64(d.N))
		for v := range nValues {
			e.u64(uint64(d.Support[v]))
			e.u64(uint64(d.Predicted[v]))
			e.f64(d.Precision[v])
			e.f64(d.Recall[v])
			e.f64(d.F1[v])
		}
		e.f64(d.FAvg)
		for _, r := range m.errRates[t] {
			e.f64(r.TPR)
			e.f64(r.FPR)
			e.u64(uint64(r.Positives))
			e.u64(uint64(r.Negatives))
		}
	}
	section("METR", e.b.Bytes())
	e = enc{}
	m.ledger.write(&e)
	section("LABL", e.b.Bytes())
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE(buf.Bytes()))
	section("END.", sum[:])
	_, err = w.Write(buf.Bytes())
	return err
}

// writeWeights encodes w (format versions 3 to 5): sizes, the pooling flag,
// the feature weights, the rows of W of non-zero feature weight (each a
// uint32 feature id and Targets·3 floats: the others never reach a
// pool), the intercepts and the description weights.
func writeWeights(e *enc, w *weights) {
	e.u64(uint64(w.Feats))
	e.u64(uint64(w.Targets))
	e.u64(boolU64(w.L2Pool))
	k := w.width()
	if w.FW == nil {
		e.u64(0)
		e.f32s(w.W)
	} else {
		e.u64(1)
		e.f32s(w.FW)
		n := 0
		for _, fw := range w.FW {
			if fw != 0 {
				n++
			}
		}
		e.u64(uint64(n))
		for f, fw := range w.FW {
			if fw != 0 {
				e.u32(uint32(f))
				e.rawF32s(w.W[f*k : (f+1)*k])
			}
		}
	}
	e.f32s(w.B)
	e.u64(boolU64(w.Cue != nil))
	e.f32s(w.Cue)
}

func boolU64(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// readWeights reads version 3 to 5 weights for feats features and nT targets
// (from the tokenizer, config and taxonomy read before), refusing other
// sizes before allocating anything.
func readWeights(d *dec, feats, nT int) *weights {
	w := &weights{}
	w.Feats, w.Targets = d.int(1<<28), d.int(1<<16)
	w.L2Pool = d.u64() == 1
	k := w.width()
	if d.err == nil && (w.Feats != feats || w.Targets != nT) {
		d.fail("weights for %d features and %d targets, the tokenizer, config and taxonomy give %d and %d", w.Feats, w.Targets, feats, nT)
	}
	if d.err == nil && uint64(len(d.b)) < 4*uint64(w.Feats) { // the feature weights alone take that
		d.fail("ends early: %d bytes for %d features", len(d.b), w.Feats)
	}
	if d.err != nil {
		return nil
	}
	w.W = make([]float32, w.Feats*k)
	if d.u64() == 0 {
		d.f32sInto(w.W)
	} else {
		w.FW = make([]float32, w.Feats)
		d.f32sInto(w.FW)
		n := d.int(w.Feats)
		for range n {
			f := int(d.u32())
			if d.err == nil && f >= w.Feats {
				d.fail("feature %d out of range", f)
			}
			if d.err != nil {
				return nil
			}
			d.rawF32sInto(w.W[f*k : (f+1)*k])
		}
	}
	w.B = make([]float32, k)
	d.f32sInto(w.B)
	if d.u64() == 1 {
		w.Cue = make([]float32, w.Targets*nPrior*nValues)
	}
	d.f32sInto(w.Cue)
	return w
}

// readLegacyWeights reads the weights of format versions 1 and 2: an
// embedding table pooled into a bag and one linear head per target.
// Without a hidden layer (every model the project trained) that is a
// linear model of the pooled features, W = Emb·Wo, so it converts
// exactly to this version's weights; a model with a hidden layer is
// refused.
func readLegacyWeights(d *dec, wantFeats, wantT int) *weights {
	feats, dim, hidden, nT := d.int(1<<28), d.int(1<<16), d.int(1<<16), d.int(1<<16)
	l2 := d.u64() == 1
	if d.err == nil && (feats != wantFeats || nT != wantT) {
		d.fail("weights for %d features and %d targets, the tokenizer, config and taxonomy give %d and %d", feats, nT, wantFeats, wantT)
	}
	if d.err == nil && (dim < 1 || feats*dim > 1<<26 || uint64(len(d.b)) < 4*uint64(max(dim, feats))) {
		d.fail("weights: implausible sizes (%d features × %d)", feats, dim)
	}
	if d.err != nil {
		return nil
	}
	if hidden > 0 {
		d.fail("a model with a hidden layer (format version 2 or older) cannot be read by this version: retrain it")
		return nil
	}
	emb := make([]float32, feats*dim)
	var fw []float32
	if d.u64() == 0 {
		d.f32sInto(emb)
	} else {
		fw = make([]float32, feats)
		d.f32sInto(fw)
		n := d.int(feats)
		for range n {
			f := int(d.u32())
			if d.err == nil && f >= feats {
				d.fail("feature %d out of range", f)
			}
			if d.err != nil {
				return nil
			}
			d.rawF32sInto(emb[f*dim : (f+1)*dim])
		}
	}
	d.f32sInto(nil) // W1
	d.f32sInto(nil) // B1
	w := &weights{Feats: feats, Targets: nT, FW: fw, L2Pool: l2}
	k := w.width()
	w.W = make([]float32, feats*k)
	w.B = make([]float32, k)
	wo := make([]float32, dim*nValues)
	for t := range nT {
		d.f32sInto(wo)
		d.f32sInto(w.B[t*nValues : (t+1)*nValues])
		if d.err != nil {
			return nil
		}
		for f := range feats {
			if fw != nil && fw[f] == 0 {
				continue
			}
			e := emb[f*dim : (f+1)*dim]
			for c := range nValues {
				var s float32
				for j, x := range e {
					s += x * wo[j*nValues+c]
				}
				w.W[f*k+t*nValues+c] = s
			}
		}
	}
	return w
}

// Read reads a model written by Write. Errors for a malformed file match
// ErrFormat and say what is wrong ("model file truncated: ...").
func Read(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	return decode(data)
}

func formatErr(kind, format string, args ...any) error {
	if kind != "not a model file" {
		kind = "model file " + kind
	}
	return &formatError{kind + ": " + fmt.Sprintf(format, args...)}
}

// formatError is an ErrFormat error with what is wrong, e.g. "not a model
// file: bad magic" or "model file truncated: ...".
type formatError struct{ msg string }

func (e *formatError) Error() string        { return e.msg }
func (e *formatError) Is(target error) bool { return target == ErrFormat }

func decode(data []byte) (*Model, error) {
	if len(data) < len(magic)+4 {
		if len(data) > 0 && !bytes.HasPrefix([]byte(magic), data) {
			return nil, formatErr("not a model file", "bad magic")
		}
		return nil, formatErr("truncated", "%d bytes, shorter than the header", len(data))
	}
	if string(data[:len(magic)]) != magic {
		return nil, formatErr("not a model file", "bad magic %q", data[:len(magic)])
	}
	version := binary.LittleEndian.Uint32(data[len(magic):])
	if version == 0 || version > FormatVersion {
		return nil, formatErr("unsupported version", "file has format version %d, this program reads up to %d", version, FormatVersion)
	}
	sections := map[string][]byte{}
	off := len(magic) + 4
	for i, want := range sectionOrder(version) {
		if len(data)-off < 12 {
			return nil, formatErr("truncated", "section %d (%s) header missing at byte %d", i+1, want, off)
		}
		tag := string(data[off : off+4])
		n := binary.LittleEndian.Uint64(data[off+4:])
		if tag != want {
			return nil, formatErr("corrupt", "section %d at byte %d is %q, want %q", i+1, off, tag, want)
		}
		if n > uint64(len(data)-off-12) {
			return nil, formatErr("truncated", "section %s at byte %d declares %d bytes, %d remain", tag, off, n, len(data)-off-12)
		}
		if tag == "END." {
			if n != 4 {
				return nil, formatErr("corrupt", "checksum section has %d bytes", n)
			}
			got := crc32.ChecksumIEEE(data[:off])
			if want := binary.LittleEndian.Uint32(data[off+12:]); got != want {
				return nil, formatErr("corrupt", "checksum mismatch (stored %08x, computed %08x)", want, got)
			}
			if rest := len(data) - off - 16; rest != 0 {
				return nil, formatErr("corrupt", "%d bytes after the end section", rest)
			}
		}
		sections[tag] = data[off+12 : off+12+int(n)]
		off += 12 + int(n)
	}
	var fc fileConfig
	if err := json.Unmarshal(sections["CONF"], &fc); err != nil {
		return nil, formatErr("corrupt", "config: %v", err)
	}
	cfg := fc.Config
	// Versions 1 to 3 named their decision rule; only the argmax rule,
	// the one every model now has, reads as it was written.
	if version < 4 && fc.Decision != "argmax" {
		return nil, formatErr("unsupported", "decision rule %q (format version %d): this program has only the argmax rule; retrain the model", fc.Decision, version)
	}
	var tax labels.Taxonomy
	if err := json.Unmarshal(sections["TAXO"], &tax); err != nil {
		return nil, formatErr("corrupt", "taxonomy: %v", err)
	}
	if err := tax.Validate(); err != nil {
		return nil, formatErr("corrupt", "taxonomy: %v", err)
	}
	tok, err := subword.Load(sections["TOKN"])
	if err != nil {
		return nil, formatErr("corrupt", "tokenizer: %v", err)
	}
	if err := cfg.validateInference(); err != nil {
		return nil, formatErr("corrupt", "config: %v", err)
	}
	m := newModel(cfg, tax, tok)
	m.feats.unigrams, m.feats.bigrams = fc.Unigrams, fc.Bigrams
	if version >= 5 {
		if m.feats.clusters, err = unmarshalWordClusters(sections["CLUS"]); err != nil {
			return nil, formatErr("corrupt", "word clusters: %v", err)
		}
	}
	nT := len(tax.Targets)
	d := &dec{b: sections["WGTS"], what: "weights"}
	if version < 3 {
		m.w = readLegacyWeights(d, m.feats.size(), nT)
	} else {
		m.w = readWeights(d, m.feats.size(), nT)
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	if !m.w.finite() {
		return nil, formatErr("corrupt", "weights hold a value that is not a finite number within ±%g", float64(maxWeight))
	}
	d = &dec{b: sections["CALB"], what: "calibration"}
	m.shift = make([][nValues]float64, nT)
	m.temp = make([]float64, nT)
	m.scale = make([][2]float64, nT)
	for t := range nT {
		for c := range nValues {
			m.shift[t][c] = d.f64()
		}
		m.temp[t] = d.f64()
		m.scale[t][0] = d.f64()
		m.scale[t][1] = d.f64()
		// Calibration fits temperatures in [0.005, 10] and shifts of a
		// few dozen logits; far outside, (z − s)/T overflows.
		if d.err == nil && !(m.temp[t] >= 1e-4 && m.temp[t] <= 1e4) {
			d.fail("temperature %v of target %d is outside [1e-4, 1e4]", m.temp[t], t)
		}
		for _, x := range m.shift[t] {
			if d.err == nil && !(math.Abs(x) <= 1e4) {
				d.fail("calibration shift %v of target %d is outside ±1e4", x, t)
			}
		}
		for _, x := range m.scale[t] {
			if d.err == nil && !(x >= 0 && x < math.Inf(1)) {
				d.fail("decision parameter %v of target %d is not a non-negative finite number", x, t)
			}
		}
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	d = &dec{b: sections["METR"], what: "metrics"}
	m.dataSHA = d.str()
	m.dev = make([]TargetMetrics, nT)
	m.errRates = make([][]labels.ErrorRate, nT)
	for t := range nT {
		x := &m.dev[t]
		x.Target = d.str()
		x.N = d.int(math.MaxInt32)
		for v := range nValues {
			x.Support[v] = d.int(math.MaxInt32)
			x.Predicted[v] = d.int(math.MaxInt32)
			x.Precision[v] = d.f64()
			x.Recall[v] = d.f64()
			x.F1[v] = d.f64()
		}
		x.FAvg = d.f64()
		m.errRates[t] = make([]labels.ErrorRate, nValues)
		for v := range nValues {
			r := &m.errRates[t][v]
			r.TPR, r.FPR = d.f64(), d.f64()
			r.Positives, r.Negatives = d.int(math.MaxInt32), d.int(math.MaxInt32)
		}
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	if version >= 2 {
		d = &dec{b: sections["LABL"], what: "label ledger"}
		m.ledger = readLedger(d, nT)
		if err := d.done(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Load reads a model file written by Write.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	m, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// enc appends little-endian numbers and length-prefixed strings.
type enc struct{ b bytes.Buffer }

func (e *enc) u64(x uint64)  { e.b.Write(binary.LittleEndian.AppendUint64(nil, x)) }
func (e *enc) f64(x float64) { e.u64(math.Float64bits(x)) }
func (e *enc) str(s string)  { e.u64(uint64(len(s))); e.b.WriteString(s) }
func (e *enc) f32s(xs []float32) {
	e.u64(uint64(len(xs)))
	var tmp [4]byte
	for _, x := range xs {
		binary.LittleEndian.PutUint32(tmp[:], math.Float32bits(x))
		e.b.Write(tmp[:])
	}
}

func (e *enc) u32(x uint32) { e.b.Write(binary.LittleEndian.AppendUint32(nil, x)) }

// rawF32s writes floats without a length (the reader knows it).
func (e *enc) rawF32s(xs []float32) {
	var tmp [4]byte
	for _, x := range xs {
		binary.LittleEndian.PutUint32(tmp[:], math.Float32bits(x))
		e.b.Write(tmp[:])
	}
}

// dec reads what enc wrote; the first problem sticks in err.
type dec struct {
	b    []byte
	what string
	err  error
}

func (d *dec) fail(format string, args ...any) {
	if d.err == nil {
		d.err = formatErr("corrupt", "%s: %s", d.what, fmt.Sprintf(format, args...))
	}
}

func (d *dec) u64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("ends early")
		return 0
	}
	x := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return x
}

func (d *dec) u32() uint32 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 4 {
		d.fail("ends early")
		return 0
	}
	x := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return x
}

// rawF32sInto fills dst from floats written by rawF32s.
func (d *dec) rawF32sInto(dst []float32) {
	if d.err != nil {
		return
	}
	if len(d.b) < 4*len(dst) {
		d.fail("ends early")
		return
	}
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	d.b = d.b[4*len(dst):]
}

func (d *dec) int(limit int) int {
	x := d.u64()
	if x > uint64(limit) {
		d.fail("value %d exceeds %d", x, limit)
		return 0
	}
	return int(x)
}

func (d *dec) f64() float64 { return math.Float64frombits(d.u64()) }

func (d *dec) str() string {
	n := d.int(len(d.b))
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// f32sInto reads a float32 slice whose length must equal len(dst).
func (d *dec) f32sInto(dst []float32) {
	n := d.u64()
	if d.err != nil {
		return
	}
	if n != uint64(len(dst)) {
		d.fail("array of %d floats, want %d", n, len(dst))
		return
	}
	if uint64(len(d.b)) < 4*n {
		d.fail("ends early")
		return
	}
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	d.b = d.b[4*n:]
}

func (d *dec) done() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d unexpected trailing bytes", len(d.b))
	}
	return d.err
}
