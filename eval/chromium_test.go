package eval

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stance-project/stance/labels"
)

// chromiumPath returns a headless-capable Chromium, or "" if none is
// installed.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

func chromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Errorf("chromium %v: %v\n%s", args, err, stderr.String()) // Errorf: may run in a goroutine
		return nil
	}
	return stdout.Bytes()
}

// TestReportRendersInChromium opens report.html in headless Chromium,
// checks the rendered DOM holds the headline, every table and chart, and
// that a screenshot of it is a real picture.
func TestReportRendersInChromium(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("Chromium not installed (/usr/bin/chromium): cannot render report.html; .ci/run installs it")
	}
	dir := t.TempDir()
	rep := goldenReport(t, 300)
	if err := writeDir(rep, dir); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.Join(dir, FileReport)

	// The two runs are independent: take the screenshot while the DOM
	// is dumped.
	shot := filepath.Join(dir, "report.png")
	shotDone := make(chan []byte, 1)
	go func() {
		shotDone <- chromium(t, bin, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", url)
	}()
	dom := string(chromium(t, bin, "--dump-dom", url))
	<-shotDone
	if t.Failed() {
		return
	}
	head, _ := rep.Systems[0].Lookup("", AllTargets, "", MetricMeanFAvg)
	wants := []string{
		`<section id="headline">`,
		`<div class="big">` + fmtScore(head.Estimate) + `</div>`, // the headline number
		`<section id="comparison">`,
		`<section id="targets">`,
		`<section id="confusion">`,
		`<section id="calibration">`,
		`most confident errors`,
	}
	for _, tg := range labels.Default().Targets {
		wants = append(wants, "<strong>"+tg.Name+"</strong>")
	}
	for _, w := range wants {
		if !strings.Contains(dom, w) {
			t.Errorf("rendered DOM lacks %q", w)
		}
	}
	for _, c := range []struct {
		what string
		n    int
	}{
		{"<table", 1 + 1 + 4 + 1}, // comparison, targets, 4 confusion, errors
		{"<svg", 1 + 5},           // bar chart, reliability ALL + 4 targets
		{"<rect", 10},
	} {
		if got := strings.Count(dom, c.what); got < c.n {
			t.Errorf("rendered DOM has %d %s, want at least %d", got, c.what, c.n)
		}
	}
	if got := strings.Count(dom, `<tr><td class="l">s`); got != MostConfidentErrors {
		t.Errorf("%d error rows rendered, want %d", got, MostConfidentErrors)
	}

	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %v, want 1280×2000", b)
	}
	colours := map[uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[(r>>8)<<16|(g>>8)<<8|bl>>8]++
		}
	}
	// A blank or error page has a handful of colours; the report has
	// text, tinted cells, blue and orange bars.
	if len(colours) < 50 {
		t.Errorf("screenshot has only %d colours: not rendered?", len(colours))
	}
	blue := 0
	for c, n := range colours {
		r, g, bl := c>>16, c>>8&0xff, c&0xff
		if bl > 200 && r < 60 && g > 80 && g < 130 { // the model's bars, #2563eb
			blue += n
		}
	}
	if blue < 500 {
		t.Errorf("only %d sampled pixels of the model's blue: chart not drawn?", blue)
	}
}
