package skipgram

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

	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/subword"
)

// The embedding file (conventionally *.stance), all integers little endian:
//
//	magic    8 bytes "STEMBED\x00"
//	version  uint32 (FormatVersion)
//	settings uint32 length + JSON (Config, epochs, words, tokens)
//	tokenizer uint64 length + tokenizer.json
//	dim      uint32
//	vocab    uint32
//	counts   vocab × int64
//	vectors  vocab × dim × float32 (IEEE 754 bits)
//	checksum uint32 CRC-32 (IEEE) of every byte before it
const (
	magic = "STEMBED\x00"
	// FormatVersion is the version Save writes; Load reads it and no other.
	FormatVersion = 1
)

// Errors Load wraps (test with errors.Is).
var (
	ErrMagic     = errors.New("not a stance embedding file (bad magic)")
	ErrVersion   = errors.New("unsupported embedding file version")
	ErrTruncated = errors.New("embedding file truncated")
	ErrChecksum  = errors.New("embedding file checksum mismatch (corrupted)")
	ErrCorrupt   = errors.New("embedding file inconsistent")
)

type settings struct {
	Config Config `json:"config"`
	Epochs int    `json:"epochs"`
	Words  int64  `json:"words"`
	Tokens int64  `json:"tokens"`
}

// file is the decoded content of an embedding file before the tokenizer is
// parsed, so the format can be checked without one.
type file struct {
	settings  settings
	tokenizer []byte
	dim       int
	counts    []int64
	vectors   []float32
}

func (f *file) encode(w io.Writer) error {
	if len(f.vectors) != len(f.counts)*f.dim {
		return fmt.Errorf("%w: %d vectors for vocab %d × dim %d", ErrCorrupt, len(f.vectors), len(f.counts), f.dim)
	}
	set, err := json.Marshal(f.settings)
	if err != nil {
		return err
	}
	h := crc32.NewIEEE()
	bw := &errWriter{w: io.MultiWriter(w, h)}
	bw.write([]byte(magic))
	bw.u32(FormatVersion)
	bw.u32(uint32(len(set)))
	bw.write(set)
	bw.u64(uint64(len(f.tokenizer)))
	bw.write(f.tokenizer)
	bw.u32(uint32(f.dim))
	bw.u32(uint32(len(f.counts)))
	buf := make([]byte, 0, 1<<16)
	for _, c := range f.counts {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(c))
		if len(buf) >= 1<<16-8 {
			bw.write(buf)
			buf = buf[:0]
		}
	}
	for _, v := range f.vectors {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		if len(buf) >= 1<<16-8 {
			bw.write(buf)
			buf = buf[:0]
		}
	}
	bw.write(buf)
	if bw.err != nil {
		return bw.err
	}
	_, err = w.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32()))
	return err
}

type errWriter struct {
	w   io.Writer
	err error
	b   [8]byte
}

func (e *errWriter) write(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}
func (e *errWriter) u32(v uint32) { e.write(binary.LittleEndian.AppendUint32(e.b[:0], v)) }
func (e *errWriter) u64(v uint64) { e.write(binary.LittleEndian.AppendUint64(e.b[:0], v)) }

