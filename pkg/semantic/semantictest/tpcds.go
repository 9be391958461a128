package semantictest

import (
	"context"
	"fmt"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/model"
)

// TPCDSTables lists the 24 TPC-DS-shaped tables: 7 facts, 17 dimensions.
var TPCDSTables = []string{"store_sales", "store_returns", "catalog_sales", "catalog_returns", "web_sales", "web_returns", "inventory",
	"date_dim", "time_dim", "item", "customer", "customer_address", "customer_demographics", "household_demographics", "income_band",
	"promotion", "store", "call_center", "catalog_page", "web_site", "web_page", "warehouse", "ship_mode", "reason"}

// TPCDSKeys are the keys: surrogate *_sk keys for the dimensions, the
// line grain (item, ticket or order number) for sales and returns, and
// (date, item, warehouse) for the inventory snapshot.
var TPCDSKeys = map[string][]string{
	"store_sales":            {"ss_item_sk", "ss_ticket_number"},
	"store_returns":          {"sr_item_sk", "sr_ticket_number"},
	"catalog_sales":          {"cs_item_sk", "cs_order_number"},
	"catalog_returns":        {"cr_item_sk", "cr_order_number"},
	"web_sales":              {"ws_item_sk", "ws_order_number"},
	"web_returns":            {"wr_item_sk", "wr_order_number"},
	"inventory":              {"inv_date_sk", "inv_item_sk", "inv_warehouse_sk"},
	"date_dim":               {"d_date_sk"},
	"time_dim":               {"t_time_sk"},
	"item":                   {"i_item_sk"},
	"customer":               {"c_customer_sk"},
	"customer_address":       {"ca_address_sk"},
	"customer_demographics":  {"cd_demo_sk"},
	"household_demographics": {"hd_demo_sk"},
	"income_band":            {"ib_income_band_sk"},
	"promotion":              {"p_promo_sk"},
	"store":                  {"s_store_sk"},
	"call_center":            {"cc_call_center_sk"},
	"catalog_page":           {"cp_catalog_page_sk"},
	"web_site":               {"web_site_sk"},
	"web_page":               {"wp_web_page_sk"},
	"warehouse":              {"w_warehouse_sk"},
	"ship_mode":              {"sm_ship_mode_sk"},
	"reason":                 {"r_reason_sk"},
}

// TPCDSRoles: the six sales and returns tables are transaction facts,
// inventory a periodic snapshot, date_dim the time dimension. time_dim
// (time of day: hour, minute, shift, meal time) is a dimension: in this
// model a time dimension is a calendar — its attributes are periods that
// travel with the facts and that balances are grouped by — which a time
// of day is not. Every other table is a dimension (item, store,
// promotion, web_page ... with their prices, costs and counts included).
var TPCDSRoles = map[string]model.Role{
	"store_sales":            model.RoleTransactionFact,
	"store_returns":          model.RoleTransactionFact,
	"catalog_sales":          model.RoleTransactionFact,
	"catalog_returns":        model.RoleTransactionFact,
	"web_sales":              model.RoleTransactionFact,
	"web_returns":            model.RoleTransactionFact,
	"inventory":              model.RoleSnapshotFact,
	"date_dim":               model.RoleTimeDimension,
	"time_dim":               model.RoleDimension,
	"item":                   model.RoleDimension,
	"customer":               model.RoleDimension,
	"customer_address":       model.RoleDimension,
	"customer_demographics":  model.RoleDimension,
	"household_demographics": model.RoleDimension,
	"income_band":            model.RoleDimension,
	"promotion":              model.RoleDimension,
	"store":                  model.RoleDimension,
	"call_center":            model.RoleDimension,
	"catalog_page":           model.RoleDimension,
	"web_site":               model.RoleDimension,
	"web_page":               model.RoleDimension,
	"warehouse":              model.RoleDimension,
	"ship_mode":              model.RoleDimension,
	"reason":                 model.RoleDimension,
}

// TPCDSSCD2 are the type-2 dimensions: as in TPC-DS, item, store,
// call_center, web_site and web_page keep versions of a business id
// (*_id) with rec_start_date / rec_end_date (NULL while current).
var TPCDSSCD2 = []string{"item", "store", "call_center", "web_site", "web_page"}

func ds(from string, fromCols []string, to string, toCols ...string) FK {
	return FK{From: from, FromColumns: fromCols, To: to, ToColumns: toCols}
}

func one(c string) []string { return []string{c} }

