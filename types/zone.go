package types

import (
	"encoding/binary"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/pgerr"
)

// Time zones are named as PostgreSQL names them (AT TIME ZONE, timezone(),
// date_trunc's zone, a zone written in timestamptz input):
//
//   - an abbreviation of the Default timezone_abbreviations set (EST, MSK),
//     looked up first;
//   - an IANA zone name, in any letter case (Europe/Moscow, EST5EDT);
//   - a POSIX time zone specification (UTC+5, <+03>-3, XYZ3ABC,M3.2.0,M11.1.0),
//     whose offsets count hours west of Greenwich as POSIX has it: UTC+5 is
//     five hours behind UTC. Like PostgreSQL, the name may be left out (+3).

// zoneAbbrev is one abbreviation: a fixed offset, or the name of the zone
// whose use of the abbreviation gives its offset.
type zoneAbbrev struct {
	offset int // seconds east of UTC
	zone   string
}

// Zone is a resolved time zone.
type Zone struct {
	loc *time.Location
	// abbrev is set for an abbreviation whose offset depends on the time
	// (MSK): it is read in loc, the zone it belongs to.
	abbrev string
}

// UTCZone is UTC.
var UTCZone = Zone{loc: time.UTC}

// LookupZone resolves a time zone name; an unknown name is an error
// (22023) as in PostgreSQL.
func LookupZone(name string) (Zone, error) {
	if z, ok := resolvedZones.m.Load(name); ok {
		return z.(Zone), nil
	}
	z, ok := lookupAbbrev(name)
	if !ok {
		var loc *time.Location
		loc, ok = loadZone(name)
		z = Zone{loc: loc}
	}
	if ok {
		resolvedZones.store(name, z)
		return z, nil
	}
	return Zone{}, pgerr.New(pgerr.InvalidParameterValue, "time zone \"%s\" not recognized", name)
}

// resolvedZones holds LookupZone's answers by the name as written; AT
// TIME ZONE asks once a row.
var resolvedZones boundedCache

// boundedCache is a concurrent map that stops growing at maxCachedZones
// entries: names come from user data, and POSIX specifications have no
// end.
type boundedCache struct {
	m    sync.Map
	size atomic.Int64
}

const maxCachedZones = 4096

func (c *boundedCache) store(key string, value any) {
	if c.size.Load() < maxCachedZones {
		if _, loaded := c.m.LoadOrStore(key, value); !loaded {
			c.size.Add(1)
		}
	}
}

// lookupAbbrev finds a time zone abbreviation, ignoring letter case.
func lookupAbbrev(name string) (Zone, bool) {
	a, ok := zoneAbbrevs[strings.ToLower(name)]
	if !ok {
		return Zone{}, false
	}
	if a.zone == "" {
		return Zone{loc: time.FixedZone(strings.ToUpper(name), a.offset)}, true
	}
	loc, ok := loadZone(a.zone)
	if !ok {
		return Zone{}, false
	}
	return Zone{loc: loc, abbrev: strings.ToUpper(name)}, true
}

// Rules is the zone a dynamic abbreviation belongs to, or the zone itself.
func (z Zone) Rules() Zone { return Zone{loc: z.loc} }

// IsUTCZone reports whether a zone name, as SET TIME ZONE reads it (an
// IANA name or a POSIX specification, not an abbreviation), always means
// UTC: UTC, Etc/UTC, GMT, Zulu, UTC0, +00:00, ...
func IsUTCZone(name string) bool {
	loc, ok := loadZone(name)
	if !ok {
		return false
	}
	east, fixed := Zone{loc: loc}.fixedOffset()
	return fixed && east == 0
}

// fixedOffset is the offset (seconds east) of a zone that has only one.
func (z Zone) fixedOffset() (int, bool) {
	if z.abbrev != "" {
		return 0, false
	}
	start, end := time.Unix(0, 0).In(z.loc).ZoneBounds()
	if !start.IsZero() || !end.IsZero() {
		return 0, false
	}
	_, east := time.Unix(0, 0).In(z.loc).Zone()
	return east, true
}

// OffsetAt is the zone's offset east of UTC, in microseconds, at an
// instant (microseconds since 1970 UTC).
func (z Zone) OffsetAt(utc int64) int64 {
	sec := floorDiv(utc, MicrosPerSecond)
	if z.abbrev != "" {
		if off, ok := abbrevOffset(z.loc, z.abbrev, sec); ok {
			return int64(off) * MicrosPerSecond
		}
	}
	return int64(zoneOffsetAtInstant(z.loc, sec)) * MicrosPerSecond
}

