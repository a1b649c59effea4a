package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/stance-project/stance/pipeline/atomicfile"
)

func ExampleCreate() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	write := func(fail bool) error {
		f, err := atomicfile.Create(dir + "/out.csv")
		if err != nil {
			return err
		}
		defer f.Abort() // a no-op after Commit
		fmt.Fprintln(f, "id,text")
		if fail {
			return fmt.Errorf("interrupted")
		}
		return f.Commit()
	}
	fmt.Println(write(true))
	_, err := os.Stat(dir + "/out.csv")
	fmt.Println("file after a failed run:", !os.IsNotExist(err))
	fmt.Println(write(false))
	data, _ := os.ReadFile(dir + "/out.csv")
	fmt.Printf("%q\n", data)
	// Output:
	// interrupted
	// file after a failed run: false
	// <nil>
	// "id,text\n"
}

func ExampleWriteFiles() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	// The second output's folder is missing, so neither file is written.
	err := atomicfile.WriteFiles(
		atomicfile.Output{Path: filepath.Join(dir, "a.csv"), Write: text("a\n")},
		atomicfile.Output{Path: filepath.Join(dir, "no", "b.csv"), Write: text("b\n")},
	)
	fmt.Println(err != nil)
	entries, _ := os.ReadDir(dir)
	fmt.Println(len(entries), "files")
	// Output:
	// true
	// 0 files
}
