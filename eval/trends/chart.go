package trends

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ChartOptions tunes WriteChart. The zero value asks for the defaults.
type ChartOptions struct {
	// MaxGroups is how many groups (those with the most documents) get a
	// column of panels when the report is grouped. Zero means 3.
	MaxGroups int
	// Groups, if not empty, are the groups drawn, in this order, instead
	// of the MaxGroups largest; WriteChart fails on a group the report
	// does not have or has only coarse-dated rows for.
	Groups []string
	// PanelWidth and PanelHeight size one panel. Zero means 16 cm × 7 cm.
	PanelWidth, PanelHeight vg.Length
}

// Colors of the favor and against series.
var (
	favorColor   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	againstColor = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
)

// WriteChart draws rep as an image in format "png" or "svg" to w.
//
// There is one panel per target (rows) and, when the report is grouped,
// per group (columns: opt.Groups, or the MaxGroups groups with the most
// documents that have rows to draw; the others are only in the CSV). A
// panel shows, for favor and for against, each value's series estimate
// (ACC where the model's rates define it and it is nowhere clipped, else
// PCC; the panel title says which and the header says what they are) per
// period, a shaded band for its bootstrap interval where the period has
// one (an open circle where it has too few documents for one), and a
// vertical dashed line at the start of each detected change of level.
// Lines join consecutive periods only: a period without documents
// breaks the line. The header explains the shading only when some drawn
// interval has width. The x axis is time (period start in years); rows
// of coarse-dated documents are left out of the chart (the header says
// so when there are any), and a group with nothing else is not drawn.
func WriteChart(w io.Writer, format string, rep *Report, opt ChartOptions) error {
	if opt.MaxGroups <= 0 {
		opt.MaxGroups = 3
	}
	if opt.PanelWidth == 0 {
		opt.PanelWidth = 16 * vg.Centimeter
	}
	if opt.PanelHeight == 0 {
		opt.PanelHeight = 7 * vg.Centimeter
	}
	if len(rep.Targets) == 0 || len(rep.Rows) == 0 {
		return fmt.Errorf("chart: the report has no rows to draw")
	}
	groups, err := chartGroups(rep, opt)
	if err != nil {
		return err
	}
	coarse := false
	for _, r := range rep.Rows {
		coarse = coarse || r.Period.Coarse
	}
	shaded := hasWidth(rep, groups)
	thin := rep.Boot > 0 && hasThin(rep, groups)
	estimators := drawnEstimators(rep, groups)
	// Common x range over every panel, so the columns line up in time.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Rows {
		if !r.Period.Coarse {
			x := decimalYear(r.Period.Start)
			xmin, xmax = min(xmin, x), max(xmax, x)
		}
	}
	if math.IsInf(xmin, 0) || len(groups) == 0 {
		return fmt.Errorf("chart: no period with documents dated precisely enough for %s periods", rep.Unit)
	}
	pad := max((xmax-xmin)*0.03, 1.0/24)
	xmin, xmax = xmin-pad, xmax+pad

	plots := make([][]*plot.Plot, len(rep.Targets))
	for t, target := range rep.Targets {
		plots[t] = make([]*plot.Plot, len(groups))
		for g, group := range groups {
			p, err := panel(rep, target, group)
			if err != nil {
				return err
			}
			p.X.Min, p.X.Max = xmin, xmax
			plots[t][g] = p
		}
	}

	var notes []string
	note := "dashed: start of a new level (change point)"
	if shaded {
		note = "shaded: 95% bootstrap interval (documents resampled); " + note
	}
	if thin {
		note += fmt.Sprintf("; open circle: fewer than %d documents, no interval", rep.IntervalMinDocs)
	}
	notes = append(notes, note)
	notes = append(notes, estimatorNotes(estimators)...)
	notes = append(notes, "a line joins consecutive periods only: a gap is a period without documents")
	if coarse {
		notes = append(notes, "documents dated only to a coarser period than the chart's are in the CSV, not drawn")
	}
	titleSpace := 9*vg.Millimeter + vg.Length(len(notes))*4*vg.Millimeter + 3*vg.Millimeter
	// At least 30 cm wide, so the header's title, notes and legend fit side by side.
	width := max(opt.PanelWidth*vg.Length(len(groups)), 30*vg.Centimeter)
	height := opt.PanelHeight*vg.Length(len(rep.Targets)) + titleSpace
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))}
	case "svg":
		// Embedded fonts keep the text widths the layout was computed with.
		c = vgsvg.NewWith(vgsvg.UseWH(width, height), vgsvg.EmbedFonts(true))
	default:
		return fmt.Errorf("chart: unknown format %q (want png or svg)", format)
	}
	dc := draw.New(c)
	// White background (PNG is otherwise transparent).
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	title := plot.New().Title.TextStyle
	title.Font.Size = vg.Points(14)
	title.XAlign, title.YAlign = draw.XLeft, draw.YTop
	left := vg.Centimeter * 0.5
	dc.FillText(title, vg.Point{X: left, Y: height - vg.Millimeter*3}, chartTitle(rep))
	sub := title
	sub.Font.Size = vg.Points(10)
	for i, n := range notes {
		dc.FillText(sub, vg.Point{X: left, Y: height - vg.Millimeter*9 - vg.Length(i)*4*vg.Millimeter}, n)
	}
	legend, err := headerLegend(shaded)
	if err != nil {
		return err
	}
	legend.Draw(draw.Crop(dc, 0, -vg.Centimeter*0.5, height-titleSpace, -vg.Millimeter*2))

	tiles := draw.Tiles{
		Rows: len(rep.Targets), Cols: len(groups),
		PadX: vg.Centimeter, PadY: 0.5 * vg.Centimeter,
		PadTop: titleSpace, PadBottom: 0.3 * vg.Centimeter,
		PadLeft: 0.3 * vg.Centimeter, PadRight: 0.5 * vg.Centimeter,
	}
	canvases := plot.Align(plots, tiles, dc)
	for t := range plots {
		for g := range plots[t] {
			plots[t][g].Draw(canvases[t][g])
		}
	}
	_, err = c.WriteTo(w)
	return err
}

