// Package functions is the executor's function library: what scalar
// functions, casts, operators and aggregates compute, with PostgreSQL's
// semantics, over the columnar vectors the executor's operators pass
// around. It owns the catalog of scalar functions, each registered by name
// with its signatures (register), and their resolution (ResolveFunc,
// Lookup); the cast, arithmetic and comparison kernels; date/time
// arithmetic; numeric, json and array values; the aggregate states (Agg);
// and the catalog of set-returning functions run in FROM or in a select
// list (ResolveSetFunc, LookupSet).
//
// Package executor compiles expressions into calls of this library and
// runs the operators; a function is added here, by registering its
// signatures in an init function, without touching any operator. seam.go
// lists what the executor uses; behind it the library keeps its own
// vocabulary.
//
// Arguments arrive as full vectors or as one-value constant vectors
// standing for every row (see the vector package's RowMask); a kernel
// writes n rows into a vector whose null bitmap already marks the rows
// with a NULL argument.
//
// json and jsonb values are text in string vectors: json as given, jsonb
// in PostgreSQL's canonical output form. Canonical text rather than a
// parsed tree keeps them in the one physical representation every
// operator, connector and the wire already handle, makes a PostgreSQL
// source's jsonb arrive ready to use, and costs a parse only in the
// functions that look inside a value; comparison and hashing of jsonb
// parse too, because jsonb equality and order are PostgreSQL's
// (jsonb_cmp: numbers by value), not the text's (see json.go).
//
// Text is compared by bytes (PostgreSQL's C collation), floats order NaN
// above everything, and every error is a pgerr.Error with PostgreSQL's
// SQLSTATE and message. Time zone dependent operations use UTC, the
// session time zone Junction reports; now() is the statement's start,
// given by the executor in a Context.
package functions