// ToUTC reads a wall-clock time of the zone (microseconds since 1970 read
// as if UTC) as an instant.
func (z Zone) ToUTC(local int64) int64 {
	off := zoneOffsetAt(z.loc, floorDiv(local, MicrosPerSecond))
	if z.abbrev != "" {
		// PostgreSQL asks what the abbreviation meant at the instant the
		// zone's own rules give (DetermineTimeZoneAbbrevOffset).
		if a, ok := abbrevOffset(z.loc, z.abbrev, floorDiv(local, MicrosPerSecond)-int64(off)); ok {
			off = a
		}
	}
	return local - int64(off)*MicrosPerSecond
}

// zoneOffsetAt is the offset (seconds east) of a zone for a wall-clock
// time given as seconds since 1970 read as if UTC. A time that a
// transition skips reads with the offset before it, a time that occurs
// twice with the one after it, as PostgreSQL's DetermineTimeZoneOffset
// has it.
func zoneOffsetAt(loc *time.Location, wall int64) int {
	prev := wall - 86400
	before := zoneOffsetAtInstant(loc, prev)
	_, end := time.Unix(prev, 0).In(loc).ZoneBounds()
	if end.IsZero() {
		return before
	}
	boundary := end.Unix()
	after := zoneOffsetAtInstant(loc, boundary)
	beforeTime, afterTime := wall-int64(before), wall-int64(after)
	switch {
	case beforeTime < boundary && afterTime < boundary:
		return before
	case beforeTime >= boundary && afterTime >= boundary:
		return after
	case beforeTime > afterTime:
		return before
	}
	return after
}

func zoneOffsetAtInstant(loc *time.Location, sec int64) int {
	_, off := time.Unix(sec, 0).In(loc).Zone()
	return off
}

// maxAbbrevScan bounds the search for a zone's use of an abbreviation, one
// step per transition.
const maxAbbrevScan = 1000

// abbrevOffset is the offset a zone gave an abbreviation as PostgreSQL's
// pg_interpret_timezone_abbrev finds it: in the period containing the
// instant if it is in use then, else in its latest use before, else in its
// first use after.
func abbrevOffset(loc *time.Location, abbrev string, sec int64) (int, bool) {
	t := time.Unix(sec, 0).In(loc)
	for range maxAbbrevScan {
		if name, off := t.Zone(); name == abbrev {
			return off, true
		}
		start, _ := t.ZoneBounds()
		if start.IsZero() {
			break
		}
		t = start.Add(-time.Second)
	}
	t = time.Unix(sec, 0).In(loc)
	for range maxAbbrevScan {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		t = end
		if name, off := t.Zone(); name == abbrev {
			return off, true
		}
	}
	return 0, false
}

// zoneCache holds the zones found so far by the name as written. Unknown
// names are not cached: they come from user input and would grow it.
var zoneCache boundedCache

// loadZone finds a zone by IANA name, ignoring case the way PostgreSQL
// does for the common spellings (america/new_york is America/New_York), or
// reads it as a POSIX specification.
func loadZone(name string) (*time.Location, bool) {
	if cached, ok := zoneCache.m.Load(name); ok {
		return cached.(*time.Location), true
	}
	if name == "" || strings.EqualFold(name, "local") {
		return nil, false
	}
	for _, candidate := range []string{name, titleZoneName(name), strings.ToUpper(name)} {
		if loc, err := time.LoadLocation(candidate); err == nil {
			zoneCache.store(name, loc)
			return loc, true
		}
	}
	if loc, ok := posixZone(name); ok {
		zoneCache.store(name, loc)
		return loc, true
	}
	return nil, false
}

// titleZoneName capitalises each word of a zone name: europe/paris ->
// Europe/Paris, america/new_york -> America/New_York.
func titleZoneName(name string) string {
	b := []byte(strings.ToLower(name))
	for i := range b {
		if i == 0 || strings.IndexByte("/_-", b[i-1]) >= 0 {
			if b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			}
		}
	}
	return string(b)
}