// chartGroups returns the groups to draw: opt.Groups, or the
// opt.MaxGroups largest groups with rows to draw; {""} without grouping.
func chartGroups(rep *Report, opt ChartOptions) ([]string, error) {
	drawable := map[string]bool{}
	for _, r := range rep.Rows {
		if !r.Period.Coarse {
			drawable[r.Group] = true
		}
	}
	if len(opt.Groups) > 0 {
		if rep.By == "" {
			return nil, fmt.Errorf("chart: groups %s asked for, but the report is not grouped (no -by)", strings.Join(opt.Groups, ", "))
		}
		var out []string
		for _, g := range opt.Groups {
			switch {
			case slices.Contains(out, g):
			case !slices.Contains(rep.Groups, g):
				return nil, fmt.Errorf("chart: no %s %q in the report (%d groups, the largest %s)", rep.By, g, len(rep.Groups), listSome(rep.Groups, 5))
			case !drawable[g]:
				return nil, fmt.Errorf("chart: %s %q has only documents dated more coarsely than %s periods, nothing to draw", rep.By, g, rep.Unit)
			default:
				out = append(out, g)
			}
		}
		return out, nil
	}
	if len(rep.Groups) == 0 {
		return []string{""}, nil
	}
	var out []string
	for _, g := range rep.Groups {
		if drawable[g] && len(out) < opt.MaxGroups {
			out = append(out, g)
		}
	}
	return out, nil
}

// hasThin reports whether a drawn row has too few documents for an
// interval.
func hasThin(rep *Report, groups []string) bool {
	for _, r := range rep.Rows {
		if !r.Period.Coarse && slices.Contains(groups, r.Group) && r.Documents < rep.IntervalMinDocs {
			return true
		}
	}
	return false
}

// drawnEstimators returns which estimators the drawn series use, and
// whether some series uses PCC because ACC is clipped.
func drawnEstimators(rep *Report, groups []string) (used map[string]bool) {
	used = map[string]bool{}
	for _, r := range rep.Rows {
		if r.Period.Coarse || !slices.Contains(groups, r.Group) {
			continue
		}
		for _, vs := range []ValueStats{r.Favor, r.Against} {
			used[vs.Estimator] = true
			if vs.ACCClipped {
				used["clipped"] = true
			}
		}
	}
	return used
}

