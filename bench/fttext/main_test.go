package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, err string
	}{
		{"normalised like export-fasttext", "id,text\na:0,\"Talks with Russia, now.\"\na:1,\"\"\n", "talks with russia , now .\n", ""},
		{"text column anywhere", "text,id\nNATO's budget,b:0\n", "nato's budget\n", ""},
		{"no text column", "id,body\na,b\n", "", "no text column"},
		{"empty input", "", "", "header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			_, err := run(strings.NewReader(tc.in), &out)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("got %q, want %q", out.String(), tc.want)
			}
		})
	}
}
