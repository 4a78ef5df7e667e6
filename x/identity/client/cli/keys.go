// Package cli holds the x/identity commands that AutoCLI cannot express:
// everything the holder signs locally with its own key, the identity
// provider's link and recovery (which carry the holder's or the new key's
// signature), and the queries that compute a commitment or print a DID
// document.
package cli

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

const (
	flagKey           = "key"
	flagKeyringKey    = "keyring-key"
	flagKeyID         = "key-id"
	flagChallenge     = "challenge"
	flagNewKey        = "new-key"
	flagNewKeyringKey = "new-keyring-key"
	flagNewKeyID      = "new-key-id"
	flagPurposes      = "purposes"
	flagSequence      = "anchor-sequence"
	flagOpOut         = "op-out"
	flagRelay         = "relay"
)

// holderKey is a key the holder signs with, from a PEM file or the keyring.
type holderKey struct {
	scheme string
	// public is the canonical public key.
	public []byte
	sign   func(msg []byte) ([]byte, error)
}

// loadHolderKey loads the key named by --<fileFlag> (a PEM file) or
// --<keyringFlag> (a secp256k1 key of the keyring). It returns false when
// neither is given.
func loadHolderKey(cmd *cobra.Command, clientCtx client.Context, fileFlag, keyringFlag string) (holderKey, bool, error) {
	file, _ := cmd.Flags().GetString(fileFlag)
	name, _ := cmd.Flags().GetString(keyringFlag)
	switch {
	case file != "" && name != "":
		return holderKey{}, false, fmt.Errorf("give --%s or --%s, not both", fileFlag, keyringFlag)
	case file != "":
		bz, err := os.ReadFile(file)
		if err != nil {
			return holderKey{}, false, err
		}
		k, err := bcrypto.ParsePrivateKeyPEM(bz)
		if err != nil {
			return holderKey{}, false, fmt.Errorf("%s: %w", file, err)
		}
		return holderKey{scheme: string(k.Scheme()), public: k.Public().Bytes(), sign: k.Sign}, true, nil
	case name != "":
		if clientCtx.Keyring == nil {
			return holderKey{}, false, errors.New("no keyring: give --keyring-backend and --home")
		}
		rec, err := clientCtx.Keyring.Key(name)
		if err != nil {
			return holderKey{}, false, err
		}
		pub, err := rec.GetPubKey()
		if err != nil {
			return holderKey{}, false, err
		}
		if _, ok := pub.(*secp256k1.PubKey); !ok {
			return holderKey{}, false, fmt.Errorf("keyring key %s is %s; only secp256k1 keyring keys can sign for an anchor", name, pub.Type())
		}
		kr := clientCtx.Keyring
		// The keyring signs SHA-256(msg) with secp256k1 as 64-byte r||s,
		// exactly baynet's secp256k1 scheme.
		sign := func(msg []byte) ([]byte, error) {
			sig, _, err := kr.Sign(name, msg, signing.SignMode_SIGN_MODE_DIRECT)
			return sig, err
		}
		return holderKey{scheme: string(bcrypto.SchemeSecp256k1), public: pub.Bytes(), sign: sign}, true, nil
	}
	return holderKey{}, false, nil
}

// mustHolderKey is loadHolderKey for a key that must be given.
func mustHolderKey(cmd *cobra.Command, clientCtx client.Context, fileFlag, keyringFlag string) (holderKey, error) {
	k, ok, err := loadHolderKey(cmd, clientCtx, fileFlag, keyringFlag)
	if err == nil && !ok {
		err = fmt.Errorf("give the key with --%s <PEM file> or --%s <name>", fileFlag, keyringFlag)
	}
	return k, err
}

func addKeyFlags(cmd *cobra.Command, fileFlag, keyringFlag, what string) {
	cmd.Flags().String(fileFlag, "", what+": a PEM private key file (ed25519, secp256k1, p256 or sm2; see: baynetd identity keygen)")
	cmd.Flags().String(keyringFlag, "", what+": a secp256k1 key of the keyring, instead of a file")
}

// parsePurposes turns "authentication,assertion" into key purposes.
func parsePurposes(names []string) ([]types.KeyPurpose, error) {
	out := make([]types.KeyPurpose, 0, len(names))
	for _, n := range names {
		p, ok := types.KeyPurpose_value["KEY_PURPOSE_"+strings.ToUpper(strings.TrimSpace(n))]
		if !ok {
			return nil, fmt.Errorf("unknown key purpose %q: authentication or assertion", n)
		}
		out = append(out, types.KeyPurpose(p))
	}
	return out, nil
}

// readBytes reads a file, or decodes hex or base64.
func readBytes(s string) ([]byte, error) {
	if st, err := os.Stat(s); err == nil && st.Mode().IsRegular() {
		return os.ReadFile(s)
	}
	if bz, err := hex.DecodeString(s); err == nil {
		return bz, nil
	}
	if bz, err := base64.StdEncoding.DecodeString(s); err == nil {
		return bz, nil
	}
	return nil, fmt.Errorf("%q is neither a file, hex nor base64", s)
}

// parseTime reads RFC 3339, or a duration from now such as 8760h.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().UTC().Add(d).Truncate(time.Second), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration such as 8760h", s)
}