// TPCDSForeignKeys are the references: many role-playing date, time,
// customer, address and demographics keys, and the returns' composite
// references to the sale they return.
var TPCDSForeignKeys = []FK{
	// Dimensions.
	ds("customer", one("c_current_cdemo_sk"), "customer_demographics", "cd_demo_sk"),
	ds("customer", one("c_current_hdemo_sk"), "household_demographics", "hd_demo_sk"),
	ds("customer", one("c_current_addr_sk"), "customer_address", "ca_address_sk"),
	ds("customer", one("c_first_shipto_date_sk"), "date_dim", "d_date_sk"),
	ds("customer", one("c_first_sales_date_sk"), "date_dim", "d_date_sk"),
	ds("household_demographics", one("hd_income_band_sk"), "income_band", "ib_income_band_sk"),
	ds("promotion", one("p_start_date_sk"), "date_dim", "d_date_sk"),
	ds("promotion", one("p_end_date_sk"), "date_dim", "d_date_sk"),
	ds("promotion", one("p_item_sk"), "item", "i_item_sk"),
	ds("store", one("s_closed_date_sk"), "date_dim", "d_date_sk"),
	ds("call_center", one("cc_open_date_sk"), "date_dim", "d_date_sk"),
	ds("catalog_page", one("cp_start_date_sk"), "date_dim", "d_date_sk"),
	ds("catalog_page", one("cp_end_date_sk"), "date_dim", "d_date_sk"),
	ds("web_site", one("web_open_date_sk"), "date_dim", "d_date_sk"),
	ds("web_page", one("wp_creation_date_sk"), "date_dim", "d_date_sk"),
	ds("web_page", one("wp_access_date_sk"), "date_dim", "d_date_sk"),
	ds("web_page", one("wp_customer_sk"), "customer", "c_customer_sk"),
	// store_sales.
	ds("store_sales", one("ss_sold_date_sk"), "date_dim", "d_date_sk"),
	ds("store_sales", one("ss_sold_time_sk"), "time_dim", "t_time_sk"),
	ds("store_sales", one("ss_item_sk"), "item", "i_item_sk"),
	ds("store_sales", one("ss_customer_sk"), "customer", "c_customer_sk"),
	ds("store_sales", one("ss_cdemo_sk"), "customer_demographics", "cd_demo_sk"),
	ds("store_sales", one("ss_hdemo_sk"), "household_demographics", "hd_demo_sk"),
	ds("store_sales", one("ss_addr_sk"), "customer_address", "ca_address_sk"),
	ds("store_sales", one("ss_store_sk"), "store", "s_store_sk"),
	ds("store_sales", one("ss_promo_sk"), "promotion", "p_promo_sk"),
	// store_returns.
	ds("store_returns", one("sr_returned_date_sk"), "date_dim", "d_date_sk"),
	ds("store_returns", one("sr_return_time_sk"), "time_dim", "t_time_sk"),
	ds("store_returns", one("sr_item_sk"), "item", "i_item_sk"),
	ds("store_returns", one("sr_customer_sk"), "customer", "c_customer_sk"),
	ds("store_returns", one("sr_cdemo_sk"), "customer_demographics", "cd_demo_sk"),
	ds("store_returns", one("sr_hdemo_sk"), "household_demographics", "hd_demo_sk"),
	ds("store_returns", one("sr_addr_sk"), "customer_address", "ca_address_sk"),
	ds("store_returns", one("sr_store_sk"), "store", "s_store_sk"),
	ds("store_returns", one("sr_reason_sk"), "reason", "r_reason_sk"),
	ds("store_returns", []string{"sr_item_sk", "sr_ticket_number"}, "store_sales", "ss_item_sk", "ss_ticket_number"),
	// catalog_sales.
	ds("catalog_sales", one("cs_sold_date_sk"), "date_dim", "d_date_sk"),
	ds("catalog_sales", one("cs_sold_time_sk"), "time_dim", "t_time_sk"),
	ds("catalog_sales", one("cs_ship_date_sk"), "date_dim", "d_date_sk"),
	ds("catalog_sales", one("cs_bill_customer_sk"), "customer", "c_customer_sk"),
	ds("catalog_sales", one("cs_bill_cdemo_sk"), "customer_demographics", "cd_demo_sk"),
	ds("catalog_sales", one("cs_bill_hdemo_sk"), "household_demographics", "hd_demo_sk"),
	ds("catalog_sales", one("cs_bill_addr_sk"), "customer_address", "ca_address_sk"),
	ds("catalog_sales", one("cs_ship_customer_sk"), "customer", "c_customer_sk"),
	ds("catalog_sales", one("cs_ship_addr_sk"), "customer_address", "ca_address_sk"),
	ds("catalog_sales", one("cs_call_center_sk"), "call_center", "cc_call_center_sk"),
	ds("catalog_sales", one("cs_catalog_page_sk"), "catalog_page", "cp_catalog_page_sk"),
	ds("catalog_sales", one("cs_ship_mode_sk"), "ship_mode", "sm_ship_mode_sk"),
	ds("catalog_sales", one("cs_warehouse_sk"), "warehouse", "w_warehouse_sk"),
	ds("catalog_sales", one("cs_item_sk"), "item", "i_item_sk"),
	ds("catalog_sales", one("cs_promo_sk"), "promotion", "p_promo_sk"),
	// catalog_returns.
	ds("catalog_returns", one("cr_returned_date_sk"), "date_dim", "d_date_sk"),
	ds("catalog_returns", one("cr_returned_time_sk"), "time_dim", "t_time_sk"),
	ds("catalog_returns", one("cr_item_sk"), "item", "i_item_sk"),
	ds("catalog_returns", one("cr_refunded_customer_sk"), "customer", "c_customer_sk"),
	ds("catalog_returns", one("cr_returning_customer_sk"), "customer", "c_customer_sk"),
	ds("catalog_returns", one("cr_returning_addr_sk"), "customer_address", "ca_address_sk"),
	ds("catalog_returns", one("cr_call_center_sk"), "call_center", "cc_call_center_sk"),
	ds("catalog_returns", one("cr_catalog_page_sk"), "catalog_page", "cp_catalog_page_sk"),
	ds("catalog_returns", one("cr_ship_mode_sk"), "ship_mode", "sm_ship_mode_sk"),
	ds("catalog_returns", one("cr_warehouse_sk"), "warehouse", "w_warehouse_sk"),
	ds("catalog_returns", one("cr_reason_sk"), "reason", "r_reason_sk"),
	ds("catalog_returns", []string{"cr_item_sk", "cr_order_number"}, "catalog_sales", "cs_item_sk", "cs_order_number"),
	// web_sales.
	ds("web_sales", one("ws_sold_date_sk"), "date_dim", "d_date_sk"),
	ds("web_sales", one("ws_sold_time_sk"), "time_dim", "t_time_sk"),
	ds("web_sales", one("ws_ship_date_sk"), "date_dim", "d_date_sk"),
	ds("web_sales", one("ws_item_sk"), "item", "i_item_sk"),
	ds("web_sales", one("ws_bill_customer_sk"), "customer", "c_customer_sk"),
	ds("web_sales", one("ws_bill_addr_sk"), "customer_address", "ca_address_sk"),
	ds("web_sales", one("ws_ship_customer_sk"), "customer", "c_customer_sk"),
	ds("web_sales", one("ws_ship_addr_sk"), "customer_address", "ca_address_sk"),
	ds("web_sales", one("ws_web_page_sk"), "web_page", "wp_web_page_sk"),
	ds("web_sales", one("ws_web_site_sk"), "web_site", "web_site_sk"),
	ds("web_sales", one("ws_ship_mode_sk"), "ship_mode", "sm_ship_mode_sk"),
	ds("web_sales", one("ws_warehouse_sk"), "warehouse", "w_warehouse_sk"),
	ds("web_sales", one("ws_promo_sk"), "promotion", "p_promo_sk"),
	// web_returns.
	ds("web_returns", one("wr_returned_date_sk"), "date_dim", "d_date_sk"),
	ds("web_returns", one("wr_returned_time_sk"), "time_dim", "t_time_sk"),
	ds("web_returns", one("wr_item_sk"), "item", "i_item_sk"),
	ds("web_returns", one("wr_refunded_customer_sk"), "customer", "c_customer_sk"),
	ds("web_returns", one("wr_returning_customer_sk"), "customer", "c_customer_sk"),
	ds("web_returns", one("wr_web_page_sk"), "web_page", "wp_web_page_sk"),
	ds("web_returns", one("wr_reason_sk"), "reason", "r_reason_sk"),
	ds("web_returns", []string{"wr_item_sk", "wr_order_number"}, "web_sales", "ws_item_sk", "ws_order_number"),
	// inventory.
	ds("inventory", one("inv_date_sk"), "date_dim", "d_date_sk"),
	ds("inventory", one("inv_item_sk"), "item", "i_item_sk"),
	ds("inventory", one("inv_warehouse_sk"), "warehouse", "w_warehouse_sk"),
}

