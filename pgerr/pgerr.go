// Package pgerr owns PostgreSQL-style errors: a SQLSTATE code with a message
// that says what to fix, carried through every layer to the client's
// ErrorResponse unchanged.
package pgerr

import (
	"errors"
	"fmt"
)

// SQLSTATE codes Junction raises.
const (
	SyntaxError            = "42601"
	InsufficientPrivilege  = "42501"
	UndefinedTable         = "42P01"
	UndefinedColumn        = "42703"
	UndefinedFunction      = "42883"
	UndefinedObject        = "42704"
	UndefinedSchema        = "3F000"
	AmbiguousColumn        = "42702"
	DuplicateObject        = "42710"
	DuplicateTable         = "42P07"
	DatatypeMismatch       = "42804"
	GroupingError          = "42803"
	InvalidParameterValue  = "22023"
	InvalidTextRep         = "22P02"
	DivisionByZero         = "22012"
	NumericOutOfRange      = "22003"
	DatetimeFieldOverflow  = "22008"
	InvalidDatetimeFormat  = "22007"
	StringDataRightTrunc   = "22001"
	CardinalityViolation   = "21000"
	InvalidEscapeSequence  = "22025"
	InvalidRegex           = "2201B"
	FeatureNotSupported    = "0A000"
	ReadOnlyTransaction    = "25006"
	InvalidPassword        = "28P01"
	InvalidAuthorization   = "28000"
	FDWError               = "HV000"
	FDWUnableToConnect     = "08001"
	ConnectionFailure      = "08006"
	FDWOptionNameNotFound  = "HV00D"
	FDWInvalidOptionName   = "HV00D"
	QueryCanceled          = "57014"
	InternalError          = "XX000"
	InvalidSchemaName      = "3F000"
	DependentObjectsExist  = "2BP01"
	WrongObjectType        = "42809"
	InvalidColumnReference = "42P10"
	UndefinedParameter     = "42P02"
	IndeterminateDatatype  = "42P18"
	ProgramLimitExceeded   = "54000"
	OutOfMemory            = "53200"
	TooManyConnections     = "53300"
	AdminShutdown          = "57P01"
	SerializationFailure   = "40001"
)

// Error is an error with a SQLSTATE.
type Error struct {
	Code    string
	Message string
	Detail  string
	Hint    string
	// Severity is a notice's: "NOTICE", or WARNING when empty. Errors
	// are sent as ERROR whatever it holds.
	Severity string
}

func (e *Error) Error() string { return e.Message }

// New returns an error with the given code.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Notice returns a notice of severity NOTICE (SQLSTATE 00000), as
// PostgreSQL sends for what a statement did besides its own work.
func Notice(format string, args ...any) *Error {
	return &Error{Code: "00000", Message: fmt.Sprintf(format, args...), Severity: "NOTICE"}
}

// WithHint adds a hint.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// NotSupported is 0A000 naming the construct that Junction does not run.
func NotSupported(construct string) *Error {
	return &Error{Code: FeatureNotSupported, Message: construct + " is not supported"}
}

// Code returns the SQLSTATE of err, or XX000 for errors without one.
func Code(err error) string {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return InternalError
}

// As returns err as an *Error, wrapping a plain error as XX000 with its text.
func As(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Code: InternalError, Message: err.Error()}
}
