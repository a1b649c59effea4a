package labels

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/internal/bom"
)

// GoldFile is the content of one or more gold label files, read and
// checked against a taxonomy.
type GoldFile struct {
	// Taxonomy is the taxonomy the rows were checked against; every
	// row's Labels is aligned with its Targets.
	Taxonomy Taxonomy
	// ExtraNames lists the columns that are neither standard nor targets,
	// in the order they first appeared; WriteGold writes them after the
	// targets so that a file survives a round trip.
	ExtraNames []string
	// Rows are the rows in file order, duplicates removed (see ReadGold).
	Rows []Gold
	// Warnings are problems that did not make the input invalid: an exact
	// duplicate row that was dropped.
	Warnings ErrorList

	files []string // per row: the file it came from
	cols  []int    // per row: column of its id field
}

// File returns the name of the file row i of Rows came from ("" if the
// rows were not read by this package).
func (g *GoldFile) File(i int) string {
	if i < len(g.files) {
		return g.files[i]
	}
	return ""
}

// ReadGold reads and checks the gold label file at path against tax.
//
// The format is a CSV header `id,doc_id,date,source,text,<target>...`
// followed by one sentence a row; columns may come in any order, and other
// columns are kept as extras. A UTF-8 BOM, CRLF line ends and quoted
// newlines are accepted. An empty target cell means "not labelled yet" and
// is kept as "" in Gold.Labels, apart from none.
//
// Every problem is collected before failing; the error is then an
// ErrorList, each entry a *ParseError with file, line and column:
//   - a missing standard or target column (line 1);
//   - a duplicate column name;
//   - an unknown column that is a near miss of a target or a missing
//     standard column ("ukraine_suport", "Text"), or an unknown column
//     whose non-empty cells are all favor, against or none (a target the
//     taxonomy does not have); any other column is an extra;
//   - a row with the wrong number of fields, or malformed CSV;
//   - an empty id or text, a date that is not YYYY, YYYY-MM or
//     YYYY-MM-DD (an empty date is allowed: unknown);
//   - a target value other than favor, against, none or empty, with a
//     suggestion when one is close ("favour": did you mean "favor"?);
//   - an id seen before with a different text, or with a different
//     non-empty value for some target.
//
// A row whose id was seen before with the same text and compatible labels
// is dropped with a warning (GoldFile.Warnings); its non-empty labels fill
// the first row's empty ones.
//
// The returned GoldFile is never nil, even with an error: it holds what
// could be read, for callers that want to show it. Rows with an invalid
// value keep the raw cell in Labels; rows with the wrong number of fields
// are left out.
func ReadGold(path string, tax Taxonomy) (*GoldFile, error) {
	return ReadGoldFiles(tax, path)
}

// ReadGoldFiles reads and checks several gold files as one: rows are
// concatenated in argument order, ExtraNames is the union of the files'
// extras in order of first appearance, and duplicate ids are checked
// across files as ReadGold checks them within one. Problems of every file
// are reported together. The path "-" reads standard input (os.Stdin).
func ReadGoldFiles(tax Taxonomy, paths ...string) (*GoldFile, error) {
	return ReadGoldInputs(tax, os.Stdin, paths...)
}

// ReadGoldInputs is ReadGoldFiles with the path "-" read from stdin (and
// named "-" in problems). stdin is read at most once: a second "-" reads
// what is left of it, nothing, and is an empty file.
func ReadGoldInputs(tax Taxonomy, stdin io.Reader, paths ...string) (*GoldFile, error) {
	out := &GoldFile{Taxonomy: tax}
	var errs ErrorList
	for _, p := range paths {
		if p == "-" {
			g, perrs := parseGold(stdin, p, tax)
			errs = append(errs, perrs...)
			out.append(g)
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			errs = append(errs, &ParseError{File: p, Err: err})
			continue
		}
		g, perrs := parseGold(f, p, tax)
		f.Close()
		errs = append(errs, perrs...)
		out.append(g)
	}
	errs = append(errs, out.dedupe()...)
	sortProblems(errs, paths)
	return out, errs.Err()
}

