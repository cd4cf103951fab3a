package engine

import (
	"maps"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/guard"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/secrets"
	"github.com/junction-db/junction/types"
)

// identityPool is the guarded connection pool of one remote identity of a
// source (a user mapping's), with the options it connects with.
type identityPool struct {
	guard   *guard.Source
	options map[string]string
}

// prepareUserMapping handles CREATE, ALTER and DROP USER MAPPING: a
// mapping gives the users it is for their own remote identity on the
// source (see catalog.Source.IdentityFor).
func (s *Session) prepareUserMapping(n *pg.Node, st *Statement) (*Statement, error) {
	st.secret = true
	switch {
	case n.GetCreateUserMappingStmt() != nil:
		um := n.GetCreateUserMappingStmt()
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			res := &Result{Tag: "CREATE USER MAPPING"}
			err := s.changeMapping(um.User, um.Servername, false, func(user string, cur map[string]string, exists bool) (map[string]string, error) {
				if exists {
					if um.IfNotExists {
						res.Notices = append(res.Notices, pgerr.New("00000", "user mapping for %q already exists for server %q, skipping", user, um.Servername))
						return cur, nil
					}
					return nil, pgerr.New(pgerr.DuplicateObject, "user mapping for %q already exists for server %q", user, um.Servername)
				}
				return defElems(um.Options)
			})
			return res, err
		}
	case n.GetAlterUserMappingStmt() != nil:
		um := n.GetAlterUserMappingStmt()
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			err := s.changeMapping(um.User, um.Servername, false, func(user string, cur map[string]string, exists bool) (map[string]string, error) {
				if !exists {
					return nil, mappingNotFound(user, um.Servername)
				}
				next := maps.Clone(cur)
				return next, applyOptionChanges(next, um.Options)
			})
			return &Result{Tag: "ALTER USER MAPPING"}, err
		}
	case n.GetDropUserMappingStmt() != nil:
		um := n.GetDropUserMappingStmt()
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			res := &Result{Tag: "DROP USER MAPPING"}
			err := s.changeMapping(um.User, um.Servername, um.MissingOk, func(user string, cur map[string]string, exists bool) (map[string]string, error) {
				if !exists {
					if um.MissingOk {
						res.Notices = append(res.Notices, pgerr.New("00000", "user mapping for %q does not exist for server %q, skipping", user, um.Servername))
						return nil, nil
					}
					return nil, mappingNotFound(user, um.Servername)
				}
				return nil, nil
			})
			return res, err
		}
	}
	return st, nil
}

func mappingNotFound(user, server string) error {
	return pgerr.New(pgerr.UndefinedObject, "user mapping for %q does not exist for server %q", user, server)
}

// mappingUser names the user a statement's FOR clause means: a role, the
// session's own (CURRENT_USER, USER) or PUBLIC.
func (s *Session) mappingUser(spec *pg.RoleSpec) (string, error) {
	switch spec.GetRoletype() {
	case pg.RoleSpecType_ROLESPEC_PUBLIC:
		return catalog.PublicMapping, nil
	case pg.RoleSpecType_ROLESPEC_CSTRING:
		name := spec.GetRolename()
		if s.engine.RequiresPassword() && !s.engine.HasRole(name) {
			return "", roleNotFound(name)
		}
		return name, nil
	case pg.RoleSpecType_ROLESPEC_SESSION_USER:
		return s.sessionUser, nil
	default: // CURRENT_USER, USER, CURRENT_ROLE
		return s.user, nil
	}
}

