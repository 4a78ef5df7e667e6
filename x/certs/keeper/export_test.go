package keeper

import (
	"time"

	bcrypto "github.com/baynet/baynet/crypto"
)

// UseSequentialVerify makes k verify a bulk message's signatures one at a
// time with crypto.Verify: the baseline the batched path is measured against.
func UseSequentialVerify(k *Keeper) { k.verify = sequentialVerify }

func sequentialVerify(items []bcrypto.Item) []error {
	var verdicts []error
	for i, it := range items {
		if err := bcrypto.Verify(it); err != nil {
			if verdicts == nil {
				verdicts = make([]error, len(items))
			}
			verdicts[i] = err
		}
	}
	return verdicts
}

// Phases accumulates the time bulk issuance spends checking items, verifying
// signatures and writing state.
type Phases struct{ p *phaseTimes }

// RecordPhases makes k accumulate its bulk issuance phases into the result.
func RecordPhases(k *Keeper) Phases {
	k.timings = &phaseTimes{}
	return Phases{p: k.timings}
}

// Split returns the items issued and the total time of each phase.
func (ph Phases) Split() (items int, checks, verify, write time.Duration) {
	return ph.p.items, ph.p.checks, ph.p.verify, ph.p.write
}

// Reset clears the accumulated times.
func (ph Phases) Reset() { *ph.p = phaseTimes{} }

// ParseCAsEveryTime makes k parse every stored CA each time it reads one:
// the baseline the parse cache is measured against.
func ParseCAsEveryTime(k *Keeper) { k.parsed = nil }
