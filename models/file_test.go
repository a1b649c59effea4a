package models

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

// TestGoldenModel loads a model file written by each format version and
// checks its predictions on the fixture against that version's golden
// output, so that models saved by older versions keep loading. -update
// retrains the tiny model and rewrites the current version's files only;
// older versions' files are frozen (versions 1 and 2 are read by
// converting their embedding and heads, W = Emb·Wo, whose float32
// rounding may move a probability in its last digits).
//
// v2-char pins the hashing of character n-grams in a file written
// before the model was rewritten; the current version's model has them
// too (fixtureConfig), and word clusters (testdata/clusters.tsv), whose
// feature ids it pins.
func TestGoldenModel(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version uint32
		chars   bool
	}{
		{"v1", 1, false},
		{"v2", 2, false},
		{"v2-char", 2, true},
		{"v3", 3, true},
		{"v4", 4, true},
		{fmt.Sprintf("v%d", FormatVersion), FormatVersion, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			modelPath, goldenPath := "testdata/"+tc.name+".stance", "testdata/"+tc.name+".golden.csv"
			current := tc.version == FormatVersion
			if *update && current {
				m := trainClustered(t, fixtureClusters(t))
				if err := writeModelFile(m, modelPath); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(modelPath)
			if err != nil {
				t.Fatal(err)
			}
			if v := binary.LittleEndian.Uint32(data[len(magic):]); v != tc.version {
				t.Fatalf("%s has format version %d, want %d", modelPath, v, tc.version)
			}
			m, err := Load(modelPath)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.ledger != nil; got != (tc.version >= 2) {
				t.Errorf("label ledger loaded: %v, want %v", got, tc.version >= 2)
			}
			if got := m.feats.charMax > 0; got != tc.chars {
				t.Errorf("character n-grams: %v, want %v", got, tc.chars)
			}
			if got := m.feats.clusters != nil; got != (tc.version >= 5) {
				t.Errorf("word clusters: %v, want %v", got, tc.version >= 5)
			}
			why := "the format or the forward pass changed"
			if tc.chars {
				why += " (or feature hashing)"
			}
			if tc.version >= 5 {
				why += " (or the feature ids of word clusters)"
			}
			checkGolden(t, m, goldenPath, *update && current, why)
		})
	}
}

