package pipeline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// renderDocuments writes one line per document or skip, for golden files.
func renderDocuments(t *testing.T, paths []string, opts ReadOptions) string {
	t.Helper()
	var b strings.Builder
	for d, err := range ReadDocuments(paths, opts) {
		if err != nil {
			var se *SkipError
			if !errors.As(err, &se) {
				t.Errorf("error %v is not a *SkipError", err)
			}
			fmt.Fprintf(&b, "skip [%s] %s\n", se.Reason, filepath.ToSlash(err.Error()))
			continue
		}
		var meta []string
		for _, m := range d.Meta {
			meta = append(meta, m.Key+"="+m.Value)
		}
		fmt.Fprintf(&b, "doc %s date=%s source=%q meta=[%s] at %s:%d text=%q\n",
			d.ID, d.Date, d.Source, strings.Join(meta, " "), filepath.ToSlash(d.File), d.Line, d.Text)
	}
	return b.String()
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update after checking):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestReadDocumentsGolden(t *testing.T) {
	tests := []struct {
		name   string
		paths  []string
		format string
	}{
		{"txt_folder", []string{"testdata/read/txt"}, ""},
		{"jsonl", []string{"testdata/read/docs.jsonl"}, ""},
		{"csv", []string{"testdata/read/docs.csv"}, ""},
		{"csv_bad_header", []string{"testdata/read/badheader.csv"}, ""},
		{"missing_path", []string{"testdata/read/no-such-file.txt"}, ""},
		{"forced_txt", []string{"testdata/read/txt/FRA_75_2020.txt", "testdata/read/docs.csv"}, "txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderDocuments(t, tt.paths, ReadOptions{Format: tt.format})
			checkGolden(t, filepath.Join("testdata", "read", tt.name+".golden"), got)
		})
	}
}

