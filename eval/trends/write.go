package trends

import (
	"io"
	"math"
	"strconv"

	"github.com/gocarina/gocsv"
)

// num is a float written with 4 decimals, and NaN as an empty cell.
type num float64

// MarshalCSV implements gocsv.TypeMarshaller.
func (x num) MarshalCSV() (string, error) {
	if math.IsNaN(float64(x)) {
		return "", nil
	}
	return strconv.FormatFloat(float64(x), 'f', 4, 64), nil
}

// shift is a Shift written as up, down or empty.
type shift int

// MarshalCSV implements gocsv.TypeMarshaller.
func (s shift) MarshalCSV() (string, error) {
	switch {
	case s > 0:
		return "up", nil
	case s < 0:
		return "down", nil
	}
	return "", nil
}

// csvRow is the file layout of a Row.
type csvRow struct {
	Period      string `csv:"period"`
	PeriodStart string `csv:"period_start"`
	PeriodEnd   string `csv:"period_end"`
	Coarse      bool   `csv:"coarse"`
	By          string `csv:"by"`
	Group       string `csv:"group"`
	Target      string `csv:"target"`
	Documents   int    `csv:"documents"`
	Sentences   int    `csv:"sentences"`
	Favor       int    `csv:"favor"`
	Against     int    `csv:"against"`
	None        int    `csv:"none"`
	FavorShare  num    `csv:"favor_share"`
	AgainstShr  num    `csv:"against_share"`
	Net         num    `csv:"net"`
	PFavor      num    `csv:"p_favor"`
	PAgainst    num    `csv:"p_against"`

	CCFavor    num `csv:"cc_favor"`
	CCFavorLo  num `csv:"cc_favor_lo"`
	CCFavorHi  num `csv:"cc_favor_hi"`
	PCCFavor   num `csv:"pcc_favor"`
	PCCFavorLo num `csv:"pcc_favor_lo"`
	PCCFavorHi num `csv:"pcc_favor_hi"`
	ACCFavor   num `csv:"acc_favor"`
	ACCFavorLo num `csv:"acc_favor_lo"`
	ACCFavorHi num `csv:"acc_favor_hi"`

	CCAgainst    num `csv:"cc_against"`
	CCAgainstLo  num `csv:"cc_against_lo"`
	CCAgainstHi  num `csv:"cc_against_hi"`
	PCCAgainst   num `csv:"pcc_against"`
	PCCAgainstLo num `csv:"pcc_against_lo"`
	PCCAgainstHi num `csv:"pcc_against_hi"`
	ACCAgainst   num `csv:"acc_against"`
	ACCAgainstLo num `csv:"acc_against_lo"`
	ACCAgainstHi num `csv:"acc_against_hi"`

	EstimatorFavor   string `csv:"estimator_favor"`
	EstimatorAgainst string `csv:"estimator_against"`
	Shift            bool   `csv:"shift"`
	ShiftFavor       shift  `csv:"shift_favor"`
	ShiftAgainst     shift  `csv:"shift_against"`

	ACCFavorClipped   bool `csv:"acc_favor_clipped"`
	ACCAgainstClipped bool `csv:"acc_against_clipped"`
}

// WriteCSV writes rows as CSV with a header, one line per row. Columns:
// period, period_start, period_end (exclusive), coarse (the documents'
// dates were coarser than the asked period), by, group, target,
// documents, sentences, the favor/against/none counts, favor_share,
// against_share, net, p_favor, p_against (mean probabilities), then for
// favor and for against the cc, pcc and acc estimates each with _lo and
// _hi bounds, estimator_favor and estimator_against (the estimator used
// for shifts and change points), shift (either value shifted) and
// shift_favor, shift_against (up, down or empty), and acc_favor_clipped,
// acc_against_clipped (ACC fell outside [0,1] and was clipped to the
// bound: the series then uses PCC). Undefined numbers are empty cells,
// and so are the bounds of a row with too few documents for an interval;
// numbers have 4 decimals.
func WriteCSV(w io.Writer, rows []Row) error {
	out := make([]csvRow, len(rows))
	for i, r := range rows {
		f, a := r.Favor, r.Against
		out[i] = csvRow{
			Period: r.Period.Label, PeriodStart: r.Period.Start.Format("2006-01-02"),
			PeriodEnd: r.Period.End.Format("2006-01-02"), Coarse: r.Period.Coarse,
			By: r.By, Group: r.Group, Target: r.Target,
			Documents: r.Documents, Sentences: r.Sentences,
			Favor: f.Count, Against: a.Count, None: r.None,
			FavorShare: num(f.Share), AgainstShr: num(a.Share), Net: num(r.Net),
			PFavor: num(f.MeanProb), PAgainst: num(a.MeanProb),

			CCFavor: num(f.CC.Value), CCFavorLo: num(f.CC.Lo), CCFavorHi: num(f.CC.Hi),
			PCCFavor: num(f.PCC.Value), PCCFavorLo: num(f.PCC.Lo), PCCFavorHi: num(f.PCC.Hi),
			ACCFavor: num(f.ACC.Value), ACCFavorLo: num(f.ACC.Lo), ACCFavorHi: num(f.ACC.Hi),

			CCAgainst: num(a.CC.Value), CCAgainstLo: num(a.CC.Lo), CCAgainstHi: num(a.CC.Hi),
			PCCAgainst: num(a.PCC.Value), PCCAgainstLo: num(a.PCC.Lo), PCCAgainstHi: num(a.PCC.Hi),
			ACCAgainst: num(a.ACC.Value), ACCAgainstLo: num(a.ACC.Lo), ACCAgainstHi: num(a.ACC.Hi),

			EstimatorFavor: f.Estimator, EstimatorAgainst: a.Estimator,
			Shift:      f.Shift != 0 || a.Shift != 0,
			ShiftFavor: shift(f.Shift), ShiftAgainst: shift(a.Shift),
			ACCFavorClipped: f.ACCClipped, ACCAgainstClipped: a.ACCClipped,
		}
	}
	return gocsv.Marshal(out, w)
}

// csvChange is the file layout of a Change.
type csvChange struct {
	Group       string `csv:"group"`
	Target      string `csv:"target"`
	Value       string `csv:"value"`
	Estimator   string `csv:"estimator"`
	Period      string `csv:"period"`
	PeriodStart string `csv:"period_start"`
	Before      num    `csv:"before"`
	After       num    `csv:"after"`
}

// WriteChanges writes change points as CSV with a header: group, target,
// value, estimator, period (the first period of the new level),
// period_start, before and after (the mean levels on either side).
func WriteChanges(w io.Writer, changes []Change) error {
	out := make([]csvChange, len(changes))
	for i, c := range changes {
		out[i] = csvChange{c.Group, c.Target, c.Value, c.Estimator, c.Period.Label,
			c.Period.Start.Format("2006-01-02"), num(c.Before), num(c.After)}
	}
	return gocsv.Marshal(out, w)
}
