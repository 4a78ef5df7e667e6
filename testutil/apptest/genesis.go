// Package apptest runs the real baynet app in tests: it builds a consortium
// genesis with deterministic keys, starts a chain on an in-memory database,
// and signs and delivers transactions through CheckTx, FinalizeBlock and
// Commit as CometBFT would.
package apptest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"strings"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/baynet/baynet/app"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// Regions are the consortium of the local networks: Guangdong, Hong Kong,
// Macao and the joint office.
var Regions = []string{"GD", "HK", "MO", "JOINT"}

// Account is a secp256k1 key and the account address it controls.
type Account struct {
	Key     *secp256k1.PrivKey
	Address sdk.AccAddress
}

// NewAccount derives an account from name, so that a test's accounts are the
// same on every run.
func NewAccount(name string) Account {
	app.SetAddressPrefixes()
	key := secp256k1.GenPrivKeyFromSecret([]byte("apptest/account/" + name))
	return Account{Key: key, Address: sdk.AccAddress(key.PubKey().Address())}
}

// String returns the account's bech32 address.
func (a Account) String() string { return a.Address.String() }

// ConsensusKey derives a raw 32-byte ed25519 consensus public key from name.
func ConsensusKey(name string) []byte {
	seed := sha256.Sum256([]byte("apptest/consensus/" + name))
	return ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
}

// Consortium is a genesis layout and the accounts that act in it.
type Consortium struct {
	// Genesis is x/regions' genesis; a test may change it before AppState.
	Genesis regionstypes.GenesisState
	// Authorities, Operators and Agencies hold the accounts by region code,
	// region code and agency id.
	Authorities map[string]Account
	Operators   map[string]Account
	Agencies    map[string]Account
}

// NewConsortium returns the shape of the local networks' genesis: the four
// Regions with a power share of 100 each and the default parameters; per
// region an authority, one validator (moniker "<code>-1", consensus key
// ConsensusKey("<code>-1")) run by the region's operator, and one active
// issuer agency "<CODE>:agency" whose account key is also its registered
// secp256k1 signing key "sign-1".
func NewConsortium() *Consortium {
	c := &Consortium{
		Genesis:     *regionstypes.DefaultGenesis(),
		Authorities: map[string]Account{},
		Operators:   map[string]Account{},
		Agencies:    map[string]Account{},
	}
	for _, code := range Regions {
		lower := strings.ToLower(code)
		authority, operator := NewAccount(lower+"-authority"), NewAccount(lower+"-operator")
		c.Authorities[code], c.Operators[code] = authority, operator
		c.Genesis.Regions = append(c.Genesis.Regions, regionstypes.Region{
			Code: code, NameZh: code + " 地区", NameEn: code + " region", Authority: authority.String(), PowerShare: 100,
		})
		c.Genesis.Validators = append(c.Genesis.Validators, regionstypes.Validator{
			ConsensusPubkey: ConsensusKey(lower + "-1"), Region: code, Moniker: lower + "-1", Operator: operator.String(),
		})
		id := code + ":agency"
		agency := NewAccount(lower + "-agency")
		c.Agencies[id] = agency
		c.Genesis.Agencies = append(c.Genesis.Agencies, regionstypes.Agency{
			Id: id, Region: code, NameZh: code + " 机构", NameEn: code + " agency", Account: agency.String(),
			Roles: []regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_ISSUER}, CredentialTypes: []string{code + ":licence"},
			Status: regionstypes.AGENCY_STATUS_ACTIVE,
		})
		c.Genesis.AgencyKeys = append(c.Genesis.AgencyKeys, regionstypes.AgencyKey{
			AgencyId: id, KeyId: "sign-1", Scheme: "secp256k1", PublicKey: agency.Key.PubKey().Bytes(),
		})
	}
	return c
}

// AppState returns the genesis app state: every module's default genesis
// with x/regions' replaced by c.Genesis.
func (c *Consortium) AppState() ([]byte, error) {
	if err := c.Genesis.Validate(); err != nil {
		return nil, err
	}
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{})
	state := tempApp.DefaultGenesis()
	var err error
	if state[regionstypes.ModuleName], err = tempApp.AppCodec().MarshalJSON(&c.Genesis); err != nil {
		return nil, err
	}
	return json.MarshalIndent(state, "", "  ")
}