// classifyFixture writes m's predictions for the fixture's rows as the
// golden files hold them: the fixture's columns but text, its label
// columns renamed input_<target>, then the prediction columns
// (batch.CSVWriter, the writer of `stance classify`).
func classifyFixture(t *testing.T, m *Model) *bytes.Buffer {
	t.Helper()
	f, err := os.Open(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	textCol := slices.Index(recs[0], labels.TextColumn)
	meta := slices.Delete(slices.Clone(recs[0]), textCol, textCol+1)
	for i, c := range meta {
		if m.tax.Index(c) >= 0 {
			meta[i] = "input_" + c
		}
	}
	var out bytes.Buffer
	pw, err := batch.NewCSVWriter(&out, m.tax, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if err := pw.Write(slices.Delete(slices.Clone(r), textCol, textCol+1), r[textCol], m.PredictOne(r[textCol])); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Flush(); err != nil {
		t.Fatal(err)
	}
	return &out
}

// checkGolden classifies the fixture with m and compares the predictions
// with the file goldenPath, which it first rewrites when update is set:
// every column exactly but the probabilities, which may differ by 1e-4
// (they are written with 5 decimals; float rounding in a conversion may
// move the last). why says what a difference means, for the error.
func checkGolden(t *testing.T, m *Model, goldenPath string, update bool, why string) {
	t.Helper()
	out := classifyFixture(t, m)
	if update {
		if err := os.WriteFile(goldenPath, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) {
		t.Fatalf("%d records with header %v; %s has %d with %v", len(got), got[0], goldenPath, len(want), want[0])
	}
	const tol = 1e-4
	bad := 0
	for i := 1; i < len(want); i++ {
		for j, col := range want[0] {
			g, w := got[i][j], want[i][j]
			if g == w {
				continue
			}
			if strings.HasPrefix(col, "p_") {
				gf, err1 := strconv.ParseFloat(g, 64)
				wf, err2 := strconv.ParseFloat(w, 64)
				if err1 == nil && err2 == nil && math.Abs(gf-wf) <= tol {
					continue
				}
			}
			bad++
			t.Errorf("%s row %d (%s) %s: %s, golden %s", goldenPath, i, got[i][0], col, g, w)
		}
	}
	if bad > 0 {
		t.Errorf("predictions differ from %s in %d cells: %s (run with -update only on purpose)", goldenPath, bad, why)
	}
}

// sections returns the byte offsets of each section's payload in a model
// file and its length.
func sections(t *testing.T, data []byte) map[string][2]int {
	t.Helper()
	out := map[string][2]int{}
	off := len(magic) + 4
	for off+12 <= len(data) {
		tag := string(data[off : off+4])
		n := int(binary.LittleEndian.Uint64(data[off+4:]))
		out[tag] = [2]int{off + 12, n}
		off += 12 + n
	}
	if _, ok := out["END."]; !ok || off != len(data) {
		t.Fatalf("cannot find the sections of a %d-byte model file", len(data))
	}
	return out
}

// withConfig returns a copy of model file data whose CONF section (the
// first) has old replaced by new, once, with the section's length and the
// checksum fixed; the test fails if CONF does not hold old.
func withConfig(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	sec := sections(t, data)["CONF"]
	at, n := sec[0], sec[1]
	conf := data[at : at+n]
	if !bytes.Contains(conf, []byte(old)) {
		t.Fatalf("the config holds no %s", old)
	}
	conf = bytes.Replace(conf, []byte(old), []byte(new), 1)
	out := slices.Concat(data[:at], conf, data[at+n:])
	binary.LittleEndian.PutUint64(out[at-8:], uint64(len(conf)))
	fixCRC(out)
	sections(t, out) // still a well-formed file
	return out
}

// fixCRC rewrites the checksum of a model file whose last section is
// END. (as Write leaves it), so that a crafted file passes it.
func fixCRC(data []byte) {
	n := len(data)
	if n < len(magic)+4+16 || string(data[n-16:n-12]) != "END." {
		return
	}
	binary.LittleEndian.PutUint32(data[n-4:], crc32.ChecksumIEEE(data[:n-16]))
}

// tinyModel trains a model small enough that reading it is quick: few
// buckets, a tiny vocabulary, two targets.
func tinyModel(t testing.TB) *Model {
	t.Helper()
	cfg := fixtureConfig()
	cfg.Buckets, cfg.CharMax = 16, 0
	cfg.VocabSize = 40
	cfg.MaxIterations = 20
	tax := labels.Default()
	tax.Targets = tax.Targets[2:]
	rows := readFixture(t)
	for i := range rows {
		rows[i].Labels = rows[i].Labels[2:]
	}
	m, _, err := Train(context.Background(), cfg, tax, rows, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadRejects(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	if _, err := Read(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	sec := sections(t, good)
	// crafted copies good with the float64 (or float32) at byte off of
	// section tag set to x and a valid checksum.
	crafted := func(tag string, off int, x float64, f32 bool) []byte {
		d := slices.Clone(good)
		at := sec[tag][0] + off
		if f32 {
			binary.LittleEndian.PutUint32(d[at:], math.Float32bits(float32(x)))
		} else {
			binary.LittleEndian.PutUint64(d[at:], math.Float64bits(x))
		}
		fixCRC(d)
		return d
	}
	// Calibration: per target 3 shifts, the temperature, 2 scales;
	// target 1's start at byte 48.
	nanShift := crafted("CALB", 48+8, math.NaN(), false)
	infTemp := crafted("CALB", 3*8, math.Inf(1), false)
	zeroTemp := crafted("CALB", 48+3*8, 0, false)
	nanScale := crafted("CALB", 48+5*8, math.NaN(), false)
	// Finite but absurd: (z − s)/T overflows to ±Inf and the
	// probabilities to NaN (found by FuzzRead).
	tinyTemp := crafted("CALB", 3*8, 1e-310, false)
	hugeShift := crafted("CALB", 8, 1e300, false)
	hugeScale := crafted("CALB", 4*8, math.Inf(1), false)
	// Weights: sizes (3 × uint64), FW present (uint64 1), FW (length and
	// Feats float32), the row count, then each row: feature id (uint32)
	// and Targets·3 float32. The NaN goes in the first row's second weight.
	row0 := 4*8 + 8 + 4*m.w.Feats + 8 + 4
	nanWeight := crafted("WGTS", row0+4, math.NaN(), true)
	infFW := crafted("WGTS", 5*8, math.Inf(-1), true)
	// Intercepts: after the rows (the count of non-zero FW), a length.
	rows := 0
	for _, fw := range m.w.FW {
		if fw != 0 {
			rows++
		}
	}
	nanB := crafted("WGTS", row0-4+rows*(4+4*m.w.width())+8, math.NaN(), true)
	hugeWeight := crafted("WGTS", row0+4, 1e30, true)
	// A config inference cannot use: character n-grams from 0 runes.
	badConf := withConfig(t, good, `"CharMin":3`, `"CharMin":0`)
	for _, d := range [][]byte{nanShift, infTemp, nanWeight, infFW, nanB, tinyTemp, hugeShift, hugeScale, hugeWeight} {
		if bytes.Equal(d, good) {
			t.Fatal("crafting changed nothing")
		}
	}
	flip := slices.Clone(good)
	flip[len(flip)/2] ^= 0x40
	newer := slices.Clone(good)
	newer[8] = byte(FormatVersion + 1)
	zero := slices.Clone(good)
	zero[8] = 0
	// A version 3 file whose decision rule is "threshold" (the rule
	// version 4 removed): its CALB numbers are probability thresholds.
	v3, err := os.ReadFile("testdata/v3.stance")
	if err != nil {
		t.Fatal(err)
	}
	threshold := withConfig(t, v3, `"Decision":"argmax"`, `"Decision":"threshold"`)
	badTag := slices.Clone(good)
	copy(badTag[sec["TAXO"][0]-12:], "TAXA")
	fixCRC(badTag)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"magic", []byte("PK\x03\x04 not a model at all"), "bad magic"},
		{"short magic", []byte("PK"), "bad magic"},
		{"newer version", newer, "unsupported version"},
		{"version 0", zero, "unsupported version"},
		{"header only", good[:12], "truncated"},
		{"cut in a section", good[:len(good)/3], "truncated"},
		{"no checksum", good[:len(good)-16], "truncated"},
		{"last byte missing", good[:len(good)-1], "truncated"},
		{"flipped byte", flip, "checksum mismatch"},
		{"trailing garbage", append(slices.Clone(good), 0), "corrupt"},
		{"unknown section", badTag, `"TAXA"`},
		{"NaN shift", nanShift, "calibration"},
		{"+Inf temperature", infTemp, "temperature"},
		{"zero temperature", zeroTemp, "temperature"},
		{"NaN decision scale", nanScale, "calibration"},
		{"NaN weight", nanWeight, "not a finite number"},
		{"-Inf feature weight", infFW, "not a finite number"},
		{"NaN intercept", nanB, "not a finite number"},
		{"denormal temperature", tinyTemp, "temperature"},
		{"huge shift", hugeShift, "shift"},
		{"infinite decision scale", hugeScale, "decision parameter"},
		{"huge weight", hugeWeight, "within"},
		{"character n-grams from 0 runes", badConf, "character n-grams"},
		{"version 3 threshold rule", threshold, `decision rule "threshold" (format version 3): this program has only the argmax rule; retrain the model`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(bytes.NewReader(tc.data))
			if err == nil || got != nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("model %v, error %v, want ErrFormat mentioning %q", got, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "not a model file: ") && !strings.HasPrefix(err.Error(), "model file ") {
				t.Errorf("error %q does not say it is about the model file", err)
			}
		})
	}
	path := t.TempDir() + "/bad.stance"
	if err := os.WriteFile(path, nanWeight, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load: %v, want ErrFormat naming the file", err)
	}
}

// Sizes in a file are checked against the taxonomy and tokenizer before
// anything that large is allocated: a few kilobytes with a valid checksum
// must not make Read allocate gigabytes (or, for the legacy converter,
// die of an out-of-memory error no recover can catch).
func TestReadImplausibleSizes(t *testing.T) {
	tiny := tinyModel(t)
	var buf bytes.Buffer
	if err := tiny.Write(&buf); err != nil {
		t.Fatal(err)
	}
	v2, err := os.ReadFile("testdata/v2.stance")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		fields []uint64 // the first uint64s of WGTS: sizes
		bug    string
	}{
		// Feats·Targets·3 just under readWeights' 2^31 limit: 6 GiB.
		{"v3 features", buf.Bytes(), []uint64{1 << 28, 2}, ""},
		// feats, dim, hidden, targets: Emb is 1 GiB, W 200 TB.
		{"v2 targets", v2, []uint64{1 << 28, 1, 0, 1 << 16}, ""},
		// The right feature count and a huge embedding width.
		{"v2 width", v2, nil, "dim"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := slices.Clone(tc.data)
			at := sections(t, d)["WGTS"][0]
			for i, x := range tc.fields {
				binary.LittleEndian.PutUint64(d[at+8*i:], x)
			}
			if tc.bug == "dim" { // keep the file's feature count, widen dim
				binary.LittleEndian.PutUint64(d[at+8:], 1<<15)
			}
			fixCRC(d)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Read(bytes.NewReader(d))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error %v, want ErrFormat", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
				t.Errorf("Read of %d bytes allocated %d MiB", len(d), n>>20)
			}
		})
	}
}

