package bench

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// TPC-H's row counts at scale factor 1.
const (
	partsPerSF     = 200_000
	suppliersPerSF = 10_000
	customersPerSF = 150_000
	ordersPerSF    = 1_500_000
	clerksPerSF    = 1_000
	// suppliersPerPart is the number of partsupp rows of each part.
	suppliersPerPart = 4
)

// minScaleFactor is the smallest scale at which TPC-H's formula for a
// part's suppliers still gives four different ones.
const minScaleFactor = 0.01

// TPC-H's dates: orders are placed from startDate to 151 days before
// endDate; currentDate decides which lines are shipped or returned.
var (
	startDate   = time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC)
	currentDate = day(time.Date(1995, 6, 17, 0, 0, 0, 0, time.UTC))
	endDate     = day(time.Date(1998, 12, 31, 0, 0, 0, 0, time.UTC))
)

// day is a date as days since startDate.
func day(t time.Time) int { return int(t.Sub(startDate).Hours() / 24) }

// dateText is the text of every day a generated date can fall on.
var dateText = func() []string {
	out := make([]string, endDate+200)
	for d := range out {
		out[d] = startDate.AddDate(0, 0, d).Format(time.DateOnly)
	}
	return out
}()

// generator writes TPC-H's tables at one scale factor. Every row is drawn
// from a random source seeded with its table and key, so a table comes
// out the same on every run and each table can be written on its own.
type generator struct {
	partCount, supplierCount, customerCount, orderCount, clerkCount int
	pcg                                                             rand.PCG
	rng                                                             *rand.Rand
	lines                                                           []lineRow
}

func newGenerator(sf float64) *generator {
	count := func(perSF int) int { return max(1, int(sf*float64(perSF))) }
	g := &generator{
		partCount:     count(partsPerSF),
		supplierCount: count(suppliersPerSF),
		customerCount: count(customersPerSF),
		orderCount:    count(ordersPerSF),
		clerkCount:    count(clerksPerSF),
	}
	g.rng = rand.New(&g.pcg)
	return g
}

// Seeds of the tables' random sources.
const (
	seedNation = iota + 1
	seedRegion
	seedSupplier
	seedCustomer
	seedPart
	seedPartsupp
	seedOrder
)

func (g *generator) seed(table, key int) { g.pcg.Seed(uint64(table), uint64(key)) }

// between is a uniform integer in [lo, hi].
func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// comment is text of TPC-H's words, between minLen and maxLen bytes long.
func (g *generator) comment(w *rowWriter, minLen, maxLen int) {
	w.sep()
	target, n := g.between(minLen, maxLen), 0
	for n < target {
		word := g.pick(words)
		if n > 0 {
			if n+1+len(word) > maxLen {
				break
			}
			w.buf = append(w.buf, ' ')
			n++
		} else if len(word) > maxLen {
			word = word[:maxLen]
		}
		w.buf = append(w.buf, word...)
		n += len(word)
	}
}

// phone is TPC-H's phone number, whose first digits are the country code.
func (g *generator) phone(w *rowWriter, nation int) {
	w.sep()
	w.buf = strconv.AppendInt(w.buf, int64(nation+10), 10)
	for _, r := range [][2]int{{100, 999}, {100, 999}, {1000, 9999}} {
		w.buf = append(w.buf, '-')
		w.buf = strconv.AppendInt(w.buf, int64(g.between(r[0], r[1])), 10)
	}
}

// address is random letters and digits.
func (g *generator) address(w *rowWriter) {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,"
	w.sep()
	for range g.between(10, 40) {
		w.buf = append(w.buf, chars[g.rng.IntN(len(chars))])
	}
}

// numbered is a name like Supplier#000000042.
func numbered(w *rowWriter, prefix string, key int) {
	w.sep()
	w.buf = append(w.buf, prefix...)
	digits := strconv.Itoa(key)
	for range 9 - len(digits) {
		w.buf = append(w.buf, '0')
	}
	w.buf = append(w.buf, digits...)
}