// ParseGold reads and checks one gold file from r, as ReadGold does; name
// is used in error messages.
func ParseGold(r io.Reader, name string, tax Taxonomy) (*GoldFile, error) {
	out := &GoldFile{Taxonomy: tax}
	g, errs := parseGold(r, name, tax)
	out.append(g)
	errs = append(errs, out.dedupe()...)
	sortProblems(errs, []string{name})
	return out, errs.Err()
}

func (g *GoldFile) append(h *GoldFile) {
	for _, n := range h.ExtraNames {
		if !slices.Contains(g.ExtraNames, n) {
			g.ExtraNames = append(g.ExtraNames, n)
		}
	}
	g.Rows = append(g.Rows, h.Rows...)
	g.files = append(g.files, h.files...)
	g.cols = append(g.cols, h.cols...)
	g.Warnings = append(g.Warnings, h.Warnings...)
}

// sortProblems orders problems by file (in argument order), line, column;
// problems with the same position keep their order.
func sortProblems(errs ErrorList, files []string) {
	rank := func(f string) int {
		if i := slices.Index(files, f); i >= 0 {
			return i
		}
		return len(files)
	}
	slices.SortStableFunc(errs, func(a, b *ParseError) int {
		if c := rank(a.File) - rank(b.File); c != 0 {
			return c
		}
		if c := a.Line - b.Line; c != 0 {
			return c
		}
		return a.Column - b.Column
	})
}

// crOnly reports whether the first line of head ends in a lone carriage
// return: a file whose lines end in CR alone.
func crOnly(head []byte) bool {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	j := bytes.IndexByte(head, '\r')
	return j >= 0 && j < len(head)-1
}

// invalidAt returns the byte offset in s of its first invalid UTF-8
// sequence (len(s) if none).
func invalidAt(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		}
	}
	return len(s)
}

