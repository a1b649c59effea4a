package subword_test

import (
	"fmt"
	"log"
	"slices"
	"strings"

	"github.com/stance-project/stance/pipeline/subword"
)

func Example() {
	sentences := []string{
		"The alliance must increase defence spending.",
		"Defence spending rose again this year.",
		"Dialogue with Russia remains difficult.",
		"We support Ukraine and its defence.",
		"Spending on defence is a national choice.",
	}
	tok, err := subword.Train(slices.Values(sentences), subword.Config{VocabSize: 120, MinFrequency: 2, Lowercase: true})
	if err != nil {
		log.Fatal(err)
	}
	text := "Defence spending in Россия!"
	fmt.Println(strings.Join(tok.Tokens(text), " "))
	fmt.Println(tok.IDs(text))
	fmt.Println(tok.VocabSize(), tok.UnknownID(), tok.Token(tok.UnknownID()))

	// The tokenizer travels as a Hugging Face tokenizer.json.
	data, err := tok.JSON()
	if err != nil {
		log.Fatal(err)
	}
	back, err := subword.Load(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(slices.Equal(back.IDs(text), tok.IDs(text)))
	// Output:
	// defence spending i ##n [UNK] [UNK]
	// [53 60 13 38 1 1]
	// 65 1 [UNK]
	// true
}

func ExampleLoadFile() {
	// A hand-written BERT-style tokenizer.json: lowercase, accents stripped.
	tok, err := subword.LoadFile("testdata/bert-tiny/tokenizer.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Tokens("Défense spending, Italy!"))
	fmt.Println(tok.Words("Défense spending, Italy!"))
	// Output:
	// [defen ##se spend ##ing , ita ##ly !]
	// [defense spending , italy !]
}