func (g *generator) regions(w *rowWriter) error {
	for key, name := range regionNames {
		g.seed(seedRegion, key)
		w.int(key)
		w.text(name)
		g.comment(w, 31, 115)
		if err := w.end(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) nations(w *rowWriter) error {
	for key, n := range nationList {
		g.seed(seedNation, key)
		w.int(key)
		w.text(n.name)
		w.int(n.region)
		g.comment(w, 31, 114)
		if err := w.end(); err != nil {
			return err
		}
	}
	return nil
}

// Of every 10,000 suppliers, about five have a comment with "Customer …
// Complaints" (the suppliers Q16 leaves out) and five "Customer …
// Recommends".
const (
	complaintsPer10k = 5
	recommendsPer10k = 5
)

func (g *generator) suppliers(w *rowWriter) error {
	for key := 1; key <= g.supplierCount; key++ {
		g.seed(seedSupplier, key)
		g.party(w, "Supplier#", key)
		switch r := g.rng.IntN(10_000); {
		case r < complaintsPer10k:
			w.text("carefully final Customer requests Complaints")
		case r < complaintsPer10k+recommendsPer10k:
			w.text("slyly even Customer accounts Recommends")
		default:
			g.comment(w, 25, 100)
		}
		if err := w.end(); err != nil {
			return err
		}
	}
	return nil
}

// party writes the columns supplier and customer begin with alike: key,
// name, address, nation, phone and account balance.
func (g *generator) party(w *rowWriter, prefix string, key int) {
	nation := g.rng.IntN(len(nationList))
	w.int(key)
	numbered(w, prefix, key)
	g.address(w)
	w.int(nation)
	g.phone(w, nation)
	w.cents(g.between(-99_999, 999_999))
}

func (g *generator) customers(w *rowWriter) error {
	for key := 1; key <= g.customerCount; key++ {
		g.seed(seedCustomer, key)
		g.party(w, "Customer#", key)
		w.text(g.pick(segments))
		g.comment(w, 29, 116)
		if err := w.end(); err != nil {
			return err
		}
	}
	return nil
}

// retailPrice is TPC-H's price of a part, in cents.
func retailPrice(part int) int { return 90_000 + (part/10)%20_001 + 100*(part%1_000) }

// partSupplier is the i-th of the four suppliers of a part (TPC-H
// 4.2.3), so lineitem can name a supplier partsupp has without a lookup.
func (g *generator) partSupplier(part, i int) int {
	s := g.supplierCount
	return (part+i*(s/suppliersPerPart+(part-1)/s))%s + 1
}

func (g *generator) parts(w *rowWriter) error {
	name := make([]string, 0, 5)
	for key := 1; key <= g.partCount; key++ {
		g.seed(seedPart, key)
		// Five different colours.
		name = name[:0]
		for len(name) < 5 {
			c := g.pick(colors)
			if !contains(name, c) {
				name = append(name, c)
			}
		}
		w.int(key)
		w.sep()
		for i, c := range name {
			if i > 0 {
				w.buf = append(w.buf, ' ')
			}
			w.buf = append(w.buf, c...)
		}
		m := g.between(1, 5)
		w.text("Manufacturer#" + strconv.Itoa(m))
		w.text("Brand#" + strconv.Itoa(m) + strconv.Itoa(g.between(1, 5)))
		w.text(g.pick(typeSyllable1) + " " + g.pick(typeSyllable2) + " " + g.pick(typeSyllable3))
		w.int(g.between(1, 50))
		w.text(g.pick(containerSize) + " " + g.pick(containerKinds))
		w.cents(retailPrice(key))
		g.comment(w, 5, 22)
		if err := w.end(); err != nil {
			return err
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (g *generator) partsupps(w *rowWriter) error {
	for part := 1; part <= g.partCount; part++ {
		for i := range suppliersPerPart {
			g.seed(seedPartsupp, part*suppliersPerPart+i)
			w.int(part)
			w.int(g.partSupplier(part, i))
			w.int(g.between(1, 9_999))
			w.cents(g.between(100, 100_000))
			g.comment(w, 49, 198)
			if err := w.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

// orderKey is the key of the i-th order: TPC-H uses the first 8 of every
// 32 keys, leaving room for refresh inserts.
func orderKey(i int) int { return (i-1)/8*32 + (i-1)%8 + 1 }

// order is one order's columns that its lines decide.
type order struct {
	key, customer, date, totalCents int
	status                          byte
}

// lineRow is one line of an order.
type lineRow struct {
	part, supplier, quantity, priceCents, discount, tax int
	ship, commit, receipt                               int
	returnFlag, status                                  byte
	instruct, mode                                      string
}

// order draws the i-th order and its lines (into g.lines); orders and
// lineitem both call it, so each is written alone and they agree.
func (g *generator) order(i int) order {
	g.seed(seedOrder, i)
	o := order{key: orderKey(i), date: g.between(0, endDate-151)}
	// A third of the customers have no orders (TPC-H 4.2.3).
	for o.customer = g.between(1, g.customerCount); o.customer%3 == 0 && g.customerCount > 2; {
		o.customer = g.between(1, g.customerCount)
	}
	g.lines = g.lines[:0]
	shipped := 0
	for range g.between(1, 7) {
		l := lineRow{part: g.between(1, g.partCount), quantity: g.between(1, 50), discount: g.between(0, 10),
			tax: g.between(0, 8)}
		l.supplier = g.partSupplier(l.part, g.rng.IntN(suppliersPerPart))
		l.priceCents = l.quantity * retailPrice(l.part)
		l.ship = o.date + g.between(1, 121)
		l.commit = o.date + g.between(30, 90)
		l.receipt = l.ship + g.between(1, 30)
		l.returnFlag, l.status = 'N', 'O'
		if l.receipt <= currentDate {
			l.returnFlag = "RA"[g.rng.IntN(2)]
		}
		if l.ship <= currentDate {
			l.status = 'F'
			shipped++
		}
		l.instruct, l.mode = g.pick(shipInstructs), g.pick(shipModes)
		// price × (1 + tax) × (1 − discount), rounded to cents.
		o.totalCents += (l.priceCents*(100+l.tax)*(100-l.discount) + 5_000) / 10_000
		g.lines = append(g.lines, l)
	}
	switch shipped {
	case len(g.lines):
		o.status = 'F'
	case 0:
		o.status = 'O'
	default:
		o.status = 'P'
	}
	return o
}

func (g *generator) orders(w *rowWriter) error {
	for i := 1; i <= g.orderCount; i++ {
		o := g.order(i)
		w.int(o.key)
		w.int(o.customer)
		w.text(string(o.status))
		w.cents(o.totalCents)
		w.date(o.date)
		w.text(g.pick(priorities))
		numbered(w, "Clerk#", g.between(1, g.clerkCount))
		w.int(0)
		g.comment(w, 19, 78)
		if err := w.end(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) lineitems(w *rowWriter) error {
	for i := 1; i <= g.orderCount; i++ {
		o := g.order(i)
		for n, l := range g.lines {
			w.int(o.key)
			w.int(l.part)
			w.int(l.supplier)
			w.int(n + 1)
			w.cents(l.quantity * 100)
			w.cents(l.priceCents)
			w.cents(l.discount)
			w.cents(l.tax)
			w.text(string(l.returnFlag))
			w.text(string(l.status))
			w.date(l.ship)
			w.date(l.commit)
			w.date(l.receipt)
			w.text(l.instruct)
			w.text(l.mode)
			g.comment(w, 10, 43)
			if err := w.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

// rowWriter writes rows as tab-separated text lines, the format both
// PostgreSQL's COPY and MariaDB's LOAD DATA read by default. Generated
// values contain no tab, newline or backslash, so none is escaped.
type rowWriter struct {
	w     *bufio.Writer
	buf   []byte
	first bool
}

func newRowWriter(w io.Writer) *rowWriter {
	return &rowWriter{w: bufio.NewWriterSize(w, 1<<16), first: true}
}

func (w *rowWriter) sep() {
	if !w.first {
		w.buf = append(w.buf, '\t')
	}
	w.first = false
}

func (w *rowWriter) int(v int) {
	w.sep()
	w.buf = strconv.AppendInt(w.buf, int64(v), 10)
}

func (w *rowWriter) text(s string) {
	w.sep()
	w.buf = append(w.buf, s...)
}

// cents writes an amount of cents as a decimal with two digits.
func (w *rowWriter) cents(c int) {
	w.sep()
	if c < 0 {
		w.buf = append(w.buf, '-')
		c = -c
	}
	w.buf = strconv.AppendInt(w.buf, int64(c/100), 10)
	w.buf = append(w.buf, '.', byte('0'+c%100/10), byte('0'+c%10))
}

func (w *rowWriter) date(d int) { w.text(dateText[d]) }

// end finishes a row.
func (w *rowWriter) end() error {
	w.buf = append(w.buf, '\n')
	w.first = true
	_, err := w.w.Write(w.buf)
	w.buf = w.buf[:0]
	return err
}

func (w *rowWriter) flush() error { return w.w.Flush() }

// writeTable writes all rows of t at scale factor sf to out.
func writeTable(t *table, sf float64, out io.Writer) error {
	w := newRowWriter(out)
	if err := t.rows(newGenerator(sf), w); err != nil {
		return err
	}
	return w.flush()
}
