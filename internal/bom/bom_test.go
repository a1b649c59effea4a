package bom

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

func TestNewReader(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"no BOM", "id,text\n", "id,text\n"},
		{"BOM", BOM + "id,text\n", "id,text\n"},
		{"only a BOM", BOM, ""},
		{"two BOMs: only the first is a mark", BOM + BOM + "x", BOM + "x"},
		{"BOM not at the start", "x" + BOM, "x" + BOM},
		{"first two bytes of a BOM", "\xef\xbbx", "\xef\xbbx"},
		{"short input", "{", "{"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := io.ReadAll(NewReader(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("read %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSkip(t *testing.T) {
	br := bufio.NewReader(strings.NewReader(BOM + "a"))
	if n := Skip(br); n != len(BOM) {
		t.Errorf("Skip = %d, want %d", n, len(BOM))
	}
	if n := Skip(br); n != 0 {
		t.Errorf("second Skip = %d, want 0 (only a leading BOM is a mark)", n)
	}
	if b, _ := br.ReadByte(); b != 'a' {
		t.Errorf("next byte %q, want 'a'", b)
	}
}

func TestTrim(t *testing.T) {
	if got := string(Trim([]byte(BOM + "x"))); got != "x" {
		t.Errorf("Trim = %q", got)
	}
	if got := string(Trim([]byte("x"))); got != "x" {
		t.Errorf("Trim = %q", got)
	}
}
