package data_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/cosmoemu/cosmoemu/data"
)

func ExampleParseBAO() {
	// The DESI DR2 mean vector as shipped; package likelihood's desi-dr2
	// adds its covariance file.
	f, err := data.Files.Open("bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb_mean.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	b, err := data.ParseBAO(f, "desi-dr2")
	if err != nil {
		log.Fatal(err)
	}
	for i := range b.Len() {
		if b.Z[i] > 2 {
			fmt.Printf("z=%.2f %-5v = %.3f\n", b.Z[i], b.Quantity[i], b.Value[i])
		}
	}
	// Output:
	// z=2.33 DH/rd = 8.632
	// z=2.33 DM/rd = 38.989
}

func ExampleParseHz() {
	in := "# z   H    sigma_H\n0.07 69 19.6\n0.4  95 17\n0.4  nan 17\n"
	_, err := data.ParseHz(strings.NewReader(in), "hz.txt")
	fmt.Println(err)
	d, err := data.ParseHz(strings.NewReader(in[:strings.LastIndex(in, "0.4")]), "hz.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Len(), d.Z, d.H, d.Sigma)
	// Output:
	// hz.txt:4:6: column 2 (H): "nan" is not finite
	// 2 [0.07 0.4] [69 95] [19.6 17]
}
