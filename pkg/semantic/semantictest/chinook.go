package semantictest

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/model"
)

// ChinookKeys are the keys of the eleven Chinook-shaped tables (a digital
// music store: PascalCase columns, singular table names, surrogate
// integer ids; InvoiceLine has an id of its own rather than a line
// number).
var ChinookKeys = map[string][]string{
	"Artist":        {"ArtistId"},
	"Album":         {"AlbumId"},
	"Track":         {"TrackId"},
	"Genre":         {"GenreId"},
	"MediaType":     {"MediaTypeId"},
	"Playlist":      {"PlaylistId"},
	"PlaylistTrack": {"PlaylistId", "TrackId"},
	"Employee":      {"EmployeeId"},
	"Customer":      {"CustomerId"},
	"Invoice":       {"InvoiceId"},
	"InvoiceLine":   {"InvoiceLineId"},
}

// ChinookRoles: Invoice (a header with a date and a Total) and its
// InvoiceLine are transaction facts, PlaylistTrack is a bridge, the rest
// are dimensions (Track, with its UnitPrice, is the product).
var ChinookRoles = map[string]model.Role{
	"Artist":        model.RoleDimension,
	"Album":         model.RoleDimension,
	"Track":         model.RoleDimension,
	"Genre":         model.RoleDimension,
	"MediaType":     model.RoleDimension,
	"Playlist":      model.RoleDimension,
	"PlaylistTrack": model.RoleBridge,
	"Employee":      model.RoleDimension,
	"Customer":      model.RoleDimension,
	"Invoice":       model.RoleTransactionFact,
	"InvoiceLine":   model.RoleTransactionFact,
}

// ChinookForeignKeys are the eleven references, Employee.ReportsTo (a
// self-reference) and Customer.SupportRepId → Employee included.
var ChinookForeignKeys = []FK{
	{"Album", []string{"ArtistId"}, "Artist", []string{"ArtistId"}},
	{"Track", []string{"AlbumId"}, "Album", []string{"AlbumId"}},
	{"Track", []string{"MediaTypeId"}, "MediaType", []string{"MediaTypeId"}},
	{"Track", []string{"GenreId"}, "Genre", []string{"GenreId"}},
	{"PlaylistTrack", []string{"PlaylistId"}, "Playlist", []string{"PlaylistId"}},
	{"PlaylistTrack", []string{"TrackId"}, "Track", []string{"TrackId"}},
	{"Employee", []string{"ReportsTo"}, "Employee", []string{"EmployeeId"}},
	{"Customer", []string{"SupportRepId"}, "Employee", []string{"EmployeeId"}},
	{"Invoice", []string{"CustomerId"}, "Customer", []string{"CustomerId"}},
	{"InvoiceLine", []string{"InvoiceId"}, "Invoice", []string{"InvoiceId"}},
	{"InvoiceLine", []string{"TrackId"}, "Track", []string{"TrackId"}},
}

var (
	chinookWords = []string{"Midnight", "Velvet", "Echo", "Harbor", "Neon", "Silver", "Paper", "Winter", "Static", "Crimson", "Hollow",
		"Lantern", "Orbit", "Quiet", "Rust", "Signal", "Tide", "Violet", "Wander", "Atlas", "Bloom", "Cobalt", "Drift", "Ember",
		"Falcon", "Glass", "Horizon", "Ivory", "Jigsaw", "Kaleido", "Lumen", "Marble", "Nomad", "Opal", "Prism", "Raven", "Saffron"}
	chinookThings = []string{"Heart", "Road", "Sky", "River", "Machine", "Garden", "Letters", "Dance", "Fire", "Dreams", "Lights",
		"Hours", "Streets", "Waves", "Stones", "Shadows", "Wires", "Rooms", "Bells", "Engines"}
	chinookGenres = []string{"Rock", "Jazz", "Metal", "Alternative", "Blues", "Latin", "Reggae", "Pop", "Soundtrack", "Classical",
		"Electronica", "Folk", "Hip Hop", "Country", "World", "Ambient", "Gospel", "Funk", "Punk", "Spoken Word"}
	chinookMedia = []string{"Lossy MP3 file", "Protected lossy AAC file", "Lossless FLAC file", "Unprotected AAC file", "Uncompressed WAV file"}
)

