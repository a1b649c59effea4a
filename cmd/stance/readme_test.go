package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeExamples checks the README's command examples against what a
// new user has: every file they read under examples/ or ../shared exists
// (../shared when it is beside the checkout), every out/ file they read
// is written by an earlier example, and every stance command and labels
// subcommand exists. (Running them all takes minutes on ../shared: the
// examples were run in order on a fresh checkout, see the commit.)
func TestReadmeExamples(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	readme = readme[strings.Index(readme, "## Commands"):]
	var lines []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		for _, l := range strings.Split(strings.ReplaceAll(m[1], "\\\n", " "), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) < 20 {
		t.Fatalf("found %d example lines", len(lines))
	}
	_, sharedErr := os.Stat(filepath.Join("..", "..", "..", "shared"))
	var cmds, labelsCmds []string
	for _, c := range commands() {
		cmds = append(cmds, c.name)
	}
	for _, c := range labelsCommands() {
		labelsCmds = append(labelsCmds, c.name)
	}
	written := map[string]bool{}
	path := regexp.MustCompile(`^(\.\./shared|examples|out)/`)
	file := regexp.MustCompile(`\.(csv|tsv|stance|txt|jsonl|gz|png|svg|json)$`)
	for _, l := range lines {
		for _, part := range strings.Split(l, "|") {
			f := strings.Fields(strings.SplitN(part, "#", 2)[0])
			for i := 0; i < len(f); i++ {
				if f[i] != "stance" || i+1 >= len(f) {
					continue
				}
				if !slices.Contains(cmds, f[i+1]) {
					t.Errorf("%s: no command %q", l, f[i+1])
				}
				if f[i+1] == "labels" && (i+2 >= len(f) || !slices.Contains(labelsCmds, f[i+2])) {
					t.Errorf("%s: no labels command", l)
				}
			}
			for i, w := range f {
				outFlag := i > 0 && (f[i-1] == "-out" || f[i-1] == "-chart" || f[i-1] == "-changes" || f[i-1] == ">")
				w = strings.TrimSuffix(w, "/")
				switch {
				case outFlag:
					written[w] = true
				case !path.MatchString(w) && file.MatchString(w):
					t.Errorf("%s: reads %s, outside examples/, ../shared and out/: a new user does not have it", l, w)
				case !path.MatchString(w):
				case strings.HasPrefix(w, "out/"):
					if !written[w] && !written[filepath.Dir(w)] {
						t.Errorf("%s: reads %s, which no earlier example writes", l, w)
					}
				case strings.HasPrefix(w, "../shared/") && sharedErr != nil:
				default:
					if _, err := os.Stat(filepath.Join("..", "..", w)); err != nil {
						t.Errorf("%s: %v", l, err)
					}
				}
			}
		}
	}
}

// TestReadmeLayout checks the README's layout table against the import
// graph: every package of the project has a row, and its "imports of the
// project" cell lists exactly the project packages it imports, so a
// newcomer can draw the graph from the table alone.
func TestReadmeLayout(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the packages")
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const module = "github.com/stance-project/stance/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], module)
		if strings.HasPrefix(pkg, "bench") || strings.HasPrefix(pkg, "examples") {
			continue
		}
		imps := []string{}
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, module) {
				imps = append(imps, strings.TrimPrefix(imp, module))
			}
		}
		graph[pkg] = imps
	}
	if len(graph) < 10 {
		t.Fatalf("go list found %d packages", len(graph))
	}
	readme := string(b)
	readme = readme[strings.Index(readme, "## Layout"):]
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\| .* \\| (.*) \\|$")
	rows := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(readme, -1) {
		imps := []string{}
		for _, c := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[2], -1) {
			imps = append(imps, c[1])
		}
		rows[strings.TrimSuffix(m[1], "/")] = imps
	}
	for pkg, imps := range graph {
		got, ok := rows[pkg]
		if !ok {
			t.Errorf("README layout: no row for package %s", pkg)
			continue
		}
		slices.Sort(got)
		slices.Sort(imps)
		if !slices.Equal(got, imps) {
			t.Errorf("README layout: %s imports %v, the table says %v", pkg, imps, got)
		}
	}
}
