package system

import (
	"math"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// param is the declared type of a catalog function's argument.
type param uint8

const (
	pOID param = iota
	pRegClass
	pInt2
	pInt4
	pInt8
	pNumeric
	pBool
	pText
	pName
	pNodeTree // pg_node_tree, whose columns are text in Junction
	pAnyArray // any array type, passed as it is
)

var paramTypes = [...]types.Type{
	pOID:      types.TOID,
	pRegClass: tRegClass,
	pInt2:     types.TInt2,
	pInt4:     types.TInt4,
	pInt8:     types.TInt8,
	pNumeric:  types.TNumeric,
	pBool:     types.TBool,
	pText:     types.TText,
	pName:     types.TName,
	pNodeTree: types.TText,
}

const (
	pgNodeTreeOID = 194
	anyArrayOID   = 2277
)

// pgOID is the argument's entry in pg_proc.proargtypes.
func (p param) pgOID() uint32 {
	switch p {
	case pNodeTree:
		return pgNodeTreeOID
	case pAnyArray:
		return anyArrayOID
	}
	return paramTypes[p].OID()
}

// implicitFrom lists the argument kinds PostgreSQL converts to a
// parameter's type implicitly, so that a call needs no explicit cast.
var implicitFrom = map[param][]types.Kind{
	pOID:      {types.Int2, types.Int4, types.Int8, types.RegClass, types.RegType, types.RegProc},
	pRegClass: {types.OID, types.Int2, types.Int4, types.Int8},
	pInt4:     {types.Int2},
	pInt8:     {types.Int2, types.Int4, types.OID},
	pNumeric:  {types.Int2, types.Int4, types.Int8},
	pText:     {types.Varchar, types.Bpchar, types.Name, types.Char},
	pName:     {types.Text, types.Varchar, types.Bpchar},
}

// cost rates how well an argument of type arg fits the parameter: 0 is
// an exact match, higher needs a conversion; ok is false when none
// applies. An untyped literal fits text best, then the other string
// types, as PostgreSQL prefers the string category for unknown literals.
func (p param) cost(arg types.Type) (int, bool) {
	if p == pAnyArray {
		return 0, typeOf(arg).isArray()
	}
	if arg.Kind == paramTypes[p].Kind {
		return 0, true
	}
	if arg.Kind == types.Unknown {
		switch p {
		case pText, pNodeTree:
			return 1, true
		case pName:
			return 2, true
		}
		return 3, true
	}
	for _, k := range implicitFrom[p] {
		if k == arg.Kind {
			return 2, true
		}
	}
	return 0, false
}

// overload is one signature of a catalog function.
type overload struct {
	// oid is the function's pg_proc OID in PostgreSQL; 0 marks Junction's
	// own helpers (regclass_name, ...), which pg_proc does not list.
	oid      uint32
	name     string
	params   []param
	result   types.Type
	volatile byte // pg_proc.provolatile
	// strict functions return NULL when any argument is NULL without
	// calling impl.
	strict bool
	impl   func(e *env, args []types.Datum) (types.Datum, error)
}

var (
	overloads       []*overload
	overloadsByName = map[string][]*overload{}
	procByOID       = map[uint32]*procedure{}
	procedures      []*procedure // pg_proc's rows
)

func init() {
	overloads = catalogFunctions()
	for _, o := range overloads {
		overloadsByName[o.name] = append(overloadsByName[o.name], o)
		if o.oid == 0 {
			continue
		}
		args := make([]uint32, len(o.params))
		for i, p := range o.params {
			args[i] = p.pgOID()
		}
		procedures = append(procedures, &procedure{oid: o.oid, name: o.name, result: o.result.OID(), args: args, volatile: o.volatile, strict: o.strict})
	}
	for i := range ioProcedures {
		procedures = append(procedures, &ioProcedures[i])
	}
	for _, p := range procedures {
		procByOID[p.oid] = p
	}
}

// Function resolves a catalog function for the given argument types, as
// PostgreSQL resolves overloads: the signature needing the fewest implicit
// conversions wins. castTo lists the types the planner must cast the
// arguments to (nil: use them as they are); impl computes the function
// from one row's argument values.
func Function(info *Info, name string, args []types.Type) (result types.Type, castTo []types.Type, impl plan.RowFunc, ok bool) {
	name = strings.TrimPrefix(strings.ToLower(name), PgCatalog+".")
	var best *overload
	bestCost := math.MaxInt
	for _, o := range overloadsByName[name] {
		if len(o.params) != len(args) {
			continue
		}
		total, fits := 0, true
		for i, p := range o.params {
			c, ok := p.cost(args[i])
			total += c
			fits = fits && ok
		}
		if fits && total < bestCost {
			best, bestCost = o, total
		}
	}
	if best == nil {
		return types.Type{}, nil, nil, false
	}
	return best.result, best.castTargets(args), best.bind(info), true
}

func (o *overload) castTargets(args []types.Type) []types.Type {
	out := make([]types.Type, len(args))
	needed := false
	for i, p := range o.params {
		out[i] = args[i]
		if p != pAnyArray && args[i] != paramTypes[p] {
			out[i] = paramTypes[p]
			needed = true
		}
	}
	if !needed {
		return nil
	}
	return out
}

func (o *overload) bind(info *Info) plan.RowFunc {
	return func(args []types.Datum) (types.Datum, error) {
		if o.strict {
			for _, a := range args {
				if a.Null {
					return types.NullDatum, nil
				}
			}
		}
		return o.impl(newEnv(info), args)
	}
}

// Volatile reports whether the catalog function name is volatile in every
// overload, so that the planner never computes it ahead of time
// (set_config changes a setting; pg_is_wal_replay_paused fails unless it
// runs).
func Volatile(name string) bool {
	os := overloadsByName[name]
	for _, o := range os {
		if o.volatile != 'v' {
			return false
		}
	}
	return len(os) > 0
}
