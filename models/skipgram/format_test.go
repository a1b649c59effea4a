package skipgram

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func sampleFile() *file {
	return &file{
		settings:  settings{Config: DefaultConfig(), Epochs: 2, Words: 10, Tokens: 12},
		tokenizer: []byte(`{"not":"parsed here"}`),
		dim:       3,
		counts:    []int64{5, 0, 1 << 40},
		vectors:   []float32{1, 2, 3, -1, -2, -3, 0.5, 0.25, -0.125},
	}
}

func encoded(t *testing.T, f *file) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFormatRoundTrip(t *testing.T) {
	f := sampleFile()
	got, err := decode(encoded(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, f)
	}
}

func TestFormatRefuses(t *testing.T) {
	good := encoded(t, sampleFile())
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x40
		return b
	}
	version := bytes.Clone(good)
	binary.LittleEndian.PutUint32(version[8:], FormatVersion+1)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"short magic", good[:4], ErrTruncated},
		{"other file", []byte("{\"json\": true}"), ErrMagic},
		{"newer version", version, ErrVersion},
		{"header only", good[:12], ErrTruncated},
		{"no checksum", good[:len(good)-4], ErrTruncated},
		{"half vectors", good[:len(good)-20], ErrTruncated},
		{"flipped vector bit", flip(len(good) - 6), ErrChecksum},
		{"flipped tokenizer bit", flip(40), ErrChecksum},
		{"trailing bytes", append(bytes.Clone(good), 0), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("decode: got %v, want %v", err, tt.want)
			}
		})
	}
	// Every strict prefix must be refused, never accepted or panicking.
	for n := range len(good) {
		if _, err := decode(good[:n]); err == nil {
			t.Fatalf("prefix of %d bytes accepted", n)
		}
	}
}

func TestLoadMissingAndBad(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "nope.stance")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.stance")
	if err := os.WriteFile(bad, []byte("hello world, not embeddings"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(bad)
	if !errors.Is(err, ErrMagic) {
		t.Fatalf("bad file: %v", err)
	}
	if want := bad + ": "; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("error %q does not name the file", err)
	}
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := sampleFile().encode(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decode(data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := got.encode(&out); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("decode/encode not identity")
		}
	})
}
