//go:build !purego

package crypto

// fips140Available: the Go FIPS 140-3 module refuses to start in a purego
// build, so GODEBUG=fips140 can only be tested without that tag.
const fips140Available = true
