package functions

// Context is what a function call may read about the statement it runs
// in, handed to every call the expression compiler builds.
type Context struct {
	// now is the statement start in microseconds since 1970-01-01 UTC.
	now int64
	// random is the session's random number generator, nil for the
	// process's.
	random *Random
}

// WithRandom makes random() and setseed use the session's generator r.
func (c *Context) WithRandom(r *Random) *Context {
	c.random = r
	return c
}

// NewContext is the context of a statement that started at now
// (microseconds since 1970-01-01 UTC): the value of now() and
// current_timestamp.
func NewContext(now int64) *Context { return &Context{now: now} }