// TestReadDocumentsFacts checks the essential facts independently of the
// golden files, so that a wrongly blessed golden file still fails here.
func TestReadDocumentsFacts(t *testing.T) {
	docs := map[string]Document{}
	skips := map[string]*SkipError{} // by "file:line"
	var ignored []string
	ro := ReadOptions{OnIgnored: func(p string) { ignored = append(ignored, filepath.ToSlash(p)) }}
	for d, err := range ReadDocuments([]string{"testdata/read/txt", "testdata/read/docs.jsonl", "testdata/read/docs.csv"}, ro) {
		if err != nil {
			se := err.(*SkipError)
			skips[fmt.Sprintf("%s:%d", filepath.Base(se.File), se.Line)] = se
			continue
		}
		docs[d.ID] = d
	}
	wantDocs := []struct {
		id, date, source, meta string
	}{
		{"brief", "2021-03-04", "Example Wire", "title=A brief on ports"},                  // sidecar
		{"header", "2020-03-05", "Index Source", "title=From the index author=J. Doe"},     // date from header, source from sidecar
		{"FRA_75_2020", "2020", SourceUNGeneralDebate, "country=FRA session=75 year=2020"}, // file name
		{"memo 2019-06-01 notes", "2019-06-01", "", ""},                                    // date in the name
		{"deeper", "2018-07-10", "Deep Source", ""},                                        // header, recursion
		{"a1", "2019-09-24", "Wire", "country=ITA session=74"},
		{"6", "2001", "", "flag=true"},
		{"a9", "1976-07-04", "", ""},
		{"c1", "2020-01-02", "Wire", "country=ITA"},
		{"c2", "2018-07-10", "Wire", "country=FRA"},
		{"c8", "2020-03", "Wire", "country=GRC"},
	}
	for _, w := range wantDocs {
		d, ok := docs[w.id]
		if !ok {
			t.Errorf("document %q missing", w.id)
			continue
		}
		var meta []string
		for _, m := range d.Meta {
			meta = append(meta, m.Key+"="+m.Value)
		}
		if d.Date != w.date || d.Source != w.source || strings.Join(meta, " ") != w.meta {
			t.Errorf("%s: date %q source %q meta %q, want %q %q %q", w.id, d.Date, d.Source, strings.Join(meta, " "), w.date, w.source, w.meta)
		}
	}
	if d := docs["header"]; strings.Contains(d.Text, "Author:") || !strings.HasPrefix(d.Text, "The council met") || d.Line != 5 {
		t.Errorf("header block not removed or wrong line: line %d text %q", d.Line, d.Text)
	}
	if d := docs["c2"]; d.Line != 3 || d.Text != "A quoted text\nspanning two lines." {
		t.Errorf("c2: line %d text %q", d.Line, d.Text)
	}
	for _, id := range []string{"undated", "baddate", "badheader", "latin1", "inside", ".hidden", "a2", "a3", "a4", "a5", "a7", "c3", "c4", "c5", "c6"} {
		if _, ok := docs[id]; ok {
			t.Errorf("document %q should have been skipped", id)
		}
	}
	wantSkips := map[string]string{
		"undated.txt:0":   ReasonNoDate,
		"index.csv:4":     ReasonBadDate, // baddate.txt's row in the sidecar
		"badheader.txt:2": ReasonBadDate, // the header line with the date
		"latin1.txt:3":    ReasonInvalidUTF8,
		"docs.jsonl:3":    ReasonMalformed,
		"docs.jsonl:4":    ReasonNoDate,
		"docs.jsonl:5":    ReasonBadDate,
		"docs.jsonl:6":    ReasonDuplicateID,
		"docs.jsonl:7":    ReasonInvalidUTF8,
		"docs.jsonl:9":    ReasonMalformed,
		"docs.jsonl:10":   ReasonNoID,
		"docs.csv:5":      ReasonMalformed, // too few fields
		"docs.csv:6":      ReasonBadDate,
		"docs.csv:7":      ReasonMalformed, // bare quote
		"docs.csv:8":      ReasonNoDate,
		"docs.csv:9":      ReasonNoID,
	}
	for at, reason := range wantSkips {
		se, ok := skips[at]
		if !ok {
			t.Errorf("no skip at %s (want %s); skips: %v", at, reason, sortedKeysOf(skips))
			continue
		}
		if se.Reason != reason {
			t.Errorf("skip at %s: reason %q, want %q (%v)", at, se.Reason, reason, se)
		}
		where := at + ": "
		switch {
		case strings.HasSuffix(at, ":0"):
			where = strings.TrimSuffix(at, ":0") + ": " // no line: the whole file
		case se.Column > 0:
			where = fmt.Sprintf("%s:%d: ", at, se.Column) // a CSV syntax error: line and column
		}
		if !strings.Contains(se.Error(), where) {
			t.Errorf("message %q does not start with %s", se.Error(), where)
		}
	}
	if len(skips) != len(wantSkips) {
		t.Errorf("%d skips, want %d: %v", len(skips), len(wantSkips), sortedKeysOf(skips))
	}
	// Hidden files and files of other extensions in folders are no
	// skips but ignored; a hidden folder is left out whole.
	if want := []string{"testdata/read/txt/.hidden.txt", "testdata/read/txt/notes.md"}; strings.Join(ignored, " ") != strings.Join(want, " ") {
		t.Errorf("ignored %q, want %q", ignored, want)
	}
}

