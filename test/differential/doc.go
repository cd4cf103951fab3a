// Package differential owns the differential suite: a fixed schema with
// NULLs and edge values in every column, loaded alike into a PostgreSQL
// source, a MariaDB source and a reference PostgreSQL database; a seeded
// generator of well-typed queries over it plus hand-written ones; and the
// test that runs each query through Junction and compares the answer with
// the reference's.
//
// Every query runs three ways: with all tables in the PostgreSQL source,
// with all tables in the MariaDB source, and split across both (t1 and t3
// in PostgreSQL, t2 and t4 in MariaDB) so that joins cross sources. A
// generated query the reference rejects (an overflow, a division by zero
// on the data) is dropped and replaced; only queries the reference answers
// count toward the suite's size.
//
// A failing generated query names its seed and number; go test
// ./test/differential -seed N -only K replays it alone. Mismatches found
// and not yet fixed are listed in knownFailures with the reason, and the
// generator keeps away from the constructs that trigger them.
package differential
