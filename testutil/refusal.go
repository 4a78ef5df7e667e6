// Package testutil holds checks the modules' keeper tests share.
package testutil

import (
	errorsmod "cosmossdk.io/errors"
	"github.com/stretchr/testify/require"
)

// RequireRefusedAs checks that err is want and reaches the user with want's
// ABCI codespace and code, not as "undefined" (an errors.Join, for one,
// would hide them).
func RequireRefusedAs(t require.TestingT, want, err error) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	require.ErrorIs(t, err, want)
	wantSpace, wantCode, _ := errorsmod.ABCIInfo(want, false)
	space, code, _ := errorsmod.ABCIInfo(err, false)
	require.Equal(t, [2]any{wantSpace, wantCode}, [2]any{space, code}, "ABCI codespace and code of %v", err)
}