// parseGold reads one file; it checks everything but duplicates.
func parseGold(r io.Reader, name string, tax Taxonomy) (*GoldFile, ErrorList) {
	out := &GoldFile{Taxonomy: tax}
	var errs ErrorList
	problem := func(line, col int, err error, format string, args ...any) {
		errs = append(errs, &ParseError{File: name, Line: line, Column: col, Err: err, Detail: fmt.Sprintf(format, args...)})
	}

	// Label cells accepted after trimming and lower-casing: how many, and
	// the first (line, as written, as read).
	fixed, fixedAt, fixedFrom, fixedTo := 0, 0, "", ""

	br := bufio.NewReader(r)
	shift := bom.Skip(br) // bytes of BOM before the first header field
	if head, _ := br.Peek(64 << 10); crOnly(head) {
		// encoding/csv would read the whole file as one header line and
		// report every cell as a duplicate column.
		problem(1, 0, ErrSyntax, "lines end in a carriage return alone (CR, as in old Mac files): save the file with LF or CRLF line ends")
		return out, errs
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1

	header, err := cr.Read()
	if err == io.EOF {
		problem(0, 0, ErrEmptyFile, "no header")
		return out, errs
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			col := pe.Column
			if pe.Line == 1 {
				col += shift
			}
			problem(pe.Line, col, ErrSyntax, "%v", pe.Err)
		} else {
			problem(0, 0, err, "reading header")
		}
		return out, errs
	}
	hpos := func(i int) int {
		_, c := cr.FieldPos(i)
		return c + shift
	}

	// Classify header columns.
	std := make([]int, len(StandardColumns)) // column of each standard field, -1 if missing
	for i := range std {
		std[i] = -1
	}
	tcol := make([]int, len(tax.Targets)) // column of each target, -1 if missing
	for i := range tcol {
		tcol[i] = -1
	}
	type unknownCol struct {
		idx    int
		name   string
		stance bool // every non-empty cell so far is a stance value
		filled bool // at least one non-empty cell
	}
	var unknown []*unknownCol
	seen := map[string]int{}
	names := make([]string, len(header))
	for i, h := range header {
		if !utf8.ValidString(h) {
			problem(1, hpos(i), ErrInvalidUTF8, "column %d's name, at byte %d of it", i+1, invalidAt(h)+1)
			continue
		}
		h = strings.TrimSpace(h)
		names[i] = h
		if h == "" {
			problem(1, hpos(i), ErrMissingColumn, "column %d has no name", i+1)
			continue
		}
		if j, dup := seen[h]; dup {
			problem(1, hpos(i), ErrDuplicateCol, "%q (also column %d)", h, j+1)
			continue
		}
		seen[h] = i
		if j := slices.Index(StandardColumns, h); j >= 0 {
			std[j] = i
		} else if j := tax.Index(h); j >= 0 {
			tcol[j] = i
		} else {
			unknown = append(unknown, &unknownCol{idx: i, name: h, stance: true})
		}
	}
	var missingStd []string
	for j, c := range std {
		if c < 0 {
			missingStd = append(missingStd, StandardColumns[j])
			problem(1, 0, ErrMissingColumn, "%q", StandardColumns[j])
		}
	}
	for j, c := range tcol {
		if c < 0 {
			problem(1, 0, ErrMissingColumn, "target %q", tax.Targets[j].Name)
		}
	}
	// Near misses of a target or of a missing standard column are errors
	// now; the others wait for their cells.
	var extras []*unknownCol
	for _, u := range unknown {
		if t := closest(u.name, tax.Names(), maxNameDist(u.name)); t != "" {
			problem(1, hpos(u.idx), ErrUnknownTarget, "%q: did you mean %q?", u.name, t)
			continue
		}
		if s := closest(u.name, missingStd, maxNameDist(u.name)); s != "" {
			problem(1, hpos(u.idx), ErrMissingColumn, "unknown column %q: did you mean %q?", u.name, s)
			continue
		}
		extras = append(extras, u)
	}
	extraPos := make([]int, len(extras))
	for i, u := range extras {
		extraPos[i] = hpos(u.idx)
	}

	field := func(rec []string, c int) string {
		if c < 0 || c >= len(rec) {
			return ""
		}
		return rec[c]
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problem(pe.Line, pe.Column, ErrSyntax, "%v", pe.Err)
				continue
			}
			problem(0, 0, err, "reading")
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			problem(line, 1, ErrFieldCount, "%d, the header has %d", len(rec), len(header))
			continue
		}
		if i := slices.IndexFunc(rec, func(f string) bool { return !utf8.ValidString(f) }); i >= 0 {
			l, c := cr.FieldPos(i)
			problem(l, c, ErrInvalidUTF8, "column %d (%s), at byte %d of the field", i+1, names[i], invalidAt(rec[i])+1)
			continue
		}
		pos := func(c int) (int, int) { return cr.FieldPos(c) }
		g := Gold{
			ID:     field(rec, std[0]),
			DocID:  field(rec, std[1]),
			Date:   field(rec, std[2]),
			Source: field(rec, std[3]),
			Text:   field(rec, std[4]),
			Labels: make([]string, len(tax.Targets)),
			Line:   line,
		}
		if std[0] >= 0 && strings.TrimSpace(g.ID) == "" {
			l, c := pos(std[0])
			problem(l, c, ErrEmptyID, "")
		}
		if std[4] >= 0 && strings.TrimSpace(g.Text) == "" {
			l, c := pos(std[4])
			problem(l, c, ErrEmptyText, "")
		}
		if g.Date != "" {
			if _, err := ParseDate(g.Date); err != nil {
				l, c := pos(std[2])
				problem(l, c, ErrBadDate, "%q (want YYYY, YYYY-MM or YYYY-MM-DD)", g.Date)
			}
		}
		for j, c := range tcol {
			v := field(rec, c)
			g.Labels[j] = v
			if v == "" || tax.ValueIndex(j, v) >= 0 {
				continue
			}
			// A spreadsheet capitalises and pads cells: "Favor", " none".
			if n := strings.ToLower(strings.TrimSpace(v)); n == "" || tax.ValueIndex(j, n) >= 0 {
				g.Labels[j] = n
				if fixed == 0 {
					fixedAt, fixedFrom, fixedTo = line, v, n
				}
				fixed++
				continue
			}
			l, cc := pos(c)
			msg := fmt.Sprintf("%s: %q (want %s or empty)", tax.Targets[j].Name, v, strings.Join(tax.Targets[j].Values, ", "))
			if s := closest(v, tax.Targets[j].Values, 2); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			problem(l, cc, ErrBadValue, "%s", msg)
		}
		for _, u := range extras {
			v := rec[u.idx]
			if v == "" {
				continue
			}
			u.filled = true
			// As target cells are read: a spreadsheet's "Favor" is favor.
			if !slices.Contains(DefaultValues, strings.ToLower(strings.TrimSpace(v))) {
				u.stance = false
			}
		}
		if len(extras) > 0 {
			g.Extra = make(map[string]string, len(extras))
			for _, u := range extras {
				g.Extra[u.name] = rec[u.idx]
			}
		}
		_, idCol := pos(max(std[0], 0))
		out.Rows = append(out.Rows, g)
		out.files = append(out.files, name)
		out.cols = append(out.cols, idCol)
	}

	if fixed > 0 {
		out.Warnings = append(out.Warnings, &ParseError{File: name, Line: fixedAt,
			Detail: fmt.Sprintf("%d label cell(s) read after trimming spaces and lower-casing, the first %q as %q", fixed, fixedFrom, fixedTo)})
	}

	// An unknown column holding only stance values is a target this
	// taxonomy does not know: silently keeping it as an extra would lose
	// labels the annotator meant to give.
	for i, u := range extras {
		if u.stance && u.filled {
			problem(1, extraPos[i], ErrUnknownTarget, "%q holds stance values but is not a target of the taxonomy in use (the default, a -taxonomy file or the model's): drop or rename the column, or use a taxonomy that has it", u.name)
			for k := range out.Rows {
				delete(out.Rows[k].Extra, u.name)
			}
			continue
		}
		out.ExtraNames = append(out.ExtraNames, u.name)
	}
	return out, errs
}

