//go:build ignore

// Command gen writes the fitness example: a gym chain's clubs,
// membership plans (a monthly fee), members (a club, a plan, a join
// date and, for those who left, a cancel date), monthly membership
// charges and class check-ins (a class type, a date). The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/fitness/gen/main.go [-out examples/fitness]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/fitness", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(31, 13))
	clubs := [][]string{{"CL1", "Downtown", "Austin"}, {"CL2", "Lakeside", "Austin"}, {"CL3", "Uptown", "Dallas"}}
	plans := [][]string{{"BASIC", "Basic", "29.00"}, {"PLUS", "Plus", "49.00"}, {"PREMIUM", "Premium", "79.00"}}
	fee := map[string]int{"BASIC": 2900, "PLUS": 4900, "PREMIUM": 7900}
	classes := []string{"Yoga", "Spin", "HIIT", "Pilates", "Boxing"}
	var members, charges, checkins [][]string
	end := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 400; i++ {
		id := fmt.Sprintf("M%04d", i)
		cl := clubs[r.IntN(len(clubs))][0]
		pl := plans[r.IntN(len(plans))][0]
		join := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(690))
		cancel := ""
		last := end
		if r.IntN(4) == 0 {
			c := join.AddDate(0, 1+r.IntN(12), 0)
			if c.Before(end) {
				cancel, last = c.Format("2006-01-02"), c
			}
		}
		members = append(members, []string{id, fmt.Sprintf("Member %d", i), cl, pl, join.Format("2006-01-02"), cancel})
		for d := join; !d.After(last); d = d.AddDate(0, 1, 0) {
			charges = append(charges, []string{id, d.Format("2006-01-02"), gencsv.Money(fee[pl])})
		}
		for d := join; !d.After(last); d = d.AddDate(0, 0, 3+r.IntN(10)) {
			checkins = append(checkins, []string{id, cl, d.Format("2006-01-02"), classes[r.IntN(len(classes))]})
		}
	}
	gencsv.Write(out, "clubs.csv", []string{"club_id", "club_name", "city"}, clubs)
	gencsv.Write(out, "plans.csv", []string{"plan_id", "plan_name", "monthly_fee"}, plans)
	gencsv.Write(out, "members.csv", []string{"member_id", "member_name", "club_id", "plan_id", "join_date", "cancel_date"}, members)
	gencsv.Write(out, "membership_charges.csv", []string{"member_id", "charge_date", "amount"}, charges)
	gencsv.Write(out, "class_checkins.csv", []string{"member_id", "club_id", "checkin_date", "class_type"}, checkins)
}