func sortedKeysOf[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestReadGzipAndLongLines(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("The Assembly met again and again. ", 8000) // ~270 KB, longer than any bufio default
	var plain bytes.Buffer
	fmt.Fprintf(&plain, "{\"id\": \"long\", \"date\": \"1999-09\", \"text\": %q}\n", long)
	fmt.Fprintf(&plain, "{\"id\": \"short\", \"date\": \"1999\", \"text\": \"Short.\"}\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	// A gzip file whose name does not say so is still recognised.
	path := filepath.Join(dir, "speeches.jsonl")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for d, err := range ReadDocuments([]string{path}, ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
		if d.ID == "long" && d.Text != long {
			t.Errorf("long text mangled: %d bytes, want %d", len(d.Text), len(long))
		}
	}
	if strings.Join(ids, ",") != "long,short" {
		t.Errorf("ids %v", ids)
	}
	// A truncated gzip stream is reported, not silently cut.
	bad := filepath.Join(dir, "cut.jsonl.gz")
	os.WriteFile(bad, gz.Bytes()[:gz.Len()/2], 0o644)
	var reasons []string
	for _, err := range ReadDocuments([]string{bad}, ReadOptions{}) {
		if err != nil {
			reasons = append(reasons, err.(*SkipError).Reason)
		}
	}
	if len(reasons) != 1 || reasons[0] != ReasonUnreadable {
		t.Errorf("truncated gzip: reasons %v, want one %q", reasons, ReasonUnreadable)
	}
}

// TestReadSkipMessages: the skips whose messages once misled (a .gz file
// that is not gzip, an empty .txt file, a CSV syntax error reported with
// two lines) name the file and one position and say what is wrong.
func TestReadSkipMessages(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("date: 2020-01-02\n\nCompressed.\n"))
	zw.Close()
	tests := []struct {
		name  string
		files map[string]string // written in a fresh folder, the working one
		paths []string
		want  []string // "doc id" or the skip's message
	}{
		{name: "gz name, JSON Lines data", paths: []string{"x.jsonl.gz"},
			files: map[string]string{"x.jsonl.gz": `{"id":"a","date":"2020","text":"Not compressed."}` + "\n"},
			want:  []string{"x.jsonl.gz: unreadable: not gzip data (gzip: invalid header)"}},
		{name: "gz name, text that misled the JSON reader", paths: []string{"x.jsonl.gz"},
			files: map[string]string{"x.jsonl.gz": "not compressed\n"},
			want:  []string{"x.jsonl.gz: unreadable: not gzip data (gzip: invalid header)"}},
		{name: "gz name, empty", paths: []string{"e.txt.gz"},
			files: map[string]string{"e.txt.gz": ""},
			want:  []string{"e.txt.gz: unreadable: not gzip data (empty file)"}},
		{name: "gz name in a folder, upper case", paths: []string{"in"},
			files: map[string]string{"in/2020-01-02.TXT.GZ": "Plain text.\n"},
			want:  []string{"in/2020-01-02.TXT.GZ: unreadable: not gzip data (gzip: invalid header)"}},
		{name: "gz name, gzip data (control)", paths: []string{"d.txt.gz"},
			files: map[string]string{"d.txt.gz": gz.String()},
			want:  []string{"doc d"}},
		{name: "empty txt", paths: []string{"e.txt"},
			files: map[string]string{"e.txt": ""},
			want:  []string{"e.txt: no text: empty file"}},
		{name: "empty txt dated by its name", paths: []string{"2020-01-02.txt"},
			files: map[string]string{"2020-01-02.txt": ""},
			want:  []string{"2020-01-02.txt: no text: empty file"}},
		{name: "empty txt dated by the sidecar", paths: []string{"in"},
			files: map[string]string{"in/e.txt": "", "in/index.csv": "file,date\ne.txt,2020\n"},
			want:  []string{"in/e.txt: no text: empty file"}},
		{name: "txt with only a BOM", paths: []string{"b.txt"},
			files: map[string]string{"b.txt": "\ufeff"},
			want:  []string{"b.txt: no text: empty file"}},
		{name: "empty csv (control: the same wording)", paths: []string{"e.csv"},
			files: map[string]string{"e.csv": ""},
			want:  []string{"e.csv:1: malformed record: empty file, no header"}},
		{name: "csv bare quote in a row spanning lines", paths: []string{"q.csv"},
			files: map[string]string{"q.csv": "id,date,text\nq1,2020,\"two\nlines\",then a \"bare\" quote\nq2,2021,Read on.\n"},
			want:  []string{`q.csv:3:15: malformed record: bare " in non-quoted-field`, "doc q2"}},
		{name: "csv bare quote in a one-line row", paths: []string{"q.csv"},
			files: map[string]string{"q.csv": "id,date,text\nq1,2020,a \"bare\" quote\n"},
			want:  []string{`q.csv:2:11: malformed record: bare " in non-quoted-field`}},
		{name: "csv bare quote in the header", paths: []string{"h.csv"},
			files: map[string]string{"h.csv": "id,da\"te,text\n"},
			want:  []string{`h.csv:1:6: malformed record: bare " in non-quoted-field`}},
		{name: "sidecar bare quote", paths: []string{"in"},
			files: map[string]string{"in/a.txt": "date: 2020\n\nText.\n", "in/index.csv": "file,date\na.txt,20\"20\n"},
			want:  []string{`in/index.csv:2:9: bad index.csv: bare " in non-quoted-field`, "doc a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			writeTree(t, ".", tt.files)
			var got []string
			for d, err := range ReadDocuments(tt.paths, ReadOptions{}) {
				if err != nil {
					var se *SkipError
					if !errors.As(err, &se) {
						t.Fatalf("error %v is not a *SkipError", err)
					}
					got = append(got, filepath.ToSlash(err.Error()))
					continue
				}
				got = append(got, "doc "+d.ID)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestReadLine(t *testing.T) {
	in := "short\r\n" + strings.Repeat("x", 100) + "\nlast"
	br := bufioReaderSize(in, 16)
	var got []string
	var buf []byte
	for {
		b, err := readLine(br, buf, 50)
		if err != nil {
			got = append(got, "err:"+err.Error()[:4])
			break
		}
		got = append(got, string(b))
		buf = b
	}
	want := []string{"short", "err:line"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q want %q", got, want)
	}
	br = bufioReaderSize(in, 16)
	got = nil
	for {
		b, err := readLine(br, nil, 200)
		if err != nil {
			break
		}
		got = append(got, fmt.Sprint(len(b)))
	}
	if strings.Join(got, ",") != "5,100,4" {
		t.Errorf("lengths %v, want 5,100,4", got)
	}
}

func TestParseHeaderBlock(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		fields string
		body   string
		ok     bool
	}{
		{"date and source", "Date: 2020-01-02\nSource: Wire\n\nBody.", "date=2020-01-02 source=Wire", "Body.", true},
		{"keys normalised", "Published Date: x\nSOURCE: y\nNews-Desk: z\n\nB", "published_date=x source=y news_desk=z", "B", true},
		{"no date or source key", "Title: Something\nAuthor: Me\n\nBody.", "", "Title: Something\nAuthor: Me\n\nBody.", false},
		{"prose with colon is not a header", "WPR: What has been the role?\nMore text.\n\nBody.", "", "WPR: What has been the role?\nMore text.\n\nBody.", false},
		{"a non key line inside", "date: 2020\nthis is prose\n\nBody.", "", "date: 2020\nthis is prose\n\nBody.", false},
		{"leading blank line", "\ndate: 2020\n\nBody.", "", "\ndate: 2020\n\nBody.", false},
		{"header only", "date: 2020", "date=2020", "", true},
		{"empty value", "date:\n\nBody.", "", "date:\n\nBody.", false},
		{"crlf", "date: 2020\r\n\r\nBody.", "date=2020", "Body.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, body, _, ok := parseHeaderBlock(tt.in)
			var fs []string
			for _, f := range fields {
				fs = append(fs, f.Key+"="+f.Value)
			}
			if ok != tt.ok || strings.Join(fs, " ") != tt.fields || strings.TrimSpace(body) != strings.TrimSpace(tt.body) {
				t.Errorf("got ok=%v fields %q body %q; want %v %q %q", ok, fs, body, tt.ok, tt.fields, tt.body)
			}
		})
	}
}

func TestParseFileName(t *testing.T) {
	tests := []struct {
		in, date, meta string
		un             bool
	}{
		{"ITA_79_2024", "2024", "country=ITA session=79 year=2024", true},
		{"ARG_01_1946", "1946", "country=ARG session=1 year=1946", true},
		{"EU_73_2018", "2018", "country=EU session=73 year=2018", true},
		{"report-2018-07-10", "2018-07-10", "", false},
		{"2016-10-01_sputnik", "2016-10-01", "", false},
		{"memo 2019-06-01 notes", "2019-06-01", "", false},
		{"ita_79_2024", "", "", false},          // lower case is not the UN pattern
		{"ITA_79_20245", "", "", false},         // five-digit year
		{"id20180710x", "", "", false},          // compact dates are not guessed
		{"000_98130867e1c84409", "", "", false}, // hashes are not dates
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			date, meta, un := parseFileName(tt.in)
			var ms []string
			for _, m := range meta {
				ms = append(ms, m.Key+"="+m.Value)
			}
			if date != tt.date || strings.Join(ms, " ") != tt.meta || un != tt.un {
				t.Errorf("parseFileName(%q) = %q %q %v, want %q %q %v", tt.in, date, ms, un, tt.date, tt.meta, tt.un)
			}
		})
	}
}

func TestReadTextAndStreams(t *testing.T) {
	d, err := ReadText(strings.NewReader("date: Oct. 2016\nsource: Wire\n\nText."), "dir/a-file.txt")
	if err != nil || d.ID != "a-file" || d.Date != "2016-10" || d.Source != "Wire" || d.Text != "Text." {
		t.Errorf("ReadText: %+v, %v", d, err)
	}
	_, err = ReadText(strings.NewReader("No date."), "x.txt")
	var se *SkipError
	if !errors.As(err, &se) || se.Reason != ReasonNoDate {
		t.Errorf("ReadText without date: %v", err)
	}
	n := 0
	for _, err := range ReadCSV(strings.NewReader("id,date,text\n1,2020,a\n1,2020,b\n"), "s.csv") {
		if err != nil && err.(*SkipError).Reason != ReasonDuplicateID {
			t.Errorf("unexpected %v", err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("ReadCSV: %d results, want 2", n)
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.data": "{\"id\":\"j\",\"date\":\"2020\",\"text\":\"Json.\"}\n",
		"b.data": "id,date,text\nk,2020,Csv.\n",
		"c.data": "date: 2020\n\nText.\n",
	}
	var paths []string
	for _, name := range []string{"a.data", "b.data", "c.data"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(files[name]), 0o644)
		paths = append(paths, p)
	}
	// Named explicitly, unknown extensions are sniffed.
	var ids []string
	for d, err := range ReadDocuments(paths, ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "j,k,c" {
		t.Errorf("ids %v, want j,k,c", ids)
	}
	// Inside a folder they are ignored, not skipped.
	var errs []error
	ignored := 0
	for _, err := range ReadDocuments([]string{dir}, ReadOptions{OnIgnored: func(string) { ignored++ }}) {
		errs = append(errs, err)
	}
	if len(errs) != 0 || ignored != 3 {
		t.Errorf("folder of unknown files: %d ignored, want 3; yielded %v, want nothing", ignored, errs)
	}
}

// TestReadDocumentsIgnores: inside a folder, files that are no input
// (hidden, or of another extension unless a format is forced) are passed
// to OnIgnored, in order, and are neither documents nor skips; a file
// named in paths is read whatever its name.
func TestReadDocumentsIgnores(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.txt":              "date: 2020-01-02\n\nA document.\n",
		"a.txt~":             "date: 2020-01-02\n\nAn editor's backup.\n",
		"README.md":          "# About this corpus\n",
		"photo.png":          "\x89PNG\r\n",
		".DS_Store":          "\x00\x00\x00\x01Bud1",
		".#a.txt":            "an editor's lock",
		".a.txt.swp":         "vim swap",
		"b.ndjson":           `{"id":"b","date":"2021","text":"An ndjson document."}` + "\n",
		"sub/c.csv":          "id,date,text\nc,2022,A CSV document.\n",
		"sub/notes.docx":     "PK\x03\x04",
		".git/config":        "[core]\n", // a hidden folder: left out whole
		"sub/.cache/d.jsonl": `{"id":"d","date":"2021","text":"Hidden."}` + "\n",
	}
	writeTree(t, dir, files)
	for _, tc := range []struct {
		name    string
		paths   []string // relative to dir
		format  string
		docs    []string // ids
		skips   []string // "file: reason"
		ignored []string
	}{
		{name: "folder", paths: []string{"."},
			docs:    []string{"a", "b", "c"},
			ignored: []string{".#a.txt", ".DS_Store", ".a.txt.swp", "README.md", "a.txt~", "photo.png", "sub/notes.docx"}},
		{name: "folder with a forced format: only hidden files ignored", paths: []string{"sub"}, format: FormatCSV,
			docs:  []string{"c"},
			skips: []string{"sub/notes.docx: malformed record"}},
		{name: "files named explicitly are read", paths: []string{"README.md", ".DS_Store", "a.txt~"},
			docs:  []string{"a"},
			skips: []string{"README.md: no date", ".DS_Store: no date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(dir)
			var docs, skips, ignored []string
			ro := ReadOptions{Format: tc.format, OnIgnored: func(p string) { ignored = append(ignored, filepath.ToSlash(p)) }}
			for d, err := range ReadDocuments(tc.paths, ro) {
				if err != nil {
					var se *SkipError
					if !errors.As(err, &se) {
						t.Fatalf("error %v is not a *SkipError", err)
					}
					skips = append(skips, filepath.ToSlash(se.File)+": "+se.Reason)
					continue
				}
				docs = append(docs, d.ID)
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{{"documents", docs, tc.docs}, {"skips", skips, tc.skips}, {"ignored", ignored, tc.ignored}} {
				if strings.Join(c.got, "|") != strings.Join(c.want, "|") {
					t.Errorf("%s %q, want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}

func bufioReaderSize(s string, n int) *bufio.Reader {
	return bufio.NewReaderSize(strings.NewReader(s), n)
}

// writeTree writes files (by slash-separated path under dir, folders
// made as needed).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
