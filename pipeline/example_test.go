package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/stance-project/stance/pipeline"
)

func ExampleSplitSentences() {
	text := `Gen. Walters met the U.S. delegation on Oct. 14, 2016. Italy spent 1.7% of
its GDP on defense. "We will act now." He said it twice.

Priorities:
- the southern flank
- burden sharing`
	for _, s := range pipeline.SplitSentences(text) {
		fmt.Println(s)
	}
	// Output:
	// Gen. Walters met the U.S. delegation on Oct. 14, 2016.
	// Italy spent 1.7% of its GDP on defense.
	// "We will act now."
	// He said it twice.
	// Priorities:
	// the southern flank
	// burden sharing
}

func ExampleNormalizeDate() {
	for _, s := range []string{"July 10, 2018", "10 July 2018", "Oct. 2016", "2018/07/10", "2019-02-29"} {
		d, err := pipeline.NormalizeDate(s)
		fmt.Printf("%q -> %q %v\n", s, d, err)
	}
	// Output:
	// "July 10, 2018" -> "2018-07-10" <nil>
	// "10 July 2018" -> "2018-07-10" <nil>
	// "Oct. 2016" -> "2016-10" <nil>
	// "2018/07/10" -> "2018-07-10" <nil>
	// "2019-02-29" -> "" date "2019-02-29": day 29 out of range for 2019-02 (1-28)
}

func ExampleClean() {
	page := `08:47 GMT 29 November 2020
Listen Live
Get short URL

The minister spoke to lawmakers on Tuesday. He asked for support.

Ministers Meet Again as Talks Stall
Five Things to Know About the Summit
summit, NATO, Rome, Brussels`
	fmt.Println(pipeline.Clean(page))
	// Output:
	// The minister spoke to lawmakers on Tuesday. He asked for support.
}

// The lone salutation is not a sentence: Clean drops it as a fragment.
func ExampleSentences() {
	doc := pipeline.Document{ID: "ITA_79_2024", Date: "2024", Source: "UN General Debate",
		Text: "Mr President,\n\nWe are living in a complex era. The challenges are shared."}
	for _, s := range pipeline.Sentences(doc) {
		fmt.Printf("%s %s %q\n", s.ID, s.Date, s.Text)
	}
	// Output:
	// ITA_79_2024:0 2024 "We are living in a complex era."
	// ITA_79_2024:1 2024 "The challenges are shared."
}

func ExampleReadDocuments() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(dir+"/ITA_79_2024.txt", []byte("We are living in a complex era.\n"), 0o644)
	os.WriteFile(dir+"/note.txt", []byte("No date anywhere.\n"), 0o644)
	for doc, err := range pipeline.ReadDocuments([]string{dir}, pipeline.ReadOptions{}) {
		if err != nil {
			se := err.(*pipeline.SkipError)
			fmt.Println("skipped:", se.Reason)
			continue
		}
		fmt.Println(doc.ID, doc.Date, doc.Source, doc.Meta)
	}
	// Output:
	// ITA_79_2024 2024 UN General Debate [{country ITA} {session 79} {year 2024}]
	// skipped: no date
}

func ExampleIngest() {
	in := `{"id":"a","date":"2019-09-24","country":"ITA","text":"Rome spoke. Paris listened."}` + "\n"
	f, _ := os.CreateTemp("", "*.jsonl")
	defer os.Remove(f.Name())
	f.WriteString(in)
	f.Close()
	var out strings.Builder
	sum, err := pipeline.Ingest(context.Background(), []string{f.Name()}, pipeline.IngestOptions{}, &out)
	fmt.Print(out.String())
	fmt.Println(sum.Sentences, err)
	// Output:
	// id,doc_id,date,source,index,is_title,text,country
	// a:0,a,2019-09-24,,0,false,Rome spoke.,ITA
	// a:1,a,2019-09-24,,1,false,Paris listened.,ITA
	// 2 <nil>
}