// estimatorNotes says in words what the drawn estimators are.
func estimatorNotes(used map[string]bool) []string {
	var out []string
	if used[ACC] {
		out = append(out, "ACC (adjusted classify and count): the share of sentences classified favor or against, corrected for the model's error rates on held-out data")
	}
	if used[PCC] {
		s := "PCC (probabilistic classify and count): the mean probability the model gave favor or against"
		switch {
		case used["clipped"]:
			s += "; drawn where ACC is undefined or clipped at 0 or 1 (the share is outside the error rates)"
		case used[ACC]:
			s += "; drawn where the model has no usable error rates for ACC"
		}
		out = append(out, s)
	}
	return append(out, "CC (classify and count, the share classified, in the CSV) is not corrected for the model's errors")
}

// hasWidth reports whether any interval drawn for groups (non-coarse
// rows, the series estimate of favor or against) has Hi > Lo. NaN bounds
// (no bootstrap) have no width.
func hasWidth(rep *Report, groups []string) bool {
	for _, r := range rep.Rows {
		if r.Period.Coarse || !slices.Contains(groups, r.Group) {
			continue
		}
		for _, vs := range []ValueStats{r.Favor, r.Against} {
			if e := vs.Series(); e.Hi > e.Lo {
				return true
			}
		}
	}
	return false
}

// headerLegend explains the colours and marks once for every panel, and
// the shading when there is some.
func headerLegend(shaded bool) (plot.Legend, error) {
	l := plot.NewLegend()
	l.Top, l.Left = true, false
	l.TextStyle.Font.Size = vg.Points(10)
	l.ThumbnailWidth = vg.Centimeter
	for v, col := range []color.RGBA{favorColor, againstColor} {
		line, points, err := plotter.NewLinePoints(plotter.XYs{})
		if err != nil {
			return l, err
		}
		line.Color, line.Width = col, vg.Points(1.5)
		points.Color, points.Shape, points.Radius = col, draw.CircleGlyph{}, vg.Points(2)
		text := values[v] + " prevalence"
		if shaded {
			text += ", 95% interval shaded"
		}
		l.Add(text, line, points)
	}
	dash, err := plotter.NewLine(plotter.XYs{})
	if err != nil {
		return l, err
	}
	dash.Color, dash.Dashes = color.Gray{Y: 0x60}, []vg.Length{vg.Points(4), vg.Points(3)}
	l.Add("change of level", dash)
	return l, nil
}

func chartTitle(rep *Report) string {
	s := "Stance prevalence per " + rep.Unit.String() + " (share of sentences)"
	if rep.By != "" {
		s += " by " + rep.By
	}
	return s
}

