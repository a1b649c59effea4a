package clusters_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/stance-project/stance/models/clusters"
)

func ExampleReadTSV() {
	const file = "word\tc2\tc8\nmoscow\t1\t5\nkremlin\t1\t5\nsahel\t0\t2\n"
	c, err := clusters.ReadTSV(strings.NewReader(file), "clusters.tsv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, w := range c.Words {
		fmt.Println(w, c.IDs[i])
	}
	_, err = clusters.ReadTSV(strings.NewReader("word\tc2\nMoscow\t1\nsahel\t2\n"), "bad.tsv")
	fmt.Println(err)
	// Output:
	// moscow [1 5]
	// kremlin [1 5]
	// sahel [0 2]
	// bad.tsv:2: not one lower-case word: "Moscow" (labels.Words reads ["moscow"])
	// bad.tsv:3: bad cluster id: column c2: 2: want 0..1
}

func ExampleClusters_WriteTSV() {
	c := &clusters.Clusters{
		Levels: []int{2, 4},
		Words:  []string{"moscow", "kremlin", "sahel"},
		IDs:    [][]uint16{{1, 3}, {1, 3}, {0, 0}},
	}
	if err := c.WriteTSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// word	c2	c4
	// moscow	1	3
	// kremlin	1	3
	// sahel	0	0
}
