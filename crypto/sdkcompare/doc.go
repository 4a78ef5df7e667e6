// Package sdkcompare holds only tests: it checks and benchmarks baynet's
// secp256k1 verification against the Cosmos SDK's default (pure Go) one. It
// lives apart so that package crypto itself never imports the SDK.
package sdkcompare
