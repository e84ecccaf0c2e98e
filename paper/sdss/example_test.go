package sdss_test

import (
	"fmt"
	"strings"

	"github.com/cosmoemu/cosmoemu/paper/sdss"
)

// Read a table with the class column and compare predictions with it.
func ExampleEvaluate() {
	csv := "ra,redshift,class\n180,0.0001,STAR\n181,0.08,GALAXY\n182,1.9,QSO\n183,0.12,GALAXY\n"
	t, err := sdss.Read(strings.NewReader(csv), "mini.csv", []string{"ra", "redshift"}, true)
	if err != nil {
		panic(err)
	}
	pred := []int{2, 0, 1, 1} // GALAXY = 0, QSO = 1, STAR = 2
	m := sdss.Evaluate(pred, t.Class, len(sdss.Classes))
	fmt.Printf("accuracy %.2f\n", m.Accuracy)
	fmt.Println("confusion", m.Confusion)
	fmt.Printf("precision %.2f, recall %.2f\n", m.Precision, m.Recall)
	// Output:
	// accuracy 0.75
	// confusion [[1 1 0] [0 1 0] [0 0 1]]
	// precision [1.00 0.50 1.00], recall [0.50 1.00 1.00]
}

// A malformed cell is reported with its line and column.
func ExampleRead_error() {
	csv := "ra,redshift,class\n180,0.0001,STAR\n181,n/a,GALAXY\n"
	_, err := sdss.Read(strings.NewReader(csv), "mini.csv", []string{"ra", "redshift"}, true)
	fmt.Println(err)
	// Output:
	// mini.csv:3: column redshift: "n/a" is not a number
}
