// Package e2e owns the end-to-end tests: they build the junction binary,
// start it, and talk to it over a real socket as a PostgreSQL client does,
// with real PostgreSQL and MariaDB servers as sources. The differential
// tests load the same generated data into the sources and into one
// reference PostgreSQL database and require Junction's answer to every
// query to be exactly PostgreSQL's.
package e2e
