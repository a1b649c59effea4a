package eval

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/gocarina/gocsv"
	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/labels"
)

// FileFingerprint is the file of Files that saves Report.Gold.
const FileFingerprint = "fingerprint.csv"

// Fingerprint identifies the gold rows an evaluation was made on, without
// holding them: two evaluations were made on the same sentences when their
// IDs agree, and on the same labels too when their Data agree.
type Fingerprint struct {
	// Rows is the number of evaluated rows.
	Rows int
	// IDs is the hex SHA-256 of the rows' ids, sorted: the order of the
	// rows does not matter.
	IDs string
	// Data is the hex SHA-256 of every row's id with its labels, written
	// target=value (empty when unlabelled) in target name order, rows
	// sorted: texts are not hashed.
	Data string
	// Labels names the gold files, as Report.Meta.Labels did when the
	// fingerprint was written (comma-separated); for people only.
	Labels string
}

// FingerprintRows returns the fingerprint of rows, whose Labels are
// aligned with tax's targets.
func FingerprintRows(tax labels.Taxonomy, rows []labels.Gold) Fingerprint {
	ids := make([]string, len(rows))
	data := make([]string, len(rows))
	var cells []string
	for i, r := range rows {
		ids[i] = r.ID
		cells = cells[:0]
		for t, v := range r.Labels {
			name := strconv.Itoa(t)
			if t < len(tax.Targets) {
				name = tax.Targets[t].Name
			}
			cells = append(cells, name+"="+v)
		}
		slices.Sort(cells)
		data[i] = r.ID + "\x1f" + strings.Join(cells, "\x1f")
	}
	return Fingerprint{Rows: len(rows), IDs: hashSorted(ids), Data: hashSorted(data)}
}

// hashSorted is the hex SHA-256 of xs sorted, each ended by 0x1e.
func hashSorted(xs []string) string {
	slices.Sort(xs)
	h := sha256.New()
	for _, x := range xs {
		io.WriteString(h, x)
		h.Write([]byte{0x1e})
	}
	return hex.EncodeToString(h.Sum(nil))
}

type fingerprintRow struct {
	Rows   int    `csv:"rows"`
	IDs    string `csv:"ids_sha256"`
	Data   string `csv:"data_sha256"`
	Labels string `csv:"labels"`
}

// WriteFingerprintCSV writes fingerprint.csv: one row, columns rows,ids_sha256,
// data_sha256,labels (see Fingerprint; labels from r.Meta.Labels).
func (r *Report) WriteFingerprintCSV(w io.Writer) error {
	return gocsv.Marshal([]fingerprintRow{{r.Gold.Rows, r.Gold.IDs, r.Gold.Data, strings.Join(r.Meta.Labels, ", ")}}, w)
}

// ReadFingerprintFile reads a fingerprint.csv written by WriteFingerprintCSV. Problems
// are *labels.ParseError values naming path and the line; a missing file is an
// error satisfying errors.Is(err, fs.ErrNotExist).
func ReadFingerprintFile(path string) (*Fingerprint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(bom.NewReader(f))
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, csvError(path, err)
	}
	bad := func(line int, format string, args ...any) error {
		return &labels.ParseError{File: path, Line: line, Err: fmt.Errorf("not a %s: "+format, append([]any{FileFingerprint}, args...)...)}
	}
	if len(recs) != 2 {
		return nil, bad(1, "want a header and one row, got %d line(s)", len(recs))
	}
	col := columnIndex(recs[0])
	get := func(c string) (string, error) {
		i, ok := col[c]
		if !ok {
			return "", bad(1, "missing column %q", c)
		}
		return strings.TrimSpace(recs[1][i]), nil
	}
	var fp Fingerprint
	for _, c := range []struct {
		name string
		dst  *string
	}{{"ids_sha256", &fp.IDs}, {"data_sha256", &fp.Data}, {"labels", &fp.Labels}} {
		v, err := get(c.name)
		if err != nil {
			return nil, err
		}
		*c.dst = v
	}
	n, err := get("rows")
	if err != nil {
		return nil, err
	}
	if fp.Rows, err = strconv.Atoi(n); err != nil || fp.Rows < 0 {
		return nil, bad(2, "rows %q is not a count", n)
	}
	if len(fp.IDs) != 64 || len(fp.Data) != 64 {
		return nil, bad(2, "a hash is not 64 hex digits")
	}
	return &fp, nil
}

// CompareGold checks that the earlier evaluation r was compared with was
// made on the same gold rows: old is its fingerprint, nil when its
// directory has none (written before stance eval saved one). Call it after
// Compare: without old, it reads the earlier number of sentences from
// r.Changes. It sets r.GoldWarnings and returns them: none when the ids
// and labels are the same; one saying the comparison is not like for like
// when the ids or the labels differ, or, without old, when the numbers of
// sentences differ; otherwise, without old, one saying it cannot be
// checked.
func (r *Report) CompareGold(old *Fingerprint) []string {
	base := orDefault(r.Meta.Baseline, "the earlier evaluation")
	now := describeGold(r.Gold.Rows, strings.Join(r.Meta.Labels, ", "))
	var w string
	switch {
	case old == nil:
		oldRows := -1
		for _, c := range r.Changes {
			if c.Old.Target == AllTargets && c.Old.Fold == "" && c.Flag != FlagNew {
				oldRows = c.Old.N
				break
			}
		}
		if oldRows >= 0 && oldRows != r.Rows {
			w = fmt.Sprintf("the gold rows differ: %s was evaluated on %d sentences, this evaluation on %s, so the comparison is not like for like",
				base, oldRows, now)
		} else {
			w = fmt.Sprintf("cannot check that %s was evaluated on the same gold rows: it has no %s (written by an older stance eval)", base, FileFingerprint)
			if oldRows >= 0 {
				w += fmt.Sprintf("; it has as many sentences (%d), but trust the comparison only if it used the same label file", oldRows)
			}
		}
	case old.IDs != r.Gold.IDs:
		w = fmt.Sprintf("the gold rows differ: %s was evaluated on %s, this evaluation on %s, with other ids, so the comparison is not like for like",
			base, describeGold(old.Rows, old.Labels), now)
	case old.Data != r.Gold.Data:
		w = fmt.Sprintf("the gold labels differ: %s was evaluated on the same %d sentences with other labels, so the comparison is not like for like",
			base, r.Gold.Rows)
	}
	r.GoldWarnings = nil
	if w != "" {
		r.GoldWarnings = []string{w}
	}
	return r.GoldWarnings
}

// describeGold says "60 sentences (a.csv)".
func describeGold(rows int, files string) string {
	s := fmt.Sprintf("%d sentences", rows)
	if files != "" {
		s += " (" + files + ")"
	}
	return s
}
