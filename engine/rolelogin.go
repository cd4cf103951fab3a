package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
)

// Logins check the catalog's roles: a role's SCRAM-SHA-256 verifier is
// what a password is checked against, and only LOGIN roles may connect.
// The configuration's users are roles too, made or brought up to date at
// start (bootstrapRoles).

// Verifier returns role's password verifier. For a role that does not
// exist or has no password it returns a stand-in no password matches, and
// false, so that an authentication exchange cannot tell those apart.
func (e *Engine) Verifier(role string) (auth.Verifier, bool) {
	if r, ok := e.catalog.Snapshot().Roles[role]; ok && r.Password != "" {
		if v, err := auth.ParseVerifier(r.Password); err == nil {
			return v, true
		}
	}
	return auth.Mock(e.mockKey, role), false
}

// Authenticate checks a role's clear-text password.
func (e *Engine) Authenticate(role, password string) bool {
	v, ok := e.Verifier(role)
	return v.Check(password) && ok
}

// HasRole reports whether a role of that name exists.
func (e *Engine) HasRole(name string) bool {
	_, ok := e.catalog.Snapshot().Roles[name]
	return ok
}

// CheckLogin decides, once the client proved it is role (by password,
// token or certificate), whether role may connect: it must exist and have
// LOGIN, with PostgreSQL's errors. With no login required anyone may.
func (e *Engine) CheckLogin(role string) error {
	if !e.requiresLogin {
		return nil
	}
	r, ok := e.catalog.Snapshot().Roles[role]
	if !ok {
		return pgerr.New(pgerr.InvalidAuthorization, "role %q does not exist", role)
	}
	if !r.Login {
		return pgerr.New(pgerr.InvalidAuthorization, "role %q is not permitted to log in", role)
	}
	return nil
}

// superuserIn reports whether role bypasses access checks in snap. With no
// login required every client is trusted, and so is a superuser.
func (e *Engine) superuserIn(snap *catalog.Snapshot, role string) bool {
	if !e.requiresLogin {
		return true
	}
	r, ok := snap.Roles[role]
	return ok && r.Superuser
}

// refreshRole brings the session's superuser flag, and is_superuser, up
// to date with the catalog, so that ALTER ROLE takes effect on the next
// statement of every session of the role.
func (s *Session) refreshRole() {
	snap := s.engine.catalog.Snapshot()
	if snap == s.roleSnap {
		return
	}
	s.roleSnap = snap
	if su := s.engine.superuserIn(snap, s.user); su != s.superuser {
		s.superuser = su
		s.settings["is_superuser"] = onOff(su)
		s.settingsGeneration++
	}
}

// isAdmin reports whether the session's role manages servers, user
// mappings and views: a superuser, or a role with junction_admin's
// privileges.
func (s *Session) isAdmin() bool {
	return s.superuser || s.engine.catalog.Snapshot().HasPrivilegesOf(s.user, catalog.AdminRole)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// errRolesUnchanged ends a catalog update that has nothing to store.
var errRolesUnchanged = errors.New("roles unchanged")

// bootstrapRoles makes every configured user a LOGIN role declared by the
// configuration, with its attributes and a verifier of its password, and
// takes that mark (and LOGIN and the password) from a role the
// configuration no longer declares, which stays as an ordinary role
// until dropped. A role already up to date is not written again.
func (e *Engine) bootstrapRoles(users []catalog.User) error {
	declared := map[string]bool{}
	for _, u := range users {
		if err := checkNewRoleName(u.Name); err != nil {
			return fmt.Errorf("user %q: %w", u.Name, err)
		}
		declared[u.Name] = true
	}
	var retired []string
	err := e.catalog.Update(func(snap *catalog.Snapshot) error {
		changed := false
		retired = nil
		for _, u := range users {
			cur, exists := snap.Roles[u.Name]
			if exists && cur.Config && cur.Login && cur.Superuser == u.Superuser && !cur.CreateRole && !cur.NoInherit && verifies(cur.Password, u.Password) {
				continue
			}
			v, err := auth.NewVerifier(u.Name, u.Password)
			if err != nil {
				return fmt.Errorf("user %q: %w", u.Name, err)
			}
			r := &catalog.Role{Name: u.Name, Login: true, Superuser: u.Superuser, Config: true, Password: v.String()}
			if exists {
				r.OID, r.MemberOf = cur.OID, cur.MemberOf
			} else {
				r.OID = snap.AllocOID()
			}
			snap.Roles[u.Name] = r
			changed = true
		}
		for name, r := range snap.Roles {
			if r.Config && !declared[name] {
				cp := r.Clone()
				cp.Config, cp.Login, cp.Password = false, false, ""
				snap.Roles[name] = cp
				retired = append(retired, name)
				changed = true
			}
		}
		if !changed {
			return errRolesUnchanged
		}
		return nil
	})
	if errors.Is(err, errRolesUnchanged) {
		return nil
	}
	for _, name := range retired {
		e.log.Info("role no longer declared in the configuration: it keeps its memberships but can no longer log in", "role", name)
	}
	return err
}

// verifies reports whether stored is a verifier of password.
func verifies(stored, password string) bool {
	v, err := auth.ParseVerifier(stored)
	return err == nil && v.Check(password)
}

// isAuthorizationSetting reports whether name is set by SET ROLE or SET
// SESSION AUTHORIZATION.
func isAuthorizationSetting(name string) bool {
	return strings.EqualFold(name, "role") || strings.EqualFold(name, "session_authorization")
}

// setAuthorization runs SET ROLE (key "role") and SET SESSION
// AUTHORIZATION with PostgreSQL's checks: a role may become any role its
// session user is a member of (a superuser any role), and only a role
// that logged in as a superuser may change the session user. It returns
// the setting's new value.
func (s *Session) setAuthorization(key, value string) (string, error) {
	snap := s.engine.catalog.Snapshot()
	if key == "role" && strings.EqualFold(value, "none") {
		s.becomeRole(s.sessionUser, s.sessionUser)
		return "none", nil
	}
	if key == "role" {
		if !s.engine.HasRole(value) {
			return "", pgerr.New(pgerr.InvalidParameterValue, "role %q does not exist", value)
		}
		if !s.engine.superuserIn(snap, s.sessionUser) && !snap.IsMember(s.sessionUser, value) {
			return "", pgerr.New(pgerr.InsufficientPrivilege, "permission denied to set role %q", value)
		}
		s.becomeRole(s.sessionUser, value)
		return value, nil
	}
	if value != s.login && !s.engine.superuserIn(snap, s.login) {
		return "", pgerr.New(pgerr.InsufficientPrivilege, "permission denied to set session authorization")
	}
	if value != s.login && !s.engine.HasRole(value) {
		return "", pgerr.New(pgerr.InvalidParameterValue, "role %q does not exist", value)
	}
	s.becomeRole(value, value)
	s.settings["role"] = "none"
	return value, nil
}

// resetAuthorization is RESET ROLE and RESET SESSION AUTHORIZATION (or
// SET ... DEFAULT): back to the session user, or to the role that logged
// in.
func (s *Session) resetAuthorization(name string) {
	if strings.EqualFold(name, "role") {
		s.becomeRole(s.sessionUser, s.sessionUser)
	} else {
		s.becomeRole(s.login, s.login)
	}
	s.settings["role"] = "none"
	s.settings["session_authorization"] = s.sessionUser
}

// becomeRole makes the session run as current under session user
// sessionUser, with that role's superuser flag from the next statement.
func (s *Session) becomeRole(sessionUser, current string) {
	s.sessionUser, s.user = sessionUser, current
	s.roleSnap = nil
	s.refreshRole()
}
