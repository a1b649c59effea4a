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
// per group (columns, the MaxGroups groups with the most documents;
// the others are only in the CSV). A panel shows, for favor and for
// against, each value's series estimate (ACC where the model's rates
// define it, else PCC; the legend says which) per period, a shaded band
// for its bootstrap interval, and a vertical dashed line at the start of
// each detected change of level. The header explains the shading only
// when some drawn interval has width: with one document per period, or
// without a bootstrap, there is nothing shaded to explain. The x axis is
// time (period start in years); rows of coarse-dated documents are left
// out of the chart (the header says so when there are any).
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
	groups := rep.Groups
	if len(groups) == 0 {
		groups = []string{""}
	}
	if len(groups) > opt.MaxGroups {
		groups = groups[:opt.MaxGroups]
	}
	coarse := false
	for _, r := range rep.Rows {
		coarse = coarse || r.Period.Coarse
	}
	shaded := hasWidth(rep, groups)
	// Common x range over every panel, so the columns line up in time.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Rows {
		if !r.Period.Coarse {
			x := decimalYear(r.Period.Start)
			xmin, xmax = min(xmin, x), max(xmax, x)
		}
	}
	if math.IsInf(xmin, 0) {
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

	const titleSpace = 2 * vg.Centimeter
	// At least 26 cm wide, so the header's title and legend fit side by side.
	width := max(opt.PanelWidth*vg.Length(len(groups)), 26*vg.Centimeter)
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
	note := "dashed: start of a new level (change point); no interval has any width to shade"
	if shaded {
		note = "shaded: 95% bootstrap interval (documents resampled); dashed: start of a new level (change point)"
	}
	dc.FillText(sub, vg.Point{X: left, Y: height - vg.Millimeter*9}, note)
	if coarse {
		dc.FillText(sub, vg.Point{X: left, Y: height - vg.Millimeter*13},
			"documents dated only to a coarser period than the chart's are in the CSV, not drawn")
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
		var pts, lo, hi plotter.XYs
		estimator := ""
		for _, r := range rep.Rows {
			if r.Target != target || r.Group != group || r.Period.Coarse {
				continue
			}
			vs := r.Favor
			if v == 1 {
				vs = r.Against
			}
			e := vs.Series()
			estimator = vs.Estimator
			x := decimalYear(r.Period.Start)
			pts = append(pts, plotter.XY{X: x, Y: e.Value})
			if !math.IsNaN(e.Lo) {
				lo = append(lo, plotter.XY{X: x, Y: e.Lo})
				hi = append(hi, plotter.XY{X: x, Y: e.Hi})
				ymax = max(ymax, e.Hi)
			}
			ymax = max(ymax, e.Value)
		}
		if len(pts) == 0 {
			continue
		}
		if len(lo) > 0 {
			ring := append(plotter.XYs{}, lo...)
			for i := len(hi) - 1; i >= 0; i-- {
				ring = append(ring, hi[i])
			}
			band, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, err
			}
			band.Color = color.NRGBA{R: col.R, G: col.G, B: col.B, A: 0x45}
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