// changeMapping applies change to the mapping of the user spec names on
// server and stores the result; change returns the new options, or nil to
// drop the mapping. The pools of identities no mapping holds any more
// are closed.
func (s *Session) changeMapping(spec *pg.RoleSpec, server string, missingServerOK bool, change func(user string, cur map[string]string, exists bool) (map[string]string, error)) error {
	e := s.engine
	user, err := s.mappingUser(spec)
	if err != nil {
		return err
	}
	e.ddl.Lock()
	defer e.ddl.Unlock()
	var stored *catalog.Source
	err = e.catalog.Update(func(snap *catalog.Snapshot) error {
		src, ok := snap.Sources[server]
		if !ok {
			if missingServerOK {
				return nil
			}
			return pgerr.New(pgerr.UndefinedObject, "server %q does not exist", server)
		}
		if src.Builtin {
			// Declared sources are not stored, and their mappings with them.
			return pgerr.New(pgerr.WrongObjectType, "server %q is declared in the configuration; its user mappings would not be kept", server).
				WithHint("Create the server with CREATE SERVER to give it user mappings.")
		}
		cur, exists := src.UserMappings[user]
		next, err := change(user, cur, exists)
		if err != nil {
			return err
		}
		if next != nil {
			if err := checkMappingOptions(next); err != nil {
				return err
			}
			next = secrets.SealOptions(next, e.cfg.SecretKey)
		}
		cp := *src
		cp.UserMappings = maps.Clone(src.UserMappings)
		if next == nil {
			delete(cp.UserMappings, user)
		} else {
			if cp.UserMappings == nil {
				cp.UserMappings = map[string]map[string]string{}
			}
			cp.UserMappings[user] = next
		}
		if len(cp.UserMappings) == 0 {
			cp.UserMappings = nil
		}
		snap.Sources[server] = &cp
		stored = &cp
		return nil
	})
	if err != nil || stored == nil {
		return err
	}
	e.pruneIdentities(stored)
	e.log.Info("user mapping changed", "source", server, "user", user, "mapped", stored.UserMappings[user] != nil)
	return nil
}

// checkMappingOptions refuses options a user mapping cannot set: the
// server's options say where to connect, a mapping only as whom.
func checkMappingOptions(opts map[string]string) error {
	for name := range opts {
		if !catalog.IsMappingOption(name) {
			return pgerr.New(pgerr.FDWInvalidOptionName, "invalid option %q", name).
				WithHint("Valid options in this context are: user, password, password_env, password_file.")
		}
	}
	return secrets.CheckOptions(opts)
}

// sourceAs gives the executor the source as user's remote identity: the
// pool of the user's (or PUBLIC's) mapping, made on first use, else the
// source's own guard.
func (e *Engine) sourceAs(name, user string) (connectors.Connector, error) {
	for {
		src, ok := e.catalog.Snapshot().Sources[name]
		if !ok {
			return e.sourceFor(name)
		}
		id := src.IdentityFor(user)
		if !id.Mapped {
			return e.sourceFor(name)
		}
		g, current, err := e.identityGuard(name, src, id)
		if err != nil {
			return nil, err
		}
		if current {
			return g, nil
		}
		// The source or its mappings changed meanwhile: resolve again.
	}
}

// identityGuard returns the pool of one identity of src, making it if
// needed. current is false when src is no longer the catalog's: a pool
// made from it now would outlive the pruning of its mapping's change.
func (e *Engine) identityGuard(name string, src *catalog.Source, id catalog.Identity) (g *guard.Source, current bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.catalog.Snapshot().Sources[name] != src {
		return nil, false, nil
	}
	if _, live := e.live[name]; !live {
		return nil, true, pgerr.New(pgerr.FDWUnableToConnect, "source %q is not connected", name)
	}
	pools := e.identities[name]
	if p, ok := pools[id.Key]; ok && maps.Equal(p.options, id.Options) {
		return p.guard, true, nil
	} else if ok {
		_ = p.guard.Close() // made from a definition since changed
	}
	def := *src
	def.Options = id.Options
	if g, err = e.buildGuard(def, nil); err != nil {
		return nil, true, err
	}
	if pools == nil {
		pools = map[string]identityPool{}
		e.identities[name] = pools
	}
	pools[id.Key] = identityPool{guard: g, options: id.Options}
	g.Start()
	return g, true, nil
}

// pruneIdentities closes the pools of src's identities that its mappings
// no longer give: a dropped or changed mapping stops being used at once.
func (e *Engine) pruneIdentities(src *catalog.Source) {
	want := map[string]map[string]string{}
	for _, user := range src.MappingUsers() {
		id := src.IdentityFor(user)
		want[id.Key] = id.Options
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for key, p := range e.identities[src.Name] {
		if opts, ok := want[key]; !ok || !maps.Equal(p.options, opts) {
			_ = p.guard.Close()
			delete(e.identities[src.Name], key)
		}
	}
}

// closeIdentitiesLocked closes every identity pool of a source whose
// definition changed or that was dropped; e.mu is held.
func (e *Engine) closeIdentitiesLocked(name string) {
	for _, p := range e.identities[name] {
		_ = p.guard.Close()
	}
	delete(e.identities, name)
}

// sessionSource is the executor's source lookup for the session's user.
func (s *Session) sessionSource(name string) (connectors.Connector, error) {
	return s.engine.sourceAs(name, s.user)
}
