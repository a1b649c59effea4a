package pipeline

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/ from the current output")

// splitCase is one case of testdata/split/cases.txt.
type splitCase struct {
	name  string
	input string
	want  []string
}

// readSplitCases parses the golden file: a comment header, then cases made
// of "### name", input lines, "---", expected lines.
func readSplitCases(t *testing.T, path string) (header string, cases []splitCase) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	i := 0
	var hdr []string
	for i < len(lines) && !strings.HasPrefix(lines[i], "### ") {
		hdr = append(hdr, lines[i])
		i++
	}
	for i < len(lines) {
		c := splitCase{name: strings.TrimPrefix(lines[i], "### ")}
		i++
		var in []string
		for i < len(lines) && lines[i] != "---" {
			in = append(in, lines[i])
			i++
		}
		if i == len(lines) {
			t.Fatalf("%s: case %q: no --- line", path, c.name)
		}
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], "### ") {
			if lines[i] != "" {
				c.want = append(c.want, lines[i])
			}
			i++
		}
		c.input = strings.Join(in, "\n")
		cases = append(cases, c)
	}
	return strings.Join(hdr, "\n"), cases
}

func TestSplitGolden(t *testing.T) {
	path := filepath.Join("testdata", "split", "cases.txt")
	header, cases := readSplitCases(t, path)
	if len(cases) < 60 {
		t.Errorf("only %d cases in %s, want at least 60", len(cases), path)
	}
	seen := map[string]bool{}
	var out strings.Builder
	out.WriteString(header + "\n")
	for _, c := range cases {
		if seen[c.name] {
			t.Errorf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		got := SplitSentences(c.input)
		fmt := "### " + c.name + "\n"
		if c.input != "" {
			fmt += c.input + "\n"
		}
		fmt += "---\n"
		for _, s := range got {
			fmt += s + "\n"
		}
		out.WriteString(fmt)
		if *update {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("SplitSentences(%q)\n got: %q\nwant: %q", c.input, got, c.want)
			}
		})
	}
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