// maxNameDist is how many edits a column name may be from a known name to
// count as a misspelling: short names need to be closer.
func maxNameDist(s string) int {
	switch n := len(s); {
	case n <= 2:
		return 0
	case n <= 6:
		return 1
	default:
		return 2
	}
}

// dedupe removes repeated ids, reporting conflicts as problems and exact
// repeats as warnings.
func (g *GoldFile) dedupe() ErrorList {
	var errs ErrorList
	first := map[string]int{}
	keep := g.Rows[:0]
	files, cols := g.files[:0], g.cols[:0]
	for i := range g.Rows {
		r := g.Rows[i]
		j, dup := first[r.ID]
		if !dup || r.ID == "" {
			first[r.ID] = len(keep)
			keep = append(keep, r)
			files, cols = append(files, g.files[i]), append(cols, g.cols[i])
			continue
		}
		k := &keep[j]
		at := &ParseError{File: g.files[i], Line: r.Line, Column: g.cols[i], Err: ErrDuplicateID}
		prev := fmt.Sprintf("%s:%d", files[j], k.Line)
		if strings.TrimSpace(k.Text) != strings.TrimSpace(r.Text) {
			at.Detail = fmt.Sprintf("%q also at %s with a different text", r.ID, prev)
			errs = append(errs, at)
			continue
		}
		if diff := labelConflicts(g.Taxonomy, r.Labels, k.Labels); len(diff) > 0 {
			at.Detail = fmt.Sprintf("%q also at %s with different labels (%s)", r.ID, prev, strings.Join(diff, "; "))
			errs = append(errs, at)
			continue
		}
		for t := range r.Labels {
			if k.Labels[t] == "" {
				k.Labels[t] = r.Labels[t]
			}
		}
		at.Detail = fmt.Sprintf("%q repeats %s; row dropped", r.ID, prev)
		g.Warnings = append(g.Warnings, at)
	}
	g.Rows, g.files, g.cols = keep, files, cols
	return errs
}

// labelConflicts lists the targets to which two rows give different
// labels, both non-empty, as "target: here's here, there's there".
func labelConflicts(tax Taxonomy, here, there []string) []string {
	var diff []string
	for t := range min(len(here), len(there), len(tax.Targets)) {
		if a, b := here[t], there[t]; a != "" && b != "" && a != b {
			diff = append(diff, fmt.Sprintf("%s: %s here, %s there", tax.Targets[t].Name, a, b))
		}
	}
	return diff
}
