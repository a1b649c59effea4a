package labels

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/stance-project/stance/internal/bom"
)

// StandardColumns are the columns every gold file starts with, in order,
// before one column per target. No target may use one of these names.
var StandardColumns = []string{"id", "doc_id", "date", "source", "text"}

// Default returns the built-in taxonomy of the annotation guidelines: four
// targets, each with the values favor, against and none. The descriptions
// summarise each target's cues; the keyword baseline matches their words,
// so they name the words a stance is usually carried by.
func Default() Taxonomy {
	return Taxonomy{Targets: []Target{
		{
			Name: "russia_dialogue",
			Description: "Dialogue and engagement with Russia. Favor: calls for dialogue, " +
				"engagement, détente, partnership or cooperation with Russia or Moscow, easing or " +
				"lifting sanctions, reviving the NATO-Russia Council, acting as a bridge between " +
				"East and West, Moscow as mediator. Against: no dialogue, no business as usual, " +
				"keeping, extending or tightening sanctions, isolating Russia, deterring Russia " +
				"as a threat.",
			Values: slices.Clone(DefaultValues),
		},
		{
			Name: "southern_flank",
			Description: "Priority to the South and the Mediterranean. Favor: the Mediterranean, " +
				"North Africa, Libya, the Sahel or the Middle East as a security priority; " +
				"migration flows as a security issue; terrorism from the south; maritime security; " +
				"a 360-degree approach; turning the alliance's attention southward. Against: the " +
				"South is no priority, resources belong to the East.",
			Values: slices.Clone(DefaultValues),
		},
		{
			Name: "defense_spending",
			Description: "Raising defence budgets and military investment. Favor: raise or keep " +
				"defence spending, meet NATO's 2% of GDP target, burden sharing as an obligation, " +
				"investment in military capabilities and the defence industry. Against: oppose or " +
				"doubt increases, the 2% target cannot be met, prefer other spending, cut military " +
				"expenditure, disarmament.",
			Values: slices.Clone(DefaultValues),
		},
		{
			Name: "ukraine_support",
			Description: "Support for Ukraine. Favor: Ukraine's sovereignty, independence and " +
				"territorial integrity; military, financial, humanitarian or political aid to " +
				"Ukraine or Kyiv; condemning Russia's aggression or invasion; reconstruction; " +
				"EU or NATO accession. Against: opposing aid or arms for Ukraine, urging Ukraine " +
				"to cede territory, denying its sovereignty or justifying Russia's actions.",
			Values: slices.Clone(DefaultValues),
		},
	}}
}

// Validate reports every problem of the taxonomy at once (an ErrorList
// wrapping ErrInvalidTaxonomy), or nil. The rules:
//   - at least one target;
//   - names are unique, match [a-z][a-z0-9_]* (so they are safe CSV column
//     names and fastText label suffixes) and are not a standard column;
//   - Values is exactly favor, against, none, in that order: every model,
//     metric and report indexes values by position (0 favor, 1 against,
//     2 none), so a taxonomy varies in its targets, never in its values.
func (t Taxonomy) Validate() error {
	var errs ErrorList
	add := func(format string, args ...any) {
		errs = append(errs, &ParseError{Err: ErrInvalidTaxonomy, Detail: fmt.Sprintf(format, args...)})
	}
	if len(t.Targets) == 0 {
		add("no targets")
	}
	seen := map[string]bool{}
	for i, tg := range t.Targets {
		switch {
		case !validName(tg.Name):
			add("target %d: name %q must match [a-z][a-z0-9_]*", i+1, tg.Name)
		case slices.Contains(StandardColumns, tg.Name):
			add("target %d: name %q is a standard column", i+1, tg.Name)
		case seen[tg.Name]:
			add("target %d: duplicate name %q", i+1, tg.Name)
		}
		seen[tg.Name] = true
		if !slices.Equal(tg.Values, DefaultValues) {
			add("target %q: values %q must be exactly favor|against|none", tg.Name, strings.Join(tg.Values, "|"))
		}
	}
	return errs.Err()
}

func validName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// LoadTaxonomy reads a taxonomy file and validates it. The format is JSON
// when the file's first non-blank byte is '{' or '[', CSV otherwise.
//
// CSV: a header "target,description,values" then one target a row; values
// is "favor|against|none" or empty (meaning the same).
//
// JSON: {"targets":[{"name":..., "description":..., "values":[...]}]} or
// just the array; a missing values list means favor, against, none.
func LoadTaxonomy(path string) (Taxonomy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Taxonomy{}, err
	}
	return ParseTaxonomy(data, path)
}

// ParseTaxonomy parses and validates a taxonomy in either format of
// LoadTaxonomy; name labels errors.
func ParseTaxonomy(data []byte, name string) (Taxonomy, error) {
	data = bom.Trim(data)
	trimmed := bytes.TrimSpace(data)
	var t Taxonomy
	var err error
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		t, err = parseTaxonomyJSON(trimmed, name)
	} else {
		t, err = parseTaxonomyCSV(data, name)
	}
	if err != nil {
		return Taxonomy{}, err
	}
	if err := t.Validate(); err != nil {
		for _, e := range err.(ErrorList) {
			e.File = name
		}
		return Taxonomy{}, err
	}
	return t, nil
}

func parseTaxonomyJSON(data []byte, name string) (Taxonomy, error) {
	var targets []Target
	if data[0] == '[' {
		if err := json.Unmarshal(data, &targets); err != nil {
			return Taxonomy{}, fmt.Errorf("%s: %w", name, err)
		}
	} else {
		var t struct{ Targets []Target }
		if err := json.Unmarshal(data, &t); err != nil {
			return Taxonomy{}, fmt.Errorf("%s: %w", name, err)
		}
		targets = t.Targets
	}
	for i := range targets {
		if targets[i].Values == nil {
			targets[i].Values = slices.Clone(DefaultValues)
		}
	}
	return Taxonomy{Targets: targets}, nil
}

func parseTaxonomyCSV(data []byte, name string) (Taxonomy, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return Taxonomy{}, &ParseError{File: name, Err: ErrEmptyFile}
	}
	if err != nil {
		return Taxonomy{}, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	ti, ok := col["target"]
	if !ok {
		return Taxonomy{}, &ParseError{File: name, Line: 1, Column: 1, Err: ErrMissingColumn, Detail: `"target" (want header target,description,values)`}
	}
	di, hasDesc := col["description"]
	vi, hasVals := col["values"]
	var t Taxonomy
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Taxonomy{}, fmt.Errorf("%s: %w", name, err)
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		tg := Target{Name: get(ti), Values: slices.Clone(DefaultValues)}
		if hasDesc {
			tg.Description = get(di)
		}
		if hasVals {
			if v := get(vi); v != "" {
				tg.Values = strings.Split(v, "|")
			}
		}
		t.Targets = append(t.Targets, tg)
	}
	return t, nil
}

// WriteCSV writes the taxonomy in LoadTaxonomy's CSV format; it is the
// starting point for a user's own taxonomy file.
func (t Taxonomy) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"target", "description", "values"})
	for _, tg := range t.Targets {
		cw.Write([]string{tg.Name, tg.Description, strings.Join(tg.Values, "|")})
	}
	cw.Flush()
	return cw.Error()
}
