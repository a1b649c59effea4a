package trends

import (
	"errors"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// TestReadRefuses: a prediction file that would be read wrongly is
// refused with one clear problem naming the file and line, not counted
// in part. Before, a target whose decided column was missing was dropped
// without a word (207 rows reported instead of 276, exit 0), and a short
// row said "wrong number of fields: wrong number of fields".
func TestReadRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // the whole error
		kind     error
	}{
		{
			name: "decided column missing",
			in:   "id,doc_id,date,country,text,rd,p_rd_favor,p_rd_against,p_rd_none,p_ds_favor,p_ds_against,p_ds_none\ns1,d1,2019,DE,x,favor,1,0,0,0,0,1\n",
			want: `f.csv:1: missing column: no "ds" column, the decided value of target ds (p_ds_* are there)`,
			kind: labels.ErrMissingColumn,
		},
		{
			name: "the only target's decided column missing",
			in:   "id,doc_id,date,text,p_rd_favor,p_rd_against,p_rd_none\ns1,d1,2019,x,1,0,0\n",
			want: `f.csv:1: missing column: no "rd" column, the decided value of target rd (p_rd_* are there)`,
			kind: labels.ErrMissingColumn,
		},
		{
			name: "field count said once",
			in:   okHeader + "s1,d1,2019,DE,x,favor,1,0\n",
			want: "f.csv:2:1: wrong number of fields",
			kind: labels.ErrFieldCount,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(Year, "")
			err := a.Read("f.csv", strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if got := strings.TrimSpace(err.Error()); got != tt.want {
				t.Errorf("error\n%s\nwant\n%s", got, tt.want)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %v", err, tt.kind)
			}
		})
	}
}

// TestReadBOM: a prediction file saved with a UTF-8 BOM reads as the
// same file without, even when its first header field is quoted (the
// BOM then came before the quote: "bare quote in non-quoted field").
func TestReadBOM(t *testing.T) {
	body := "s1,d1,2019,DE,x,favor,1,0,0\ns2,d2,2019,FR,y,none,0,0,1\n"
	for _, header := range []string{okHeader, `"id"` + okHeader[2:]} {
		a := NewAccumulator(Year, "country")
		if err := a.Read("f.csv", strings.NewReader("\ufeff"+header+body)); err != nil {
			t.Fatalf("header %q: %v", header, err)
		}
		if a.sentences != 2 || len(a.targets) != 1 {
			t.Errorf("header %q: %d sentences, targets %v; want 2 and [rd]", header, a.sentences, a.targets)
		}
	}
}