// FuzzRead feeds Read a tiny model's file with cut bytes at byte at
// replaced by patch (at 0, a cut past the end and any patch make any
// file); with fix the checksum is then recomputed, so that the change
// reaches the section parsers instead of stopping at the CRC. Read must
// return a model that predicts or an ErrFormat error, never panic. The
// fuzzer mutates the small patch, not a whole model file: minimising an
// input is then quick, and the model is small so that reading it is.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := tinyModel(f).Write(&buf); err != nil {
		f.Fatal(err)
	}
	base := buf.Bytes()
	if len(base) >= math.MaxUint16 {
		f.Fatalf("the tiny model has %d bytes", len(base))
	}
	all := uint16(math.MaxUint16)
	f.Add(uint16(0), uint16(0), []byte{}, false)                // the model
	f.Add(uint16(len(base)/2), all, []byte{}, false)            // truncated
	f.Add(uint16(12), uint16(4), []byte("TAXO"), true)          // a section out of order
	f.Add(uint16(len(base)-20), uint16(1), []byte{0xff}, false) // corrupt
	f.Add(uint16(0), all, []byte(magic+"\x01\x00\x00\x00CONF\x02\x00\x00\x00\x00\x00\x00\x00{}"), false)
	sec := map[string][2]int{}
	off := len(magic) + 4
	for off+12 <= len(base) {
		n := int(binary.LittleEndian.Uint64(base[off+4:]))
		sec[string(base[off:off+4])] = [2]int{off + 12, n}
		off += 12 + n
	}
	nan := binary.LittleEndian.AppendUint64(nil, math.Float64bits(math.NaN()))
	f.Add(uint16(sec["CALB"][0]+24), uint16(8), nan, true)         // a NaN temperature
	f.Add(uint16(sec["WGTS"][0]+8), uint16(8), []byte{7}, true)    // targets disagree
	f.Add(uint16(sec["LABL"][0]+8), uint16(8), []byte{0xff}, true) // a ledger too long
	f.Fuzz(func(t *testing.T, at, cut uint16, patch []byte, fix bool) {
		a := min(int(at), len(base))
		c := min(int(cut), len(base)-a)
		data := append(append(base[:a:a], patch...), base[a+c:]...)
		if fix {
			fixCRC(data)
		}
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatal("model and error")
			}
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not match ErrFormat", err)
			}
			return
		}
		p := m.PredictOne("a sentence about defence spending")
		for tg, ps := range p.Probs {
			if s := ps[0] + ps[1] + ps[2]; !(math.Abs(s-1) < 1e-6) {
				t.Fatalf("target %d: probabilities %v", tg, ps)
			}
		}
	})
}
