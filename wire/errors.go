package wire

import (
	"errors"

	"github.com/jeroenrinzema/psql-wire/codes"
	psqlerr "github.com/jeroenrinzema/psql-wire/errors"
	"github.com/junction-db/junction/pgerr"
)

// toProtocolError gives every error psql-wire is about to send its
// ErrorResponse fields: a pgerr.Error keeps its SQLSTATE, message, detail
// and hint; errors psql-wire raised itself keep their codes; anything else
// is an internal error (XX000) with its text.
func toProtocolError(err error) error {
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		out := psqlerr.WithCode(errors.New(pe.Message), codes.Code(pe.Code))
		if pe.Detail != "" {
			out = psqlerr.WithDetail(out, pe.Detail)
		}
		if pe.Hint != "" {
			out = psqlerr.WithHint(out, pe.Hint)
		}
		if severity := psqlerr.GetSeverity(err); severity != "" {
			out = psqlerr.WithSeverity(out, severity)
		}
		return out
	}
	if psqlerr.GetCode(err) != codes.Uncategorized {
		return err
	}
	return psqlerr.WithCode(err, codes.Internal)
}
