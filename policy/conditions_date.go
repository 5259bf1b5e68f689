package policy

// instant is a point in time with nanosecond precision over a range wider
// than time.Duration's, as policy dates allow years far from now.
type instant struct {
	sec  int64
	nsec int32
	ok   bool
}

func (a instant) cmp(b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// matchDate implements the Date* operators. The request value (usually
// aws:CurrentTime or aws:EpochTime) is read with the same rules as policy
// values; one that is not a date matches nothing.
func matchDate(policy []instant, c cmp, v string) bool {
	x, ok := parseDate(v)
	if !ok {
		return false
	}
	for _, p := range policy {
		if !p.ok {
			continue
		}
		r := x.cmp(p)
		var m bool
		switch c {
		case cmpEQ:
			m = r == 0
		case cmpLT:
			m = r < 0
		case cmpLE:
			m = r <= 0
		case cmpGT:
			m = r > 0
		case cmpGE:
			m = r >= 0
		}
		if m {
			return true
		}
	}
	return false
}

// parseDate reads a policy date: epoch seconds ("1700000000") or an ISO 8601
// date-time in the W3C profile AWS documents, from a bare year up to
// fractional seconds with a zone: 2024, 2024-03, 2024-03-05,
// 2024-03-05T10:00:00Z, 2024-03-05T10:00:00.123+01:00. A missing time is
// midnight, a missing zone UTC. The accepted shapes follow IAM's legacy
// parser (which rejects a policy holding anything else) and are a little
// wider where that parser is needlessly strict (zones after minutes,
// negative offsets). It allocates nothing, because it also parses request
// values during evaluation.
func parseDate(s string) (instant, bool) {
	if t, ok := parseCanonical(s); ok {
		return t, true
	}
	if s == "" {
		return instant{}, false
	}
	iso := false
	for i := 0; i < len(s); i++ {
		if s[i] == 'T' || s[i] == 't' || s[i] == '-' {
			iso = true
			break
		}
	}
	if !iso {
		n, ok := digits(s, 1, 19)
		if !ok || n < 0 {
			return instant{}, false
		}
		return instant{sec: n, ok: true}, true
	}
	return parseISO(s)
}

// digits parses s as an unsigned decimal of minLen..maxLen digits.
func digits(s string, minLen, maxLen int) (int64, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

func parseISO(s string) (instant, bool) {
	date, clock := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == 'T' || s[i] == 't' {
			date, clock = s[:i], s[i+1:]
			break
		}
	}
	neg := false
	if len(date) > 0 && date[0] == '-' {
		neg, date = true, date[1:]
	}
	var fields [3]string
	n := 0
	for start, i := 0, 0; i <= len(date); i++ {
		if i == len(date) || date[i] == '-' {
			if n == 3 {
				return instant{}, false
			}
			fields[n] = date[start:i]
			n++
			start = i + 1
		}
	}
	year, ok := digits(fields[0], 1, 9)
	if !ok {
		return instant{}, false
	}
	if neg {
		year = -year
	}
	month, day := int64(1), int64(1)
	if n > 1 {
		if month, ok = digits(fields[1], 1, 2); !ok || month < 1 || month > 12 {
			return instant{}, false
		}
	}
	if n > 2 {
		if day, ok = digits(fields[2], 1, 2); !ok || day < 1 || day > 31 {
			return instant{}, false
		}
	}
	h, m, sec, nsec, offset, ok := parseClock(clock)
	if !ok {
		return instant{}, false
	}
	days := daysFromCivil(year, month, day)
	return instant{sec: days*86400 + int64(h*3600+m*60+sec-offset), nsec: int32(nsec), ok: true}, true
}

// daysFromCivil counts days from 1970-01-01 to the given proleptic
// Gregorian date (Howard Hinnant's algorithm). A day past the end of its
// month carries into the next one, as time.Date normalizes it.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// parseCanonical reads the form aws:CurrentTime takes,
// 2006-01-02T15:04:05Z, with fixed offsets: request values are parsed once
// per statement, so the common case is kept short.
func parseCanonical(s string) (instant, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return instant{}, false
	}
	y, ok1 := digits(s[0:4], 4, 4)
	mo, ok2 := digits(s[5:7], 2, 2)
	d, ok3 := digits(s[8:10], 2, 2)
	h, ok4 := digits(s[11:13], 2, 2)
	mi, ok5 := digits(s[14:16], 2, 2)
	se, ok6 := digits(s[17:19], 2, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return instant{}, false
	}
	return instant{sec: daysFromCivil(y, mo, d)*86400 + h*3600 + mi*60 + se, ok: true}, true
}

// parseClock reads HH[:MM[:SS[.fraction]]] followed by an optional zone (Z,
// +HH, +HH:MM, -HH:MM); offset is in seconds east of UTC.
func parseClock(s string) (h, m, sec, nsec, offset int, ok bool) {
	if s == "" {
		return 0, 0, 0, 0, 0, true
	}
	// Split off the zone.
	zone := ""
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 'Z' || c == 'z' || c == '+' || c == '-' {
			s, zone = s[:i], s[i:]
			break
		}
	}
	var parts [3]string
	n := 0
	for start, i := 0, 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ':' {
			if n == 3 {
				return 0, 0, 0, 0, 0, false
			}
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	v, good := digits(parts[0], 1, 2)
	if !good || v > 23 {
		return 0, 0, 0, 0, 0, false
	}
	h = int(v)
	if n > 1 {
		if v, good = digits(parts[1], 1, 2); !good || v > 59 {
			return 0, 0, 0, 0, 0, false
		}
		m = int(v)
	}
	if n > 2 {
		whole, frac := parts[2], ""
		for i := 0; i < len(whole); i++ {
			if whole[i] == '.' {
				whole, frac = whole[:i], whole[i+1:]
				break
			}
		}
		if v, good = digits(whole, 1, 2); !good || v > 59 {
			return 0, 0, 0, 0, 0, false
		}
		sec = int(v)
		if len(parts[2]) > len(whole) {
			f, good := digits(frac, 1, 9)
			if !good {
				return 0, 0, 0, 0, 0, false
			}
			for i := len(frac); i < 9; i++ {
				f *= 10
			}
			nsec = int(f)
		}
	}
	switch {
	case zone == "":
	case zone == "Z" || zone == "z":
	default:
		sign := 1
		if zone[0] == '-' {
			sign = -1
		}
		zh, zm, hasMin := zone[1:], "", false
		for i := 0; i < len(zh); i++ {
			if zh[i] == ':' {
				zh, zm, hasMin = zh[:i], zh[i+1:], true
				break
			}
		}
		oh, good := digits(zh, 2, 2)
		if !good || oh > 23 {
			return 0, 0, 0, 0, 0, false
		}
		var om int64
		if hasMin {
			if om, good = digits(zm, 2, 2); !good || om > 59 {
				return 0, 0, 0, 0, 0, false
			}
		}
		offset = sign * int(oh*3600+om*60)
	}
	return h, m, sec, nsec, offset, true
}
