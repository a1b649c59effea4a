package pipeline

// Meta is one metadata field carried from the input to the output (for
// example country or session). Order is kept as first seen.
type Meta struct {
	Key   string
	Value string
}

// Document is one article or speech as read from the input.
//
// Date is normalised ISO 8601 with its precision kept: "2019", "2019-09" or
// "2019-09-24". File and Line say where the document came from, for
// messages.
type Document struct {
	ID     string
	Date   string
	Source string
	Text   string
	Meta   []Meta
	File   string
	Line   int
}

// Sentence is one sentence of a document. ID is "<DocID>:<Index>", stable
// across runs; Index counts from 0 within the document.
type Sentence struct {
	ID     string
	DocID  string
	Date   string
	Source string
	Index  int
	Text   string
	Meta   []Meta
	// Title marks the document's title (headline), which Sentences
	// makes its first sentence (Index 0); the is_title column of a
	// sentences CSV.
	Title bool
}
