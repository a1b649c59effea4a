// Package k8s_test checks the Kubernetes example: the manifests' shape,
// and their commands run pod by pod (JOB_COMPLETION_INDEX set as the
// Indexed Job sets it), then the report, against a single run.
package k8s_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// job is what the tests read of a Job manifest. No YAML parser is in the
// module's requirements, so this reads the few fields it needs by their
// lines (the manifests keep command a one-line flow sequence, valid JSON).
type job struct {
	name                     string
	indexed                  bool
	completions, parallelism int
	command                  []string
	env                      map[string]string
}

func readJob(t *testing.T, path string) job {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	field := func(name string) string {
		m := regexp.MustCompile(`(?m)^\s*`+name+`:\s*(.*?)\s*$`).FindAllStringSubmatch(text, -1)
		if len(m) != 1 {
			t.Fatalf("%s: %d %s fields, want 1", path, len(m), name)
		}
		return m[0][1]
	}
	number := func(name string) int {
		n, err := strconv.Atoi(field(name))
		if err != nil || n < 1 {
			t.Fatalf("%s: %s: %q, want a count", path, name, field(name))
		}
		return n
	}
	j := job{env: map[string]string{}}
	for _, f := range []struct{ name, want string }{{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"restartPolicy", "Never"}} {
		if got := field(f.name); got != f.want {
			t.Errorf("%s: %s: %s, want %s", path, f.name, got, f.want)
		}
	}
	j.name = field("name")
	if strings.Contains(text, "completionMode:") {
		j.indexed = field("completionMode") == "Indexed"
	}
	j.completions, j.parallelism = number("completions"), number("parallelism")
	if err := json.Unmarshal([]byte(field("command")), &j.command); err != nil {
		t.Fatalf("%s: command is not a one-line flow sequence of quoted strings: %v", path, err)
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*- name: (\S+)\n\s*value: "([^"]*)"$`).FindAllStringSubmatch(text, -1) {
		j.env[m[1]] = m[2]
	}
	if !strings.Contains(text, "mountPath: "+j.env["DATA"]+"\n") {
		t.Errorf("%s: DATA=%s is not where the volume is mounted", path, j.env["DATA"])
	}
	return j
}

func TestManifests(t *testing.T) {
	c := readJob(t, "classify-job.yaml")
	if !c.indexed || c.parallelism > c.completions {
		t.Errorf("classify-job.yaml: completionMode Indexed %v, completions %d, parallelism %d", c.indexed, c.completions, c.parallelism)
	}
	if c.env["STANCE_SHARDS"] != strconv.Itoa(c.completions) {
		t.Errorf("classify-job.yaml: STANCE_SHARDS=%q, completions %d: they must agree", c.env["STANCE_SHARDS"], c.completions)
	}
	if !strings.Contains(strings.Join(c.command, " "), "part-%i-of-%n.csv") {
		t.Errorf("classify-job.yaml: command %q writes no part-%%i-of-%%n.csv", c.command)
	}
	r := readJob(t, "report-job.yaml")
	if r.indexed || r.completions != 1 {
		t.Errorf("report-job.yaml: one pod, not indexed: got indexed %v, completions %d", r.indexed, r.completions)
	}
}

// TestIndexedJobLocally runs the manifests' commands as the pods would:
// classify once per index, then the report, and compares the trends with
// one classify + report of the same corpus.
func TestIndexedJobLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	classify, report := readJob(t, "classify-job.yaml"), readJob(t, "report-job.yaml")
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	run := func(env []string, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %q: %v\n%s", name, args, err, out.String())
		}
	}
	run(nil, "go", "build", "-o", filepath.Join(bin, "stance"), "../../cmd/stance")
	stance := filepath.Join(bin, "stance")

	data := filepath.Join(tmp, "data")
	os.MkdirAll(data, 0o755)
	corpus, _ := filepath.Abs("../corpus")
	// A copy, not a symbolic link: a link to a folder given as a path
	// is read as a file of no known extension, and ignored.
	if err := os.CopyFS(filepath.Join(data, "corpus"), os.DirFS(corpus)); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(data, "model.stance")
	run(nil, stance, "train", "-labels", "../labels.csv", "-out", model)
	one := filepath.Join(tmp, "one.csv")
	run(nil, stance, "classify", "-quiet", "-model", model, "-out", one, corpus)
	want := filepath.Join(tmp, "want.csv")
	run(nil, stance, "report", "-quiet", "-model", model, "-in", one, "-out", want)

	podEnv := func(j job, extra ...string) []string {
		env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "DATA=" + data}
		for k, v := range j.env {
			if k != "DATA" {
				env = append(env, k+"="+v)
			}
		}
		return append(env, extra...)
	}
	for i := range classify.completions {
		run(podEnv(classify, "JOB_COMPLETION_INDEX="+strconv.Itoa(i)), classify.command[0], classify.command[1:]...)
	}
	run(podEnv(report), report.command[0], report.command[1:]...)
	a, _ := os.ReadFile(want)
	b, err := os.ReadFile(filepath.Join(data, "trends.csv"))
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("the Indexed Job's trends.csv differs from one run's (%v):\n%s\n---\n%s", err, b, a)
	}

	// An index past the count is refused, exit 2.
	cmd := exec.Command(classify.command[0], classify.command[1:]...)
	cmd.Env = append(os.Environ(), podEnv(classify, "JOB_COMPLETION_INDEX="+strconv.Itoa(classify.completions))...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "is not below the count") {
		t.Fatalf("index %d of %d: %v\n%s", classify.completions, classify.completions, err, out)
	}
}
