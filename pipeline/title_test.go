package pipeline

import (
	"fmt"
	"testing"
)

func TestSentencesTitle(t *testing.T) {
	body := "Talks with Moscow must resume. The budget grows."
	tests := []struct {
		name string
		meta []Meta
		text string
		want []string // "index|title?|text"
	}{
		{"no title", nil, body, []string{"0| |Talks with Moscow must resume.", "1| |The budget grows."}},
		{"title first", []Meta{{"title", "Italy  Pushes NATO\nto Improve Russia Ties"}}, body,
			[]string{"0|T|Italy Pushes NATO to Improve Russia Ties", "1| |Talks with Moscow must resume.", "2| |The budget grows."}},
		{"headline key, any case", []Meta{{"country", "ITA"}, {"Headline", "Rome speaks"}}, body,
			[]string{"0|T|Rome speaks", "1| |Talks with Moscow must resume.", "2| |The budget grows."}},
		{"text repeats its title", []Meta{{"title", "talks with Moscow must resume"}}, body,
			[]string{"0|T|talks with Moscow must resume", "1| |The budget grows."}},
		{"title alone (paywalled text)", []Meta{{"title", "Rome speaks"}}, "",
			[]string{"0|T|Rome speaks"}},
		{"empty title", []Meta{{"title", "  "}}, body, []string{"0| |Talks with Moscow must resume.", "1| |The budget grows."}},
		{"title with no letter", []Meta{{"title", "2017"}}, body, []string{"0| |Talks with Moscow must resume.", "1| |The budget grows."}},
		{"nothing", nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(Document{ID: "d", Text: tt.text, Meta: tt.meta}) {
				mark := " "
				if s.Title {
					mark = "T"
				}
				if s.ID != fmt.Sprintf("d:%d", s.Index) {
					t.Errorf("id %s at index %d", s.ID, s.Index)
				}
				got = append(got, fmt.Sprintf("%d|%s|%s", s.Index, mark, s.Text))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
