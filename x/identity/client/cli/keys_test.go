package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	codectestutil "github.com/cosmos/cosmos-sdk/codec/testutil"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	bcrypto "github.com/baynet/baynet/crypto"
	"github.com/baynet/baynet/x/identity/types"
)

func keyCmd(t *testing.T, args ...string) *cobra.Command {
	t.Helper()
	cmd := &cobra.Command{}
	addKeyFlags(cmd, flagKey, flagKeyringKey, "key")
	require.NoError(t, cmd.ParseFlags(args))
	return cmd
}

// TestHolderKeysSignForTheChain checks that both kinds of holder key, a PEM
// file of each scheme and a secp256k1 keyring key, sign what the chain's
// verifier accepts for an anchor key with the public key they report.
func TestHolderKeysSignForTheChain(t *testing.T) {
	msg := types.OperationSignBytes([]byte("payload"))
	check := func(name string, k holderKey) {
		t.Helper()
		pk, err := types.ParseHolderKey(k.scheme, k.public)
		require.NoError(t, err, name)
		require.Equal(t, k.public, pk.Bytes(), "%s: the public key is canonical", name)
		sig, err := k.sign(msg)
		require.NoError(t, err, name)
		require.NoError(t, bcrypto.Verify(bcrypto.Item{Key: pk, Msg: msg, Sig: sig}), name)
	}

	dir := t.TempDir()
	for _, s := range types.HolderSchemes {
		priv, err := bcrypto.GenerateKey(s)
		require.NoError(t, err)
		bz, err := priv.MarshalPEM()
		require.NoError(t, err)
		file := filepath.Join(dir, string(s)+".pem")
		require.NoError(t, os.WriteFile(file, bz, 0o600))
		k, err := mustHolderKey(keyCmd(t, "--key", file), client.Context{}, flagKey, flagKeyringKey)
		require.NoError(t, err)
		require.Equal(t, string(s), k.scheme)
		check(string(s), k)
	}

	cdc := codectestutil.CodecOptions{}.NewCodec()
	cryptocodec.RegisterInterfaces(cdc.InterfaceRegistry())
	kr := keyring.NewInMemory(cdc)
	_, _, err := kr.NewMnemonic("holder", keyring.English, "m/44'/118'/0'/0/0", keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	require.NoError(t, err)
	k, err := mustHolderKey(keyCmd(t, "--keyring-key", "holder"), client.Context{}.WithKeyring(kr), flagKey, flagKeyringKey)
	require.NoError(t, err)
	require.Equal(t, "secp256k1", k.scheme)
	check("keyring", k)

	_, err = mustHolderKey(keyCmd(t), client.Context{}, flagKey, flagKeyringKey)
	require.ErrorContains(t, err, "give the key")
	_, err = mustHolderKey(keyCmd(t, "--key", "a.pem", "--keyring-key", "holder"), client.Context{}, flagKey, flagKeyringKey)
	require.ErrorContains(t, err, "not both")
}

func TestParseFlags(t *testing.T) {
	ps, err := parsePurposes([]string{"authentication", " Assertion"})
	require.NoError(t, err)
	require.Equal(t, []types.KeyPurpose{types.KEY_PURPOSE_AUTHENTICATION, types.KEY_PURPOSE_ASSERTION}, ps)
	_, err = parsePurposes([]string{"signing"})
	require.Error(t, err)

	at, err := parseTime("2027-01-02T03:04:05Z")
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC), at)
	later, err := parseTime("720h")
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(720*time.Hour), later, time.Minute)
	_, err = parseTime("next week")
	require.Error(t, err)
}
