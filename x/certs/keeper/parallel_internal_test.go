package keeper

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParallelVisitsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 1000, 10001} {
		visits := make([]atomic.Int32, n)
		parallel(n, func(i int) { visits[i].Add(1) })
		for i := range visits {
			require.EqualValues(t, 1, visits[i].Load(), "n=%d index %d", n, i)
		}
	}
}

func TestParallelRaisesPanicOnCaller(t *testing.T) {
	require.PanicsWithValue(t, "item 777", func() {
		parallel(5000, func(i int) {
			if i == 777 {
				panic("item 777")
			}
		})
	})
}
