package functions

import (
	"math"

	"github.com/junction-db/junction/types"
)

// justify_days, justify_hours and justify_interval move whole 24-hour
// spans into days and whole 30-day spans into months, leaving the parts
// with one sign, as PostgreSQL's interval.c does.

const daysPerMonth = 30

func addMonths32(months int32, add int64) (int32, error) {
	sum := int64(months) + add
	if sum > math.MaxInt32 || sum < math.MinInt32 {
		return 0, intervalOutOfRange()
	}
	return int32(sum), nil
}

func justifyDays(iv types.IntervalValue) (types.IntervalValue, error) {
	whole := iv.Days / daysPerMonth
	iv.Days -= whole * daysPerMonth
	var err error
	if iv.Months, err = addMonths32(iv.Months, int64(whole)); err != nil {
		return iv, err
	}
	switch {
	case iv.Months > 0 && iv.Days < 0:
		iv.Days += daysPerMonth
		iv.Months--
	case iv.Months < 0 && iv.Days > 0:
		iv.Days -= daysPerMonth
		iv.Months++
	}
	return iv, nil
}

// daysAndTimeOneSign moves a day between the days and the time of iv so
// that both have one sign, as both justify functions finish.
func daysAndTimeOneSign(iv types.IntervalValue) types.IntervalValue {
	switch {
	case iv.Days > 0 && iv.Micros < 0:
		iv.Micros += types.MicrosPerDay
		iv.Days--
	case iv.Days < 0 && iv.Micros > 0:
		iv.Micros -= types.MicrosPerDay
		iv.Days++
	}
	return iv
}

func justifyHours(iv types.IntervalValue) (types.IntervalValue, error) {
	whole := iv.Micros / types.MicrosPerDay
	iv.Micros -= whole * types.MicrosPerDay
	days := int64(iv.Days) + whole
	if days > math.MaxInt32 || days < math.MinInt32 {
		return iv, intervalOutOfRange()
	}
	iv.Days = int32(days)
	return daysAndTimeOneSign(iv), nil
}

func justifyInterval(iv types.IntervalValue) (types.IntervalValue, error) {
	var err error
	// Moving whole months out of the days first, when days and time
	// have one sign, keeps the days from overflowing.
	if iv.Days > 0 && iv.Micros > 0 || iv.Days < 0 && iv.Micros < 0 {
		whole := iv.Days / daysPerMonth
		iv.Days -= whole * daysPerMonth
		if iv.Months, err = addMonths32(iv.Months, int64(whole)); err != nil {
			return iv, err
		}
	}
	wholeDays := iv.Micros / types.MicrosPerDay
	iv.Micros -= wholeDays * types.MicrosPerDay
	days := int64(iv.Days) + wholeDays
	whole := days / daysPerMonth
	iv.Days = int32(days - whole*daysPerMonth)
	if iv.Months, err = addMonths32(iv.Months, whole); err != nil {
		return iv, err
	}
	switch {
	case iv.Months > 0 && (iv.Days < 0 || iv.Days == 0 && iv.Micros < 0):
		iv.Days += daysPerMonth
		iv.Months--
	case iv.Months < 0 && (iv.Days > 0 || iv.Days == 0 && iv.Micros > 0):
		iv.Days -= daysPerMonth
		iv.Months++
	}
	return daysAndTimeOneSign(iv), nil
}

func init() {
	iv := types.TInterval
	for name, f := range map[string]func(types.IntervalValue) (types.IntervalValue, error){
		"justify_days": justifyDays, "justify_hours": justifyHours, "justify_interval": justifyInterval,
	} {
		register([]funcSig{fn(iv, strict1(intervals, intervals, f), iv)}, name)
	}
}
