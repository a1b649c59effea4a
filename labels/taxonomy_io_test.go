package labels

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	tax := Default()
	if err := tax.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []string{"russia_dialogue", "southern_flank", "defense_spending", "ukraine_support"}
	if !slices.Equal(tax.Names(), want) {
		t.Errorf("names %v, want %v", tax.Names(), want)
	}
	// The keyword baseline reads the descriptions: the guideline's cue
	// words must be there.
	cues := map[string][]string{
		"russia_dialogue":  {"dialogue", "sanctions", "Moscow"},
		"southern_flank":   {"Mediterranean", "migration", "Sahel"},
		"defense_spending": {"2%", "GDP", "burden sharing"},
		"ukraine_support":  {"sovereignty", "aid", "Kyiv"},
	}
	for _, tg := range tax.Targets {
		for _, c := range cues[tg.Name] {
			if !strings.Contains(tg.Description, c) {
				t.Errorf("%s: description lacks %q", tg.Name, c)
			}
		}
	}
	// Each call returns a fresh copy.
	tax.Targets[0].Values[0] = "changed"
	if Default().Targets[0].Values[0] != Favor {
		t.Error("Default shares its value slices")
	}
}

func TestParseTaxonomy(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{"csv", "target,description,values\nchina_policy,Engagement with Beijing,favor|against|none\nukraine_support,,\n",
			[]string{"china_policy", "ukraine_support"}, ""},
		{"csv columns in another order", "values,target\n,a\n", []string{"a"}, ""},
		{"json object", `{"targets":[{"name":"a","description":"x"},{"name":"b"}]}`, []string{"a", "b"}, ""},
		{"json array", ` [{"Name":"a","Values":["favor","against","none"]}]`, []string{"a"}, ""},
		{"no targets", "target,description\n", nil, "no targets"},
		{"bad name", "target\nChina Policy\n", nil, `name "China Policy" must match`},
		{"standard column", "target\ntext\n", nil, `"text" is a standard column`},
		{"duplicate", "target\na\na\n", nil, `duplicate name "a"`},
		{"values order", "target,values\na,none|favor|against\n", nil, "must be exactly favor|against|none"},
		{"values missing none", `[{"name":"a","values":["favor","against"]}]`, nil, "must be exactly"},
		{"no target column", "name,description\na,b\n", nil, "missing column"},
		{"bad json", `{"targets":`, nil, "unexpected end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tax, err := ParseTaxonomy([]byte(tt.in), "tax")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "tax") {
					t.Errorf("error does not name the file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tax.Names(), tt.want) {
				t.Errorf("names %v, want %v", tax.Names(), tt.want)
			}
			for _, tg := range tax.Targets {
				if !slices.Equal(tg.Values, DefaultValues) {
					t.Errorf("%s values %v", tg.Name, tg.Values)
				}
			}
		})
	}
}

func TestValidateSentinel(t *testing.T) {
	err := Taxonomy{}.Validate()
	if !errors.Is(err, ErrInvalidTaxonomy) {
		t.Errorf("got %v, want ErrInvalidTaxonomy", err)
	}
}

// A user adds a target: the file written by WriteCSV, edited, loads back
// and gold files are checked against it.
func TestTaxonomyRoundTripAndNewTarget(t *testing.T) {
	var buf bytes.Buffer
	if err := Default().WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("china_policy,Engagement with Beijing,favor|against|none\n")
	path := filepath.Join(t.TempDir(), "tax.csv")
	os.WriteFile(path, buf.Bytes(), 0o644)
	tax, err := LoadTaxonomy(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(tax.Targets) != 5 || tax.Targets[0].Description != Default().Targets[0].Description {
		t.Fatalf("loaded %v", tax.Names())
	}
	// unknown_target.csv has a china_policy column: with this taxonomy it
	// is a target, and the only problems left are the ukraine column's.
	_, err = ReadGold(filepath.Join("testdata", "read", "unknown_target.csv"), tax)
	if err == nil || strings.Contains(err.Error(), "china_policy") {
		t.Errorf("got %v", err)
	}
}