// tpcdsDay0 is day 0 of date_dim (its first row); sales fall in days
// 365–1095 (2000–2001).
var tpcdsDay0 = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)

// tpcdsJulian0 is d_date_sk of day 0 (date surrogate keys are Julian day
// numbers, as in TPC-DS).
const tpcdsJulian0 = 2451180

func dsDate(d int) string { return tpcdsDay0.AddDate(0, 0, d).Format("2006-01-02") }
func dsSK(d int) int64    { return int64(tpcdsJulian0 + d) }

// dsID is a 16-letter business id (base 26, A = 0).
func dsID(n int) string {
	b := []byte("AAAAAAAAAAAAAAAA")
	for i := len(b) - 1; i >= 0 && n > 0; i-- {
		b[i] = byte('A' + n%26)
		n /= 26
	}
	return string(b)
}

// dsVersion is one version of a type-2 member: its surrogate key, the
// member (business id index) and the days it is valid (to = -1: open).
type dsVersion struct{ sk, member, from, to int }

// versions draws 1–3 versions per member, changing on days in 400–1230.
func (b *shapeBuilder) versions(members int) ([]dsVersion, func(member, day int) int) {
	var out []dsVersion
	byMember := make([][]dsVersion, members)
	sk := 0
	for m := 0; m < members; m++ {
		n := []int{1, 1, 1, 1, 1, 2, 2, 2, 3, 3}[b.r.IntN(10)]
		var cuts []int
		for c := 0; len(cuts) < n-1; {
			c = max(c+30, 400) + b.n(0, 400)
			cuts = append(cuts, c)
		}
		from := 0
		for v := 0; v < n; v++ {
			sk++
			to := -1
			if v < n-1 {
				to = cuts[v] - 1
			}
			dv := dsVersion{sk: sk, member: m, from: from, to: to}
			out = append(out, dv)
			byMember[m] = append(byMember[m], dv)
			from = to + 1
		}
	}
	at := func(member, day int) int {
		for _, v := range byMember[member] {
			if day >= v.from && (v.to < 0 || day <= v.to) {
				return v.sk
			}
		}
		panic("no version")
	}
	return out, at
}

func (v dsVersion) dates() (any, any) {
	var to any
	if v.to >= 0 {
		to = dsDate(v.to)
	}
	return dsDate(v.from), to
}

func nullable(b *shapeBuilder, v any, pct int) any {
	if b.r.IntN(100) < pct {
		return nil
	}
	return v
}

