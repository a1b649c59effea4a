package labels

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCSVError: encoding/csv's errors become ParseErrors at their
// position, a wrong field count as ErrFieldCount without repeating the
// kind, other syntax errors as ErrSyntax with the reader's message, and
// other errors kept without a position.
func TestCSVError(t *testing.T) {
	read := func(in string) error {
		r := csv.NewReader(strings.NewReader(in))
		for {
			if _, err := r.Read(); err != nil {
				return err
			}
		}
	}
	for _, c := range []struct {
		name, in string
		kind     error
		want     string
	}{
		{"field count", "a,b\n1,2\n3\n", ErrFieldCount, "f.csv:3:1: wrong number of fields"},
		{"bare quote", "a,b\n1,x\"y\n", ErrSyntax, `f.csv:2:4: malformed CSV: bare " in non-quoted-field`},
	} {
		t.Run(c.name, func(t *testing.T) {
			pe := CSVError("f.csv", read(c.in))
			if !errors.Is(pe, c.kind) || pe.Error() != c.want {
				t.Errorf("got %q (kind %v), want %q (kind %v)", pe.Error(), pe.Err, c.want, c.kind)
			}
		})
	}
	if pe := CSVError("f.csv", io.ErrUnexpectedEOF); pe.Line != 0 || !errors.Is(pe, io.ErrUnexpectedEOF) {
		t.Errorf("an I/O error: %+v", pe)
	}
}
