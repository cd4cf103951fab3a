package engine

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/secrets"
	pg "github.com/pganalyze/pg_query_go/v6"
)

// Access checks live here: who may change the catalog, which files a
// SQLite server may read, and where stored credentials may be sent.

// superuserHint tells an ordinary user how to get the privilege.
const superuserHint = "Only superusers and members of junction_admin change servers, user mappings and views: GRANT junction_admin TO the role, or declare the user with superuser: true in the configuration file."

// checkPrivilege refuses a statement that changes the catalog unless the
// session's user is a superuser or has junction_admin's privileges.
// Servers, user mappings and views are shared by every user, so changing
// them needs what PostgreSQL's owner or a superuser would need, with
// PostgreSQL's messages.
func (s *Session) checkPrivilege(n *pg.Node) error {
	msg := privilegeRefusal(n, s.creationSchema)
	if msg == "" || s.isAdmin() {
		return nil
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "%s", msg).WithHint("%s", superuserHint)
}

// privilegedStatement returns n when it needs checkPrivilege, else nil.
func privilegedStatement(n *pg.Node) *pg.Node {
	if privilegeRefusal(n, func() string { return "" }) == "" {
		return nil
	}
	return n
}

// privilegeRefusal is PostgreSQL's message refusing n to a role without
// the privilege; empty for a statement anyone may run. schema names the
// schema a view is created in by default.
func privilegeRefusal(n *pg.Node, schema func() string) string {
	var msg string
	switch {
	case n.GetCreateForeignServerStmt() != nil:
		msg = fmt.Sprintf("permission denied for foreign-data wrapper %s", n.GetCreateForeignServerStmt().Fdwname)
	case n.GetAlterForeignServerStmt() != nil:
		msg = fmt.Sprintf("must be owner of foreign server %s", n.GetAlterForeignServerStmt().Servername)
	case n.GetAlterTableStmt().GetObjtype() == pg.ObjectType_OBJECT_FOREIGN_TABLE:
		msg = fmt.Sprintf("must be owner of foreign table %s", n.GetAlterTableStmt().GetRelation().GetRelname())
	case n.GetCreateForeignTableStmt() != nil:
		msg = fmt.Sprintf("permission denied for foreign server %s", n.GetCreateForeignTableStmt().Servername)
	case n.GetImportForeignSchemaStmt() != nil:
		msg = fmt.Sprintf("permission denied for foreign server %s", n.GetImportForeignSchemaStmt().ServerName)
	case n.GetCreateUserMappingStmt() != nil:
		msg = fmt.Sprintf("must be owner of foreign server %s", n.GetCreateUserMappingStmt().Servername)
	case n.GetAlterUserMappingStmt() != nil:
		msg = fmt.Sprintf("must be owner of foreign server %s", n.GetAlterUserMappingStmt().Servername)
	case n.GetDropUserMappingStmt() != nil:
		msg = fmt.Sprintf("must be owner of foreign server %s", n.GetDropUserMappingStmt().Servername)
	case n.GetViewStmt() != nil:
		name := n.GetViewStmt().View.GetSchemaname()
		if name == "" {
			name = schema()
		}
		msg = fmt.Sprintf("permission denied for schema %s", name)
	case n.GetDropStmt() != nil:
		ds := n.GetDropStmt()
		kind := map[pg.ObjectType]string{pg.ObjectType_OBJECT_FOREIGN_SERVER: "foreign server", pg.ObjectType_OBJECT_VIEW: "view", pg.ObjectType_OBJECT_FOREIGN_TABLE: "foreign table",
			pg.ObjectType_OBJECT_MATVIEW: "materialized view"}[ds.RemoveType]
		if kind == "" || len(ds.Objects) == 0 {
			return ""
		}
		msg = fmt.Sprintf("must be owner of %s %s", kind, dropObjectName(ds.Objects[0]))
	default:
		return matviewRefusal(n, schema)
	}
	return msg
}