// decode parses a whole embedding file held in data.
func decode(data []byte) (*file, error) {
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		if len(data) < len(magic) && string(data) == magic[:len(data)] {
			return nil, fmt.Errorf("%w: %d bytes, header needs %d", ErrTruncated, len(data), len(magic))
		}
		return nil, ErrMagic
	}
	r := reader{data: data, off: len(magic)}
	ver := r.u32("version")
	if r.err == nil && ver != FormatVersion {
		return nil, fmt.Errorf("%w %d (this build reads version %d)", ErrVersion, ver, FormatVersion)
	}
	f := &file{}
	set := r.bytes("settings", uint64(r.u32("settings length")))
	f.tokenizer = r.bytes("tokenizer", r.u64("tokenizer length"))
	f.dim = int(r.u32("dim"))
	vocab := uint64(r.u32("vocab"))
	if r.err == nil && (f.dim < 1 || f.dim > 1<<16 || vocab > 1<<24) {
		return nil, fmt.Errorf("%w: dim %d, vocab %d out of range", ErrCorrupt, f.dim, vocab)
	}
	countBytes := r.bytes("counts", vocab*8)
	vecBytes := r.bytes("vectors", vocab*uint64(f.dim)*4)
	body := r.off
	sum := r.u32("checksum")
	if r.err != nil {
		return nil, r.err
	}
	if r.off != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the checksum", ErrCorrupt, len(data)-r.off)
	}
	if got := crc32.ChecksumIEEE(data[:body]); got != sum {
		return nil, fmt.Errorf("%w: stored %08x, computed %08x", ErrChecksum, sum, got)
	}
	if err := json.Unmarshal(set, &f.settings); err != nil {
		return nil, fmt.Errorf("%w: settings: %v", ErrCorrupt, err)
	}
	f.counts = make([]int64, vocab)
	for i := range f.counts {
		f.counts[i] = int64(binary.LittleEndian.Uint64(countBytes[i*8:]))
	}
	f.vectors = make([]float32, vocab*uint64(f.dim))
	for i := range f.vectors {
		f.vectors[i] = math.Float32frombits(binary.LittleEndian.Uint32(vecBytes[i*4:]))
	}
	return f, nil
}

type reader struct {
	data []byte
	off  int
	err  error
}

func (r *reader) bytes(what string, n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.data)-r.off) {
		r.err = fmt.Errorf("%w: %s at byte %d needs %d bytes, %d left", ErrTruncated, what, r.off, n, len(r.data)-r.off)
		return nil
	}
	b := r.data[r.off : r.off+int(n)]
	r.off += int(n)
	return b
}

func (r *reader) u32(what string) uint32 {
	b := r.bytes(what, 4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *reader) u64(what string) uint64 {
	b := r.bytes(what, 8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// Write writes e in the embedding file format to w.
func (e *Embeddings) Write(w io.Writer) error {
	if e.Tokenizer == nil {
		return errors.New("embeddings have no tokenizer")
	}
	tok, err := e.Tokenizer.JSON()
	if err != nil {
		return fmt.Errorf("tokenizer: %w", err)
	}
	if n := e.Tokenizer.VocabSize(); n != len(e.Counts) {
		return fmt.Errorf("%w: tokenizer has %d tokens, embeddings %d", ErrCorrupt, n, len(e.Counts))
	}
	f := file{
		settings:  settings{Config: e.Config, Epochs: e.Epochs, Words: e.Words, Tokens: e.Tokens},
		tokenizer: tok,
		dim:       e.Dim,
		counts:    e.Counts,
		vectors:   e.Vectors,
	}
	return f.encode(w)
}

// Save writes e to path atomically: a temporary file in the same directory
// is written, synced and renamed over path, so path is never half-written.
func (e *Embeddings) Save(path string) (err error) {
	var buf bytes.Buffer
	if err := e.Write(&buf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// Load reads an embedding file written by Save. It refuses, with an error
// naming path and wrapping ErrMagic, ErrVersion, ErrTruncated, ErrChecksum
// or ErrCorrupt, any file it cannot fully trust.
func Load(path string) (*Embeddings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	e, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// Decode parses the bytes of an embedding file (see Load).
func Decode(data []byte) (*Embeddings, error) {
	f, err := decode(data)
	if err != nil {
		return nil, err
	}
	tok, err := subword.Load(f.tokenizer)
	if err != nil {
		return nil, fmt.Errorf("%w: tokenizer: %v", ErrCorrupt, err)
	}
	if n := tok.VocabSize(); n != len(f.counts) {
		return nil, fmt.Errorf("%w: tokenizer has %d tokens, file %d", ErrCorrupt, n, len(f.counts))
	}
	return &Embeddings{
		Tokenizer: tok,
		Dim:       f.dim,
		Vectors:   f.vectors,
		Counts:    f.counts,
		Config:    f.settings.Config,
		Epochs:    f.settings.Epochs,
		Words:     f.settings.Words,
		Tokens:    f.settings.Tokens,
	}, nil
}
