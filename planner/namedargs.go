package planner

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
)

// Arguments given by name (make_interval(days => 3), or days := 3) are put
// in their parameter's position, as PostgreSQL does for functions that
// name their parameters. Only the functions below do among Junction's;
// parameters left out take their default, and only make_interval has
// defaults (all zero).

type namedParameters struct {
	names []string
	// defaults is how many trailing parameters may be left out.
	defaults int
}

var functionParameters = map[string]namedParameters{
	"make_interval":    {names: []string{"years", "months", "weeks", "days", "hours", "mins", "secs"}, defaults: 7},
	"make_date":        {names: []string{"year", "month", "day"}},
	"make_time":        {names: []string{"hour", "min", "sec"}},
	"make_timestamp":   {names: []string{"year", "month", "mday", "hour", "min", "sec"}},
	"make_timestamptz": {names: []string{"year", "month", "mday", "hour", "min", "sec", "timezone"}},
}

// positionalArguments returns a call's arguments in parameter order.
func positionalArguments(name string, args []*pg.Node) ([]*pg.Node, error) {
	first := slices.IndexFunc(args, func(n *pg.Node) bool { return n.GetNamedArgExpr() != nil })
	if first < 0 {
		return args, nil
	}
	params, ok := functionParameters[name]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s does not take arguments by name", name).
			WithHint("Pass the arguments by position.")
	}
	out := make([]*pg.Node, len(params.names))
	copy(out, args[:first])
	for _, a := range args[first:] {
		na := a.GetNamedArgExpr()
		if na == nil {
			return nil, pgerr.New(pgerr.SyntaxError, "positional argument cannot follow named argument")
		}
		k := slices.Index(params.names, na.Name)
		if k < 0 {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %s has no parameter named \"%s\"", name, na.Name)
		}
		if out[k] != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "argument name \"%s\" used more than once", na.Name)
		}
		out[k] = na.Arg
	}
	for k, a := range out {
		if a != nil {
			continue
		}
		if k < len(params.names)-params.defaults {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %s has no value for parameter \"%s\"", name, params.names[k])
		}
		out[k] = pg.MakeAConstIntNode(0, -1)
	}
	return out, nil
}
