package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	sdk "github.com/cosmos/cosmos-sdk/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/baynet/baynet/app"
	certstypes "github.com/baynet/baynet/x/certs/types"
	regionstypes "github.com/baynet/baynet/x/regions/types"
)

// The local networks (dev chain and testnet) share this layout: the four
// members of the consortium, one demo agency each, and the GD and HK
// identity providers.

// demoRegion is a consortium member of a local network.
type demoRegion struct {
	code, nameZh, nameEn string
}

var demoRegions = []demoRegion{
	{"GD", "广东", "Guangdong"},
	{"HK", "香港", "Hong Kong"},
	{"MO", "澳门", "Macao"},
	{"JOINT", "粤港澳联合工作机制", "Joint working mechanism"},
}

// demoAgency is an agency registered at genesis, with a keyring key that is
// both its transaction account and its signing key.
type demoAgency struct {
	id, keyName, nameZh, nameEn string
	roles                       []regionstypes.AgencyRole
	credentialTypes             []string
}

var demoAgencies = []demoAgency{
	{"GD:amr", "gd-amr", "广东省市场监督管理局", "Guangdong Administration for Market Regulation",
		[]regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_ISSUER}, []string{"GD:business-licence"}},
	{"HK:erb", "hk-erb", "工程師註冊管理局", "Engineers Registration Board",
		[]regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_ISSUER}, []string{"HK:registered-engineer"}},
	{"MO:esign", "mo-esign", "澳門電子認證", "Macao eSignTrust",
		[]regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_CA_OPERATOR}, nil},
	{"JOINT:ggtp", "joint-ggtp", "大湾区公共资源交易平台", "Bay Area public resource trading platform",
		[]regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_TRADING_PLATFORM}, nil},
	{"GD:idp", "gd-idp", "广东省统一身份认证平台", "Guangdong unified identity authentication",
		[]regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER}, nil},
	{"HK:iamsmart", "hk-iamsmart", "智方便", "iAM Smart",
		[]regionstypes.AgencyRole{regionstypes.AGENCY_ROLE_IDENTITY_PROVIDER}, nil},
}

func authorityKeyName(region string) string { return strings.ToLower(region) + "-authority" }

// ports are one node's listening ports, all on 127.0.0.1.
type ports struct{ p2p, rpc, grpc, api, abci int }

func portsAt(base int) ports {
	return ports{p2p: base, rpc: base + 1, grpc: base + 2, api: base + 3, abci: base + 4}
}

func (p ports) rpcURL() string { return fmt.Sprintf("tcp://127.0.0.1:%d", p.rpc) }

// initNodeHome writes config.toml, app.toml, client.toml, the node key and
// the validator key of one node, and returns its consensus key and node id.
func initNodeHome(home, chainID, moniker string, pt ports, peers string) ([]byte, string, error) {
	cfg := CometConfig()
	cfg.SetRoot(home)
	cfg.Moniker = moniker
	cfg.RPC.ListenAddress = pt.rpcURL()
	cfg.RPC.PprofListenAddress = ""
	cfg.P2P.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", pt.p2p)
	cfg.P2P.PersistentPeers = peers
	cfg.P2P.AddrBookStrict = false
	cfg.P2P.AllowDuplicateIP = true
	cfg.ProxyApp = fmt.Sprintf("tcp://127.0.0.1:%d", pt.abci)
	cmtcfg.EnsureRoot(home)
	nodeKey, err := p2p.LoadOrGenNodeKey(cfg.NodeKeyFile())
	if err != nil {
		return nil, "", err
	}
	pv := privval.LoadOrGenFilePV(cfg.PrivValidatorKeyFile(), cfg.PrivValidatorStateFile())
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), cfg)

	appCfg := AppConfig()
	appCfg.API.Address = fmt.Sprintf("tcp://127.0.0.1:%d", pt.api)
	appCfg.GRPC.Address = fmt.Sprintf("127.0.0.1:%d", pt.grpc)
	serverconfig.WriteConfigFile(filepath.Join(home, "config", "app.toml"), appCfg)

	client := fmt.Sprintf("chain-id = %q\nkeyring-backend = \"test\"\nkeyring-default-keyname = \"\"\noutput = \"json\"\nnode = %q\nbroadcast-mode = \"sync\"\n",
		chainID, pt.rpcURL())
	if err := os.WriteFile(filepath.Join(home, "config", "client.toml"), []byte(client), 0o600); err != nil {
		return nil, "", err
	}
	return pv.Key.PubKey.Bytes(), string(nodeKey.ID()), nil
}

