package pipeline

import (
	"strings"
	"testing"
)

func TestNormalizeDate(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string // a fragment of the error; "" means no error
	}{
		{"2018", "2018", ""},
		{"2018-07", "2018-07", ""},
		{"2018-07-10", "2018-07-10", ""},
		{" 2018-07-10 ", "2018-07-10", ""},
		{"2018-7-1", "2018-07-01", ""},
		{"2018/07/10", "2018-07-10", ""},
		{"2018.07.10", "2018-07-10", ""},
		{"2018/07", "2018-07", ""},
		{"2018-07-10T08:47:00Z", "2018-07-10", ""},
		{"2018-07-10 08:47", "2018-07-10", ""},
		{"10 July 2018", "2018-07-10", ""},
		{"10th July 2018", "2018-07-10", ""},
		{"1st Jan 2001", "2001-01-01", ""},
		{"July 10, 2018", "2018-07-10", ""},
		{"July 10 2018", "2018-07-10", ""},
		{"Jul. 10, 2018", "2018-07-10", ""},
		{"July 2018", "2018-07", ""},
		{"July, 2018", "2018-07", ""},
		{"Oct. 2016", "2016-10", ""},
		{"Sept 2016", "2016-09", ""},
		{"oct 2016", "2016-10", ""},
		{"Tuesday, 10 July 2018", "2018-07-10", ""},
		{"29 February 2020", "2020-02-29", ""}, // leap year
		{"29 February 2000", "2000-02-29", ""}, // divisible by 400
		{"25/12/2019", "2019-12-25", ""},       // day > 12: unambiguous
		{"12/25/2019", "2019-12-25", ""},       // US order, unambiguous
		{"05/05/2019", "2019-05-05", ""},       // same either way
		{"2018-13", "", "month 13"},
		{"2018-00", "", "month 0"},
		{"2018-02-30", "", "day 30 out of range"},
		{"2019-02-29", "", "day 29 out of range"},
		{"1900-02-29", "", "day 29 out of range"}, // not a leap year
		{"31 April 2020", "", "day 31 out of range"},
		{"2018-07-00", "", "day 0"},
		{"2018-07-32", "", "day 32"},
		{"10/07/2018", "", "ambiguous"},
		{"31/31/2018", "", "no month"},
		{"18", "", "four-digit year"},
		{"018-07-10", "", ""}, // set below: rejected
		{"July", "", "no four-digit year"},
		{"10 2018", "", "no month"},
		{"July 10, 18", "", "two days"},
		{"Smarch 10, 2018", "", "unexpected"},
		{"July 2018 August", "", "two months"},
		{"10 11 July 2018", "", "two days"},
		{"2018-07/10", "", "mixed separators"},
		{"2018--07", "", "empty field"},
		{"", "", "empty"},
		{"yesterday", "", "unexpected"},
		{"0999", "", "four digits"},
		{"10th-ish July 2018", "", "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeDate(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizeDate(%q) = %q, want an error", tt.in, got)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not contain %q", err, tt.wantErr)
				}
				if tt.in != "" && !strings.Contains(err.Error(), tt.in) {
					t.Errorf("error %q does not quote the input", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
