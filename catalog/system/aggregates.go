package system

import "strings"

// aggregateProcs are the aggregates of PostgreSQL 15's catalog that
// Junction runs, with their pg_proc OIDs and signatures; those over types
// Junction's pg_type lacks are left out when the catalog is built, and
// those Junction does not run (array_agg of arrays, string_agg of bytea,
// percentiles of intervals or of arrays of fractions) are not listed.
// pg_aggregate describes them; Junction computes them with built-in code,
// so they name no SQL-callable transition, final or combine function. A
// planner test binds every one and checks its result type.
type aggregateProc struct {
	oid      uint32
	name     string
	args     []uint32
	result   uint32
	kind     byte  // aggkind: n normal, o ordered-set, h hypothetical-set
	direct   int16 // aggnumdirectargs
	sortop   uint32
	volatile byte
}

var aggregateProcs = []aggregateProc{
	{2335, "array_agg", []uint32{2776}, 2277, 'n', 0, 0, 'i'},
	{2100, "avg", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2101, "avg", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2102, "avg", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2103, "avg", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{2104, "avg", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2105, "avg", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2106, "avg", []uint32{1186}, 1186, 'n', 0, 0, 'i'},
	{2236, "bit_and", []uint32{21}, 21, 'n', 0, 0, 'i'},
	{2238, "bit_and", []uint32{23}, 23, 'n', 0, 0, 'i'},
	{2240, "bit_and", []uint32{20}, 20, 'n', 0, 0, 'i'},
	{2242, "bit_and", []uint32{1560}, 1560, 'n', 0, 0, 'i'},
	{2237, "bit_or", []uint32{21}, 21, 'n', 0, 0, 'i'},
	{2239, "bit_or", []uint32{23}, 23, 'n', 0, 0, 'i'},
	{2241, "bit_or", []uint32{20}, 20, 'n', 0, 0, 'i'},
	{2243, "bit_or", []uint32{1560}, 1560, 'n', 0, 0, 'i'},
	{6164, "bit_xor", []uint32{21}, 21, 'n', 0, 0, 'i'},
	{6165, "bit_xor", []uint32{23}, 23, 'n', 0, 0, 'i'},
	{6166, "bit_xor", []uint32{20}, 20, 'n', 0, 0, 'i'},
	{6167, "bit_xor", []uint32{1560}, 1560, 'n', 0, 0, 'i'},
	{2517, "bool_and", []uint32{16}, 16, 'n', 0, 58, 'i'},
	{2518, "bool_or", []uint32{16}, 16, 'n', 0, 59, 'i'},
	{2829, "corr", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2147, "count", []uint32{2276}, 20, 'n', 0, 0, 'i'},
	{2803, "count", []uint32{}, 20, 'n', 0, 0, 'i'},
	{2827, "covar_pop", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2828, "covar_samp", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{3990, "cume_dist", []uint32{2276}, 701, 'h', 1, 0, 'i'},
	{3992, "dense_rank", []uint32{2276}, 20, 'h', 1, 0, 'i'},
	{2519, "every", []uint32{16}, 16, 'n', 0, 58, 'i'},
	{3175, "json_agg", []uint32{2283}, 114, 'n', 0, 0, 's'},
	{3197, "json_object_agg", []uint32{2276, 2276}, 114, 'n', 0, 0, 's'},
	{3267, "jsonb_agg", []uint32{2283}, 3802, 'n', 0, 0, 's'},
	{3270, "jsonb_object_agg", []uint32{2276, 2276}, 3802, 'n', 0, 0, 'i'},
	{2050, "max", []uint32{2277}, 2277, 'n', 0, 1073, 'i'},
	{2115, "max", []uint32{20}, 20, 'n', 0, 413, 'i'},
	{2116, "max", []uint32{23}, 23, 'n', 0, 521, 'i'},
	{2117, "max", []uint32{21}, 21, 'n', 0, 520, 'i'},
	{2118, "max", []uint32{26}, 26, 'n', 0, 610, 'i'},
	{2119, "max", []uint32{700}, 700, 'n', 0, 623, 'i'},
	{2120, "max", []uint32{701}, 701, 'n', 0, 674, 'i'},
	{2122, "max", []uint32{1082}, 1082, 'n', 0, 1097, 'i'},
	{2123, "max", []uint32{1083}, 1083, 'n', 0, 1112, 'i'},
	{2124, "max", []uint32{1266}, 1266, 'n', 0, 1554, 'i'},
	{2125, "max", []uint32{790}, 790, 'n', 0, 903, 'i'},
	{2126, "max", []uint32{1114}, 1114, 'n', 0, 2064, 'i'},
	{2127, "max", []uint32{1184}, 1184, 'n', 0, 1324, 'i'},
	{2128, "max", []uint32{1186}, 1186, 'n', 0, 1334, 'i'},
	{2129, "max", []uint32{25}, 25, 'n', 0, 666, 'i'},
	{2130, "max", []uint32{1700}, 1700, 'n', 0, 1756, 'i'},
	{2244, "max", []uint32{1042}, 1042, 'n', 0, 1060, 'i'},
	{2797, "max", []uint32{27}, 27, 'n', 0, 2800, 'i'},
	{3526, "max", []uint32{3500}, 3500, 'n', 0, 3519, 'i'},
	{3564, "max", []uint32{869}, 869, 'n', 0, 1205, 'i'},
	{4189, "max", []uint32{3220}, 3220, 'n', 0, 3225, 'i'},
	{5099, "max", []uint32{5069}, 5069, 'n', 0, 5074, 'i'},
	{2051, "min", []uint32{2277}, 2277, 'n', 0, 1072, 'i'},
	{2131, "min", []uint32{20}, 20, 'n', 0, 412, 'i'},
	{2132, "min", []uint32{23}, 23, 'n', 0, 97, 'i'},
	{2133, "min", []uint32{21}, 21, 'n', 0, 95, 'i'},
	{2134, "min", []uint32{26}, 26, 'n', 0, 609, 'i'},
	{2135, "min", []uint32{700}, 700, 'n', 0, 622, 'i'},
	{2136, "min", []uint32{701}, 701, 'n', 0, 672, 'i'},
	{2138, "min", []uint32{1082}, 1082, 'n', 0, 1095, 'i'},
	{2139, "min", []uint32{1083}, 1083, 'n', 0, 1110, 'i'},
	{2140, "min", []uint32{1266}, 1266, 'n', 0, 1552, 'i'},
	{2141, "min", []uint32{790}, 790, 'n', 0, 902, 'i'},
	{2142, "min", []uint32{1114}, 1114, 'n', 0, 2062, 'i'},
	{2143, "min", []uint32{1184}, 1184, 'n', 0, 1322, 'i'},
	{2144, "min", []uint32{1186}, 1186, 'n', 0, 1332, 'i'},
	{2145, "min", []uint32{25}, 25, 'n', 0, 664, 'i'},
	{2146, "min", []uint32{1700}, 1700, 'n', 0, 1754, 'i'},
	{2245, "min", []uint32{1042}, 1042, 'n', 0, 1058, 'i'},
	{2798, "min", []uint32{27}, 27, 'n', 0, 2799, 'i'},
	{3527, "min", []uint32{3500}, 3500, 'n', 0, 3518, 'i'},
	{3565, "min", []uint32{869}, 869, 'n', 0, 1203, 'i'},
	{4190, "min", []uint32{3220}, 3220, 'n', 0, 3224, 'i'},
	{5100, "min", []uint32{5069}, 5069, 'n', 0, 5073, 'i'},
	{3984, "mode", []uint32{2283}, 2283, 'o', 0, 0, 'i'},
	{3988, "percent_rank", []uint32{2276}, 701, 'h', 1, 0, 'i'},
	{3974, "percentile_cont", []uint32{701, 701}, 701, 'o', 1, 0, 'i'},
	{3972, "percentile_disc", []uint32{701, 2283}, 2283, 'o', 1, 0, 'i'},
	{3986, "rank", []uint32{2276}, 20, 'h', 1, 0, 'i'},
	{2822, "regr_avgx", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2823, "regr_avgy", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2818, "regr_count", []uint32{701, 701}, 20, 'n', 0, 0, 'i'},
	{2826, "regr_intercept", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2824, "regr_r2", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2825, "regr_slope", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2819, "regr_sxx", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2821, "regr_sxy", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2820, "regr_syy", []uint32{701, 701}, 701, 'n', 0, 0, 'i'},
	{2154, "stddev", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2155, "stddev", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2156, "stddev", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2157, "stddev", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2158, "stddev", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2159, "stddev", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{2724, "stddev_pop", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2725, "stddev_pop", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2726, "stddev_pop", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2727, "stddev_pop", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2728, "stddev_pop", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2729, "stddev_pop", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{2712, "stddev_samp", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2713, "stddev_samp", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2714, "stddev_samp", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2715, "stddev_samp", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2716, "stddev_samp", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2717, "stddev_samp", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{3538, "string_agg", []uint32{25, 25}, 25, 'n', 0, 0, 'i'},
	{2107, "sum", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2108, "sum", []uint32{23}, 20, 'n', 0, 0, 'i'},
	{2109, "sum", []uint32{21}, 20, 'n', 0, 0, 'i'},
	{2110, "sum", []uint32{700}, 700, 'n', 0, 0, 'i'},
	{2111, "sum", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2112, "sum", []uint32{790}, 790, 'n', 0, 0, 'i'},
	{2113, "sum", []uint32{1186}, 1186, 'n', 0, 0, 'i'},
	{2114, "sum", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{2718, "var_pop", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2719, "var_pop", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2720, "var_pop", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2721, "var_pop", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2722, "var_pop", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2723, "var_pop", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{2641, "var_samp", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2642, "var_samp", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2643, "var_samp", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2644, "var_samp", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2645, "var_samp", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2646, "var_samp", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
	{2148, "variance", []uint32{20}, 1700, 'n', 0, 0, 'i'},
	{2149, "variance", []uint32{23}, 1700, 'n', 0, 0, 'i'},
	{2150, "variance", []uint32{21}, 1700, 'n', 0, 0, 'i'},
	{2151, "variance", []uint32{700}, 701, 'n', 0, 0, 'i'},
	{2152, "variance", []uint32{701}, 701, 'n', 0, 0, 'i'},
	{2153, "variance", []uint32{1700}, 1700, 'n', 0, 0, 'i'},
}

// aggregates are the entries of aggregateProcs whose types pg_type has;
// aggregateOIDs are their OIDs.
var (
	aggregates    []*aggregateProc
	aggregateOIDs = map[uint32]*aggregateProc{}
)

// registerAggregates adds the aggregates to pg_proc; it runs once pg_type
// is known.
func registerAggregates() {
	for i := range aggregateProcs {
		a := &aggregateProcs[i]
		known := typeByOID[a.result] != nil
		for _, t := range a.args {
			known = known && typeByOID[t] != nil
		}
		if !known {
			continue
		}
		aggregates = append(aggregates, a)
		aggregateOIDs[a.oid] = a
		p := &procedure{oid: a.oid, name: a.name, result: a.result, args: a.args, volatile: a.volatile}
		procedures = append(procedures, p)
		procByOID[p.oid] = p
	}
}

func fillAggregate(_ *env, out *rowSet) {
	for _, a := range aggregates {
		out.add("aggfnoid", a.oid, "aggkind", rune(a.kind), "aggnumdirectargs", a.direct,
			"aggtransfn", uint32(0), "aggfinalfn", uint32(0), "aggcombinefn", uint32(0), "aggserialfn", uint32(0),
			"aggdeserialfn", uint32(0), "aggmtransfn", uint32(0), "aggminvtransfn", uint32(0), "aggmfinalfn", uint32(0),
			"aggfinalextra", false, "aggmfinalextra", false, "aggfinalmodify", 'r', "aggmfinalmodify", 'r',
			"aggsortop", a.sortop, "aggtranstype", uint32(internalTypeOID), "aggtransspace", 0,
			"aggmtranstype", uint32(0), "aggmtransspace", 0)
	}
}

// internalTypeOID is the pseudo-type internal: the state of a built-in
// aggregate is Junction's own.
const internalTypeOID = 2281

// kind is pg_proc.prokind: a for an aggregate, f for a function.
func (p *procedure) kind() rune {
	if aggregateOIDs[p.oid] != nil {
		return 'a'
	}
	return 'f'
}

// aggregateArguments is pg_get_function_arguments of an ordered-set or
// hypothetical-set aggregate: the direct arguments, then ORDER BY and the
// aggregated ones; the hypothetical-set ones take VARIADIC "any".
func aggregateArguments(a *aggregateProc, names []string) string {
	switch a.kind {
	case 'h':
		return "VARIADIC " + names[0] + " ORDER BY VARIADIC " + names[0]
	case 'o':
		direct := strings.Join(names[:a.direct], ", ")
		if direct != "" {
			direct += " "
		}
		return direct + "ORDER BY " + strings.Join(names[a.direct:], ", ")
	}
	return strings.Join(names, ", ")
}