// demoKeys creates (or, given mnemonics, recreates) the local network's keys
// in home's test keyring and returns name -> address and name -> mnemonic.
func demoKeys(home string, mnemonics map[string]string) (map[string]string, map[string]string, error) {
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, app.MakeEncodingConfig().Codec)
	if err != nil {
		return nil, nil, err
	}
	names := []string{"validator"}
	for _, r := range demoRegions {
		names = append(names, authorityKeyName(r.code))
	}
	for _, a := range demoAgencies {
		names = append(names, a.keyName)
	}
	addrs, outMnemonics := map[string]string{}, map[string]string{}
	for _, name := range names {
		var rec *keyring.Record
		if m, ok := mnemonics[name]; ok {
			rec, err = kr.NewAccount(name, m, keyring.DefaultBIP39Passphrase, sdk.FullFundraiserPath, hd.Secp256k1)
			outMnemonics[name] = m
		} else {
			var m string
			rec, m, err = kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
			outMnemonics[name] = m
		}
		if err != nil {
			return nil, nil, fmt.Errorf("key %s: %w", name, err)
		}
		addr, err := rec.GetAddress()
		if err != nil {
			return nil, nil, err
		}
		addrs[name] = addr.String()
	}
	return addrs, outMnemonics, nil
}

// demoPubKey returns the public key of a keyring key, used as the demo
// agencies' signing key (secp256k1, 33-byte compressed).
func demoPubKey(home, name string) ([]byte, error) {
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, app.MakeEncodingConfig().Codec)
	if err != nil {
		return nil, err
	}
	rec, err := kr.Key(name)
	if err != nil {
		return nil, err
	}
	pk, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	return pk.Bytes(), nil
}

// localValidator is a validator of a local network.
type localValidator struct {
	region, moniker string
	pubKey          []byte
}

// writeLocalGenesis writes the genesis of a local network to every home.
func writeLocalGenesis(homes []string, chainID string, vals []localValidator, addrs map[string]string, keyHome string, maxShareBps uint32) error {
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, emptyAppOptions{})
	state := tempApp.DefaultGenesis()
	gs := regionstypes.DefaultGenesis()
	gs.Params.MaxRegionShareBps = maxShareBps
	for _, r := range demoRegions {
		gs.Regions = append(gs.Regions, regionstypes.Region{
			Code: r.code, NameZh: r.nameZh, NameEn: r.nameEn, Authority: addrs[authorityKeyName(r.code)], PowerShare: 100,
		})
	}
	for _, v := range vals {
		gs.Validators = append(gs.Validators, regionstypes.Validator{
			ConsensusPubkey: v.pubKey, Region: v.region, Moniker: v.moniker, Operator: addrs["validator"],
		})
	}
	for _, a := range demoAgencies {
		region, _, _ := regionstypes.SplitScopedID(a.id)
		pk, err := demoPubKey(keyHome, a.keyName)
		if err != nil {
			return err
		}
		gs.Agencies = append(gs.Agencies, regionstypes.Agency{
			Id: a.id, Region: region, NameZh: a.nameZh, NameEn: a.nameEn, Account: addrs[a.keyName],
			Roles: a.roles, CredentialTypes: a.credentialTypes, Status: regionstypes.AGENCY_STATUS_ACTIVE,
		})
		gs.AgencyKeys = append(gs.AgencyKeys, regionstypes.AgencyKey{AgencyId: a.id, KeyId: "sign-1", Scheme: "secp256k1", PublicKey: pk})
	}
	if err := gs.Validate(); err != nil {
		return err
	}
	var err error
	if state[regionstypes.ModuleName], err = tempApp.AppCodec().MarshalJSON(gs); err != nil {
		return err
	}
	if state[certstypes.ModuleName], err = tempApp.AppCodec().MarshalJSON(demoCertsGenesis()); err != nil {
		return err
	}
	appState, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return err
	}
	appGen := genutiltypes.NewAppGenesisWithVersion(chainID, appState)
	appGen.GenesisTime = time.Now().UTC()
	params := cmttypes.DefaultConsensusParams()
	params.Block.MaxGas = 200_000_000
	appGen.Consensus = genutiltypes.NewConsensusGenesis(params.ToProto(), nil)
	for _, home := range homes {
		if err := appGen.SaveAs(filepath.Join(home, "config", "genesis.json")); err != nil {
			return err
		}
	}
	return nil
}
