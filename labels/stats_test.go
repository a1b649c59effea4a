package labels

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestStatsGolden(t *testing.T) {
	g, err := ReadGoldFiles(Default(), filepath.Join("testdata", "read", "ok.csv"), filepath.Join("testdata", "read", "bom_crlf.csv"))
	if err != nil {
		t.Fatal(err)
	}
	st := ComputeStats(Default(), g.Rows)
	// By hand from the two fixtures: 6 rows; a1 (southern favor), a2
	// (defense favor), a3 (russia favor), b1 (ukraine favor) have a stance.
	if st.All.Rows != 6 || st.All.AnyStance != 4 || st.All.Unlabelled != 0 {
		t.Errorf("all: %+v", st.All)
	}
	if got := st.All.Counts[3]; got[0] != 1 || got[2] != 4 || got[3] != 1 {
		t.Errorf("ukraine_support counts %v, want favor 1, none 4, empty 1", got)
	}
	var text, csv bytes.Buffer
	if err := st.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "stats.golden"), text.String())
	checkGolden(t, filepath.Join("testdata", "stats.csv.golden"), csv.String())
}
