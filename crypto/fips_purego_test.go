//go:build purego

package crypto

// fips140Available: see fips_test.go.
const fips140Available = false
