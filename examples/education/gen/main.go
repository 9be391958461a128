//go:build ignore

// Command gen writes the education example: 500 students in four
// programs, 20 courses in five departments (with credits) and 8,000
// enrollments over four terms (the term as text "Fall 2025", the
// enrollment date, tuition charged, status Completed, Dropped or
// Enrolled, and grade points for completed ones), as CSV files, one per
// table. The data is deterministic: the same program writes the same
// bytes.
//
//	go run ./examples/education/gen/main.go [-out examples/education]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/education", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(31, 13))
	depts := []string{"Mathematics", "Biology", "History", "Economics", "Computer Science"}
	subj := map[string][]string{
		"Mathematics":      {"Calculus I", "Linear Algebra", "Statistics", "Discrete Math"},
		"Biology":          {"Cell Biology", "Genetics", "Ecology", "Microbiology"},
		"History":          {"World History", "Modern Europe", "American History", "Ancient Rome"},
		"Economics":        {"Microeconomics", "Macroeconomics", "Econometrics", "Public Finance"},
		"Computer Science": {"Intro to Programming", "Data Structures", "Databases", "Operating Systems"},
	}
	var courses [][]string
	for i, d := range depts {
		for j, t := range subj[d] {
			courses = append(courses, []string{fmt.Sprintf("%s%d0%d", []string{"MAT", "BIO", "HIS", "ECO", "CSC"}[i], j+1, i), t, d, fmt.Sprint(3 + (j % 2))})
		}
	}
	gencsv.Write(out, "courses.csv", []string{"course_code", "course_title", "department", "credits"}, courses)
	programs := []string{"BSc Science", "BA Humanities", "BSc Engineering", "BBA Business"}
	fn := []string{"Aiden", "Bella", "Cyrus", "Dana", "Ezra", "Farah", "Gus", "Hana", "Ian", "Jade"}
	ln := []string{"Abbott", "Bishop", "Carver", "Dalton", "Ellis", "Flynn", "Garner", "Holt", "Irwin", "Jensen"}
	var studs [][]string
	for i := 0; i < 500; i++ {
		studs = append(studs, []string{fmt.Sprintf("S%05d", i+1), fn[i%10] + " " + ln[(i/10)%10] + fmt.Sprintf(" %d", i/100+1), programs[r.IntN(4)], fmt.Sprint(2021 + r.IntN(4)), []string{"In-state", "In-state", "Out-of-state", "International"}[r.IntN(4)]})
	}
	gencsv.Write(out, "students.csv", []string{"student_id", "student_name", "program", "cohort_year", "residency"}, studs)
	terms := []struct {
		name  string
		start time.Time
	}{{"Spring 2024", time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)}, {"Fall 2024", time.Date(2024, 8, 26, 0, 0, 0, 0, time.UTC)}, {"Spring 2025", time.Date(2025, 1, 13, 0, 0, 0, 0, time.UTC)}, {"Fall 2025", time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)}}
	var enr [][]string
	for i := 1; i <= 8000; i++ {
		s := studs[r.IntN(500)]
		c := courses[r.IntN(20)]
		t := terms[r.IntN(4)]
		ed := t.start.AddDate(0, 0, -r.IntN(60))
		var cr int
		fmt.Sscan(c[3], &cr)
		per := map[string]int{"In-state": 35000, "Out-of-state": 90000, "International": 110000}[s[4]]
		st := []string{"Completed", "Completed", "Completed", "Completed", "Dropped"}[r.IntN(5)]
		if t.name == "Fall 2025" {
			st = []string{"Enrolled", "Enrolled", "Enrolled", "Enrolled", "Dropped"}[r.IntN(5)]
		}
		gp := ""
		if st == "Completed" {
			gp = fmt.Sprintf("%.1f", float64(r.IntN(9))/2)
		}
		enr = append(enr, []string{fmt.Sprintf("E%06d", i), s[0], c[0], t.name, ed.Format(time.DateOnly), gencsv.Money(per * cr), st, gp})
	}
	gencsv.Write(out, "enrollments.csv", []string{"enrollment_id", "student_id", "course_code", "term", "enrollment_date", "tuition_amount", "status", "grade_points"}, enr)
}