// TPCDS generates the TPC-DS-shaped schema: the 24 tables with a
// representative subset of their columns (keys, references, a few
// attributes and measures), at most 2,500 rows each.
func TPCDS() *GenSchema {
	b := newShape("tpcds", 23, TPCDSKeys, TPCDSRoles, TPCDSSCD2, TPCDSForeignKeys, nil)
	const days = 1461 // 1999–2002
	dayOf := func() int { return b.n(365, 1095) }

	// Calendar and clock.
	dd := b.table("date_dim", "d_date_sk", "INTEGER", "d_date_id", "CHAR(16)", "d_date", "DATE", "d_month_seq", "INTEGER", "d_year", "INTEGER",
		"d_moy", "INTEGER", "d_dom", "INTEGER", "d_qoy", "INTEGER", "d_day_name", "VARCHAR(9)", "d_weekend", "CHAR(1)")
	for d := 0; d < days; d++ {
		t := tpcdsDay0.AddDate(0, 0, d)
		we := "N"
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			we = "Y"
		}
		b.add(dd, dsSK(d), dsID(tpcdsJulian0+d), dsDate(d), int64((t.Year()-1999)*12+int(t.Month())-1), int64(t.Year()), int64(t.Month()),
			int64(t.Day()), int64((int(t.Month())-1)/3+1), t.Weekday().String(), we)
	}
	td := b.table("time_dim", "t_time_sk", "INTEGER", "t_time_id", "CHAR(16)", "t_time", "INTEGER", "t_hour", "INTEGER", "t_minute", "INTEGER",
		"t_am_pm", "CHAR(2)", "t_shift", "VARCHAR(20)", "t_meal_time", "VARCHAR(20)")
	for m := 0; m < 1440; m++ {
		h := m / 60
		ampm := "AM"
		if h >= 12 {
			ampm = "PM"
		}
		shift := []string{"third", "first", "second"}[h/8]
		var meal any
		switch {
		case h >= 6 && h < 9:
			meal = "breakfast"
		case h >= 11 && h < 14:
			meal = "lunch"
		case h >= 17 && h < 20:
			meal = "dinner"
		}
		b.add(td, int64(m), dsID(100000+m), int64(m*60), int64(h), int64(m%60), ampm, shift, meal)
	}
	clock := func(open, close int) int64 { return int64(b.n(open*60, close*60-1)) }

	// Demographics and addresses.
	ib := b.table("income_band", "ib_income_band_sk", "INTEGER", "ib_lower_bound", "INTEGER", "ib_upper_bound", "INTEGER")
	for i := 1; i <= 20; i++ {
		b.add(ib, int64(i), int64((i-1)*10000+1), int64(i*10000))
	}
	hd := b.table("household_demographics", "hd_demo_sk", "INTEGER", "hd_income_band_sk", "INTEGER", "hd_buy_potential", "VARCHAR(15)",
		"hd_dep_count", "INTEGER", "hd_vehicle_count", "INTEGER")
	n := 0
	for band := 1; band <= 20; band++ {
		for _, bp := range []string{"0-500", "501-1000", "1001-5000", "5001-10000", ">10000", "Unknown"} {
			for dep := 0; dep < 3; dep++ {
				for veh := 0; veh < 2; veh++ {
					n++
					b.add(hd, int64(n), int64(band), bp, int64(dep), int64(veh))
				}
			}
		}
	}
	nHD := n
	cd := b.table("customer_demographics", "cd_demo_sk", "INTEGER", "cd_gender", "CHAR(1)", "cd_marital_status", "CHAR(1)",
		"cd_education_status", "VARCHAR(20)", "cd_credit_rating", "VARCHAR(10)", "cd_dep_count", "INTEGER")
	n = 0
	for _, g := range []string{"M", "F"} {
		for _, ms := range []string{"M", "S", "D", "W", "U"} {
			for _, ed := range []string{"Primary", "Secondary", "College", "2 yr Degree", "4 yr Degree", "Advanced Degree", "Unknown"} {
				for _, cr := range []string{"Low Risk", "Good", "High Risk", "Unknown"} {
					for dep := 0; dep < 7; dep++ {
						n++
						b.add(cd, int64(n), g, ms, ed, cr, int64(dep))
					}
				}
			}
		}
	}
	nCD := n
	ca := b.table("customer_address", "ca_address_sk", "INTEGER", "ca_address_id", "CHAR(16)", "ca_street_name", "VARCHAR(60)",
		"ca_city", "VARCHAR(60)", "ca_state", "CHAR(2)", "ca_zip", "CHAR(10)", "ca_gmt_offset", "DECIMAL(5,2)")
	const nCA = 300
	states := []string{"AL", "CA", "CO", "GA", "IA", "IL", "KS", "MI", "MN", "NC", "NE", "NY", "OH", "TX", "VA", "WA"}
	for a := 1; a <= nCA; a++ {
		st := b.r.IntN(len(states))
		b.add(ca, int64(a), dsID(200000+a), b.pick(shapeAdjectives)+" "+b.pick([]string{"Street", "Avenue", "Lane", "Road", "Way", "Court"}),
			b.pick(shapeCities), states[st], fmt.Sprintf("%05d", b.n(10000, 99999)), []string{"-5.00", "-6.00", "-7.00", "-8.00"}[st%4])
	}
	cu := b.table("customer", "c_customer_sk", "INTEGER", "c_customer_id", "CHAR(16)", "c_current_cdemo_sk", "INTEGER", "c_current_hdemo_sk", "INTEGER",
		"c_current_addr_sk", "INTEGER", "c_first_shipto_date_sk", "INTEGER", "c_first_sales_date_sk", "INTEGER",
		"c_first_name", "VARCHAR(20)", "c_last_name", "VARCHAR(30)", "c_birth_year", "INTEGER", "c_email_address", "VARCHAR(50)")
	const nCust = 500
	type custInfo struct {
		cdemo, hdemo, addr int64
	}
	cust := make([]custInfo, nCust+1)
	for c := 1; c <= nCust; c++ {
		f, l := b.person()
		first := b.n(0, 700)
		cust[c] = custInfo{int64(b.n(1, nCD)), int64(b.n(1, nHD)), int64(b.n(1, nCA))}
		b.add(cu, int64(c), dsID(300000+c), nullable(b, cust[c].cdemo, 3), nullable(b, cust[c].hdemo, 3), cust[c].addr,
			nullable(b, dsSK(first+b.n(0, 30)), 3), nullable(b, dsSK(first), 3), f, l, int64(b.n(1930, 1992)),
			fmt.Sprintf("%s.%s%d@example.net", f, l, c))
	}

	// Items (type 2).
	it := b.table("item", "i_item_sk", "INTEGER", "i_item_id", "CHAR(16)", "i_rec_start_date", "DATE", "i_rec_end_date", "DATE",
		"i_item_desc", "VARCHAR(200)", "i_current_price", "DECIMAL(7,2)", "i_wholesale_cost", "DECIMAL(7,2)", "i_brand", "VARCHAR(50)", "i_category", "VARCHAR(50)")
	const nItems = 150
	itemV, itemAt := b.versions(nItems)
	itemPrice := map[int]int{} // sk → cents
	categories := []string{"Books", "Children", "Electronics", "Home", "Jewelry", "Men", "Music", "Shoes", "Sports", "Women"}
	itemCat := make([]string, nItems)
	for m := range itemCat {
		itemCat[m] = categories[b.r.IntN(len(categories))]
	}
	for _, v := range itemV {
		from, to := v.dates()
		cents := b.n(99, 9999)
		itemPrice[v.sk] = cents
		b.add(it, int64(v.sk), dsID(400000+v.member), from, to, fmt.Sprintf("%s %s for %s use", b.pick(shapeFlavours), b.pick(chinookThings), b.pick([]string{"daily", "outdoor", "home", "office", "travel"})),
			fmt.Sprintf("%d.%02d", cents/100, cents%100), fmt.Sprintf("%d.%02d", cents*6/1000, cents*6/10%100),
			fmt.Sprintf("%s #%d", b.pick(chinookWords), b.n(1, 9)), itemCat[v.member])
	}
	item := func(day int) (int64, int) { // a sold item's version and price
		sk := itemAt(b.r.IntN(nItems), day)
		return int64(sk), itemPrice[sk]
	}

	// Promotions, stores, call centres, catalogue pages, web sites and pages.
	pr := b.table("promotion", "p_promo_sk", "INTEGER", "p_promo_id", "CHAR(16)", "p_start_date_sk", "INTEGER", "p_end_date_sk", "INTEGER",
		"p_item_sk", "INTEGER", "p_cost", "DECIMAL(15,2)", "p_promo_name", "VARCHAR(50)", "p_channel_email", "CHAR(1)")
	const nPromo = 30
	for p := 1; p <= nPromo; p++ {
		start := b.n(300, 1000)
		sk, _ := item(start)
		b.add(pr, int64(p), dsID(500000+p), dsSK(start), dsSK(start+b.n(20, 90)), sk, b.money(100, 5000),
			b.pick(chinookWords)+" "+b.pick([]string{"sale", "weekend", "deal", "special"}), b.pick([]string{"Y", "N"}))
	}
	promo := func() any { return nullable(b, int64(b.n(1, nPromo)), 25) }

	st := b.table("store", "s_store_sk", "INTEGER", "s_store_id", "CHAR(16)", "s_rec_start_date", "DATE", "s_rec_end_date", "DATE",
		"s_closed_date_sk", "INTEGER", "s_store_name", "VARCHAR(50)", "s_number_employees", "INTEGER", "s_floor_space", "INTEGER",
		"s_city", "VARCHAR(60)", "s_tax_percentage", "DECIMAL(5,2)")
	const nStores = 8
	storeV, storeAt := b.versions(nStores)
	storeName := make([]string, nStores)
	for i := range storeName {
		storeName[i] = shapeAdjectives[(i*7)%len(shapeAdjectives)]
	}
	for _, v := range storeV {
		from, to := v.dates()
		var closed any
		if v.member == 3 && v.to < 0 {
			closed = dsSK(1200)
		}
		b.add(st, int64(v.sk), dsID(600000+v.member), from, to, closed, storeName[v.member], int64(b.n(200, 300)), int64(b.n(5_000_000, 9_900_000)),
			b.pick(shapeCities), fmt.Sprintf("0.%02d", b.n(0, 11)))
	}

	cc := b.table("call_center", "cc_call_center_sk", "INTEGER", "cc_call_center_id", "CHAR(16)", "cc_rec_start_date", "DATE", "cc_rec_end_date", "DATE",
		"cc_open_date_sk", "INTEGER", "cc_name", "VARCHAR(50)", "cc_class", "VARCHAR(50)", "cc_employees", "INTEGER", "cc_tax_percentage", "DECIMAL(5,2)")
	const nCC = 4
	ccV, ccAt := b.versions(nCC)
	for _, v := range ccV {
		from, to := v.dates()
		b.add(cc, int64(v.sk), dsID(700000+v.member), from, to, dsSK(b.n(0, 200)), []string{"North Midwest", "Mid Atlantic", "Pacific", "Gulf Coast"}[v.member],
			b.pick([]string{"small", "medium", "large"}), int64(b.n(50, 700)), fmt.Sprintf("0.%02d", b.n(0, 12)))
	}

	cp := b.table("catalog_page", "cp_catalog_page_sk", "INTEGER", "cp_catalog_page_id", "CHAR(16)", "cp_start_date_sk", "INTEGER", "cp_end_date_sk", "INTEGER",
		"cp_department", "VARCHAR(50)", "cp_catalog_number", "INTEGER", "cp_catalog_page_number", "INTEGER", "cp_type", "VARCHAR(100)")
	const nPages = 200
	for p := 1; p <= nPages; p++ {
		catalog := (p-1)/20 + 1
		start := 300 + (catalog-1)*90
		b.add(cp, int64(p), dsID(800000+p), dsSK(start), dsSK(start+b.n(60, 120)), "DEPARTMENT", int64(catalog), int64((p-1)%20+1),
			[]string{"bi-annual", "quarterly", "monthly"}[catalog%3])
	}

	ws := b.table("web_site", "web_site_sk", "INTEGER", "web_site_id", "CHAR(16)", "web_rec_start_date", "DATE", "web_rec_end_date", "DATE",
		"web_name", "VARCHAR(50)", "web_open_date_sk", "INTEGER", "web_class", "VARCHAR(50)", "web_manager", "VARCHAR(40)", "web_tax_percentage", "DECIMAL(5,2)")
	const nSites = 4
	siteV, siteAt := b.versions(nSites)
	for _, v := range siteV {
		from, to := v.dates()
		f, l := b.person()
		b.add(ws, int64(v.sk), dsID(900000+v.member), from, to, fmt.Sprintf("site_%d", v.member), dsSK(b.n(0, 300)), "Unknown", f+" "+l, fmt.Sprintf("0.%02d", b.n(0, 12)))
	}
	wp := b.table("web_page", "wp_web_page_sk", "INTEGER", "wp_web_page_id", "CHAR(16)", "wp_rec_start_date", "DATE", "wp_rec_end_date", "DATE",
		"wp_creation_date_sk", "INTEGER", "wp_access_date_sk", "INTEGER", "wp_customer_sk", "INTEGER", "wp_type", "VARCHAR(50)",
		"wp_char_count", "INTEGER", "wp_link_count", "INTEGER")
	const nWebPages = 30
	pageV, pageAt := b.versions(nWebPages)
	for _, v := range pageV {
		from, to := v.dates()
		var owner any
		if b.r.IntN(4) == 0 {
			owner = int64(b.n(1, nCust))
		}
		created := b.n(0, 300)
		b.add(wp, int64(v.sk), dsID(1000000+v.member), from, to, dsSK(created), dsSK(created+b.n(30, 1000)), owner,
			b.pick([]string{"welcome", "protected", "feedback", "general", "ad", "order", "dynamic"}), int64(b.n(300, 8000)), int64(b.n(2, 25)))
	}
	wh := b.table("warehouse", "w_warehouse_sk", "INTEGER", "w_warehouse_id", "CHAR(16)", "w_warehouse_name", "VARCHAR(20)", "w_warehouse_sq_ft", "INTEGER",
		"w_city", "VARCHAR(60)", "w_state", "CHAR(2)")
	const nWH = 5
	for w := 1; w <= nWH; w++ {
		b.add(wh, int64(w), dsID(1100000+w), b.pick(shapeAdjectives)+" Depot", int64(b.n(50_000, 990_000)), b.pick(shapeCities), b.pick(states))
	}
	sm := b.table("ship_mode", "sm_ship_mode_sk", "INTEGER", "sm_ship_mode_id", "CHAR(16)", "sm_type", "CHAR(30)", "sm_code", "CHAR(10)", "sm_carrier", "CHAR(20)")
	n = 0
	for _, t := range []string{"REGULAR", "EXPRESS", "NEXT DAY", "OVERNIGHT", "TWO DAY"} {
		for _, c := range []string{"AIR", "SURFACE", "SEA", "COURIER"} {
			n++
			b.add(sm, int64(n), dsID(1200000+n), t, c, fmt.Sprintf("%s %s", b.pick(shapeAdjectives), b.pick([]string{"Freight", "Logistics", "Parcel", "Express"})))
		}
	}
	const nSM = 20
	rs := b.table("reason", "r_reason_sk", "INTEGER", "r_reason_id", "CHAR(16)", "r_reason_desc", "CHAR(100)")
	reasons := []string{"Package was damaged", "Stopped working", "Did not fit", "Found a better price", "Not the product that was ordered",
		"Parts missing", "Does not work with a product that I have", "Gift exchange", "Did not like the color", "Did not like the model",
		"Did not like the make", "Did not like the warranty", "No service location in my area", "Arrived too late", "Duplicate purchase",
		"Ordered by mistake", "Wrong size", "Quality below expectations", "Changed my mind", "Too heavy", "Too noisy", "Battery life too short",
		"Instructions unclear", "Packaging open", "Missing manual", "Color faded", "Scratched surface", "Wrong quantity", "Late for the event",
		"Cheaper elsewhere", "Not as described", "Allergic reaction", "Replaced by a newer model", "Gift not wanted", "Other"}
	for i, r := range reasons {
		b.add(rs, int64(i+1), dsID(1300000+i), r)
	}
	nReason := len(reasons)

	// Store sales and returns.
	ss := b.table("store_sales", "ss_sold_date_sk", "INTEGER", "ss_sold_time_sk", "INTEGER", "ss_item_sk", "INTEGER", "ss_customer_sk", "INTEGER",
		"ss_cdemo_sk", "INTEGER", "ss_hdemo_sk", "INTEGER", "ss_addr_sk", "INTEGER", "ss_store_sk", "INTEGER", "ss_promo_sk", "INTEGER",
		"ss_ticket_number", "INTEGER", "ss_quantity", "INTEGER", "ss_sales_price", "DECIMAL(7,2)", "ss_ext_sales_price", "DECIMAL(7,2)", "ss_net_profit", "DECIMAL(7,2)")
	sr := b.table("store_returns", "sr_returned_date_sk", "INTEGER", "sr_return_time_sk", "INTEGER", "sr_item_sk", "INTEGER", "sr_customer_sk", "INTEGER",
		"sr_cdemo_sk", "INTEGER", "sr_hdemo_sk", "INTEGER", "sr_addr_sk", "INTEGER", "sr_store_sk", "INTEGER", "sr_reason_sk", "INTEGER",
		"sr_ticket_number", "INTEGER", "sr_return_quantity", "INTEGER", "sr_return_amt", "DECIMAL(7,2)", "sr_net_loss", "DECIMAL(7,2)")
	type line struct {
		item       int64
		qty, price int
	}
	// lines draws k distinct items (versions valid on day) for one ticket
	// or order.
	lines := func(day, k int) []line {
		seen := map[int64]bool{}
		var out []line
		for len(out) < k {
			sk, price := item(day)
			if seen[sk] {
				continue
			}
			seen[sk] = true
			out = append(out, line{sk, b.n(1, 100), price * b.n(60, 100) / 100})
		}
		return out
	}
	cents := func(c int) string {
		sign := ""
		if c < 0 {
			sign, c = "-", -c
		}
		return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
	}
	for t := 1; t <= 650; t++ {
		day := dayOf()
		c := b.n(1, nCust)
		var custSK any = int64(c)
		if b.r.IntN(30) == 0 {
			custSK = nil
		}
		store := int64(storeAt(b.r.IntN(nStores), day))
		tm := clock(8, 21)
		promoSK := promo()
		ls := lines(day, []int{1, 2, 3, 3, 4, 4, 5, 6}[b.r.IntN(8)])
		for _, l := range ls {
			ext := l.qty * l.price
			b.add(ss, dsSK(day), tm, l.item, custSK, cust[c].cdemo, cust[c].hdemo, cust[c].addr, store, promoSK, int64(t),
				int64(l.qty), cents(l.price), cents(ext), cents(ext*b.n(-30, 40)/100))
		}
		if t%7 == 0 { // returned: one or more of the ticket's lines
			back := day + b.n(1, 60)
			rt := clock(9, 20)
			reason := int64(b.n(1, nReason))
			for i, l := range ls {
				if i > 0 && b.r.IntN(2) == 0 {
					continue
				}
				q := b.n(1, l.qty)
				b.add(sr, dsSK(back), rt, l.item, custSK, cust[c].cdemo, cust[c].hdemo, cust[c].addr, store, reason, int64(t),
					int64(q), cents(q*l.price), cents(q*l.price*b.n(5, 50)/100))
			}
		}
	}

	// Catalogue sales and returns.
	cs := b.table("catalog_sales", "cs_sold_date_sk", "INTEGER", "cs_sold_time_sk", "INTEGER", "cs_ship_date_sk", "INTEGER",
		"cs_bill_customer_sk", "INTEGER", "cs_bill_cdemo_sk", "INTEGER", "cs_bill_hdemo_sk", "INTEGER", "cs_bill_addr_sk", "INTEGER",
		"cs_ship_customer_sk", "INTEGER", "cs_ship_addr_sk", "INTEGER", "cs_call_center_sk", "INTEGER", "cs_catalog_page_sk", "INTEGER",
		"cs_ship_mode_sk", "INTEGER", "cs_warehouse_sk", "INTEGER", "cs_item_sk", "INTEGER", "cs_promo_sk", "INTEGER",
		"cs_order_number", "INTEGER", "cs_quantity", "INTEGER", "cs_sales_price", "DECIMAL(7,2)", "cs_ext_sales_price", "DECIMAL(7,2)", "cs_net_profit", "DECIMAL(7,2)")
	cr := b.table("catalog_returns", "cr_returned_date_sk", "INTEGER", "cr_returned_time_sk", "INTEGER", "cr_item_sk", "INTEGER",
		"cr_refunded_customer_sk", "INTEGER", "cr_returning_customer_sk", "INTEGER", "cr_returning_addr_sk", "INTEGER",
		"cr_call_center_sk", "INTEGER", "cr_catalog_page_sk", "INTEGER", "cr_ship_mode_sk", "INTEGER", "cr_warehouse_sk", "INTEGER",
		"cr_reason_sk", "INTEGER", "cr_order_number", "INTEGER", "cr_return_quantity", "INTEGER", "cr_return_amount", "DECIMAL(7,2)", "cr_net_loss", "DECIMAL(7,2)")
	for o := 1; o <= 450; o++ {
		day := dayOf()
		bill := b.n(1, nCust)
		shipTo := bill
		if b.r.IntN(5) == 0 {
			shipTo = b.n(1, nCust)
		}
		tm := clock(0, 24)
		center := int64(ccAt(b.r.IntN(nCC), day))
		page := int64(b.n(1, nPages))
		mode, wh := int64(b.n(1, nSM)), int64(b.n(1, nWH))
		promoSK := promo()
		ls := lines(day, b.n(1, 7))
		for _, l := range ls {
			ext := l.qty * l.price
			b.add(cs, dsSK(day), tm, dsSK(day+b.n(2, 90)), int64(bill), cust[bill].cdemo, cust[bill].hdemo, cust[bill].addr,
				int64(shipTo), cust[shipTo].addr, center, page, mode, wh, l.item, promoSK, int64(o),
				int64(l.qty), cents(l.price), cents(ext), cents(ext*b.n(-30, 40)/100))
		}
		if o%6 == 0 {
			back := day + b.n(10, 120)
			rt := clock(0, 24)
			reason := int64(b.n(1, nReason))
			for i, l := range ls {
				if i > 0 && b.r.IntN(2) == 0 {
					continue
				}
				q := b.n(1, l.qty)
				b.add(cr, dsSK(back), rt, l.item, int64(bill), int64(shipTo), cust[shipTo].addr, center, page, mode, wh, reason, int64(o),
					int64(q), cents(q*l.price), cents(q*l.price*b.n(5, 50)/100))
			}
		}
	}

	// Web sales and returns.
	wsl := b.table("web_sales", "ws_sold_date_sk", "INTEGER", "ws_sold_time_sk", "INTEGER", "ws_ship_date_sk", "INTEGER", "ws_item_sk", "INTEGER",
		"ws_bill_customer_sk", "INTEGER", "ws_bill_addr_sk", "INTEGER", "ws_ship_customer_sk", "INTEGER", "ws_ship_addr_sk", "INTEGER",
		"ws_web_page_sk", "INTEGER", "ws_web_site_sk", "INTEGER", "ws_ship_mode_sk", "INTEGER", "ws_warehouse_sk", "INTEGER", "ws_promo_sk", "INTEGER",
		"ws_order_number", "INTEGER", "ws_quantity", "INTEGER", "ws_sales_price", "DECIMAL(7,2)", "ws_ext_sales_price", "DECIMAL(7,2)", "ws_net_profit", "DECIMAL(7,2)")
	wr := b.table("web_returns", "wr_returned_date_sk", "INTEGER", "wr_returned_time_sk", "INTEGER", "wr_item_sk", "INTEGER",
		"wr_refunded_customer_sk", "INTEGER", "wr_returning_customer_sk", "INTEGER", "wr_web_page_sk", "INTEGER", "wr_reason_sk", "INTEGER",
		"wr_order_number", "INTEGER", "wr_return_quantity", "INTEGER", "wr_return_amt", "DECIMAL(7,2)", "wr_net_loss", "DECIMAL(7,2)")
	for o := 1; o <= 350; o++ {
		day := dayOf()
		bill := b.n(1, nCust)
		shipTo := bill
		if b.r.IntN(6) == 0 {
			shipTo = b.n(1, nCust)
		}
		tm := clock(0, 24)
		page := int64(pageAt(b.r.IntN(nWebPages), day))
		site := int64(siteAt(b.r.IntN(nSites), day))
		mode, wh := int64(b.n(1, nSM)), int64(b.n(1, nWH))
		promoSK := promo()
		ls := lines(day, b.n(1, 7))
		for _, l := range ls {
			ext := l.qty * l.price
			b.add(wsl, dsSK(day), tm, dsSK(day+b.n(1, 60)), l.item, int64(bill), cust[bill].addr, int64(shipTo), cust[shipTo].addr,
				page, site, mode, wh, promoSK, int64(o), int64(l.qty), cents(l.price), cents(ext), cents(ext*b.n(-30, 40)/100))
		}
		if o%6 == 0 {
			back := day + b.n(5, 90)
			rt := clock(0, 24)
			reason := int64(b.n(1, nReason))
			for i, l := range ls {
				if i > 0 && b.r.IntN(2) == 0 {
					continue
				}
				q := b.n(1, l.qty)
				b.add(wr, dsSK(back), rt, l.item, int64(bill), int64(shipTo), page, reason, int64(o),
					int64(q), cents(q*l.price), cents(q*l.price*b.n(5, 50)/100))
			}
		}
	}

	// Inventory: every Monday of eight weeks, 60 items, every warehouse.
	inv := b.table("inventory", "inv_date_sk", "INTEGER", "inv_item_sk", "INTEGER", "inv_warehouse_sk", "INTEGER", "inv_quantity_on_hand", "INTEGER")
	stocked := b.r.Perm(nItems)[:60]
	first := 367 // 2000-01-03, a Monday
	for w := 0; w < 8; w++ {
		day := first + 7*w
		for _, m := range stocked {
			sk := int64(itemAt(m, day))
			for h := 1; h <= nWH; h++ {
				b.add(inv, dsSK(day), sk, int64(h), nullable(b, int64(b.n(0, 1000)), 3))
			}
		}
	}
	return b.s
}

// CreateTPCDS creates and fills the TPC-DS-shaped tables in schema (""
// = the connection's default) and returns them with their truth.
func CreateTPCDS(ctx context.Context, conn connector.Connector, schema string) (*GenSchema, error) {
	gs := TPCDS()
	return gs, createShape(ctx, conn, schema, gs)
}
