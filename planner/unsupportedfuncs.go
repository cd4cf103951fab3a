package planner

// builtinFunctionsNotSupported are PostgreSQL built-in functions Junction
// does not have: calling one is refused as not supported (0A000) rather
// than answered as an unknown function. interval_hash's value is
// PostgreSQL's internal hash, which Junction's hashing does not
// reproduce; pg_collation_for needs the collation of an expression,
// which Junction's plans do not carry.
var builtinFunctionsNotSupported = map[string]bool{
	"interval_hash":    true,
	"pg_collation_for": true,
}