// posixZone reads a POSIX time zone specification: std offset [dst
// [offset] [,start[/time],end[/time]]]. A zone without daylight saving
// time is a fixed offset; one with it is handed to Go's own reading of
// such rules, through the footer of a one-transition TZif file.
func posixZone(spec string) (*time.Location, bool) {
	s := strings.ToUpper(spec)
	std, rest, ok := posixName(s, true)
	if !ok {
		return nil, false
	}
	stdOff, rest, ok := posixOffset(rest)
	if !ok {
		return nil, false
	}
	if rest == "" {
		return time.FixedZone(std, -stdOff), true
	}
	dst, rest, ok := posixName(rest, false)
	if !ok {
		return nil, false
	}
	dstOff := stdOff - 3600
	if rest != "" && rest[0] != ',' {
		if dstOff, rest, ok = posixOffset(rest); !ok {
			return nil, false
		}
	}
	switch {
	case rest == "":
		rest = ",M3.2.0,M11.1.0" // the default rules of PostgreSQL and tzcode
	case !posixRules.MatchString(rest):
		return nil, false // Go would ignore rules it cannot read
	}
	// Go requires three-letter names unless quoted; quote them.
	footer := "<" + std + ">" + posixOffsetText(stdOff) + "<" + dst + ">" + posixOffsetText(dstOff) + rest
	loc, err := time.LoadLocationFromTZData(spec, tzifWithFooter(std, -stdOff, footer))
	if err != nil {
		return nil, false
	}
	return loc, true
}

// posixRules matches the ",start[/time],end[/time]" part of a POSIX zone.
var posixRules = regexp.MustCompile(`^(,(J\d{1,3}|\d{1,3}|M\d{1,2}\.\d\.\d)(/[+-]?\d{1,3}(:\d{1,2}){0,2})?){2}$`)

// posixName reads a zone name: letters (PostgreSQL allows any number for
// the standard name, at least one for the daylight one) or <...>.
func posixName(s string, std bool) (name, rest string, ok bool) {
	if strings.HasPrefix(s, "<") {
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return "", "", false
		}
		return s[1:end], s[end+1:], true
	}
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	if i == 0 && !std {
		return "", "", false
	}
	return s[:i], s[i:], true
}

// posixOffset reads [+-]hh[:mm[:ss]] as seconds west of UTC.
func posixOffset(s string) (int, string, bool) {
	sign := 1
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	total := 0
	for part, limit := 0, 167; part < 3; part, limit = part+1, 59 {
		n := 0
		for n < len(s) && n < 3 && isDigit(s[n]) {
			n++
		}
		if n == 0 {
			return 0, "", false
		}
		v := 0
		for _, c := range []byte(s[:n]) {
			v = v*10 + int(c-'0')
		}
		if v > limit {
			return 0, "", false
		}
		total = total*60 + v
		s = s[n:]
		if !strings.HasPrefix(s, ":") {
			for ; part < 2; part++ {
				total *= 60
			}
			return sign * total, s, true
		}
		s = s[1:]
	}
	return 0, "", false
}

// posixOffsetText writes seconds west of UTC as POSIX does.
func posixOffsetText(west int) string {
	sign := ""
	if west < 0 {
		sign, west = "-", -west
	}
	return sign + itoa(west/3600) + ":" + itoa(west/60%60) + ":" + itoa(west%60)
}

func itoa(v int) string { return string(appendPadded(nil, int64(v), 1)) }

// tzifWithFooter builds a version 2 TZif file holding one zone type in
// force from long before any date Junction represents, and a footer whose
// POSIX rules Go applies from then on.
func tzifWithFooter(std string, east int, footer string) []byte {
	header := func(b []byte, timecnt, typecnt, charcnt uint32) []byte {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []uint32{0, 0, 0, timecnt, typecnt, charcnt} {
			b = binary.BigEndian.AppendUint32(b, n)
		}
		return b
	}
	ttinfo := func(b []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(east)))
		return append(b, 0, 0) // not daylight saving time, name at 0
	}
	chars := append([]byte(std), 0)
	var b []byte
	// Version 1 data, which readers of version 2 skip.
	b = header(b, 0, 1, uint32(len(chars)))
	b = ttinfo(b)
	b = append(b, chars...)
	// Version 2 data: one transition, at year -33000 or so.
	b = header(b, 1, 1, uint32(len(chars)))
	first := -int64(1) << 40
	b = binary.BigEndian.AppendUint64(b, uint64(first))
	b = append(b, 0)
	b = ttinfo(b)
	b = append(b, chars...)
	return append(append(append(b, '\n'), footer...), '\n')
}