func dropObjectName(obj *pg.Node) string {
	if obj.GetList() != nil {
		return strings.Join(listStrings(obj.GetList().Items), ".")
	}
	return obj.GetString_().GetSval()
}

// sqlitePathOptions are the SQLite options that name the database file.
var sqlitePathOptions = []string{"path", "database", "dbname"}

// checkSQLitePaths refuses a SQLite server whose file lies outside the
// configured directories, after cleaning the path and resolving symbolic
// links, so that SQL cannot make the server read any file it can open.
// It applies to CREATE SERVER and ALTER SERVER, also of a server declared
// in the configuration; an engine given no directories does not confine.
func (e *Engine) checkSQLitePaths(src catalog.Source) error {
	if wrapper, _ := connectors.Canonical(src.Wrapper); e.sqliteDirs == nil || wrapper != "sqlite" {
		return nil
	}
	for _, name := range sqlitePathOptions {
		path, ok := src.Options[name]
		if !ok {
			continue
		}
		resolved, err := resolvePath(path)
		if err == nil && slices.ContainsFunc(e.sqliteDirs, func(dir string) bool { return within(dir, resolved) }) {
			continue
		}
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for SQLite file %q: it is outside the directories sqlite_dirs allows", path).
			WithHint("Allowed: %s. Add the file's directory to sqlite_dirs in the configuration file.", strings.Join(e.sqliteDirs, ", "))
	}
	return nil
}

// resolvePath makes path absolute and clean and resolves its symbolic
// links; for a file that does not exist, those of its directory.
func resolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		return resolved, nil
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// destinationOptions name where a server's connections go.
var destinationOptions = []string{"host", "port"}

// credentialOptions give a server's password.
var credentialOptions = []string{secrets.OptPassword, secrets.OptPasswordEnv, secrets.OptPasswordFile}

// checkCredentialDestination refuses a change that would send a stored
// password to another host or port unless the statement gives the
// password again: whoever may point a server elsewhere must not learn its
// credentials by pointing it at a host of their own. given are the
// option names the statement sets.
func checkCredentialDestination(name string, old, next map[string]string, given []string) error {
	if !slices.ContainsFunc(credentialOptions, func(k string) bool { return next[k] != "" }) ||
		slices.ContainsFunc(credentialOptions, func(k string) bool { return slices.Contains(given, k) }) {
		return nil
	}
	for _, k := range destinationOptions {
		if old[k] != next[k] {
			return pgerr.New(pgerr.InsufficientPrivilege, "changing %s of server %q needs its password given again in the same statement", k, name).
				WithHint("Add SET password '...' (or password_env, password_file) to the OPTIONS: the stored password is never sent to a new host or port.")
		}
	}
	return nil
}

// checkMappingDestination refuses a new host or port for a server whose
// user mappings hold passwords: those passwords were given for the old
// destination, and are not given again by ALTER SERVER.
func checkMappingDestination(src *catalog.Source, next map[string]string) error {
	var holders []string
	for _, user := range src.MappingUsers() {
		if slices.ContainsFunc(credentialOptions, func(k string) bool { return src.UserMappings[user][k] != "" }) {
			holders = append(holders, user)
		}
	}
	if len(holders) == 0 {
		return nil
	}
	for _, k := range destinationOptions {
		if src.Options[k] != next[k] {
			return pgerr.New(pgerr.InsufficientPrivilege, "changing %s of server %q would send the passwords of its user mappings (for %s) to a new destination", k, src.Name, strings.Join(holders, ", ")).
				WithHint("Drop those user mappings first (DROP USER MAPPING FOR %s SERVER %s) and create them again after the change.", holders[0], src.Name)
		}
	}
	return nil
}

// optionNames are the names of the options a statement sets or adds.
func optionNames(list []*pg.Node) []string {
	var out []string
	for _, n := range list {
		if d := n.GetDefElem(); d != nil && d.Defaction != pg.DefElemAction_DEFELEM_DROP {
			out = append(out, d.Defname)
		}
	}
	return out
}