// Chinook generates the Chinook-shaped schema.
func Chinook() *GenSchema {
	b := newShape("chinook", 17, ChinookKeys, ChinookRoles, nil, ChinookForeignKeys, nil)
	title := func() string { return b.pick(chinookWords) + " " + b.pick(chinookThings) }

	art := b.table("Artist", "ArtistId", "INTEGER", "Name", "VARCHAR(120)")
	seen := map[string]bool{}
	const nArtists = 120
	for a := 1; a <= nArtists; a++ {
		var n string
		for n == "" || seen[n] {
			n = []string{"The ", "", "", ""}[b.r.IntN(4)] + title()
			if b.r.IntN(4) == 0 {
				f, l := b.person()
				n = f + " " + l
			}
		}
		seen[n] = true
		b.add(art, int64(a), n)
	}
	alb := b.table("Album", "AlbumId", "INTEGER", "Title", "VARCHAR(160)", "ArtistId", "INTEGER")
	const nAlbums = 200
	for a := 1; a <= nAlbums; a++ {
		artist := a
		if a > nArtists {
			artist = b.n(1, nArtists)
		}
		b.add(alb, int64(a), title()+[]string{"", "", " (Live)", " (Deluxe)", " Vol. 2"}[b.r.IntN(5)], int64(artist))
	}
	gen := b.table("Genre", "GenreId", "INTEGER", "Name", "VARCHAR(120)")
	for i, g := range chinookGenres {
		b.add(gen, int64(i+1), g)
	}
	med := b.table("MediaType", "MediaTypeId", "INTEGER", "Name", "VARCHAR(120)")
	for i, m := range chinookMedia {
		b.add(med, int64(i+1), m)
	}

	trk := b.table("Track", "TrackId", "INTEGER", "Name", "VARCHAR(200)", "AlbumId", "INTEGER", "MediaTypeId", "INTEGER", "GenreId", "INTEGER",
		"Composer", "VARCHAR(220)", "Milliseconds", "INTEGER", "Bytes", "INTEGER", "UnitPrice", "DECIMAL(10,2)")
	const nTracks = 1800
	trackPrice := make([]string, nTracks+1)
	for t := 1; t <= nTracks; t++ {
		album := (t-1)*nAlbums/nTracks + 1
		var composer any
		if b.r.IntN(4) != 0 {
			f, l := b.person()
			composer = f + " " + l
			if b.r.IntN(3) == 0 {
				f2, l2 := b.person()
				composer = composer.(string) + ", " + f2 + " " + l2
			}
		}
		ms := b.n(90_000, 420_000)
		media := int64(1 + b.r.IntN(3))
		trackPrice[t] = "0.99"
		if b.r.IntN(12) == 0 {
			media, trackPrice[t] = 5, "1.99" // videos
		}
		b.add(trk, int64(t), title(), int64(album), media, int64(1+b.r.IntN(len(chinookGenres))), composer, int64(ms), int64(ms*32+b.n(0, 99_999)), trackPrice[t])
	}
	pl := b.table("Playlist", "PlaylistId", "INTEGER", "Name", "VARCHAR(120)")
	pt := b.table("PlaylistTrack", "PlaylistId", "INTEGER", "TrackId", "INTEGER")
	for p, n := range []string{"Music", "Movies", "Road Trip", "Workout", "Late Night", "Focus", "Classics", "Ninety Minutes", "Dinner Party",
		"Rainy Day", "Sunday Morning", "Party Starters", "Deep Cuts", "Acoustic"} {
		b.add(pl, int64(p+1), n)
		k := 40 + b.r.IntN(260)
		if p == 0 {
			k = 600
		}
		for _, t := range b.r.Perm(nTracks)[:k] {
			b.add(pt, int64(p+1), int64(t+1))
		}
	}

	emp := b.table("Employee", "EmployeeId", "INTEGER", "LastName", "VARCHAR(20)", "FirstName", "VARCHAR(20)", "Title", "VARCHAR(30)",
		"ReportsTo", "INTEGER", "BirthDate", "DATE", "HireDate", "DATE", "City", "VARCHAR(40)", "Country", "VARCHAR(40)", "Email", "VARCHAR(60)")
	// 1 is the general manager; 2 runs sales (3, 4, 5), 6 runs IT (7, 8).
	boss := []any{nil, nil, int64(1), int64(2), int64(2), int64(2), int64(1), int64(6), int64(6)}
	etitle := []string{"", "General Manager", "Sales Manager", "Sales Support Agent", "Sales Support Agent", "Sales Support Agent", "IT Manager", "IT Staff", "IT Staff"}
	for e := 1; e <= 8; e++ {
		f, l := b.person()
		b.add(emp, int64(e), l, f, etitle[e], boss[e], fmt.Sprintf("%d-%02d-%02d", b.n(1958, 1990), b.n(1, 12), b.n(1, 28)),
			shapeDate(-b.n(300, 1500)), b.pick(shapeCities), "Canada", strings.ToLower(f)+"@chinook-music.example")
	}
	cus := b.table("Customer", "CustomerId", "INTEGER", "FirstName", "VARCHAR(40)", "LastName", "VARCHAR(20)", "Company", "VARCHAR(80)",
		"City", "VARCHAR(40)", "Country", "VARCHAR(40)", "Email", "VARCHAR(60)", "SupportRepId", "INTEGER")
	const nCustomers = 59
	custPlace := make([][2]string, nCustomers+1)
	for c := 1; c <= nCustomers; c++ {
		f, l := b.person()
		var company any
		if b.r.IntN(5) == 0 {
			company = b.companies(1)[0]
		}
		custPlace[c] = [2]string{b.pick(shapeCities), b.pick(shapeCountries)}
		b.add(cus, int64(c), f, l, company, custPlace[c][0], custPlace[c][1], fmt.Sprintf("%s.%s%d@mail.example", strings.ToLower(f), strings.ToLower(l), c), int64(b.n(3, 5)))
	}
	inv := b.table("Invoice", "InvoiceId", "INTEGER", "CustomerId", "INTEGER", "InvoiceDate", "TIMESTAMP", "BillingCity", "VARCHAR(40)",
		"BillingCountry", "VARCHAR(40)", "Total", "DECIMAL(10,2)")
	line := b.table("InvoiceLine", "InvoiceLineId", "INTEGER", "InvoiceId", "INTEGER", "TrackId", "INTEGER", "UnitPrice", "DECIMAL(10,2)", "Quantity", "INTEGER")
	lineID := int64(0)
	for i := 1; i <= 400; i++ {
		c := (i*7)%nCustomers + 1
		total := 0
		k := []int{1, 2, 2, 4, 4, 6, 9, 14}[b.r.IntN(8)]
		for _, t := range b.r.Perm(nTracks)[:k] {
			lineID++
			var cents int
			fmt.Sscanf(strings.Replace(trackPrice[t+1], ".", "", 1), "%d", &cents)
			total += cents
			b.add(line, lineID, int64(i), int64(t+1), trackPrice[t+1], int64(1))
		}
		b.add(inv, int64(i), int64(c), shapeDate(i*1500/400)+" 00:00:00", custPlace[c][0], custPlace[c][1], fmt.Sprintf("%d.%02d", total/100, total%100))
	}
	return b.s
}

// CreateChinook creates and fills the Chinook-shaped tables in schema
// ("" = the connection's default) and returns them with their truth.
func CreateChinook(ctx context.Context, conn connector.Connector, schema string) (*GenSchema, error) {
	gs := Chinook()
	return gs, createShape(ctx, conn, schema, gs)
}
