package pipeline

import (
	"fmt"
	"strconv"
	"strings"
)

// months maps lower-case month names and abbreviations to 1..12.
var months = map[string]int{
	"january": 1, "jan": 1,
	"february": 2, "feb": 2,
	"march": 3, "mar": 3,
	"april": 4, "apr": 4,
	"may":  5,
	"june": 6, "jun": 6,
	"july": 7, "jul": 7,
	"august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10,
	"november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

var weekdays = map[string]bool{
	"monday": true, "mon": true, "tuesday": true, "tue": true, "tues": true,
	"wednesday": true, "wed": true, "thursday": true, "thu": true, "thurs": true,
	"friday": true, "fri": true, "saturday": true, "sat": true, "sunday": true, "sun": true,
}

// NormalizeDate converts a date written in one of the common forms to ISO
// 8601, keeping its precision: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
//
// Accepted: ISO forms (2018, 2018-07, 2018-07-10, also with a time part
// after 'T' or a space, which is dropped), slashes or dots with the year
// first (2018/07/10, 2018.07), and dates with an English month name or
// abbreviation in any order ("10 July 2018", "July 10, 2018", "10th Jul.
// 2018", "July 2018", "Oct. 2016", "Tuesday, 10 July 2018"). Day-first or
// month-first numeric dates (10/07/2018) are accepted only when a part
// above 12 makes the order unambiguous. Years must have four digits.
//
// Impossible dates (month 13, 2019-02-29, 31 April) and anything else are
// errors naming the input and the problem.
func NormalizeDate(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", fmt.Errorf("empty date")
	}
	if d, ok, err := numericDate(in); ok {
		if err != nil {
			return "", fmt.Errorf("date %q: %w", s, err)
		}
		return d, nil
	}
	d, err := wordDate(in)
	if err != nil {
		return "", fmt.Errorf("date %q: %w", s, err)
	}
	return d, nil
}

// numericDate handles dates made only of digits and separators. ok is
// false when s is not of that shape.
func numericDate(s string) (date string, ok bool, err error) {
	// Drop an ISO time part: 2018-07-10T08:47:00Z, 2018-07-10 08:47.
	if i := strings.IndexAny(s, "T "); i == 10 && len(s) > 10 {
		s = s[:10]
	}
	var parts []string
	sep := byte(0)
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c != '-' && c != '/' && c != '.' {
			return "", false, nil
		}
		if sep == 0 {
			sep = c
		} else if c != sep {
			return "", true, fmt.Errorf("mixed separators")
		}
		parts = append(parts, s[start:i])
		start = i + 1
	}
	parts = append(parts, s[start:])
	for _, p := range parts {
		if p == "" {
			return "", true, fmt.Errorf("empty field")
		}
	}
	switch {
	case len(parts) > 3:
		return "", true, fmt.Errorf("too many fields")
	case len(parts[0]) == 4: // year first
		y, _ := strconv.Atoi(parts[0])
		m, d := 0, 0
		if len(parts) > 1 {
			if len(parts[1]) > 2 {
				return "", true, fmt.Errorf("month %q: want 1 or 2 digits", parts[1])
			}
			m, _ = strconv.Atoi(parts[1])
		}
		if len(parts) > 2 {
			if len(parts[2]) > 2 {
				return "", true, fmt.Errorf("day %q: want 1 or 2 digits", parts[2])
			}
			d, _ = strconv.Atoi(parts[2])
		}
		if len(parts) > 1 && m == 0 {
			return "", true, fmt.Errorf("month 0 out of range 1-12")
		}
		if len(parts) > 2 && d == 0 {
			return "", true, fmt.Errorf("day 0 out of range")
		}
		date, err := isoDate(y, m, d)
		return date, true, err
	case len(parts) == 3 && len(parts[2]) == 4: // day and month first, order unknown
		a, _ := strconv.Atoi(parts[0])
		b, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		if len(parts[0]) > 2 || len(parts[1]) > 2 {
			return "", true, fmt.Errorf("want 1 or 2 digits for day and month")
		}
		if a == 0 || b == 0 {
			return "", true, fmt.Errorf("day or month 0")
		}
		switch {
		case a > 12 && b <= 12:
			date, err := isoDate(y, b, a)
			return date, true, err
		case b > 12 && a <= 12:
			date, err := isoDate(y, a, b)
			return date, true, err
		case a > 12 && b > 12:
			return "", true, fmt.Errorf("no month: both %d and %d are above 12", a, b)
		case a == b:
			date, err := isoDate(y, a, b)
			return date, true, err
		}
		return "", true, fmt.Errorf("ambiguous day/month order; write YYYY-MM-DD")
	case len(parts) == 1:
		return "", true, fmt.Errorf("want a four-digit year")
	}
	return "", true, fmt.Errorf("unrecognised numeric date; write YYYY-MM-DD")
}

// wordDate handles dates with a month name.
func wordDate(s string) (string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	y, m, d := 0, 0, 0
	for _, f := range fields {
		lf := strings.ToLower(strings.TrimSuffix(f, "."))
		if lf == "" {
			continue
		}
		if mm, ok := months[lf]; ok {
			if m != 0 {
				return "", fmt.Errorf("two months")
			}
			m = mm
			continue
		}
		if weekdays[lf] {
			continue
		}
		num := strings.TrimRight(lf, "stndrh")
		if num != lf {
			// Only a proper ordinal suffix is allowed: 1st, 2nd, 3rd, 4th.
			suf := lf[len(num):]
			if suf != "st" && suf != "nd" && suf != "rd" && suf != "th" {
				return "", fmt.Errorf("unexpected %q", f)
			}
		}
		if num == "" || strings.Trim(num, "0123456789") != "" {
			return "", fmt.Errorf("unexpected %q", f)
		}
		n, _ := strconv.Atoi(num)
		switch {
		case len(num) == 4 && num == lf:
			if y != 0 {
				return "", fmt.Errorf("two years")
			}
			y = n
		case len(num) <= 2:
			if d != 0 {
				return "", fmt.Errorf("two days")
			}
			if n == 0 {
				return "", fmt.Errorf("day 0")
			}
			d = n
		default:
			return "", fmt.Errorf("unexpected number %q", f)
		}
	}
	switch {
	case m == 0:
		return "", fmt.Errorf("no month name or ISO form")
	case y == 0:
		return "", fmt.Errorf("no four-digit year")
	}
	return isoDate(y, m, d)
}

// isoDate validates and formats; m and d may be 0 for lower precision
// (but d only if m is 0 or given).
func isoDate(y, m, d int) (string, error) {
	if y < 1000 {
		return "", fmt.Errorf("year %d: want four digits", y)
	}
	if m == 0 {
		return fmt.Sprintf("%04d", y), nil
	}
	if m < 1 || m > 12 {
		return "", fmt.Errorf("month %d out of range 1-12", m)
	}
	if d == 0 {
		return fmt.Sprintf("%04d-%02d", y, m), nil
	}
	if n := daysIn(y, m); d < 1 || d > n {
		return "", fmt.Errorf("day %d out of range for %04d-%02d (1-%d)", d, y, m, n)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