// panel draws one target × group.
func panel(rep *Report, target, group string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = target
	if rep.By != "" {
		g := group
		if g == "" {
			g = "(empty)"
		}
		p.Title.Text += " — " + rep.By + " " + g
	}
	p.X.Label.Text = "period start"
	p.Y.Label.Text = "share of sentences"
	p.X.Tick.Marker = plot.TickerFunc(timeTicks)
	p.Y.Min = 0
	p.Add(plotter.NewGrid())

	ymax := 0.0
	var estimators [2]string
	for v, col := range []color.RGBA{favorColor, againstColor} {
		runs := seriesRuns(rep, target, group)
		if len(runs) == 0 {
			continue
		}
		estimator := runs[0][0].Favor.Estimator
		if v == 1 {
			estimator = runs[0][0].Against.Estimator
		}
		stats := func(r Row) Estimate {
			if v == 1 {
				return r.Against.Series()
			}
			return r.Favor.Series()
		}
		for _, run := range runs {
			var pts, open plotter.XYs
			// bands: stretches of the run whose periods have intervals.
			var bands []plotter.XYs
			inBand := false
			for _, r := range run {
				e := stats(r)
				x := decimalYear(r.Period.Start)
				pts = append(pts, plotter.XY{X: x, Y: e.Value})
				ymax = max(ymax, e.Value)
				if math.IsNaN(e.Lo) {
					inBand = false
					if rep.Boot > 0 {
						open = append(open, plotter.XY{X: x, Y: e.Value})
					}
					continue
				}
				if !inBand {
					bands = append(bands, nil)
					inBand = true
				}
				bands[len(bands)-1] = append(bands[len(bands)-1], plotter.XY{X: x, Y: e.Lo}, plotter.XY{X: x, Y: e.Hi})
				ymax = max(ymax, e.Hi)
			}
			fill := color.NRGBA{R: col.R, G: col.G, B: col.B, A: 0x45}
			for _, b := range bands {
				if len(b) == 2 {
					// One period: a bar, not a polygon of no area.
					bar, err := plotter.NewLine(b)
					if err != nil {
						return nil, err
					}
					bar.Color, bar.Width = fill, vg.Points(5)
					p.Add(bar)
					continue
				}
				var ring plotter.XYs
				for i := 0; i < len(b); i += 2 {
					ring = append(ring, b[i])
				}
				for i := len(b) - 1; i > 0; i -= 2 {
					ring = append(ring, b[i])
				}
				band, err := plotter.NewPolygon(ring)
				if err != nil {
					return nil, err
				}
				band.Color = fill
				band.LineStyle.Width = 0
				p.Add(band)
			}
			line, points, err := plotter.NewLinePoints(pts)
			if err != nil {
				return nil, err
			}
			line.Color, line.Width = col, vg.Points(1.5)
			points.Color, points.Shape = col, draw.CircleGlyph{}
			points.Radius = vg.Points(2)
			p.Add(line, points)
			if len(open) > 0 {
				// An open circle: a period too thin for an interval.
				rings, err := plotter.NewScatter(open)
				if err != nil {
					return nil, err
				}
				rings.Color, rings.Shape, rings.Radius = color.White, draw.CircleGlyph{}, vg.Points(1.6)
				p.Add(rings)
			}
		}
		estimators[v] = strings.ToUpper(estimator)

		for _, c := range rep.Changes {
			if c.Target != target || c.Group != group || c.Value != values[v] {
				continue
			}
			x := decimalYear(c.Period.Start)
			l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 1}})
			if err != nil {
				return nil, err
			}
			l.Color, l.Width = col, vg.Points(1)
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(l)
		}
	}
	switch {
	case estimators[0] == estimators[1]:
		p.Title.Text += " (" + estimators[0] + ")"
	default:
		p.Title.Text += fmt.Sprintf(" (favor %s, against %s)", estimators[0], estimators[1])
	}
	p.Y.Max = min(1, max(ymax*1.1, 0.05))
	return p, nil
}

// seriesRuns returns the non-coarse rows of one target × group in time
// order, cut into runs of consecutive periods: a period without
// documents between two rows starts a new run, so that no line is drawn
// across it.
func seriesRuns(rep *Report, target, group string) [][]Row {
	var runs [][]Row
	var prevEnd time.Time
	for _, r := range rep.Rows {
		if r.Target != target || r.Group != group || r.Period.Coarse {
			continue
		}
		if len(runs) == 0 || !r.Period.Start.Equal(prevEnd) {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], r)
		prevEnd = r.Period.End
	}
	return runs
}

// decimalYear maps a time to years, 2019-07-02 ≈ 2019.5.
func decimalYear(t time.Time) float64 {
	y := t.Year()
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
	return float64(y) + float64(t.Sub(start))/float64(end.Sub(start))
}

// timeTicks labels a decimal-year axis with years, or with months over
// spans under two years, at most about 8 labels.
func timeTicks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	if hi-lo >= 2 {
		step := int(math.Ceil((hi - lo) / 8))
		for y := int(math.Ceil(lo)); float64(y) <= hi; y++ {
			label := ""
			if y%step == 0 {
				label = fmt.Sprint(y)
			}
			ticks = append(ticks, plot.Tick{Value: float64(y), Label: label})
		}
		return ticks
	}
	months := int(math.Ceil((hi - lo) * 12))
	step := max(1, int(math.Ceil(float64(months)/8)))
	t := time.Date(int(math.Floor(lo)), 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; ; i++ {
		m := t.AddDate(0, i, 0)
		x := decimalYear(m)
		if x > hi {
			break
		}
		if x < lo {
			continue
		}
		label := ""
		if (int(m.Month())-1)%step == 0 {
			label = m.Format("2006-01")
		}
		ticks = append(ticks, plot.Tick{Value: x, Label: label})
	}
	return ticks
}
