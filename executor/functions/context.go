package functions

// Context is what a function call may read about the statement it runs
// in, handed to every call the expression compiler builds.
type Context struct {
	// now is the statement start in microseconds since 1970-01-01 UTC.
	now int64
}

// NewContext is the context of a statement that started at now
// (microseconds since 1970-01-01 UTC): the value of now() and
// current_timestamp.
func NewContext(now int64) *Context { return &Context{now: now} }
