//go:build ignore

// Command gen writes the clinic example: 300 patients, ten providers in
// three clinics and 6,000 visits (visit date, visit type, minutes, the
// charge and what insurance and the patient paid), as CSV files, one per
// table. The data is deterministic: the same program writes the same
// bytes.
//
//	go run ./examples/clinic/gen/main.go [-out examples/clinic]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/clinic", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(17, 9))
	provs := [][]string{
		{"P01", "Dr. Amy Walsh", "Family Medicine", "Northside"}, {"P02", "Dr. Brian Cole", "Family Medicine", "Downtown"},
		{"P03", "Dr. Carmen Ruiz", "Pediatrics", "Northside"}, {"P04", "Dr. Deepak Rao", "Cardiology", "Downtown"},
		{"P05", "Dr. Erin Moss", "Dermatology", "Westpark"}, {"P06", "Dr. Felix Grant", "Orthopedics", "Westpark"},
		{"P07", "Dr. Gina Park", "Pediatrics", "Downtown"}, {"P08", "Dr. Henry Lowe", "Cardiology", "Northside"},
		{"P09", "Dr. Ines Silva", "Family Medicine", "Westpark"}, {"P10", "Dr. Jonah Reed", "Orthopedics", "Downtown"},
	}
	gencsv.Write(out, "providers.csv", []string{"provider_id", "provider_name", "specialty", "clinic"}, provs)
	fn := []string{"Ava", "Noah", "Mia", "Ethan", "Zoe", "Owen", "Lily", "Caleb", "Nora", "Eli", "Ruby", "Finn", "Ivy", "Leo", "Maya"}
	ln := []string{"Turner", "Hayes", "Brooks", "Price", "Ward", "Foster", "Perry", "Long", "Bell", "Reyes", "Howard", "Cruz", "Gray", "Myers", "Ford", "Hart", "Stone", "Wells", "Boyd", "Lane"}
	plans := []string{"Medicare", "Medicaid", "BlueShield PPO", "Aetna HMO", "Self-pay"}
	var pats [][]string
	for i := 0; i < 300; i++ {
		pats = append(pats, []string{fmt.Sprintf("PT%05d", i+1), fn[i%15] + " " + ln[i/15], fmt.Sprint(1940 + r.IntN(80)), []string{"F", "M"}[r.IntN(2)], plans[r.IntN(5)]})
	}
	gencsv.Write(out, "patients.csv", []string{"patient_id", "patient_name", "birth_year", "gender", "insurance_plan"}, pats)
	types := []string{"Checkup", "Follow-up", "Urgent", "Procedure"}
	var visits [][]string
	for i := 1; i <= 6000; i++ {
		p := pats[r.IntN(300)]
		pv := provs[r.IntN(10)]
		vt := types[r.IntN(4)]
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(731))
		charge := map[string]int{"Checkup": 15000, "Follow-up": 9000, "Urgent": 25000, "Procedure": 60000}[vt] + r.IntN(5000)
		pp := charge / 5
		ins := charge - pp - r.IntN(charge/10)
		if p[4] == "Self-pay" {
			pp, ins = charge, 0
		}
		mins := map[string]int{"Checkup": 30, "Follow-up": 15, "Urgent": 45, "Procedure": 90}[vt] + r.IntN(15)
		visits = append(visits, []string{fmt.Sprintf("V%06d", i), p[0], pv[0], d.Format(time.DateOnly), vt, fmt.Sprint(mins), gencsv.Money(charge), gencsv.Money(ins), gencsv.Money(pp)})
	}
	gencsv.Write(out, "visits.csv", []string{"visit_id", "patient_id", "provider_id", "visit_date", "visit_type", "duration_minutes", "charge_amount", "insurance_paid", "patient_paid"}, visits)
}
