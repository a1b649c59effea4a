package labels

import (
	"fmt"
	"time"
)

// ParseDate parses an ISO 8601 calendar date of year, month or day
// precision (YYYY, YYYY-MM, YYYY-MM-DD) and returns the first instant of
// that period in UTC. Impossible dates (2021-02-30) are errors.
func ParseDate(s string) (time.Time, error) {
	var layout string
	switch len(s) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = "2006-01-02"
	default:
		return time.Time{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return t, nil
}
