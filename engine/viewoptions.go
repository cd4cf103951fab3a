package engine

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	pg "github.com/pganalyze/pg_query_go/v6"
)

// viewSecurityInvoker reads CREATE VIEW's WITH (...) options. Of
// PostgreSQL's, security_invoker has a meaning for a read-only engine: the
// view's body is read with the privileges, row policies and masks of the
// role reading the view instead of its owner's. check_option concerns
// writes through the view and security_barrier the order in which
// PostgreSQL evaluates leaky functions, which Junction does not promise;
// both are refused rather than accepted and ignored.
func viewSecurityInvoker(vs *pg.ViewStmt) (bool, error) {
	if vs.WithCheckOption != pg.ViewCheckOption_NO_CHECK_OPTION {
		return false, pgerr.NotSupported("WITH CHECK OPTION (views are read-only)")
	}
	invoker := false
	for _, o := range vs.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "security_invoker":
			v, err := viewBoolOption(d)
			if err != nil {
				return false, err
			}
			invoker = v
		case "check_option", "security_barrier":
			return false, pgerr.NotSupported("view option " + d.Defname)
		default:
			return false, pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter %q", d.Defname)
		}
	}
	return invoker, nil
}

// viewBoolOption reads a boolean option as PostgreSQL does: no value
// means true.
func viewBoolOption(d *pg.DefElem) (bool, error) {
	text, err := defElemValue(d)
	if err != nil {
		return false, err
	}
	if d.Arg == nil {
		return true, nil
	}
	v, err := types.ParseText(types.TBool, text)
	if err != nil {
		return false, pgerr.New(pgerr.InvalidParameterValue, "invalid value for boolean option %q: %s", d.Defname, text)
	}
	return v.Bool, nil
}
