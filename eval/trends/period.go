package trends

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is a length of reporting period. Year, Month and Day double as the
// precision of a date (YYYY, YYYY-MM, YYYY-MM-DD).
type Unit int

// Period units, coarsest first.
const (
	Year Unit = iota
	Quarter
	Month
	Week // ISO 8601 week, Monday to Sunday, labelled 2019-W07
	Day
)

var unitNames = [...]string{"year", "quarter", "month", "week", "day"}

// String returns the unit's flag spelling: year, quarter, month, week, day.
func (u Unit) String() string {
	if u < Year || u > Day {
		return "Unit(" + strconv.Itoa(int(u)) + ")"
	}
	return unitNames[u]
}

// ParseUnit parses a unit name as String spells it (case-insensitive).
func ParseUnit(s string) (Unit, error) {
	for i, n := range unitNames {
		if strings.EqualFold(s, n) {
			return Unit(i), nil
		}
	}
	return 0, fmt.Errorf("unknown period %q (want year, quarter, month, week or day)", s)
}

// needs is the date precision a unit needs to place a date.
func (u Unit) needs() Unit {
	switch u {
	case Quarter:
		return Month
	case Week:
		return Day
	}
	return u
}

// Period is one reporting period.
type Period struct {
	Label  string    // 2019, 2019-Q1, 2019-03, 2019-W07 or 2019-03-05
	Unit   Unit      // the unit of this period; coarser than asked when Coarse
	Start  time.Time // first day, UTC midnight
	End    time.Time // first day after the period
	Coarse bool      // the date was too coarse for the asked unit
}

// ParseDate parses an ISO date of precision year (YYYY), month (YYYY-MM)
// or day (YYYY-MM-DD) and returns its first day and its precision (Year,
// Month or Day).
func ParseDate(s string) (time.Time, Unit, error) {
	var layout string
	var prec Unit
	switch len(s) {
	case 4:
		layout, prec = "2006", Year
	case 7:
		layout, prec = "2006-01", Month
	case 10:
		layout, prec = "2006-01-02", Day
	default:
		return time.Time{}, 0, fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return t, prec, nil
}

// Bucket returns the period of unit u that holds date (see ParseDate).
// A date coarser than u needs (a YYYY date for a month, a YYYY-MM date for
// a week) is not spread over finer periods: it gets the period of its own
// precision, marked Coarse. A YYYY-MM date fits a quarter exactly.
func Bucket(date string, u Unit) (Period, error) {
	t, prec, err := ParseDate(date)
	if err != nil {
		return Period{}, err
	}
	if u < Year || u > Day {
		return Period{}, fmt.Errorf("invalid unit %d", int(u))
	}
	coarse := prec < u.needs()
	if coarse {
		u = prec
	}
	p := Period{Unit: u, Coarse: coarse}
	y, m, d := t.Date()
	switch u {
	case Year:
		p.Start = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(1, 0, 0)
		p.Label = fmt.Sprintf("%04d", y)
	case Quarter:
		q := (int(m) - 1) / 3
		p.Start = time.Date(y, time.Month(3*q+1), 1, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(0, 3, 0)
		p.Label = fmt.Sprintf("%04d-Q%d", y, q+1)
	case Month:
		p.Start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(0, 1, 0)
		p.Label = fmt.Sprintf("%04d-%02d", y, int(m))
	case Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		p.Start = time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(0, 0, 7)
		iy, iw := t.ISOWeek()
		p.Label = fmt.Sprintf("%04d-W%02d", iy, iw)
	case Day:
		p.Start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(0, 0, 1)
		p.Label = p.Start.Format("2006-01-02")
	}
	return p, nil
}
